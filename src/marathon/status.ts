// Marathon's observed app status (task states and counts, lastTaskFailure, why an app waits, rollout
// progress, deployment ids) derived from the Kubernetes objects that run the app. Pure: the caller passes
// what its caches hold. Timestamps are accepted as Date or string: list calls deserialize them, watch
// events deliver the raw JSON strings.
import { createHash } from 'node:crypto';
import type {
  CoreV1Event,
  V1ContainerStateTerminated,
  V1ContainerStatus,
  V1Deployment,
  V1Pod,
  V1PodCondition,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { APP_VERSION_ANNOTATION, PLACEMENT_GATE, taskIdPrefix } from './names.ts';

/** Upper bound of whyWaiting()'s answer (it ends up in a condition message). */
export const WHY_WAITING_MAX = 1024;

export type MesosTaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED'
  | 'TASK_ERROR'
  | 'TASK_LOST'
  | 'TASK_UNREACHABLE'
  | 'TASK_GONE'
  | 'TASK_DROPPED'
  | 'TASK_UNKNOWN';

export interface TaskCounts {
  instances: number;
  tasksRunning: number;
  tasksHealthy: number;
  tasksUnhealthy: number;
  tasksStaged: number;
}

/** Marathon's AppInfo.lastTaskFailure. */
export interface LastTaskFailure {
  appId: string;
  host: string;
  message: string;
  state: MesosTaskState;
  taskId: string;
  timestamp: string;
  /** The app version the failed task ran; absent when the pod does not carry it. */
  version?: string;
  slaveId: string;
}

export interface RolloutState {
  complete: boolean;
  desired: number;
  updated: number;
  ready: number;
  message: string;
}

type Time = Date | string | undefined | null;

function millis(t: Time): number | undefined {
  if (t === undefined || t === null) return undefined;
  const ms = (t instanceof Date ? t : new Date(t)).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

function newest(...ts: Time[]): number | undefined {
  const ms = ts.map(millis).filter((m) => m !== undefined);
  return ms.length ? Math.max(...ms) : undefined;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ---- pod inspection ---------------------------------------------------------------------------------

/** Waiting reasons of a container whose image cannot be pulled. */
const IMAGE_ERRORS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'SignatureValidationFailed',
]);
/** Waiting reasons of a container the runtime cannot create or start (bad config, missing Secret, ...). */
const CREATE_ERRORS = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
]);
/** Pod status reasons of a pod lost with its node (graceful node shutdown, in its spellings since 1.21). */
const NODE_GONE_REASONS = new Set(['Terminated', 'Shutdown', 'NodeShutdown']);

function condition(pod: V1Pod, type: string): V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

function isReady(pod: V1Pod): boolean {
  return condition(pod, 'Ready')?.status === 'True';
}

function mainStatuses(pod: V1Pod): V1ContainerStatus[] {
  return pod.status?.containerStatuses ?? [];
}

function initStatuses(pod: V1Pod): V1ContainerStatus[] {
  return pod.status?.initContainerStatuses ?? [];
}

function failedExit(t: V1ContainerStateTerminated | undefined): t is V1ContainerStateTerminated {
  return t !== undefined && (t.exitCode !== 0 || t.reason === 'OOMKilled');
}

function isDeleting(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
}

