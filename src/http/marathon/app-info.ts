// A MarathonApp as Marathon 1.9/1.10 returns it: the definition in canonical (1.5+) form with every default
// filled in, the version bookkeeping from the status (appJson), and the AppInfo fields (task counts,
// deployments, and on request tasks, readiness results, the last failure and task statistics).
//
// Only fields Marathon has are written, in its order; empty collections Marathon omits (`omitEmpty` in its
// RAML: args, constraints, dependencies, env, fetch, healthChecks, readinessChecks, secrets, label maps of
// ports and networks) are omitted, because strict clients build objects from exactly these keys.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type {
  AppContainer,
  AppVolume,
  HealthCheck,
  NormalizedApp,
  PortDefinition,
  PortMapping,
} from '../../marathon/app.ts';
import { readAppDefinition } from '../../marathon/definition.ts';
import type { AppObject } from '../../marathon/deployments.ts';
import { appDeployments, requestedVersion } from '../../marathon/deployments.ts';
import { configHash } from '../../marathon/desired.ts';
import { appIdFor, RESTARTED_AT_ANNOTATION } from '../../marathon/names.ts';
import { normalizeApp } from '../../marathon/normalize.ts';
import { countTasks } from '../../marathon/status.ts';
import type { VersionInfo } from '../../marathon/versions.ts';
import type { Embed, EmbedSet } from './embed.ts';
import type { MarathonTask, TaskSource } from './task-info.ts';
import { isTask, isoTime, taskInfo, taskSourceOf } from './task-info.ts';

type Json = Record<string, unknown>;

const EPOCH = '1970-01-01T00:00:00.000Z';

export interface AppVersion {
  version: string;
  versionInfo: VersionInfo;
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (o: object): boolean => Object.keys(o).length > 0;

/** The definition read as the operator reads it; one it rejects is still shown, as best it can be read. */
export function normalizedOf(spec: unknown, id: string): NormalizedApp {
  const read = readAppDefinition(spec ?? {}, { id });
  if (read.ok) return read.value;
  const lenient = normalizeApp(isRecord(spec) ? spec : {}, { id });
  if (lenient.ok) return lenient.value;
  const bare = normalizeApp({}, { id });
  if (!bare.ok) throw new Error(`cannot render app ${id}`);
  return bare.value;
}

/** The app's Marathon version: the status's, or the one a REST write asked for and the operator has not
 * adopted yet (then a change of the instance count alone keeps lastConfigChangeAt). */
export function appVersion(obj: AppObject, app: NormalizedApp): AppVersion {
  const status = obj.status;
  const requested = requestedVersion(obj);
  const current = status?.version;
  if (!requested && current)
    return {
      version: current,
      versionInfo: {
        lastScalingAt: status.versionInfo?.lastScalingAt ?? current,
        lastConfigChangeAt: status.versionInfo?.lastConfigChangeAt ?? current,
      },
    };
  const version = requested ?? isoTime(obj.metadata?.creationTimestamp) ?? EPOCH;
  const restartedAt = obj.metadata?.annotations?.[RESTARTED_AT_ANNOTATION];
  const scaleOnly =
    current !== undefined &&
    status?.configHash !== undefined &&
    configHash(app, restartedAt) === status.configHash;
  return {
    version,
    versionInfo: {
      lastScalingAt: version,
      lastConfigChangeAt: scaleOnly ? (status?.versionInfo?.lastConfigChangeAt ?? version) : version,
    },
  };
}

// ---- the canonical app ------------------------------------------------------------------------------

function portDefinitionJson(p: PortDefinition): Json {
  return {
    port: p.port,
    protocol: p.protocol,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(nonEmpty(p.labels) ? { labels: p.labels } : {}),
  };
}

function portMappingJson(p: PortMapping): Json {
  return {
    containerPort: p.containerPort,
    ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
    labels: p.labels,
    ...(p.name !== undefined ? { name: p.name } : {}),
    protocol: p.protocol,
    servicePort: p.servicePort,
    ...(p.networkNames?.length ? { networkNames: p.networkNames } : {}),
  };
}

function volumeJson(v: AppVolume): Json {
  switch (v.kind) {
    case 'host':
      return { containerPath: v.containerPath, hostPath: v.hostPath, mode: v.mode };
    case 'persistent':
      return {
        containerPath: v.containerPath,
        mode: v.mode,
        persistent: {
          type: v.type,
          size: v.size,
          ...(v.maxSize !== undefined ? { maxSize: v.maxSize } : {}),
          ...(v.profileName !== undefined ? { profileName: v.profileName } : {}),
          constraints: [],
        },
      };
    case 'external':
      return {
        containerPath: v.containerPath,
        external: {
          ...(v.size !== undefined ? { size: v.size } : {}),
          name: v.name,
          provider: v.provider,
          ...(nonEmpty(v.options) ? { options: v.options } : {}),
          shared: v.shared,
        },
        mode: v.mode,
      };
    case 'secret':
      return { containerPath: v.containerPath, secret: v.secret };
  }
}

function containerJson(c: AppContainer, app: NormalizedApp, hostMode: boolean): Json {
  const docker =
    c.image !== undefined
      ? {
          forcePullImage: c.forcePullImage,
          image: c.image,
          parameters: c.parameters.map((p) => ({ key: p.key, value: p.value })),
          privileged: c.privileged,
          ...(c.pullConfigSecret !== undefined ? { pullConfig: { secret: c.pullConfigSecret } } : {}),
          ...(c.credential ? { credential: c.credential } : {}),
        }
      : undefined;
  return {
    type: c.type,
    ...(docker ? { docker } : {}),
    ...(c.linuxInfo ? { linuxInfo: c.linuxInfo } : {}),
    volumes: c.volumes.map(volumeJson),
    // Marathon writes the mappings only for container networking (AppConversion)
    ...(hostMode ? {} : { portMappings: app.portMappings.map(portMappingJson) }),
  };
}

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'MESOS_HTTP', 'MESOS_HTTPS']);

