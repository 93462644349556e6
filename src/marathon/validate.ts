// Marathon's rules that the schema (src/resources/marathon-app.ts) cannot check field by field: rules across
// fields, and the ones that need the normalized app (networks, ports, defaults). Messages are Marathon's own
// (AppValidation, SchedulingValidation, NetworkValidation, AppNormalization) wherever it has one; paths point at
// the field as the user wrote it, legacy or canonical.
import type { NormalizedApp, PortMapping } from './app.ts';
import { appPorts, isResident } from './app.ts';
import type { MarathonErrorDetail } from '../resources/marathon-errors.ts';
import { SINGLE_INSTANCE_LABEL, volumeOf } from './normalize.ts';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const record = (v: unknown): Json => (isRecord(v) ? v : {});
const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
const nonEmpty = (v: unknown): boolean => (list(v)?.length ?? 0) > 0;

export const MIXED_NETWORK_APIS = 'cannot mix deprecated and canonical network APIs';
export const PORT_INDEX_MESSAGE =
  'Health check port indices must address an element of the ports array or container port mappings.';
const MESOS_HEALTH_PROTOCOLS = new Set(['COMMAND', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP']);

/** Collects messages per path, in the order found. */
class Problems {
  private readonly byPath = new Map<string, string[]>();
  add(path: string, message: string): void {
    const errors = this.byPath.get(path) ?? [];
    if (!errors.includes(message)) errors.push(message);
    this.byPath.set(path, errors);
  }
  details(): MarathonErrorDetail[] {
    return [...this.byPath].map(([path, errors]) => ({ path, errors }));
  }
}

export function validateApp(spec: Record<string, unknown>, app: NormalizedApp): MarathonErrorDetail[] {
  const s = record(spec);
  const out = new Problems();
  if (app.id === '/') out.add('/id', 'must not be root');
  legacyRules(s, app, out);
  networkRules(s, app, out);
  portRules(s, app, out);
  containerRules(s, app, out);
  volumeRules(s, app, out);
  healthCheckRules(app, out);
  readinessCheckRules(app, out);
  schedulingRules(s, app, out);
  labelRules(app, out);
  return out.details();
}

const hostMode = (app: NormalizedApp): boolean => app.networks.some((n) => n.mode === 'host');

/** Where the app's port definitions were written: portDefinitions or the legacy ports. */
function definitionsPath(spec: Json): string {
  return !Array.isArray(spec.portDefinitions) && Array.isArray(spec.ports) ? '/ports' : '/portDefinitions';
}

/** Where the app's port mappings were written: container, docker (legacy) or ipAddress.discovery (legacy). */
function mappingsPath(spec: Json, app: NormalizedApp): string {
  const c = record(spec.container);
  if (Array.isArray(c.portMappings)) return '/container/portMappings';
  if (Array.isArray(record(c.docker).portMappings)) return '/container/docker/portMappings';
  const discovery = list(record(record(spec.ipAddress).discovery).ports);
  if (app.container?.type === 'MESOS' && discovery?.length) return '/ipAddress/discovery/ports';
  return '/container/portMappings';
}

// ---- deprecated fields and how they combine with canonical ones ----

function legacyRules(spec: Json, app: NormalizedApp, out: Problems): void {
  const c = record(spec.container);
  const docker = record(c.docker);
  const ipAddress = isRecord(spec.ipAddress) ? spec.ipAddress : undefined;
  if (nonEmpty(spec.networks) && (docker.network !== undefined || ipAddress)) {
    out.add('/networks', MIXED_NETWORK_APIS);
  }
  if (docker.network === 'NONE') out.add('/container/docker/network', 'unsupported docker network type NONE');

  const ports = list(spec.ports);
  const definitions = list(spec.portDefinitions);
  // Off host networking both are ignored; a Marathon ≤1.4 GET of a bridge app has ports [...] and portDefinitions [].
  if (ports && definitions && hostMode(app)) {
    const defined = definitions.map((d) => record(d).port ?? 0);
    if (JSON.stringify(defined) !== JSON.stringify(ports)) {
      out.add('/ports', 'cannot specify both ports and port definitions');
    }
  }
  if (ipAddress && (nonEmpty(ports) || nonEmpty(definitions))) {
    out.add('/ipAddress', 'cannot specify both an IP address and port');
  }
  // A Marathon ≤1.4 GET lists fetch's URIs again under uris: only different lists conflict.
  const fetchUris = (list(spec.fetch) ?? []).map((f) => record(f).uri);
  if (
    nonEmpty(spec.uris) &&
    nonEmpty(spec.fetch) &&
    JSON.stringify(spec.uris) !== JSON.stringify(fetchUris)
  ) {
    out.add('/uris', 'may not be set in conjunction with fetch');
  }
  if (Array.isArray(c.portMappings) && nonEmpty(docker.portMappings)) {
    out.add('/container/portMappings', 'cannot specify both portMappings and docker.portMappings');
  }
  if (nonEmpty(record(ipAddress?.discovery).ports)) {
    if (app.container?.type === 'DOCKER') {
      out.add('/ipAddress/discovery', 'ipAddress/discovery is not allowed for Docker containers');
    } else if (nonEmpty(c.portMappings) || nonEmpty(docker.portMappings)) {
      out.add(
        '/ipAddress/discovery/ports',
        'container.portMappings and ipAddress.discovery.ports must not both be set',
      );
    }
  }
  if (hostMode(app)) {
    for (const [path, value] of [
      ['/container/portMappings', c.portMappings],
      ['/container/docker/portMappings', docker.portMappings],
    ] as const) {
      if (nonEmpty(value)) out.add(path, 'portMappings are not allowed with host-networking');
    }
  } else if (nonEmpty(definitions)) {
    // The legacy `ports` are ignored here as Marathon does: Marathon ≤1.4 listed the service ports there.
    out.add('/portDefinitions', 'portDefinitions are only allowed with host-networking');
  }
  if (isRecord(spec.residency) && !isResident(app)) {
    out.add('/residency', 'App must contain persistent volumes and define residency');
  }
}

// ---- networks ----

function networkRules(spec: Json, app: NormalizedApp, out: Problems): void {
  const nets = app.networks;
  const count = (mode: string) => nets.filter((n) => n.mode === mode).length;
  const [hosts, bridges, containers] = [count('host'), count('container/bridge'), count('container')];
  if (nets.some((n) => n.mode === 'host' && (n.name || Object.keys(n.labels).length > 0))) {
    out.add('/networks', 'Host networks may not have names or labels');
  }
  if (nets.some((n) => n.mode === 'container/bridge' && n.name)) {
    out.add('/networks', 'Bridge networks may not have names');
  }
  const names = nets.flatMap((n) => (n.name ? [n.name] : []));
  const unnamed = nets.filter((n) => n.mode === 'container' && !n.name).length;
  if (unnamed > 1 || new Set(names).size < names.length)
    out.add('/networks', 'Duplicate networks are not allowed');
  const valid =
    (hosts <= 1 && bridges === 0 && containers === 0) ||
    (hosts === 0 && bridges <= 1 && containers === 0) ||
    (hosts === 0 && bridges === 0 && containers > 0);
  if (!valid) {
    out.add(
      '/networks',
      'May specify a single host network, single bridge network, or else 1-to-n container networks',
    );
  }
  if (app.container?.type === 'DOCKER' && containers > 1) {
    out.add(
      '/networks',
      'may only specify a single container network when using the Docker container engine',
    );
  }

  const networkNames = nets.filter((n) => n.mode === 'container').flatMap((n) => (n.name ? [n.name] : []));
  const at = mappingsPath(spec, app);
  app.portMappings.forEach((m, i) => {
    for (const name of m.networkNames ?? []) {
      if (!networkNames.includes(name)) {
        out.add(
          `${at}(${i})/networkNames`,
          `'${name}' is not the name of one of the app's container networks`,
        );
      }
    }
    if (containers > 1 && m.hostPort !== undefined && m.networkNames?.length !== 1) {
      out.add(
        `${at}(${i})/networkNames`,
        'networkNames must be a single item list when hostPort is specified and more than 1 container network is defined',
      );
    }
  });
}

// ---- ports ----

function portRules(spec: Json, app: NormalizedApp, out: Problems): void {
  if (hostMode(app)) {
    const at = definitionsPath(spec);
    const names = new Set<string>();
    const ports = new Set<number>();
    app.portDefinitions.forEach((d, i) => {
      if (d.name !== undefined && names.has(d.name))
        out.add(`${at}(${i})/name`, 'Port names must be unique.');
      if (d.name !== undefined) names.add(d.name);
      // assigned ports never collide, so only ports given twice are found here
      if (ports.has(d.port))
        out.add(at === '/ports' ? `${at}(${i})` : `${at}(${i})/port`, 'Ports must be unique.');
      ports.add(d.port);
    });
    return;
  }
  const at = mappingsPath(spec, app);
  const names = new Set<string>();
  app.portMappings.forEach((m, i) => {
    if (m.name !== undefined && names.has(m.name)) out.add(`${at}(${i})/name`, 'Port names must be unique.');
    if (m.name !== undefined) names.add(m.name);
    // one Service port per number and protocol
    if (app.portMappings.slice(0, i).some((o) => o.servicePort === m.servicePort && sharesProtocol(o, m))) {
      out.add(`${at}(${i})/servicePort`, 'Service ports must be unique.');
    }
  });
}

function sharesProtocol(a: PortMapping, b: PortMapping): boolean {
  const bs = b.protocol.split(',');
  return a.protocol.split(',').some((p) => bs.includes(p));
}

// ---- container ----

function containerRules(spec: Json, app: NormalizedApp, out: Problems): void {
  const container = app.container;
  if (container?.type === 'DOCKER' && app.gpus > 0) {
    out.add('/gpus', 'GPU resources only work with the Mesos containerizer');
  }
  if (!container || !isRecord(spec.container)) return;
  const c = spec.container;
  if (container.type === 'DOCKER') {
    if (!isRecord(c.docker)) out.add('/container/docker', 'is required when the container type is DOCKER');
    if (container.pullConfigSecret !== undefined) {
      out.add('/container/docker/pullConfig', 'pullConfig is not supported with Docker containerizer');
    }
    return;
  }
  if (isRecord(c.docker) && isRecord(c.appc)) {
    out.add('/container', 'mesos containers should specify, at most, a single image type');
  }
  if (container.pullConfigSecret !== undefined && !Object.hasOwn(app.secrets, container.pullConfigSecret)) {
    out.add('/container/docker/pullConfig/secret', 'pullConfig.secret must refer to an existing secret');
  }
}

// ---- volumes ----

function volumeRules(spec: Json, app: NormalizedApp, out: Problems): void {
  const raw = list(record(spec.container).volumes) ?? [];
  const paths = new Set<string>();
  const externalNames = new Set<string>();
  let dvdi = false;
  raw.forEach((entry, i) => {
    const at = `/container/volumes(${i})`;
    const v = volumeOf(entry);
    if (!v) {
      if (isRecord(entry)) out.add(at, 'must be a host (hostPath), persistent, external or secret volume');
      return;
    }
    if (paths.has(v.containerPath)) out.add(`${at}/containerPath`, 'must be unique among the volumes');
    paths.add(v.containerPath);
    switch (v.kind) {
      case 'persistent': {
        if (v.containerPath.includes('/')) out.add(`${at}/containerPath`, 'value must not contain "/"');
        if (v.containerPath === '.' || v.containerPath === '..') {
          out.add(`${at}/containerPath`, 'must not be . or ..');
        }
        if (v.mode !== 'RW') out.add(`${at}/mode`, 'must be RW for a persistent volume');
        if (v.size <= 0) out.add(`${at}/persistent/size`, `got ${v.size}, expected more than 0`);
        if (v.maxSize !== undefined && v.type !== 'mount') {
          out.add(`${at}/persistent/maxSize`, 'Only mount volumes can have maxSize');
        }
        if (v.maxSize !== undefined && v.maxSize <= v.size) {
          out.add(`${at}/persistent/maxSize`, 'Max size must be larger than size');
        }
        if (v.type === 'root' && nonEmpty(record(record(entry).persistent).constraints)) {
          out.add(`${at}/persistent/constraints`, 'Constraints on root volumes are not supported');
        }
        break;
      }
      case 'external':
        if (externalNames.has(v.name)) out.add(`${at}/external/name`, 'Volume names must be unique');
        externalNames.add(v.name);
        dvdi ||= v.provider === 'dvdi';
        break;
      case 'secret':
        if (!Object.hasOwn(app.secrets, v.secret)) {
          out.add(`${at}/secret`, 'volume.secret must refer to an existing secret');
        }
        break;
      case 'host':
        break;
    }
  });
  if (dvdi) {
    if (app.instances > 1) {
      out.add(
        '/instances',
        `Number of instances is limited to 1 when declaring DVDI volumes in app [${app.id}]`,
      );
    }
    if (isRecord(spec.upgradeStrategy) && app.upgradeStrategy.maximumOverCapacity !== 0) {
      const got = app.upgradeStrategy.maximumOverCapacity;
      out.add('/upgradeStrategy/maximumOverCapacity', `got ${got}, expected 0 (apps with DVDI volumes)`);
    }
  }
}

// ---- health and readiness checks ----

function healthCheckRules(app: NormalizedApp, out: Problems): void {
  const ports = appPorts(app).length;
  app.healthChecks.forEach((h, i) => {
    const at = `/healthChecks(${i})`;
    if (h.command !== undefined && h.protocol !== 'COMMAND') {
      out.add(`${at}/protocol`, `illegal protocol ${h.protocol} specified with command`);
    }
    if (h.protocol === 'COMMAND') {
      if (h.command === undefined)
        out.add(`${at}/protocol`, 'illegal protocol COMMAND for non-command health check');
    } else if (h.port === undefined && (h.portIndex === undefined || h.portIndex >= ports)) {
      out.add(h.portIndex === undefined ? at : `${at}/portIndex`, PORT_INDEX_MESSAGE);
    }
    const mesosNetworkCheck = ['MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP'].includes(h.protocol);
    if (h.ipProtocol === 'IPv6' && !(mesosNetworkCheck && app.container?.type === 'DOCKER')) {
      out.add(
        `${at}/ipProtocol`,
        'IPv6 can only be used for container type DOCKER and Mesos http/https/tcp health checks',
      );
    }
  });
  // Marathon lets old apps keep several COMMAND checks
  const mesosChecks = app.healthChecks.filter(
    (h) => h.command !== undefined || MESOS_HEALTH_PROTOCOLS.has(h.protocol),
  );
  const commandChecks = app.healthChecks.filter((h) => h.command !== undefined);
  if (mesosChecks.length - commandChecks.length > 1) {
    out.add('/healthChecks', 'AppDefinition can contain at most one Mesos health check');
  }
}

function readinessCheckRules(app: NormalizedApp, out: Problems): void {
  const checks = app.readinessChecks;
  if (checks.length > 1) out.add('/readinessChecks', `got ${checks.length}, expected 1 or less`);
  const names = appPorts(app).flatMap((p) => (p.name !== undefined ? [p.name] : []));
  checks.forEach((r, i) => {
    if (!names.includes(r.portName)) {
      out.add(`/readinessChecks(${i})/portName`, `No port definition reference for portName ${r.portName}`);
    }
    if (r.timeoutSeconds >= r.intervalSeconds) {
      out.add(
        `/readinessChecks(${i})/timeoutSeconds`,
        `got ${r.timeoutSeconds}, expected less than ${r.intervalSeconds}`,
      );
    }
  });
}

// ---- scheduling ----

function schedulingRules(spec: Json, app: NormalizedApp, out: Problems): void {
  const { minimumHealthCapacity: min, maximumOverCapacity: max } = app.upgradeStrategy;
  // Marathon checks only a strategy that was given; its defaults already comply
  const given = isRecord(spec.upgradeStrategy);
  if (isResident(app)) {
    if (given && max !== 0) {
      out.add(
        '/upgradeStrategy/maximumOverCapacity',
        `got ${max}, expected 0 (apps with persistent volumes)`,
      );
    }
    if (app.unreachableStrategy !== 'disabled') {
      out.add('/unreachableStrategy', 'unreachableStrategy must be disabled for resident tasks');
    }
  }
  if (app.labels[SINGLE_INSTANCE_LABEL] === 'true') {
    if (app.instances > 1) out.add('/instances', 'Single instance app may only have one instance');
    if (given && min !== 0) {
      out.add('/upgradeStrategy/minimumHealthCapacity', `got ${min}, expected 0 (single-instance apps)`);
    }
    if (given && max !== 0) {
      out.add('/upgradeStrategy/maximumOverCapacity', `got ${max}, expected 0 (single-instance apps)`);
    }
  }
  const unreachable = app.unreachableStrategy;
  if (unreachable !== 'disabled' && unreachable.inactiveAfterSeconds > unreachable.expungeAfterSeconds) {
    out.add('/unreachableStrategy/inactiveAfterSeconds', 'must be less than or equal to expungeAfterSeconds');
  }
}

// ---- labels ----

function labelRules(app: NormalizedApp, out: Problems): void {
  const version = app.labels.DCOS_MIGRATION_API_VERSION;
  if (!version) return;
  const complies =
    version === 'v1' && !!app.labels.DCOS_PACKAGE_FRAMEWORK_NAME && !!app.labels.DCOS_MIGRATION_API_PATH;
  if (!complies) {
    out.add(
      '/labels',
      'DCOS_PACKAGE_FRAMEWORK_NAME and DCOS_MIGRATION_API_PATH must be defined when using DCOS_MIGRATION_API_VERSION',
    );
  }
}