function isTerminal(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** A pod the workload controller counts: neither being deleted nor finished. */
function isActive(pod: V1Pod): boolean {
  return !isDeleting(pod) && !isTerminal(pod);
}

/** The node stopped reporting: phase Unknown, the node controller's NodeLost reason, or a Ready condition
 * the node controller turned False while the kubelet's own ContainersReady stays True (the kubelet always
 * sets both together when there are no readiness gates). */
function isUnreachable(pod: V1Pod): boolean {
  if (pod.status?.phase === 'Unknown' || pod.status?.reason === 'NodeLost') return true;
  return (
    pod.status?.phase === 'Running' &&
    condition(pod, 'Ready')?.status === 'False' &&
    condition(pod, 'ContainersReady')?.status === 'True' &&
    !pod.spec?.readinessGates?.length
  );
}

/** A launch that failed and waits for the kubelet's retry (Marathon: a failed task waiting out its backoff). */
function launchFailed(pod: V1Pod): boolean {
  const waitingFailure = (s: V1ContainerStatus): boolean => {
    const reason = s.state?.waiting?.reason ?? '';
    return reason === 'CrashLoopBackOff' || IMAGE_ERRORS.has(reason) || CREATE_ERRORS.has(reason);
  };
  return (
    initStatuses(pod).some((s) => waitingFailure(s) || failedExit(s.state?.terminated)) ||
    mainStatuses(pod).some((s) => waitingFailure(s) || failedExit(s.state?.terminated))
  );
}

/** The Mesos task state Marathon would show for the pod (reference §5, suggested pod-phase mapping). */
export function taskState(pod: V1Pod): MesosTaskState {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return 'TASK_FINISHED';
  if (phase === 'Failed')
    return NODE_GONE_REASONS.has(pod.status?.reason ?? '') ? 'TASK_GONE' : 'TASK_FAILED';
  if (isDeleting(pod)) return 'TASK_KILLING';
  if (isUnreachable(pod)) return 'TASK_UNREACHABLE';
  if (!pod.spec?.nodeName) return 'TASK_STAGING';
  if (launchFailed(pod)) return 'TASK_FAILED';
  if (phase !== 'Running') return 'TASK_STAGING';
  const main = mainStatuses(pod);
  if (main.length > 0 && main.every((s) => s.state?.running)) return 'TASK_RUNNING';
  // Exited with 0 under restartPolicy Always: finished, about to be restarted in place.
  if (main.some((s) => s.state?.terminated)) return 'TASK_FINISHED';
  return 'TASK_STARTING';
}

/** Waiting for a node (Marathon's launch queue): Pending and not bound, including scheduling-gated pods. */
export function isQueued(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return (phase === undefined || phase === 'Pending') && !pod.spec?.nodeName && !isDeleting(pod);
}

/** Marathon 1.5+ task id of the pod: `<app id with / as _>.instance-<pod uid>._app.1`. */
export function taskId(appId: string, pod: V1Pod): string {
  return `${taskIdPrefix(appId)}.instance-${pod.metadata?.uid ?? pod.metadata?.name ?? 'unknown'}._app.1`;
}

/** AppInfo's counts. Pods being deleted or finished are not instances (the workload replaces them). Staged:
 * not yet (or no longer) running, including failed launches the kubelet retries. Running: all containers
 * running. Unreachable pods are neither, as in Marathon. Health counts need health checks: healthy =
 * running and Ready; unhealthy = running, all containers started (past any startup/grace period), not Ready. */
export function countTasks(pods: readonly V1Pod[], opts: { healthChecks: number }): TaskCounts {
  const counts: TaskCounts = {
    instances: 0,
    tasksRunning: 0,
    tasksHealthy: 0,
    tasksUnhealthy: 0,
    tasksStaged: 0,
  };
  for (const pod of pods) {
    if (!isActive(pod)) continue;
    counts.instances++;
    const state = taskState(pod);
    if (state === 'TASK_UNREACHABLE') continue;
    if (state !== 'TASK_RUNNING') {
      counts.tasksStaged++;
      continue;
    }
    counts.tasksRunning++;
    if (opts.healthChecks === 0) continue;
    if (isReady(pod)) counts.tasksHealthy++;
    else if (mainStatuses(pod).every((s) => s.started ?? s.state?.running !== undefined))
      counts.tasksUnhealthy++;
  }
  return counts;
}

// ---- events -----------------------------------------------------------------------------------------

function eventTime(e: CoreV1Event): number | undefined {
  return (
    newest(e.lastTimestamp, e.series?.lastObservedTime, e.eventTime, e.firstTimestamp) ??
    millis(e.metadata?.creationTimestamp)
  );
}

/** The events about each pod (matched by uid, or by namespace and name when the event lacks the uid; an
 * event about an earlier pod of the same name, as StatefulSets make, does not match). */
function eventsByPod(pods: readonly V1Pod[], events: readonly CoreV1Event[]): Map<V1Pod, CoreV1Event[]> {
  const out = new Map<V1Pod, CoreV1Event[]>(pods.map((p) => [p, []]));
  const byUid = new Map(pods.map((p) => [p.metadata?.uid, p]));
  const byName = new Map(pods.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p]));
  for (const e of events) {
    const ref = e.involvedObject;
    if (ref.kind !== 'Pod') continue;
    const pod = ref.uid ? byUid.get(ref.uid) : byName.get(`${ref.namespace}/${ref.name}`);
    if (pod) out.get(pod)?.push(e);
  }
  return out;
}

function newestEvent(
  events: readonly CoreV1Event[],
  match: (e: CoreV1Event) => boolean,
): CoreV1Event | undefined {
  let best: CoreV1Event | undefined;
  for (const e of events) {
    if (!match(e)) continue;
    if (!best || (eventTime(e) ?? 0) > (eventTime(best) ?? 0)) best = e;
  }
  return best;
}