function healthCheckJson(h: HealthCheck): Json {
  return {
    ...(h.command !== undefined ? { command: { value: h.command } } : {}),
    gracePeriodSeconds: h.gracePeriodSeconds,
    // Marathon-run HTTP checks only
    ...(h.protocol === 'HTTP' || h.protocol === 'HTTPS' ? { ignoreHttp1xx: h.ignoreHttp1xx } : {}),
    intervalSeconds: h.intervalSeconds,
    maxConsecutiveFailures: h.maxConsecutiveFailures,
    ...(HTTP_PROTOCOLS.has(h.protocol) ? { path: h.path } : {}),
    ...(h.port !== undefined ? { port: h.port } : {}),
    ...(h.portIndex !== undefined ? { portIndex: h.portIndex } : {}),
    protocol: h.protocol,
    ipProtocol: h.ipProtocol,
    timeoutSeconds: h.timeoutSeconds,
    delaySeconds: h.delaySeconds,
  };
}

/** A normalized definition in Marathon's canonical output form, at the given version. */
export function canonicalJson(app: NormalizedApp, version: AppVersion): Json {
  const hostMode = app.networks.length === 0 || app.networks.some((n) => n.mode === 'host');
  return {
    id: app.id,
    ...(app.acceptedResourceRoles?.length ? { acceptedResourceRoles: app.acceptedResourceRoles } : {}),
    ...(app.args?.length ? { args: app.args } : {}),
    backoffFactor: app.backoffFactor,
    backoffSeconds: app.backoffSeconds,
    ...(app.cmd !== undefined ? { cmd: app.cmd } : {}),
    ...(app.constraints.length
      ? {
          constraints: app.constraints.map((c) =>
            c.value !== undefined ? [c.field, c.operator, c.value] : [c.field, c.operator],
          ),
        }
      : {}),
    ...(app.container ? { container: containerJson(app.container, app, hostMode) } : {}),
    cpus: app.cpus,
    ...(app.dependencies.length ? { dependencies: app.dependencies } : {}),
    disk: app.disk,
    ...(nonEmpty(app.env) ? { env: app.env } : {}),
    executor: app.executor,
    ...(app.fetch.length
      ? {
          fetch: app.fetch.map((f) => ({
            uri: f.uri,
            extract: f.extract,
            executable: f.executable,
            cache: f.cache,
            ...(f.destPath !== undefined ? { destPath: f.destPath } : {}),
          })),
        }
      : {}),
    ...(app.healthChecks.length ? { healthChecks: app.healthChecks.map(healthCheckJson) } : {}),
    ...(app.check !== undefined ? { check: app.check } : {}),
    instances: app.instances,
    labels: app.labels,
    maxLaunchDelaySeconds: app.maxLaunchDelaySeconds,
    mem: app.mem,
    gpus: app.gpus,
    networks: app.networks.map((n) => ({
      ...(n.name !== undefined ? { name: n.name } : {}),
      mode: n.mode,
      ...(nonEmpty(n.labels) ? { labels: n.labels } : {}),
    })),
    ...(hostMode ? { portDefinitions: app.portDefinitions.map(portDefinitionJson) } : {}),
    ...(app.readinessChecks.length ? { readinessChecks: app.readinessChecks.map((r) => ({ ...r })) } : {}),
    ...(app.residency ? { residency: app.residency } : {}),
    ...(app.resourceLimits ? { resourceLimits: app.resourceLimits } : {}),
    requirePorts: app.requirePorts,
    ...(nonEmpty(app.secrets) ? { secrets: app.secrets } : {}),
    ...(app.taskKillGracePeriodSeconds !== undefined
      ? { taskKillGracePeriodSeconds: app.taskKillGracePeriodSeconds }
      : {}),
    upgradeStrategy: {
      maximumOverCapacity: app.upgradeStrategy.maximumOverCapacity,
      minimumHealthCapacity: app.upgradeStrategy.minimumHealthCapacity,
    },
    ...(app.user !== undefined ? { user: app.user } : {}),
    version: version.version,
    versionInfo: {
      lastScalingAt: version.versionInfo.lastScalingAt,
      lastConfigChangeAt: version.versionInfo.lastConfigChangeAt,
    },
    killSelection: app.killSelection,
    unreachableStrategy:
      app.unreachableStrategy === 'disabled'
        ? 'disabled'
        : {
            inactiveAfterSeconds: app.unreachableStrategy.inactiveAfterSeconds,
            expungeAfterSeconds: app.unreachableStrategy.expungeAfterSeconds,
          },
    ...(app.tty ? { tty: true } : {}),
    // 1.9+: the Mesos role; without enforced group roles that is --mesos_role, '*' by default
    role: app.role ?? '*',
  };
}

