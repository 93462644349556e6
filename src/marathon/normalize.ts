// Marathon 1.5+'s AppNormalization plus every default (1.10 values): turns an app definition as sent, in its
// legacy or canonical form, into the canonical NormalizedApp. It never throws and reads every field defensively:
// it also runs on input the schema rejected, so that all problems can be reported together. Conflicts between
// legacy and canonical fields are resolved deterministically here (the canonical field wins) and reported by
// validate.ts, which sees both the spec and this result.
import type {
  AppContainer,
  AppNetwork,
  AppVolume,
  Constraint,
  DockerParameter,
  FetchUri,
  HealthCheck,
  HealthCheckProtocol,
  NetworkMode,
  NormalizedApp,
  PortDefinition,
  PortMapping,
  PortProtocol,
  ReadinessCheck,
  UnreachableStrategy,
  UpgradeStrategy,
} from './app.ts';
import { CONSTRAINT_OPERATORS, type ConstraintOperator } from '../resources/marathon-constraints.ts';
import type { ParseResult } from '../resources/marathon-errors.ts';
import { parentId, resolveId } from './names.ts';

export interface NormalizeOptions {
  /** Absolute id to use when the spec has none. */
  id: string;
}

/** Fields of Marathon's App type (types/app.raml and the 1.8 JSON Schema). */
export const APP_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'acceptedResourceRoles',
  'args',
  'backoffFactor',
  'backoffSeconds',
  'check',
  'cmd',
  'constraints',
  'container',
  'cpus',
  'dependencies',
  'disk',
  'env',
  'executor',
  'executorResources',
  'fetch',
  'gpus',
  'healthChecks',
  'instances',
  'ipAddress',
  'killSelection',
  'labels',
  'maxLaunchDelaySeconds',
  'mem',
  'networks',
  'portDefinitions',
  'ports',
  'readinessChecks',
  'requirePorts',
  'residency',
  'resourceLimits',
  'role',
  'secrets',
  'storeUrls',
  'taskKillGracePeriodSeconds',
  'tty',
  'unreachableStrategy',
  'upgradeStrategy',
  'uris',
  'user',
  'version',
  'versionInfo',
]);

/** Read-only fields of a GET /v2/apps response (AppInfo): accepted so a response pastes in, and ignored. */
export const READ_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'deployments',
  'lastTaskFailure',
  'readinessCheckResults',
  'tasks',
  'tasksHealthy',
  'tasksRunning',
  'tasksStaged',
  'tasksStats',
  'taskStats',
  'tasksUnhealthy',
]);

/** Marathon's --local_port_min/--local_port_max defaults: where service ports are assigned from. */
export const SERVICE_PORT_MIN = 10000;
export const SERVICE_PORT_MAX = 20000;

/** Marathon's --mesos_bridge_name default: an ipAddress on this network means the bridge. */
const MESOS_BRIDGE_NAME = 'mesos-bridge';

