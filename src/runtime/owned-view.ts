// The cached view of an object the operator applies: what is read (metadata, status, a few spec fields)
// plus a drift record, instead of the whole object. At 10,000 apps the Deployments' pod templates alone
// were a quarter of the operator's heap, and the operator never reads them: it only needs to know whether
// they still hold what it applied.
//
// How that is known without the template: every apply stamps the digest of the applied object on it
// (APPLIED_DIGEST_ANNOTATION). Server-side apply leaves fields set by one manager alone unless another
// manager writes them, and every such writer appears in managedFields. So when the stamped digest equals
// the digest of what the operator wants now, and no other manager wrote a path the operator sets, the
// object holds exactly what the operator would apply. Otherwise the object is read in full and compared
// (drift.ts); `live` lets that answer be remembered until the object changes.
import { createHash } from 'node:crypto';
import type { KubernetesObject, V1ManagedFieldsEntry } from '@kubernetes/client-node';
import { FIELD_MANAGER } from './apply.ts';

export const APPLIED_DIGEST_ANNOTATION = 'dcos-operator.dev/applied-digest';

export interface DriftRecord {
  /** The digest stamped by the operator's last apply, if any. */
  applied: string | undefined;
  /** Paths other managers have written (['spec'], ['metadata', 'labels', key]…), status excepted. */
  foreign: string[][];
  /** Digest of everything but status in the full object, to remember a comparison by. */
  live: string;
}

export type OwnedView<T extends KubernetesObject = KubernetesObject> = T & { drift?: DriftRecord };

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/** JSON with object keys sorted, so equal objects built in a different order have one digest. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The digest of an object the operator is about to apply (without any stamped digest). */
export function appliedDigest<T extends KubernetesObject>(desired: T): string {
  const { [APPLIED_DIGEST_ANNOTATION]: _old, ...annotations } = desired.metadata?.annotations ?? {};
  return digest(stableJson({ ...desired, metadata: { ...desired.metadata, annotations } }));
}

/** The desired object with its digest stamped on, ready to apply. */
export function withAppliedDigest<T extends KubernetesObject>(
  desired: T,
): T & { metadata: { annotations: Record<string, string> } } {
  const metadata = desired.metadata ?? {};
  const annotations = { ...metadata.annotations, [APPLIED_DIGEST_ANNOTATION]: appliedDigest(desired) };
  return { ...desired, metadata: { ...metadata, annotations } };
}

/** Digest of a full object's content (labels, annotations, owners, spec): changes whenever any of it does. */
export function liveDigest<T extends KubernetesObject>(obj: T): string {
  const o = obj as KubernetesObject & { spec?: unknown; data?: unknown };
  const m = obj.metadata ?? {};
  return digest(JSON.stringify([m.labels, m.annotations, m.ownerReferences, o.spec, o.data]));
}

/** Paths written by managers other than `manager`: the spec as a whole, labels and annotations by key. */
export function foreignPaths(
  managedFields: V1ManagedFieldsEntry[] | undefined,
  manager = FIELD_MANAGER,
): string[][] {
  const out = new Map<string, string[]>();
  const add = (path: string[]) => out.set(JSON.stringify(path), path);
  for (const entry of managedFields ?? []) {
    if (entry.manager === manager) continue;
    for (const [top, sub] of Object.entries((entry.fieldsV1 ?? {}) as Record<string, unknown>)) {
      if (!top.startsWith('f:') || top === 'f:status') continue;
      if (top !== 'f:metadata') {
        add([top.slice(2)]);
        continue;
      }
      for (const [field, keys] of Object.entries((sub ?? {}) as Record<string, unknown>)) {
        if (!field.startsWith('f:')) continue;
        const name = field.slice(2);
        if ((name === 'labels' || name === 'annotations') && keys && typeof keys === 'object') {
          for (const key of Object.keys(keys))
            if (key.startsWith('f:')) add(['metadata', name, key.slice(2)]);
        } else add(['metadata', name]);
      }
    }
  }
  return [...out.values()];
}

export interface OwnedViewOptions {
  /** Spec fields the operator reads from the cache (everything else of the spec is dropped). */
  specFields?: readonly string[];
  /** Annotations too large to keep and rarely read (the operator reads them from the server). */
  dropAnnotations?: readonly string[];
}

/** The cached view of a full object as the API server returned it (managedFields included). */
export function ownedView<T extends KubernetesObject>(obj: T, opts: OwnedViewOptions = {}): OwnedView<T> {
  const full = obj as T & { spec?: Record<string, unknown>; status?: unknown };
  const m = obj.metadata ?? {};
  const annotations = m.annotations ? { ...m.annotations } : undefined;
  for (const a of opts.dropAnnotations ?? []) if (annotations) delete annotations[a];
  const spec: Record<string, unknown> = {};
  for (const f of opts.specFields ?? []) if (full.spec?.[f] !== undefined) spec[f] = full.spec[f];
  const metadata = {
    name: m.name,
    namespace: m.namespace,
    uid: m.uid,
    resourceVersion: m.resourceVersion,
    generation: m.generation,
    creationTimestamp: m.creationTimestamp,
    deletionTimestamp: m.deletionTimestamp,
    labels: m.labels,
    annotations,
    ownerReferences: m.ownerReferences,
  };
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata,
    ...(full.spec ? { spec } : {}),
    ...(full.status !== undefined ? { status: full.status } : {}),
    drift: {
      applied: m.annotations?.[APPLIED_DIGEST_ANNOTATION],
      foreign: foreignPaths(m.managedFields),
      live: liveDigest(obj),
    },
  } as OwnedView<T>;
}