export interface RenderedApp {
  id: string;
  app: NormalizedApp;
  version: AppVersion;
  json: Json;
}

export function renderApp(obj: AppObject): RenderedApp {
  const id = appIdFor(obj.spec, obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
  const app = normalizedOf(obj.spec, id);
  const version = appVersion(obj, app);
  return { id, app, version, json: canonicalJson(app, version) };
}

/** The app as Marathon stores and returns it (POST/PUT responses, GET /v2/apps entries without AppInfo). */
export function appJson(obj: AppObject): Json {
  return renderApp(obj).json;
}

// ---- AppInfo ----------------------------------------------------------------------------------------

/** What the AppInfo fields need from the app (small: kept per app by the list memo). */
export interface InfoInput {
  source: TaskSource;
  deployments: { id: string }[];
  lastTaskFailure?: Json;
  versionInfo: VersionInfo;
  readinessChecks: string[];
}

export function infoInput(obj: AppObject, rendered: RenderedApp): InfoInput {
  const failure = obj.status?.lastTaskFailure;
  return {
    source: taskSourceOf(rendered.app),
    deployments: appDeployments(obj).map((d) => ({ id: d.id })),
    ...(failure ? { lastTaskFailure: { ...failure } } : {}),
    versionInfo: rendered.version.versionInfo,
    readinessChecks: rendered.app.readinessChecks.map((r) => r.name),
  };
}

export interface InfoOptions {
  /** Node by name (a task's region and zone). */
  node?: (name: string) => V1Node | undefined;
  /** For task lifetimes in taskStats. */
  now?: Date;
  /** False when the caller may not see pods: tasks and readiness results are left empty. */
  showTasks?: boolean;
}

type Counts = ReturnType<typeof countTasks>;

function statsOf(
  pods: readonly V1Pod[],
  tasks: readonly MarathonTask[],
  healthChecks: number,
  now: Date,
): Json {
  const c: Counts = countTasks(pods, { healthChecks });
  const lifetimes = tasks
    .filter((t) => t.state === 'TASK_RUNNING' && t.startedAt)
    .map((t) => Math.max(0, (now.getTime() - Date.parse(t.startedAt!)) / 1000))
    .sort((a, b) => a - b);
  const median =
    lifetimes.length === 0
      ? 0
      : lifetimes.length % 2
        ? lifetimes[(lifetimes.length - 1) / 2]!
        : (lifetimes[lifetimes.length / 2 - 1]! + lifetimes[lifetimes.length / 2]!) / 2;
  return {
    stats: {
      counts: {
        staged: c.tasksStaged,
        running: c.tasksRunning,
        healthy: c.tasksHealthy,
        unhealthy: c.tasksUnhealthy,
      },
      ...(lifetimes.length
        ? {
            lifeTime: {
              averageSeconds: lifetimes.reduce((a, b) => a + b, 0) / lifetimes.length,
              medianSeconds: median,
            },
          }
        : {}),
    },
  };
}

/** Marathon's TaskStatsByVersion; a group without tasks is left out. */
function taskStats(input: InfoInput, pods: readonly V1Pod[], tasks: MarathonTask[], now: Date): Json {
  const byPod = new Map(tasks.map((t, i) => [t, pods[i]!]));
  const { lastScalingAt, lastConfigChangeAt } = input.versionInfo;
  const groups: [string, (t: MarathonTask) => boolean][] = [
    ['startedAfterLastScaling', (t) => (t.stagedAt ?? '') >= lastScalingAt],
    ['withLatestConfig', (t) => t.version === lastConfigChangeAt],
    ['withOutdatedConfig', (t) => t.version !== lastConfigChangeAt],
    ['totalSummary', () => true],
  ];
  const out: Json = {};
  for (const [name, pick] of groups) {
    const picked = tasks.filter(pick);
    if (picked.length === 0) continue;
    out[name] = statsOf(
      picked.map((t) => byPod.get(t)!),
      picked,
      input.source.healthChecks,
      now,
    );
  }
  return out;
}

/** Readiness results while a deployment runs: one per readiness check and task of the new version. */
function readinessResults(input: InfoInput, pods: readonly V1Pod[], tasks: MarathonTask[]): Json[] {
  if (input.readinessChecks.length === 0 || input.deployments.length === 0) return [];
  const out: Json[] = [];
  tasks.forEach((t, i) => {
    if (t.version !== input.versionInfo.lastConfigChangeAt || t.state !== 'TASK_RUNNING') return;
    const ready =
      pods[i]?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    for (const name of input.readinessChecks) out.push({ name, taskId: t.id, ready });
  });
  return out;
}

const has = (embed: EmbedSet, e: Embed) => embed.has(e);

/** The AppInfo fields for the embeds asked for, in Marathon's order. */
export function infoFields(
  input: InfoInput,
  pods: readonly V1Pod[],
  embed: EmbedSet,
  opts: InfoOptions = {},
): Json {
  const out: Json = {};
  if (has(embed, 'counts')) {
    const c = countTasks(pods, { healthChecks: input.source.healthChecks });
    out.tasksStaged = c.tasksStaged;
    out.tasksRunning = c.tasksRunning;
    out.tasksHealthy = c.tasksHealthy;
    out.tasksUnhealthy = c.tasksUnhealthy;
  }
  if (has(embed, 'deployments')) out.deployments = input.deployments.map((d) => ({ id: d.id }));
  const needTasks = has(embed, 'tasks') || has(embed, 'readiness') || has(embed, 'taskStats');
  const showTasks = opts.showTasks !== false;
  const taskPods = needTasks && showTasks ? pods.filter(isTask) : [];
  const tasks = taskPods.map((p) => taskInfo(p, input.source, opts.node?.(p.spec?.nodeName ?? '')));
  // tasks in id order, pods alongside
  const order = tasks.map((_, i) => i).sort((a, b) => (tasks[a]!.id < tasks[b]!.id ? -1 : 1));
  const sortedTasks = order.map((i) => tasks[i]!);
  const sortedPods = order.map((i) => taskPods[i]!);
  if (has(embed, 'readiness')) out.readinessCheckResults = readinessResults(input, sortedPods, sortedTasks);
  if (has(embed, 'tasks')) out.tasks = sortedTasks;
  if (has(embed, 'lastTaskFailure') && input.lastTaskFailure) out.lastTaskFailure = input.lastTaskFailure;
  if (has(embed, 'taskStats'))
    out.taskStats = taskStats(input, sortedPods, sortedTasks, opts.now ?? new Date());
  return out;
}

/** The app plus its AppInfo fields (POST/PUT responses, GET /v2/apps/{id}). */
export function appInfo(
  obj: AppObject,
  pods: readonly V1Pod[],
  embed: EmbedSet,
  opts: InfoOptions = {},
): Json {
  const rendered = renderApp(obj);
  return { ...rendered.json, ...infoFields(infoInput(obj, rendered), pods, embed, opts) };
}

/** `head` (an app's JSON without its closing brace) completed with AppInfo fields, as JSON text. */
export function withFields(head: string, fields: Json): string {
  return nonEmpty(fields) ? `${head},${JSON.stringify(fields).slice(1)}` : `${head}}`;
}