const DEFAULT_UPGRADE: UpgradeStrategy = { minimumHealthCapacity: 1, maximumOverCapacity: 1 };
const RESIDENT_UPGRADE: UpgradeStrategy = { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 };
const SINGLE_INSTANCE_UPGRADE: UpgradeStrategy = { minimumHealthCapacity: 0, maximumOverCapacity: 0 };
export const SINGLE_INSTANCE_LABEL = 'MARATHON_SINGLE_INSTANCE_APP';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const int = (v: unknown): number | undefined => (Number.isSafeInteger(v) ? (v as number) : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
const record = (v: unknown): Json => (isRecord(v) ? v : {});
const oneOf = <T extends string>(v: unknown, values: readonly T[]): T | undefined =>
  values.find((x) => x === v);

/** String entries of a map; built with fromEntries so a "__proto__" key stays a plain key. */
function stringMap(v: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record(v)).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

const PROTOCOLS: readonly PortProtocol[] = ['tcp', 'udp', 'udp,tcp'];
const HEALTH_PROTOCOLS: readonly HealthCheckProtocol[] = [
  'HTTP',
  'HTTPS',
  'TCP',
  'COMMAND',
  'MESOS_HTTP',
  'MESOS_HTTPS',
  'MESOS_TCP',
];

export function normalizeApp(
  spec: Record<string, unknown>,
  opts: NormalizeOptions,
): ParseResult<NormalizedApp> {
  if (!isRecord(spec)) return { ok: false, details: [{ path: '/', errors: ['expected object'] }] };
  const id = resolveId(str(spec.id) ?? opts.id);
  const networks = networksOf(spec);
  const hostMode = networks.some((n) => n.mode === 'host');
  const container = containerOf(spec, networks);
  const labels = stringMap(spec.labels);

  const portDefinitions = hostMode ? portDefinitionsOf(spec) : [];
  const portMappings = hostMode ? [] : portMappingsOf(spec, container, networks);
  const assigned = assignServicePorts(portDefinitions, portMappings);
  if (!assigned) {
    const path = hostMode ? '/portDefinitions' : '/container/portMappings';
    const error = `no free service port left in ${SERVICE_PORT_MIN}-${SERVICE_PORT_MAX}`;
    return { ok: false, details: [{ path, errors: [error] }] };
  }
  const hasPorts = portDefinitions.length + portMappings.length > 0;

  const volumes = container?.volumes ?? [];
  const resident = volumes.some((v) => v.kind === 'persistent');
  const usesResidentDefaults =
    resident || isRecord(spec.residency) || volumes.some((v) => v.kind === 'external');
  const defaultUpgrade = usesResidentDefaults
    ? RESIDENT_UPGRADE
    : labels[SINGLE_INSTANCE_LABEL] === 'true'
      ? SINGLE_INSTANCE_UPGRADE
      : DEFAULT_UPGRADE;

  const cmd = str(spec.cmd);
  const args = (list(spec.args) ?? []).filter((a): a is string => typeof a === 'string');
  const user = str(spec.user);
  const roles = [
    ...new Set((list(spec.acceptedResourceRoles) ?? []).filter((r): r is string => typeof r === 'string')),
  ];
  const role = str(spec.role);
  const resourceLimits = resourceLimitsOf(spec.resourceLimits);
  const taskKillGracePeriodSeconds = int(spec.taskKillGracePeriodSeconds);

  const app: NormalizedApp = {
    id,
    ...(cmd !== undefined ? { cmd } : {}),
    ...(args.length > 0 ? { args } : {}),
    ...(user !== undefined ? { user } : {}),
    instances: int(spec.instances) ?? 1,
    cpus: num(spec.cpus) ?? 1,
    mem: num(spec.mem) ?? 128,
    disk: num(spec.disk) ?? 0,
    gpus: int(spec.gpus) ?? 0,
    ...(resourceLimits ? { resourceLimits } : {}),
    env: envOf(spec.env),
    secrets: secretsOf(spec.secrets),
    labels,
    ...(container ? { container } : {}),
    networks,
    portDefinitions,
    portMappings,
    // requirePorts only applies to host networking
    requirePorts: hostMode ? (bool(spec.requirePorts) ?? false) : false,
    healthChecks: (list(spec.healthChecks) ?? []).map((h) => healthCheckOf(h, hasPorts)),
    readinessChecks: (list(spec.readinessChecks) ?? []).map(readinessCheckOf),
    ...(spec.check !== undefined ? { check: spec.check } : {}),
    constraints: (list(spec.constraints) ?? []).flatMap((c) => constraintOf(c) ?? []),
    ...(roles.length > 0 ? { acceptedResourceRoles: roles } : {}),
    ...(role !== undefined ? { role } : {}),
    upgradeStrategy: upgradeStrategyOf(spec.upgradeStrategy, defaultUpgrade),
    unreachableStrategy: unreachableStrategyOf(spec.unreachableStrategy, resident),
    killSelection: spec.killSelection === 'OLDEST_FIRST' ? 'OLDEST_FIRST' : 'YOUNGEST_FIRST',
    ...(resident ? { residency: residencyOf(spec.residency) } : {}),
    backoffSeconds: num(spec.backoffSeconds) ?? 1,
    backoffFactor: num(spec.backoffFactor) ?? 1.15,
    maxLaunchDelaySeconds: num(spec.maxLaunchDelaySeconds) ?? 300,
    fetch: fetchOf(spec),
    dependencies: [
      ...new Set(
        (list(spec.dependencies) ?? [])
          .filter((d): d is string => typeof d === 'string')
          .map((d) => resolveId(d, parentId(id))),
      ),
    ],
    ...(taskKillGracePeriodSeconds !== undefined ? { taskKillGracePeriodSeconds } : {}),
    executor: str(spec.executor) ?? '',
    tty: bool(spec.tty) ?? false,
    unknownFields: Object.keys(spec).filter((k) => !APP_FIELDS.has(k) && !READ_ONLY_FIELDS.has(k)),
  };
  return { ok: true, value: app };
}

// ---- networks ----

function networkOf(raw: unknown): AppNetwork | undefined {
  if (!isRecord(raw)) return undefined;
  // a network object without mode is a container network (network.raml)
  const mode: NetworkMode | undefined =
    raw.mode === undefined
      ? 'container'
      : oneOf(raw.mode, ['host', 'container', 'container/bridge'] as const);
  if (mode === undefined) return undefined;
  const name = str(raw.name);
  return { mode, ...(name !== undefined ? { name } : {}), labels: stringMap(raw.labels) };
}

/** The canonical networks, or the translation of the legacy docker.network and ipAddress fields. */
function networksOf(spec: Json): AppNetwork[] {
  const canonical = (list(spec.networks) ?? []).flatMap((n) => networkOf(n) ?? []);
  if (canonical.length > 0) return canonical;
  const dockerNetwork = str(record(record(spec.container).docker).network);
  const host: AppNetwork[] = [{ mode: 'host', labels: {} }];
  if (isRecord(spec.ipAddress)) {
    const ip = spec.ipAddress;
    const labels = stringMap(ip.labels);
    const networkName = str(ip.networkName);
    const named = networkName !== undefined ? { name: networkName } : {};
    if (dockerNetwork === 'HOST') return host;
    if (dockerNetwork === 'BRIDGE' || (dockerNetwork === undefined && networkName === MESOS_BRIDGE_NAME)) {
      return [{ mode: 'container/bridge', labels }];
    }
    return [{ mode: 'container', ...named, labels }];
  }
  switch (dockerNetwork) {
    case 'BRIDGE':
      return [{ mode: 'container/bridge', labels: {} }];
    // NONE is rejected by validate (as by Marathon 1.5+); reading it as a container network keeps this total.
    case 'USER':
    case 'NONE':
      return [{ mode: 'container', labels: {} }];
    default:
      return host;
  }
}

// ---- container ----

function containerOf(spec: Json, networks: AppNetwork[]): AppContainer | undefined {
  // an ipAddress or a non-host network without a container implies an empty Mesos container
  const implied = isRecord(spec.ipAddress) || networks.some((n) => n.mode !== 'host');
  const raw = isRecord(spec.container) ? spec.container : implied ? { type: 'MESOS' } : undefined;
  if (!raw) return undefined;
  const docker = isRecord(raw.docker) ? raw.docker : undefined;
  const appc = isRecord(raw.appc) ? raw.appc : undefined;
  const mesos = raw.type === 'MESOS' || raw.type === 'APPC' || (raw.type === undefined && !docker && !!appc);
  const image = str(docker?.image) ?? str(appc?.image);
  const pullConfigSecret = str(record(docker?.pullConfig).secret);
  const credential = isRecord(docker?.credential) ? docker.credential : undefined;
  const principal = str(credential?.principal);
  const credentialSecret = str(credential?.secret);
  const linuxInfo = linuxInfoOf(raw.linuxInfo);
  return {
    type: mesos ? 'MESOS' : 'DOCKER',
    ...(image !== undefined ? { image } : {}),
    forcePullImage: bool(docker?.forcePullImage) ?? bool(appc?.forcePullImage) ?? false,
    privileged: bool(docker?.privileged) ?? false,
    parameters: (list(docker?.parameters) ?? []).flatMap((p): DockerParameter[] => {
      const key = str(record(p).key);
      return key === undefined ? [] : [{ key, value: str(record(p).value) ?? '' }];
    }),
    ...(pullConfigSecret !== undefined ? { pullConfigSecret } : {}),
    ...(principal !== undefined
      ? { credential: { principal, ...(credentialSecret !== undefined ? { secret: credentialSecret } : {}) } }
      : {}),
    volumes: (list(raw.volumes) ?? []).flatMap((v) => volumeOf(v) ?? []),
    ...(linuxInfo ? { linuxInfo } : {}),
  };
}

function linuxInfoOf(raw: unknown): AppContainer['linuxInfo'] {
  if (!isRecord(raw)) return undefined;
  const out: NonNullable<AppContainer['linuxInfo']> = {};
  if (isRecord(raw.seccomp)) {
    const profileName = str(raw.seccomp.profileName);
    const unconfined = bool(raw.seccomp.unconfined);
    out.seccomp = {
      ...(profileName !== undefined ? { profileName } : {}),
      ...(unconfined !== undefined ? { unconfined } : {}),
    };
  }
  if (isRecord(raw.ipcInfo)) {
    const mode = oneOf(raw.ipcInfo.mode, ['PRIVATE', 'SHARE_PARENT'] as const);
    const shmSize = int(raw.ipcInfo.shmSize);
    out.ipcInfo = { ...(mode ? { mode } : {}), ...(shmSize !== undefined ? { shmSize } : {}) };
  }
  return out;
}

/** One volume; undefined when it is none of the four kinds (validate reports it). */
export function volumeOf(raw: unknown): AppVolume | undefined {
  if (!isRecord(raw)) return undefined;
  const containerPath = str(raw.containerPath) ?? '';
  const mode = raw.mode === 'RO' ? 'RO' : 'RW';
  if (isRecord(raw.persistent)) {
    const p = raw.persistent;
    const profileName = str(p.profileName);
    const maxSize = num(p.maxSize);
    return {
      kind: 'persistent',
      containerPath,
      mode,
      // volumes.raml: root, or mount when a profile is named
      type:
        oneOf(p.type, ['root', 'path', 'mount'] as const) ?? (profileName !== undefined ? 'mount' : 'root'),
      size: num(p.size) ?? 0,
      ...(maxSize !== undefined ? { maxSize } : {}),
      ...(profileName !== undefined ? { profileName } : {}),
    };
  }
  if (isRecord(raw.external)) {
    const e = raw.external;
    const size = num(e.size);
    // DVDI options are strings; CSI ones (pluginName, capability, ...) are kept as JSON text
    const options = Object.fromEntries(
      Object.entries(record(e.options)).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
    return {
      kind: 'external',
      containerPath,
      mode,
      name: str(e.name) ?? '',
      provider: str(e.provider) ?? '',
      ...(size !== undefined ? { size } : {}),
      options,
      shared: bool(e.shared) ?? false,
    };
  }
  const secret = str(raw.secret);
  if (secret !== undefined) return { kind: 'secret', containerPath, secret };
  const hostPath = str(raw.hostPath);
  if (hostPath !== undefined) return { kind: 'host', containerPath, hostPath, mode };
  return undefined;
}

// ---- ports ----

function portDefinitionOf(raw: unknown): PortDefinition {
  const p = typeof raw === 'number' ? { port: raw } : record(raw);
  const name = str(p.name);
  return {
    port: int(p.port) ?? 0,
    protocol: oneOf(p.protocol, PROTOCOLS) ?? 'tcp',
    ...(name !== undefined ? { name } : {}),
    labels: stringMap(p.labels),
  };
}

/** Host mode: portDefinitions, else the legacy ports, else one default port. [] means no ports. */
function portDefinitionsOf(spec: Json): PortDefinition[] {
  const given = list(spec.portDefinitions) ?? list(spec.ports);
  if (!given) return [{ port: 0, protocol: 'tcp', name: 'default', labels: {} }];
  return given.map(portDefinitionOf);
}

function portMappingOf(raw: unknown, bridge: boolean): PortMapping {
  const m = record(raw);
  const hostPort = int(m.hostPort) ?? (bridge ? 0 : undefined); // bridge mode: a missing host port is 0
  const name = str(m.name);
  const networkNames = list(m.networkNames)?.filter((n): n is string => typeof n === 'string');
  return {
    containerPort: int(m.containerPort) ?? 0,
    ...(hostPort !== undefined ? { hostPort } : {}),
    servicePort: int(m.servicePort) ?? 0,
    protocol: oneOf(m.protocol, PROTOCOLS) ?? 'tcp',
    ...(name !== undefined ? { name } : {}),
    labels: stringMap(m.labels),
    ...(networkNames ? { networkNames } : {}),
  };
}

/**
 * Container and bridge modes: container.portMappings, else docker.portMappings, else (Mesos containers) the
 * legacy ipAddress.discovery.ports, else one default mapping. Like Marathon, legacy ports/portDefinitions add
 * blank mappings until there are as many mappings as they listed.
 */
function portMappingsOf(
  spec: Json,
  container: AppContainer | undefined,
  networks: AppNetwork[],
): PortMapping[] {
  const c = record(spec.container);
  let given = list(c.portMappings) ?? list(record(c.docker).portMappings);
  const discovery = list(record(record(spec.ipAddress).discovery).ports) ?? [];
  if (container?.type === 'MESOS' && discovery.length > 0 && (given ?? []).length === 0) {
    given = discovery.map((p) => {
      const d = record(p);
      return { containerPort: d.number, name: d.name, protocol: d.protocol, labels: d.labels };
    });
  }
  const raw = [...(given ?? [{ containerPort: 0, name: 'default' }])];
  const legacy = list(spec.portDefinitions) ?? list(spec.ports);
  while (legacy && raw.length < legacy.length) raw.push({});
  const bridge = networks.some((n) => n.mode === 'container/bridge');
  return raw.map((m) => portMappingOf(m, bridge));
}

/**
 * Replaces service port 0 with ports from SERVICE_PORT_MIN upward, skipping every port number the app already
 * names (service, host and container ports), in order. False when the range runs out.
 */
function assignServicePorts(definitions: PortDefinition[], mappings: PortMapping[]): boolean {
  const used = new Set<number>();
  for (const d of definitions) used.add(d.port);
  for (const m of mappings) for (const p of [m.servicePort, m.hostPort, m.containerPort]) if (p) used.add(p);
  let next = SERVICE_PORT_MIN;
  const take = (): number | undefined => {
    while (used.has(next)) next++;
    if (next > SERVICE_PORT_MAX) return undefined;
    used.add(next);
    return next;
  };
  for (const d of definitions) {
    if (d.port !== 0) continue;
    const port = take();
    if (port === undefined) return false;
    d.port = port;
  }
  for (const m of mappings) {
    if (m.servicePort !== 0) continue;
    const port = take();
    if (port === undefined) return false;
    m.servicePort = port;
  }
  return true;
}

// ---- checks ----

function healthCheckOf(raw: unknown, hasPorts: boolean): HealthCheck {
  const h = record(raw);
  const command = str(record(h.command).value);
  const protocol = oneOf(h.protocol, HEALTH_PROTOCOLS) ?? (command !== undefined ? 'COMMAND' : 'HTTP');
  const port = int(h.port);
  const given = int(h.portIndex);
  // AppNormalization: a check without port or portIndex uses the app's first port
  const portIndex = given ?? (port === undefined && protocol !== 'COMMAND' && hasPorts ? 0 : undefined);
  return {
    protocol,
    path: str(h.path) ?? '/',
    ...(portIndex !== undefined ? { portIndex } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(command !== undefined ? { command } : {}),
    gracePeriodSeconds: int(h.gracePeriodSeconds) ?? 300,
    intervalSeconds: int(h.intervalSeconds) ?? 60,
    timeoutSeconds: int(h.timeoutSeconds) ?? 20,
    maxConsecutiveFailures: int(h.maxConsecutiveFailures) ?? 3,
    delaySeconds: int(h.delaySeconds) ?? 15,
    ignoreHttp1xx: bool(h.ignoreHttp1xx) ?? false,
    ipProtocol: h.ipProtocol === 'IPv6' ? 'IPv6' : 'IPv4',
  };
}

function readinessCheckOf(raw: unknown): ReadinessCheck {
  const r = record(raw);
  const codes = (list(r.httpStatusCodesForReady) ?? []).filter((c): c is number => int(c) !== undefined);
  return {
    name: str(r.name) ?? 'readinessCheck',
    protocol: r.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP',
    path: str(r.path) ?? '/',
    portName: str(r.portName) ?? 'http-api',
    intervalSeconds: int(r.intervalSeconds) ?? 30,
    timeoutSeconds: int(r.timeoutSeconds) ?? 10,
    httpStatusCodesForReady: codes.length > 0 ? [...new Set(codes)] : [200],
    preserveLastResponse: bool(r.preserveLastResponse) ?? false,
  };
}

// ---- scheduling ----

/** [field, OP, value?] or {fieldName, operator, value}; undefined when malformed (the schema reports it). */
function constraintOf(raw: unknown): Constraint | undefined {
  const parts: unknown[] = list(raw) ?? (isRecord(raw) ? [raw.fieldName, raw.operator, raw.value] : []);
  const [field, op, value] = parts;
  if (typeof field !== 'string' || typeof op !== 'string') return undefined;
  // ASCII only, like the CRD's upperAscii(): 'unıque' must not become UNIQUE
  const operator = oneOf<ConstraintOperator>(
    op.replace(/[a-z]/g, (ch) => ch.toUpperCase()),
    CONSTRAINT_OPERATORS,
  );
  if (!operator) return undefined;
  return { field, operator, ...(typeof value === 'string' ? { value } : {}) };
}

function upgradeStrategyOf(raw: unknown, fallback: UpgradeStrategy): UpgradeStrategy {
  const u = record(raw);
  return {
    minimumHealthCapacity: num(u.minimumHealthCapacity) ?? fallback.minimumHealthCapacity,
    maximumOverCapacity: num(u.maximumOverCapacity) ?? fallback.maximumOverCapacity,
  };
}

function unreachableStrategyOf(raw: unknown, resident: boolean): UnreachableStrategy {
  if (raw === 'disabled') return 'disabled';
  if (isRecord(raw)) {
    return {
      inactiveAfterSeconds: num(raw.inactiveAfterSeconds) ?? 0,
      expungeAfterSeconds: num(raw.expungeAfterSeconds) ?? 0,
    };
  }
  return resident ? 'disabled' : { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 };
}

function residencyOf(raw: unknown): NonNullable<NormalizedApp['residency']> {
  const r = record(raw);
  return {
    relaunchEscalationTimeoutSeconds: num(r.relaunchEscalationTimeoutSeconds) ?? 3600,
    taskLostBehavior:
      oneOf(r.taskLostBehavior, ['WAIT_FOREVER', 'RELAUNCH_AFTER_TIMEOUT'] as const) ?? 'WAIT_FOREVER',
  };
}

// ---- the rest ----

function resourceLimitsOf(raw: unknown): NormalizedApp['resourceLimits'] {
  if (!isRecord(raw)) return undefined;
  const limit = (v: unknown): number | 'unlimited' | undefined => (v === 'unlimited' ? v : num(v));
  const cpus = limit(raw.cpus);
  const mem = limit(raw.mem);
  return { ...(cpus !== undefined ? { cpus } : {}), ...(mem !== undefined ? { mem } : {}) };
}

function envOf(raw: unknown): NormalizedApp['env'] {
  return Object.fromEntries(
    Object.entries(record(raw)).flatMap(([name, v]): [string, NormalizedApp['env'][string]][] => {
      if (typeof v === 'string') return [[name, v]];
      const secret = str(record(v).secret);
      return secret !== undefined ? [[name, { secret }]] : [];
    }),
  );
}

function secretsOf(raw: unknown): NormalizedApp['secrets'] {
  return Object.fromEntries(
    Object.entries(record(raw)).flatMap(([name, v]): [string, { source: string }][] => {
      const source = str(record(v).source);
      return source !== undefined ? [[name, { source }]] : [];
    }),
  );
}

/** fetch, or the legacy uris (extract true: the Mesos fetcher only unpacks archive extensions anyway). */
function fetchOf(spec: Json): FetchUri[] {
  const fetch = (list(spec.fetch) ?? []).flatMap((f): FetchUri[] => {
    const a = record(f);
    const uri = str(a.uri);
    if (uri === undefined) return [];
    const destPath = str(a.destPath);
    return [
      {
        uri,
        extract: bool(a.extract) ?? true,
        executable: bool(a.executable) ?? false,
        cache: bool(a.cache) ?? false,
        ...(destPath !== undefined ? { destPath } : {}),
      },
    ];
  });
  if (fetch.length > 0) return fetch;
  return (list(spec.uris) ?? [])
    .filter((u): u is string => typeof u === 'string')
    .map((uri) => ({ uri, extract: true, executable: false, cache: false }));
}
