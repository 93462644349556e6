// Marathon task ids ↔ pods. A task id names its app (`prod_web` for /prod/web: '/' as '_', which ids
// cannot contain otherwise) and its instance, the pod's uid (`prod_web.instance-<uid>._app.1`, see
// taskId() in src/marathon/status.ts). Ids of the pre-1.5 form (`prod_web.<uuid>`) are read too. Pure.
import type { V1Pod } from '@kubernetes/client-node';

export interface ParsedTaskId {
  /** Absolute app id. */
  appId: string;
  /** The pod's uid (or name). */
  instance: string;
}

const CURRENT = /^(.+)\.(?:instance-|marathon-)([^.]+)(?:\._app\.\d+|\.\d+)?$/;
const LEGACY = /^(.+)\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The app and instance a task id names; undefined when it is not a task id. */
export function parseTaskId(taskId: string): ParsedTaskId | undefined {
  const m = CURRENT.exec(taskId) ?? LEGACY.exec(taskId);
  if (!m || !m[1] || !m[2]) return undefined;
  return { appId: `/${m[1].replace(/_/g, '/')}`, instance: m[2] };
}

/** The pod a task id's instance names. */
export function podOfInstance(pods: readonly V1Pod[], instance: string): V1Pod | undefined {
  return pods.find((p) => p.metadata?.uid === instance || p.metadata?.name === instance);
}

/** A pod whose deletion has begun: already being killed. */
export function isKilling(pod: V1Pod): boolean {
  return !!pod.metadata?.deletionTimestamp;
}

/** Task ids of the body of `POST /v2/tasks/delete`: `{"ids": [...]}`; undefined when it is not that. */
export function taskIdsOf(body: unknown): string[] | undefined {
  const ids = (body as { ids?: unknown } | null | undefined)?.ids;
  if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) return undefined;
  return ids;
}
