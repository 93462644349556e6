// Marathon task and instance events from one pod change (the cache's old and new copy): what Marathon
// published when Mesos reported a task status, when an instance changed condition, and when a health
// check result flipped. Pure: the caller passes the pods, the timestamp and what it knows about the app.
import type { V1Pod } from '@kubernetes/client-node';
import { APP_ID_ANNOTATION, APP_VERSION_ANNOTATION } from '../../marathon/names.ts';
import { isQueued, taskId, taskState } from '../../marathon/status.ts';
import type { MesosTaskState } from '../../marathon/status.ts';
import type { MarathonEvent } from './event-hub.ts';
import { instanceId } from './task-info.ts';

export interface PodEventContext {
  /** ISO timestamp of the events. */
  timestamp: string;
  /** Whether the pod's app has health checks (asked only when a pod's readiness flips). */
  hasHealthChecks(): boolean;
  /** Host ports of the pod's task, as its task JSON shows them (asked only for status updates). */
  ports?(pod: V1Pod): number[];
}

/** Marathon's instance conditions (core/condition/Condition.scala), by task state. */
const CONDITION: Record<MesosTaskState, string> = {
  TASK_STAGING: 'Staging',
  TASK_STARTING: 'Starting',
  TASK_RUNNING: 'Running',
  TASK_KILLING: 'Killing',
  TASK_FINISHED: 'Finished',
  TASK_FAILED: 'Failed',
  TASK_KILLED: 'Killed',
  TASK_ERROR: 'Error',
  TASK_LOST: 'Unreachable',
  TASK_UNREACHABLE: 'Unreachable',
  TASK_GONE: 'Gone',
  TASK_DROPPED: 'Dropped',
  TASK_UNKNOWN: 'Unknown',
};

const TERMINAL = new Set<MesosTaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_GONE',
  'TASK_DROPPED',
]);

/** The Marathon app id a pod belongs to (stamped on every pod template). */
export function podAppId(pod: V1Pod | undefined): string | undefined {
  return pod?.metadata?.annotations?.[APP_ID_ANNOTATION] || undefined;
}

/** The task state Marathon would have been told, or undefined while the pod waits for a node (Marathon
 * had no task yet: the instance sat in the launch queue). */
export function reportedState(pod: V1Pod | undefined): MesosTaskState | undefined {
  if (!pod || isQueued(pod)) return undefined;
  return taskState(pod);
}

function conditionOf(pod: V1Pod | undefined, deleted: boolean): string | undefined {
  if (!pod) return undefined;
  if (deleted) {
    const last = reportedState(pod);
    return last && TERMINAL.has(last) ? CONDITION[last] : 'Killed';
  }
  const state = reportedState(pod);
  return state ? CONDITION[state] : 'Scheduled';
}

function isReady(pod: V1Pod | undefined): boolean {
  return pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** What the kubelet says about a failing container, as Mesos' status message would. */
function statusMessage(pod: V1Pod, state: MesosTaskState): string {
  if (state === 'TASK_KILLED') return 'Container was killed';
  if (!TERMINAL.has(state) && state !== 'TASK_STAGING') return '';
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = s.state?.waiting;
    if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing')
      return [waiting.reason, waiting.message].filter(Boolean).join(': ').slice(0, 1024);
    const done = s.state?.terminated ?? s.lastState?.terminated;
    if (done && (done.exitCode !== 0 || TERMINAL.has(state)))
      return [done.reason ?? `exit code ${done.exitCode}`, done.message?.trim()]
        .filter(Boolean)
        .join(': ')
        .slice(0, 1024);
  }
  return [pod.status?.reason, pod.status?.message].filter(Boolean).join(': ').slice(0, 1024);
}

function ipAddresses(pod: V1Pod): { ipAddress: string; protocol: 'IPv4' | 'IPv6' }[] {
  const ip = pod.status?.podIP;
  return ip ? [{ ipAddress: ip, protocol: ip.includes(':') ? 'IPv6' : 'IPv4' }] : [];
}

/**
 * Events of one pod change. `pod` undefined: the pod was deleted (its last state was `old`).
 * - status_update_event when the task state Marathon would report changes (a deleted task that had not
 *   ended reports TASK_KILLED; a pod still waiting for a node reports nothing);
 * - instance_changed_event when the instance's condition changes (Scheduled while it waits for a node);
 * - health_status_changed_event when a running task of an app with health checks turns ready or stops
 *   being ready.
 */
export function podEvents(
  old: V1Pod | undefined,
  pod: V1Pod | undefined,
  ctx: PodEventContext,
): MarathonEvent[] {
  const subject = pod ?? old;
  const appId = podAppId(subject);
  if (!subject || !appId) return [];
  const deleted = pod === undefined;
  const out: MarathonEvent[] = [];
  const { timestamp } = ctx;
  const version = subject.metadata?.annotations?.[APP_VERSION_ANNOTATION] ?? '';
  const host = subject.spec?.nodeName ?? '';

  const before = reportedState(old);
  const after: MesosTaskState | undefined = deleted
    ? before && !TERMINAL.has(before)
      ? 'TASK_KILLED'
      : undefined
    : reportedState(pod);
  if (after && after !== before) {
    out.push({
      slaveId: host,
      taskId: taskId(appId, subject),
      taskStatus: after,
      message: statusMessage(subject, after),
      appId,
      host,
      ipAddresses: ipAddresses(subject),
      ports: ctx.ports?.(subject) ?? [],
      version,
      eventType: 'status_update_event',
      timestamp,
    });
  }

  const was = conditionOf(old, false);
  const is = conditionOf(subject, deleted);
  if (is && is !== was) {
    out.push({
      instanceId: instanceId(appId, subject),
      condition: is,
      runSpecId: appId,
      agentId: host,
      host,
      runSpecVersion: version,
      eventType: 'instance_changed_event',
      timestamp,
    });
  }

  if (!deleted) {
    const alive = isReady(pod) && after === 'TASK_RUNNING';
    const wasAlive = isReady(old) && before === 'TASK_RUNNING';
    // A task that starts unhealthy has no result to flip from; one that was healthy and stops is news.
    if (alive !== wasAlive && (alive || before === 'TASK_RUNNING') && ctx.hasHealthChecks()) {
      out.push({
        appId,
        instanceId: instanceId(appId, subject),
        version,
        alive,
        eventType: 'health_status_changed_event',
        timestamp,
      });
    }
  }
  return out;
}
