// Pods as Marathon tasks (types/task.raml), with only the fields strict clients accept (marathon-python
// builds its task object from exactly these), and the text/plain endpoint listing of /v2/tasks.
//
// host and slaveId are the node's name; ports are the app's ports as the instance binds them ($PORTn: the
// service port in host mode, the container or host port of a mapping), since every pod has its own IP and
// binds no random node ports; region and zone come from the node's topology labels. Health results are
// derived from the pod's readiness, which the app's health checks drive.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { NormalizedApp } from '../../marathon/app.ts';
import { APP_VERSION_ANNOTATION, taskIdPrefix } from '../../marathon/names.ts';
import { taskId, taskState } from '../../marathon/status.ts';
import type { MesosTaskState } from '../../marathon/status.ts';
import { resolvePorts } from '../../marathon/translate/ports.ts';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';

/** What a task takes from its app. */
export interface TaskSource {
  appId: string;
  /** Per app port, the port the instance binds ($PORTn). */
  ports: number[];
  servicePorts: number[];
  /** Number of health checks; each gets a result per task. */
  healthChecks: number;
  role: string;
}

export interface HealthCheckResult {
  alive: boolean;
  consecutiveFailures: number;
  firstSuccess?: string;
  lastSuccess?: string;
  lastFailure?: string;
  lastFailureCause?: string;
  instanceId: string;
}

export interface MarathonTask {
  id: string;
  appId: string;
  host: string;
  ports: number[];
  servicePorts: number[];
  ipAddresses: { ipAddress: string; protocol: 'IPv4' | 'IPv6' }[];
  slaveId: string;
  state: MesosTaskState;
  stagedAt?: string;
  startedAt?: string;
  version?: string;
  healthCheckResults: HealthCheckResult[];
  localVolumes: unknown[];
  region?: string;
  zone?: string;
  role: string;
}

export function taskSourceOf(app: NormalizedApp): TaskSource {
  const ports = resolvePorts(app);
  return {
    appId: app.id,
    ports: ports.map((p) => p.env),
    servicePorts: ports.map((p) => p.servicePort),
    healthChecks: app.healthChecks.length,
    role: app.role ?? '*',
  };
}

/** ISO-8601 UTC with milliseconds (what Marathon writes and marathon-python parses), or undefined. */
export function isoTime(t: Date | string | undefined | null): string | undefined {
  if (t === undefined || t === null) return undefined;
  const d = t instanceof Date ? t : new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A pod Marathon would list as a task: placed on a node and not finished (queued instances have none). */
export function isTask(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return !!pod.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed';
}

/** The instance id a task id is built on (`<app>.instance-<uid>`), as health results name it. */
export function instanceId(appId: string, pod: V1Pod): string {
  return `${taskIdPrefix(appId)}.instance-${pod.metadata?.uid ?? pod.metadata?.name ?? 'unknown'}`;
}

function startedAt(pod: V1Pod): string | undefined {
  const starts = (pod.status?.containerStatuses ?? [])
    .map((s) => isoTime(s.state?.running?.startedAt))
    .filter((t): t is string => t !== undefined)
    .sort();
  return starts[0] ?? isoTime(pod.status?.startTime);
}

/** One result per health check, from the pod's Ready condition; none until its containers have started
 * (Marathon reports nothing before the first check after the grace period). */
export function healthCheckResults(pod: V1Pod, src: TaskSource, state: MesosTaskState): HealthCheckResult[] {
  if (src.healthChecks === 0 || state !== 'TASK_RUNNING') return [];
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const started = (pod.status?.containerStatuses ?? []).every(
    (s) => s.started ?? s.state?.running !== undefined,
  );
  const since = isoTime(ready?.lastTransitionTime);
  const id = instanceId(src.appId, pod);
  let result: HealthCheckResult;
  if (ready?.status === 'True') {
    result = {
      alive: true,
      consecutiveFailures: 0,
      ...(since ? { firstSuccess: since, lastSuccess: since } : {}),
      instanceId: id,
    };
  } else if (started && ready) {
    result = {
      alive: false,
      consecutiveFailures: 1,
      ...(since ? { lastFailure: since } : {}),
      lastFailureCause: ready.message || ready.reason || 'not ready',
      instanceId: id,
    };
  } else return [];
  return Array.from({ length: src.healthChecks }, () => ({ ...result }));
}

/** The Marathon task of a pod (see isTask for which pods are tasks). */
export function taskInfo(pod: V1Pod, src: TaskSource, node?: V1Node): MarathonTask {
  const state = taskState(pod);
  const host = pod.spec?.nodeName ?? '';
  const ip = pod.status?.podIP;
  const labels = node?.metadata?.labels ?? {};
  const region = labels[REGION_LABEL];
  const zone = labels[ZONE_LABEL];
  const stagedAt = isoTime(pod.metadata?.creationTimestamp);
  const started = state === 'TASK_RUNNING' || state === 'TASK_KILLING' ? startedAt(pod) : undefined;
  const version = pod.metadata?.annotations?.[APP_VERSION_ANNOTATION];
  return {
    id: taskId(src.appId, pod),
    appId: src.appId,
    host,
    ports: [...src.ports],
    servicePorts: [...src.servicePorts],
    ipAddresses: ip ? [{ ipAddress: ip, protocol: ip.includes(':') ? 'IPv6' : 'IPv4' }] : [],
    slaveId: host,
    state,
    ...(stagedAt ? { stagedAt } : {}),
    ...(started ? { startedAt: started } : {}),
    ...(version ? { version } : {}),
    healthCheckResults: healthCheckResults(pod, src, state),
    localVolumes: [],
    ...(region ? { region } : {}),
    ...(zone ? { zone } : {}),
    role: src.role,
  };
}

/**
 * The text/plain task listing (EndpointsHelper): per app and service port a line of tab-separated
 * `<app id with / as _>`, the service port, then `host:port` of each running task; an app without service
 * ports gets one line with a space for the port and the hosts separated by spaces.
 */
export function tasksText(apps: readonly { source: TaskSource; tasks: readonly MarathonTask[] }[]): string {
  let out = '';
  for (const { source, tasks } of apps) {
    const id = taskIdPrefix(source.appId);
    const running = tasks.filter((t) => t.state === 'TASK_RUNNING');
    if (source.servicePorts.length === 0) {
      out += `${id}\t \t${running.map((t) => `${t.host} `).join('')}\n`;
      continue;
    }
    source.servicePorts.forEach((servicePort, i) => {
      const endpoints = running.map((t) => `${t.host}:${t.ports[i] ?? 0}`).sort();
      out += `${id}\t${servicePort}\t${endpoints.map((e) => `${e}\t`).join('')}\n`;
    });
  }
  return out;
}

/**
 * Whether a client asked for the text form: it accepts text/plain (or text/*) and nothing JSON can satisfy.
 * Marathon ranks text/plain low, so `*\/*` and a list naming both get JSON.
 */
export function wantsText(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { type, q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.q > 0)
    .map((t) => t.type);
  const text = types.some((t) => t === 'text/plain' || t === 'text/*');
  const json = types.some((t) => t === 'application/json' || t === 'application/*' || t === '*/*');
  return text && !json;
}