// ---- lastTaskFailure ---------------------------------------------------------------------------------

interface Failure {
  at: number;
  message: string;
  state: MesosTaskState;
}

function containerLabel(s: V1ContainerStatus, init: boolean): string {
  return `${init ? 'init container' : 'container'} "${s.name}"`;
}

function describeExit(t: V1ContainerStateTerminated): string {
  const why =
    t.reason === 'OOMKilled'
      ? `killed for exceeding its memory limit (OOMKilled, exit code ${t.exitCode})`
      : `exit code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}`;
  return t.message ? `${why}: ${t.message.trim()}` : why;
}

function containerFailures(pod: V1Pod): Failure[] {
  const out: Failure[] = [];
  const scan = (statuses: V1ContainerStatus[], init: boolean): void => {
    for (const s of statuses) {
      for (const t of [s.state?.terminated, s.lastState?.terminated]) {
        if (!failedExit(t)) continue;
        const at = newest(t.finishedAt) ?? newest(t.startedAt, pod.status?.startTime);
        if (at === undefined) continue;
        out.push({
          at,
          state: 'TASK_FAILED',
          message: `${containerLabel(s, init)} failed: ${describeExit(t)}`,
        });
      }
    }
  };
  scan(initStatuses(pod), true);
  scan(mainStatuses(pod), false);
  return out;
}

function podFailure(pod: V1Pod): Failure | undefined {
  if (pod.status?.phase !== 'Failed') return undefined;
  const at = newest(
    ...[...initStatuses(pod), ...mainStatuses(pod)].map((s) => s.state?.terminated?.finishedAt),
    ...(pod.status.conditions ?? []).map((c) => c.lastTransitionTime),
    pod.status.startTime,
    pod.metadata?.creationTimestamp,
  );
  if (at === undefined) return undefined;
  const { reason, message } = pod.status;
  const text = [reason, message?.trim()].filter(Boolean).join(': ');
  return { at, state: taskState(pod), message: text ? `pod failed: ${text}` : 'pod failed' };
}

const PROBE_KILL = /failed (liveness|startup) probe/i;

function eventFailure(e: CoreV1Event): Failure | undefined {
  const message = (e.message ?? '').trim();
  const at = eventTime(e);
  if (at === undefined) return undefined;
  // The kubelet's "Killing" event is Normal; only the probe-triggered kills are failures.
  if (e.reason === 'Killing' && PROBE_KILL.test(message)) return { at, state: 'TASK_KILLED', message };
  if (e.type !== 'Warning') return undefined;
  switch (e.reason) {
    case 'Unhealthy':
      // Readiness failures do not end the task; liveness and startup failures lead to a kill.
      return /^(Liveness|Startup) probe/.test(message) ? { at, state: 'TASK_KILLED', message } : undefined;
    case 'BackOff':
    case 'FailedPostStartHook':
    case 'FailedPreStopHook':
      return { at, state: 'TASK_FAILED', message: message || e.reason };
    case 'Failed':
      // "Error: ErrImagePull" only repeats the reason of the "Failed to pull image ..." event beside it.
      return /^Error: (ErrImagePull|ImagePullBackOff)$/.test(message)
        ? undefined
        : { at, state: 'TASK_FAILED', message: message || e.reason };
    default:
      return undefined;
  }
}

/** The app's newest task failure, from container exits (non-zero or OOMKilled), failed pods and the
 * kubelet's warning events about the app's pods; undefined when there is none. */
export function lastTaskFailure(
  appId: string,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[] = [],
): LastTaskFailure | undefined {
  let best: { pod: V1Pod; failure: Failure } | undefined;
  const consider = (pod: V1Pod, failure: Failure | undefined): void => {
    if (failure && (!best || failure.at > best.failure.at)) best = { pod, failure };
  };
  const byPod = eventsByPod(pods, events);
  for (const pod of pods) {
    for (const f of containerFailures(pod)) consider(pod, f);
    consider(pod, podFailure(pod));
    for (const e of byPod.get(pod) ?? []) consider(pod, eventFailure(e));
  }
  if (!best) return undefined;
  const { pod, failure } = best;
  const host = pod.spec?.nodeName ?? '';
  const version = pod.metadata?.annotations?.[APP_VERSION_ANNOTATION];
  return {
    appId,
    host,
    message: clip(failure.message, 1024),
    state: failure.state,
    taskId: taskId(appId, pod),
    timestamp: new Date(failure.at).toISOString(),
    ...(version ? { version } : {}),
    slaveId: host,
  };
}

