// Marathon's version bookkeeping: `version` moves on every change, `lastConfigChangeAt` only when the
// definition (not just the instance count) changes, `lastScalingAt` on both. Previous definitions are kept,
// newest first and bounded, in a ConfigMap beside the app so the REST API can list and roll back to them.
import type { V1ConfigMap } from '@kubernetes/client-node';

export interface VersionInfo {
  lastScalingAt: string;
  lastConfigChangeAt: string;
}

export interface VersionState {
  version: string;
  versionInfo: VersionInfo;
  configHash: string;
  /** The instance count the version was computed for. */
  targetInstances: number;
}

export type Change = 'none' | 'scale' | 'config';

export interface PreviousVersion {
  version?: string | undefined;
  versionInfo?: Partial<VersionInfo> | undefined;
  configHash?: string | undefined;
  targetInstances?: number | undefined;
}

/**
 * The version bookkeeping to continue from, the newest of: the status's, the one recorded on the workload
 * (status not written yet after an apply, or lost), and the one this process last applied (the caches may
 * not show that apply yet). Anything unreadable counts as absent.
 */
export function knownVersion(
  status: PreviousVersion | undefined,
  workloadAnnotation: string | undefined,
  applied?: VersionState,
): PreviousVersion | undefined {
  let newest = status?.version ? status : undefined;
  for (const candidate of [parseVersionState(workloadAnnotation), applied]) {
    if (candidate && (!newest?.version || candidate.version > newest.version)) newest = candidate;
  }
  return newest ?? status;
}

/** The Marathon version a workload was last applied with (its version-state annotation), if readable. */
export function appliedVersion(workloadAnnotation: string | undefined): string | undefined {
  return parseVersionState(workloadAnnotation)?.version;
}

function parseVersionState(value: string | undefined): VersionState | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as Partial<VersionState>;
    const info = v.versionInfo;
    if (
      typeof v.version === 'string' &&
      typeof v.configHash === 'string' &&
      typeof v.targetInstances === 'number' &&
      typeof info?.lastScalingAt === 'string' &&
      typeof info.lastConfigChangeAt === 'string'
    )
      return {
        version: v.version,
        versionInfo: { lastScalingAt: info.lastScalingAt, lastConfigChangeAt: info.lastConfigChangeAt },
        configHash: v.configHash,
        targetInstances: v.targetInstances,
      };
  } catch {
    // hand-edited into something else: ignore
  }
  return undefined;
}

/** A REST API write's version stamp: an ISO-8601 UTC timestamp with milliseconds, as Marathon writes them. */
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** A stamp further ahead of the clock than this is not adopted (hand-written, or a badly skewed clock). */
const MAX_STAMP_AHEAD_MS = 5 * 60_000;

/**
 * The version a REST API write stamped on the app (REQUESTED_VERSION_ANNOTATION), when it is usable: well
 * formed and not in the future beyond clock skew. Whether it is newer than the known version is for
 * nextVersion to decide.
 */
export function requestedStamp(annotation: string | undefined, now: string): string | undefined {
  if (!annotation || !STAMP.test(annotation)) return undefined;
  const at = Date.parse(annotation);
  if (Number.isNaN(at) || at - Date.parse(now) > MAX_STAMP_AHEAD_MS) return undefined;
  return annotation;
}

/**
 * The version bookkeeping after this observation. `requested` is the version a REST API write stamped
 * (see requestedStamp): when it is newer than the known version it becomes the version of this change,
 * so the deployment id the API answered with is the one the status shows; a write that changed nothing
 * (a PUT of the same definition) still moves `version` to it, without touching versionInfo (no rollout).
 */
export function nextVersion(
  prev: PreviousVersion | undefined,
  current: { configHash: string; instances: number },
  now: string,
  requested?: string,
): { state: VersionState; change: Change } {
  const info = prev?.versionInfo;
  const adopted = requested && (!prev?.version || requested > prev.version) ? requested : undefined;
  const at = adopted ?? now;
  const known =
    prev?.version && info?.lastScalingAt && info.lastConfigChangeAt && prev.configHash !== undefined;
  const change: Change = !known
    ? 'config'
    : prev.configHash !== current.configHash
      ? 'config'
      : prev.targetInstances !== current.instances
        ? 'scale'
        : 'none';
  if (change === 'none' && prev?.version && info?.lastScalingAt && info.lastConfigChangeAt && prev.configHash)
    return {
      change,
      state: {
        version: adopted ?? prev.version,
        versionInfo: { lastScalingAt: info.lastScalingAt, lastConfigChangeAt: info.lastConfigChangeAt },
        configHash: prev.configHash,
        targetInstances: current.instances,
      },
    };
  const lastConfigChangeAt = change === 'config' ? at : (prev?.versionInfo?.lastConfigChangeAt ?? at);
  return {
    change,
    state: {
      version: at,
      versionInfo: { lastScalingAt: at, lastConfigChangeAt },
      configHash: current.configHash,
      targetInstances: current.instances,
    },
  };
}

export const HISTORY_KEY = 'versions.json';
/** Stay well below the 1 MiB object limit. */
const HISTORY_MAX_BYTES = 900 * 1024;

export interface VersionEntry {
  version: string;
  /** The app definition as the user wrote it. */
  app: unknown;
}

/** Adds `entry` (unless that version is already there), newest first, at most `max` and below the size cap. */
export function appendHistory(
  existing: readonly VersionEntry[],
  entry: VersionEntry,
  max: number,
): VersionEntry[] {
  const out = [entry, ...existing.filter((e) => e.version !== entry.version)].slice(0, Math.max(1, max));
  while (out.length > 1 && JSON.stringify(out).length > HISTORY_MAX_BYTES) out.pop();
  return out;
}

export function readHistory(cm: V1ConfigMap | undefined): VersionEntry[] {
  const raw = cm?.data?.[HISTORY_KEY];
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed)
      ? parsed.filter((e): e is VersionEntry => typeof (e as VersionEntry | null)?.version === 'string')
      : [];
  } catch {
    return [];
  }
}

export function historyConfigMapName(childName: string): string {
  return `${childName}-versions`;
}

export function historyConfigMap(
  namespace: string,
  childName: string,
  labels: Record<string, string>,
  entries: readonly VersionEntry[],
): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: historyConfigMapName(childName), namespace, labels },
    data: { [HISTORY_KEY]: JSON.stringify(entries) },
  };
}
