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

export function nextVersion(
  prev: PreviousVersion | undefined,
  current: { configHash: string; instances: number },
  now: string,
): { state: VersionState; change: Change } {
  const info = prev?.versionInfo;
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
        version: prev.version,
        versionInfo: { lastScalingAt: info.lastScalingAt, lastConfigChangeAt: info.lastConfigChangeAt },
        configHash: prev.configHash,
        targetInstances: current.instances,
      },
    };
  const lastConfigChangeAt = change === 'config' ? now : (prev?.versionInfo?.lastConfigChangeAt ?? now);
  return {
    change,
    state: {
      version: now,
      versionInfo: { lastScalingAt: now, lastConfigChangeAt },
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