// ---- whyWaiting --------------------------------------------------------------------------------------

/** Lower rank = more important. Failures that need the user's action come before normal progress. */
const RANK = {
  image: 10,
  create: 20,
  init: 30,
  crash: 40,
  mount: 50,
  unschedulable: 60,
  gated: 70,
  unreachable: 80,
  probe: 90,
  starting: 100,
} as const;

interface Reason {
  rank: number;
  /** What pods with the same problem share; grouped on. */
  key: string;
  /** Pod-specific text (the newest one is shown). */
  detail?: string;
  at?: number;
}

const DETAIL_MAX = 240;
const KEY_MAX = 400;

/** Drops gRPC framing from runtime errors ("rpc error: code = NotFound desc = ..."). */
function cleanRuntimeMessage(m: string): string {
  return m.replace(/rpc error: code = \w+ desc = /g, '').trim();
}

function imageOf(pod: V1Pod, s: V1ContainerStatus, init: boolean): string {
  const specs = init ? pod.spec?.initContainers : pod.spec?.containers;
  return specs?.find((c) => c.name === s.name)?.image ?? s.image;
}

function initLabel(name: string): string {
  return name.includes('fetch')
    ? `fetching artifacts (init container "${name}")`
    : `init container "${name}"`;
}

function containerReasons(pod: V1Pod, events: readonly CoreV1Event[]): Reason[] {
  const out: Reason[] = [];
  const scan = (statuses: V1ContainerStatus[], init: boolean): void => {
    for (const s of statuses) {
      const waiting = s.state?.waiting;
      const reason = waiting?.reason ?? '';
      const message = cleanRuntimeMessage(waiting?.message ?? '');
      if (IMAGE_ERRORS.has(reason)) {
        const image = imageOf(pod, s, init);
        const failed = newestEvent(
          events,
          (e) => e.reason === 'Failed' && (e.message ?? '').startsWith(`Failed to pull image "${image}"`),
        );
        const detail = failed
          ? cleanRuntimeMessage((failed.message ?? '').replace(/^Failed to pull image "[^"]*": /, ''))
          : reason === 'ErrImagePull'
            ? message
            : '';
        out.push({
          rank: RANK.image,
          key: `cannot pull image "${image}"`,
          detail,
          at: failed && eventTime(failed),
        });
      } else if (CREATE_ERRORS.has(reason)) {
        out.push({
          rank: RANK.create,
          key: `${containerLabel(s, init)} cannot be created (${reason})`,
          detail: message,
        });
      } else if (init && (reason === 'CrashLoopBackOff' || failedExit(s.state?.terminated))) {
        const exit = s.state?.terminated ?? s.lastState?.terminated;
        out.push({
          rank: RANK.init,
          key: `${initLabel(s.name)} failed`,
          detail: exit ? describeExit(exit) : '',
          at: millis(exit?.finishedAt),
        });
      } else if (reason === 'CrashLoopBackOff' || failedExit(s.state?.terminated)) {
        const exit = s.state?.terminated ?? s.lastState?.terminated;
        out.push({
          rank: RANK.crash,
          key: `${containerLabel(s, init)} ${reason === 'CrashLoopBackOff' ? 'keeps crashing (CrashLoopBackOff)' : 'exited'}`,
          detail: exit ? `last failure: ${describeExit(exit)}` : '',
          at: millis(exit?.finishedAt),
        });
      }
    }
  };
  scan(initStatuses(pod), true);
  scan(mainStatuses(pod), false);
  return out;
}

/** The most important reason this pod is not (yet) a running, ready instance; undefined when it is one. */
function podReason(pod: V1Pod, events: readonly CoreV1Event[]): Reason | undefined {
  const candidates: Reason[] = [];
  const gates = (pod.spec?.schedulingGates ?? []).map((g) => g.name);
  if (gates.includes(PLACEMENT_GATE)) {
    candidates.push({ rank: RANK.gated, key: 'waiting for the operator to place it within its constraints' });
  } else if (gates.length > 0) {
    candidates.push({ rank: RANK.gated, key: `held by scheduling gates: ${gates.join(', ')}` });
  }
  const scheduled = condition(pod, 'PodScheduled');
  if (!pod.spec?.nodeName && gates.length === 0) {
    if (scheduled?.status === 'False' && scheduled.reason !== 'SchedulingGated') {
      const failed = newestEvent(events, (e) => e.reason === 'FailedScheduling');
      // The scheduler's preemption post-mortem repeats the node count and rarely helps.
      const message = (scheduled.message || failed?.message || '').replace(/\s*preemption: .*$/s, '').trim();
      candidates.push({
        rank: RANK.unschedulable,
        key: clip(message ? `cannot be scheduled: ${message}` : 'cannot be scheduled', KEY_MAX),
      });
    } else {
      candidates.push({ rank: RANK.starting, key: 'waiting to be scheduled' });
    }
  }
  candidates.push(...containerReasons(pod, events));
  if (pod.spec?.nodeName && pod.status?.phase !== 'Running') {
    const mount = newestEvent(
      events,
      (e) => e.type === 'Warning' && (e.reason === 'FailedMount' || e.reason === 'FailedAttachVolume'),
    );
    if (mount) {
      candidates.push({
        rank: RANK.mount,
        key: 'volumes cannot be mounted',
        detail: mount.message,
        at: eventTime(mount),
      });
    }
  }
  if (isUnreachable(pod)) {
    candidates.push({ rank: RANK.unreachable, key: `its node "${pod.spec?.nodeName ?? ''}" is unreachable` });
  } else if (pod.status?.phase === 'Running' && !isReady(pod)) {
    // Only probe failures against the containers as they run now, not against an earlier incarnation.
    const since = newest(...mainStatuses(pod).map((s) => s.state?.running?.startedAt)) ?? 0;
    const unhealthy = newestEvent(
      events,
      (e) => e.type === 'Warning' && e.reason === 'Unhealthy' && (eventTime(e) ?? 0) >= since,
    );
    const text = unhealthy?.message ?? '';
    const colon = text.indexOf(': ');
    if (unhealthy) {
      candidates.push({
        rank: RANK.probe,
        key: colon > 0 ? text.slice(0, colon) : 'health checks failing',
        detail: colon > 0 ? text.slice(colon + 2) : text,
        at: eventTime(unhealthy),
      });
    } else {
      candidates.push({ rank: RANK.starting, key: 'started, not ready yet' });
    }
  } else if (pod.spec?.nodeName && pod.status?.phase !== 'Running') {
    const initRunning = initStatuses(pod).find((s) => s.state?.running && !s.ready);
    candidates.push({
      rank: RANK.starting,
      key: initRunning
        ? `being started: ${initLabel(initRunning.name)} running`
        : 'being started on its node',
    });
  }
  if (candidates.length === 0) return undefined;
  return candidates.reduce((a, b) => (b.rank < a.rank ? b : a));
}

/** A short answer to "why is my app waiting?": each reason with the number of instances it holds back, most
 * important first, at most WHY_WAITING_MAX characters; undefined when no instance is waiting. */
/** True when some instance is held by a problem (pull, crash, scheduling, probes…), not just starting. */
export function hasWaitingProblem(pods: readonly V1Pod[], events: readonly CoreV1Event[] = []): boolean {
  const byPod = eventsByPod(pods, events);
  return pods.some(
    (pod) => isActive(pod) && (podReason(pod, byPod.get(pod) ?? [])?.rank ?? RANK.starting) < RANK.starting,
  );
}

export function whyWaiting(pods: readonly V1Pod[], events: readonly CoreV1Event[] = []): string | undefined {
  const groups = new Map<string, { rank: number; count: number; detail?: string; at: number }>();
  const byPod = eventsByPod(pods, events);
  for (const pod of pods) {
    if (!isActive(pod)) continue;
    const r = podReason(pod, byPod.get(pod) ?? []);
    if (!r) continue;
    const g = groups.get(r.key);
    const at = r.at ?? 0;
    if (!g) groups.set(r.key, { rank: r.rank, count: 1, ...(r.detail ? { detail: r.detail } : {}), at });
    else {
      g.count++;
      if (r.detail && (!g.detail || at > g.at)) {
        g.detail = r.detail;
        g.at = at;
      }
    }
  }
  if (groups.size === 0) return undefined;
  const parts = [...groups.entries()]
    .sort(([ka, a], [kb, b]) => a.rank - b.rank || b.count - a.count || ka.localeCompare(kb))
    .map(([key, g]) => {
      const detail = g.detail?.replace(/\s+/g, ' ').trim();
      return `${plural(g.count, 'instance')}: ${key}${detail ? `: ${clip(detail, DETAIL_MAX)}` : ''}`;
    });
  // Whole reasons while they fit, keeping room to say how many were left out.
  let out = '';
  for (const [i, part] of parts.entries()) {
    const rest = parts.length - i - 1;
    const more = rest > 0 ? `; and ${plural(rest, 'more reason')}` : '';
    const next = out ? `${out}; ${part}` : part;
    if (next.length + more.length <= WHY_WAITING_MAX) {
      out = next;
      continue;
    }
    if (out) return `${out}; and ${plural(rest + 1, 'more reason')}`;
    return `${clip(part, WHY_WAITING_MAX - more.length)}${more}`;
  }
  return out;
}

// ---- rollout ------------------------------------------------------------------------------------------

function isStatefulSet(w: V1Deployment | V1StatefulSet): w is V1StatefulSet {
  if (w.kind) return w.kind === 'StatefulSet';
  // Items of a list response carry no kind: tell the two apart by fields only a StatefulSet has.
  const spec = (w.spec ?? {}) as Record<string, unknown>;
  const status = (w.status ?? {}) as Record<string, unknown>;
  return (
    ['serviceName', 'podManagementPolicy', 'updateStrategy', 'volumeClaimTemplates'].some((k) => k in spec) ||
    'updateRevision' in status ||
    'currentRevision' in status
  );
}

/** Progress of the workload's rollout. Complete, like a Marathon deployment step, when the controller has
 * seen the latest spec, every desired instance runs the new template and is ready, and no old or
 * terminating instance is left. For a Deployment `ready` counts ready instances of any template (the
 * ReplicaSets are not consulted); completion still requires every instance to be updated. */
export function rolloutState(
  workload: V1Deployment | V1StatefulSet | undefined,
  pods: readonly V1Pod[],
): RolloutState {
  if (!workload)
    return { complete: false, desired: 0, updated: 0, ready: 0, message: 'the workload does not exist yet' };
  const kind = isStatefulSet(workload) ? 'StatefulSet' : 'Deployment';
  const desired = workload.spec?.replicas ?? 1;
  const status = workload.status;
  const generation = workload.metadata?.generation ?? 0;
  const observed = (status?.observedGeneration ?? 0) >= generation;
  const terminating = pods.filter(isDeleting).length;
  const active = pods.filter(isActive);
  let updated = status?.updatedReplicas ?? 0;
  let ready = status?.readyReplicas ?? 0;
  let old = Math.max(0, (status?.replicas ?? 0) - updated);
  const revision = isStatefulSet(workload) ? workload.status?.updateRevision : undefined;
  if (revision) {
    // Pods tell which revision they run; the StatefulSet status lags behind them and never completes
    // the revision bookkeeping under the OnDelete strategy.
    const current = active.filter((p) => p.metadata?.labels?.['controller-revision-hash'] === revision);
    updated = current.length;
    ready = current.filter(isReady).length;
    old = active.length - current.length;
  }
  const complete =
    observed &&
    updated === desired &&
    ready === desired &&
    old === 0 &&
    terminating === 0 &&
    (revision ? active.length === desired : (status?.replicas ?? 0) === desired);
  if (complete) {
    return {
      complete,
      desired,
      updated,
      ready,
      message:
        desired === 0 ? 'scaled to 0 instances' : `${desired} of ${desired} instances updated and ready`,
    };
  }
  const parts: string[] = [];
  if (!observed) parts.push(`waiting for the ${kind} controller to observe the change`);
  parts.push(`${updated} of ${desired} instances updated, ${ready} ready`);
  if (old > 0) parts.push(`${plural(old, 'old instance')} still running`);
  if (terminating > 0) parts.push(`${plural(terminating, 'instance')} terminating`);
  const stalled = (workload.status?.conditions ?? []).find(
    (c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded',
  );
  if (stalled) parts.push(`stalled: ${stalled.message ?? 'progress deadline exceeded'}`);
  return { complete, desired, updated, ready, message: parts.join('; ') };
}

// ---- deployment ids ---------------------------------------------------------------------------------

/** Namespace of the operator's name-based UUIDs (RFC 4122 §4.3). */
const ID_NAMESPACE = Buffer.from('2d8dfe9faf714eae81406b1f699dcb5c', 'hex');

/** A Marathon deployment id: a version-5 (SHA-1, name-based) UUID of `seed`, so the same change always
 * yields the same id, across restarts and replicas of the operator. */
export function deploymentId(seed: string): string {
  const h = createHash('sha1').update(ID_NAMESPACE).update(seed, 'utf8').digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
