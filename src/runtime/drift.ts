// Decides whether a server-side apply would change anything, by comparing the desired object with the
// cached one: every field we set must be present with the same value. Fields others own (defaults, status,
// other managers) are ignored. This is what makes a no-op reconcile cost zero API writes.
//
// Tolerances mirror what the API server does to what we send: empty lists, maps, false, 0 and '' are
// omitted on the wire (omitempty), and quantities are canonicalized ("1000m" is stored as "1").
import type { KubernetesObject } from '@kubernetes/client-node';
import { APPLIED_DIGEST_ANNOTATION } from './owned-view.ts';
import type { OwnedView } from './owned-view.ts';

const QUANTITY = /^([+-]?[0-9.]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$/;

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/** A Kubernetes quantity's value, or undefined when the string is not one. */
export function quantityValue(q: string): number | undefined {
  const m = QUANTITY.exec(q);
  if (!m?.[1] || Number.isNaN(Number(m[1]))) return undefined;
  const suffix = m[2] ?? '';
  if (/^[eE]/.test(suffix)) return Number(m[1] + suffix);
  const factor = SUFFIX[suffix];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

/** True when every field of `desired` is present in `actual` with an equal value. */
export function contains(actual: unknown, desired: unknown): boolean {
  if (isEmpty(desired)) return isEmpty(actual);
  if (Array.isArray(desired)) {
    // Lists are atomic or keyed; either way we own the whole list we send, in order.
    if (!Array.isArray(actual) || actual.length !== desired.length) return false;
    return desired.every((d, i) => contains(actual[i], d));
  }
  if (typeof desired === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) => contains(a[k], v));
  }
  if (desired === actual) return true;
  if (typeof desired === 'string' && typeof actual === 'string') {
    const dq = quantityValue(desired);
    const aq = quantityValue(actual);
    return dq !== undefined && aq !== undefined && Math.abs(dq - aq) <= Math.abs(dq) * 1e-12;
  }
  return false;
}

/** True when applying `desired` over the cached `actual` would change the object. */
export function needsApply(desired: object, actual: object | undefined): boolean {
  return actual === undefined || !contains(actual, desired);
}

/** The path of the first desired field the actual object lacks or holds differently (for logs). */
export function firstDifference(actual: unknown, desired: unknown, path = ''): string | undefined {
  if (contains(actual, desired)) return undefined;
  if (desired && typeof desired === 'object' && actual && typeof actual === 'object') {
    if (Array.isArray(desired)) {
      if (!Array.isArray(actual) || actual.length !== desired.length) return `${path} (length)`;
      for (let i = 0; i < desired.length; i++) {
        const d = firstDifference(actual[i], desired[i], `${path}[${i}]`);
        if (d) return d;
      }
    } else {
      for (const [k, v] of Object.entries(desired as Record<string, unknown>)) {
        const d = firstDifference((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
        if (d) return d;
      }
    }
  }
  return `${path}: ${JSON.stringify(actual)?.slice(0, 80)} ≠ ${JSON.stringify(desired)?.slice(0, 80)}`;
}

/**
 * Whether an object the operator applies needs applying, from its cached view (owned-view.ts):
 * 'in-sync' — it holds what `desired` (stamped with withAppliedDigest) sets;
 * 'apply' — it does not, or does not exist;
 * 'verify' — another manager wrote a path `desired` sets: read the object and compare in full.
 * `verified` is the `${applied} ${live}` pair of an earlier full comparison that found it in sync.
 */
export function driftVerdict<T extends KubernetesObject>(
  desired: T,
  cached: OwnedView | (KubernetesObject & Record<string, unknown>) | undefined,
  verified?: string,
): 'in-sync' | 'apply' | 'verify' {
  if (!cached) return 'apply';
  const drift = (cached as OwnedView).drift;
  if (!drift) return contains(cached, desired) ? 'in-sync' : 'apply';
  const wanted = desired.metadata?.annotations?.[APPLIED_DIGEST_ANNOTATION];
  if (wanted === undefined || drift.applied !== wanted) return 'apply';
  if (!drift.foreign.some((path) => sets(desired, path))) return 'in-sync';
  return verified === `${wanted} ${drift.live}` ? 'in-sync' : 'verify';
}

/** True when `obj` has a value at `path`. */
function sets(obj: unknown, path: string[]): boolean {
  let at = obj;
  for (const key of path) {
    if (!at || typeof at !== 'object') return false;
    at = (at as Record<string, unknown>)[key];
  }
  return at !== undefined;
}
