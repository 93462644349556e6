// The canonical Marathon app: what normalize() makes of any accepted app definition. Legacy forms are
// rewritten into the 1.5+ ones (as Marathon's AppNormalization does) and every default is filled in
// (Marathon 1.10 values, see the reference table), so the translators never look at raw input.
import type { ConstraintOperator } from '../resources/marathon-constraints.ts';

export type NetworkMode = 'host' | 'container' | 'container/bridge';

export interface AppNetwork {
  mode: NetworkMode;
  /** CNI network name (container mode only). */
  name?: string;
  labels: Record<string, string>;
}

/** 'tcp', 'udp' or 'udp,tcp' (both), lowercased as Marathon stores them. */
export type PortProtocol = 'tcp' | 'udp' | 'udp,tcp';

/** A host-mode port. `port` is the service port; 0 was replaced by an assigned one (10000 upward). */
export interface PortDefinition {
  port: number;
  protocol: PortProtocol;
  name?: string;
  labels: Record<string, string>;
}

/** A container/bridge-mode port. containerPort 0 means "same as hostPort". */
export interface PortMapping {
  containerPort: number;
  /** Absent: no host port (container mode); 0: any host port (bridge mode). */
  hostPort?: number;
  /** Never 0 after normalization: 0 was replaced by an assigned port (10000 upward). */
  servicePort: number;
  protocol: PortProtocol;
  name?: string;
  labels: Record<string, string>;
  networkNames?: string[];
}

export type HealthCheckProtocol =
  'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND' | 'MESOS_HTTP' | 'MESOS_HTTPS' | 'MESOS_TCP';

export interface HealthCheck {
  protocol: HealthCheckProtocol;
  /** HTTP(S) path; '/' when absent. */
  path: string;
  /** Index into the app's ports (portDefinitions or portMappings); set when `port` is not. */
  portIndex?: number;
  /** A literal port; wins over portIndex. */
  port?: number;
  /** COMMAND checks: the shell command. */
  command?: string;
  gracePeriodSeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  /** 0: Marathon-run checks never kill; Mesos-run ones kill at the first failure. */
  maxConsecutiveFailures: number;
  delaySeconds: number;
  ignoreHttp1xx: boolean;
  ipProtocol: 'IPv4' | 'IPv6';
}

export interface ReadinessCheck {
  name: string;
  protocol: 'HTTP' | 'HTTPS';
  path: string;
  portName: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  httpStatusCodesForReady: number[];
  preserveLastResponse: boolean;
}

/** Array form [field, OP, value?] and object form {fieldName, operator, value} both become this. */
export interface Constraint {
  /** As written: hostname, @hostname, @zone, @region or an attribute name. */
  field: string;
  operator: ConstraintOperator;
  value?: string;
}

export type VolumeMode = 'RO' | 'RW';

export interface HostVolume {
  kind: 'host';
  containerPath: string;
  /** Absolute: a path on the agent. Relative: a path in the sandbox (often a persistent volume's name). */
  hostPath: string;
  mode: VolumeMode;
}

export interface PersistentVolume {
  kind: 'persistent';
  /** Relative to the sandbox, no '/'. */
  containerPath: string;
  mode: VolumeMode;
  type: 'root' | 'path' | 'mount';
  /** MiB. */
  size: number;
  maxSize?: number;
  profileName?: string;
}

export interface ExternalVolume {
  kind: 'external';
  containerPath: string;
  mode: VolumeMode;
  name: string;
  provider: string;
  /** GiB, when given. */
  size?: number;
  options: Record<string, string>;
  shared: boolean;
}

export interface SecretVolume {
  kind: 'secret';
  containerPath: string;
  /** Name of an entry in `secrets`. */
  secret: string;
}

export type AppVolume = HostVolume | PersistentVolume | ExternalVolume | SecretVolume;

export interface FetchUri {
  uri: string;
  extract: boolean;
  executable: boolean;
  cache: boolean;
  destPath?: string;
}

export interface DockerParameter {
  key: string;
  value: string;
}

export interface AppContainer {
  type: 'DOCKER' | 'MESOS';
  /** docker.image (or appc.image for the old APPC type); absent for a MESOS container without image. */
  image?: string;
  forcePullImage: boolean;
  privileged: boolean;
  parameters: DockerParameter[];
  /** UCR pull secret: the name of an entry in `secrets`. */
  pullConfigSecret?: string;
  /** docker.credential, kept for reporting. */
  credential?: { principal: string; secret?: string };
  volumes: AppVolume[];
  linuxInfo?: {
    seccomp?: { profileName?: string; unconfined?: boolean };
    ipcInfo?: { mode?: 'PRIVATE' | 'SHARE_PARENT'; shmSize?: number };
  };
}

export type EnvValue = string | { secret: string };

export interface UpgradeStrategy {
  minimumHealthCapacity: number;
  maximumOverCapacity: number;
}

export type UnreachableStrategy = 'disabled' | { inactiveAfterSeconds: number; expungeAfterSeconds: number };

export interface NormalizedApp {
  /** Absolute path id, no trailing slash: /prod/web/api. */
  id: string;
  cmd?: string;
  args?: string[];
  user?: string;
  instances: number;
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  resourceLimits?: { cpus?: number | 'unlimited'; mem?: number | 'unlimited' };
  env: Record<string, EnvValue>;
  /** name → DC/OS secret store path. */
  secrets: Record<string, { source: string }>;
  labels: Record<string, string>;
  container?: AppContainer;
  networks: AppNetwork[];
  /** Host mode only (empty otherwise). */
  portDefinitions: PortDefinition[];
  /** Container and bridge modes only (empty otherwise). */
  portMappings: PortMapping[];
  requirePorts: boolean;
  healthChecks: HealthCheck[];
  readinessChecks: ReadinessCheck[];
  /** The 1.x informational Mesos `check`, kept as sent. */
  check?: unknown;
  constraints: Constraint[];
  /** Absent: Marathon's default (any role but slave_public). */
  acceptedResourceRoles?: string[];
  role?: string;
  upgradeStrategy: UpgradeStrategy;
  unreachableStrategy: UnreachableStrategy;
  killSelection: 'YOUNGEST_FIRST' | 'OLDEST_FIRST';
  residency?: { relaunchEscalationTimeoutSeconds: number; taskLostBehavior: string };
  backoffSeconds: number;
  backoffFactor: number;
  maxLaunchDelaySeconds: number;
  fetch: FetchUri[];
  /** Absolute ids of apps or groups this app waits for. */
  dependencies: string[];
  taskKillGracePeriodSeconds?: number;
  executor: string;
  tty: boolean;
  /** Top-level fields of the definition that Marathon does not know; kept in the spec, reported in status. */
  unknownFields: string[];
}

/** Where Mesos mounts the task sandbox; also the working directory of command apps. */
export const MESOS_SANDBOX = '/mnt/mesos/sandbox';

export function isResident(app: NormalizedApp): boolean {
  return (app.container?.volumes ?? []).some((v) => v.kind === 'persistent');
}

/** The app's ports in Marathon's order: what portIndex, PORT0..n and the Service ports refer to. */
export function appPorts(app: NormalizedApp): (PortDefinition | PortMapping)[] {
  return app.networks.some((n) => n.mode === 'host') || app.networks.length === 0
    ? app.portDefinitions
    : app.portMappings;
}
