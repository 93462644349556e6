// Operator configuration: one zod schema, filled from flags and DCOS_OPERATOR_* environment variables
// (flags win), with messages that name the flag and the variable.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isLoopback } from '../http/bind-address.ts';

const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${String(v)}" is not a duration (use e.g. 500ms, 15s, 2m, 1h)`,
    });
    return z.NEVER;
  }
  return ms;
});
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');
const positiveInt = z.coerce.number().int().positive();
const bindAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[\w.-]*):\d{1,5}$|^0$/, 'expected host:port, :port or 0 (disabled)');

export const configSchema = z.object({
  kubeconfig: z
    .string()
    .optional()
    .describe('path to a kubeconfig; default: $KUBECONFIG, ~/.kube/config, in-cluster'),
  context: z.string().optional().describe('kubeconfig context to use'),
  namespace: z
    .string()
    .optional()
    .describe('namespace the operator runs in (leader-election Lease lives there)'),
  watchNamespace: z
    .string()
    .default('')
    .describe('only reconcile objects in this namespace; empty means all'),
  workers: positiveInt.default(4).describe('concurrent reconciles per controller'),
  maxRetries: positiveInt.default(8).describe('failed reconciles of one object before it is marked Stalled'),
  resyncPeriod: duration.prefault('10m').describe('periodic full requeue (level-triggered safety net)'),
  childEventDelay: duration
    .prefault('250ms')
    .describe(
      'how long a change of a child (pod, Deployment, Service…) waits before it requeues its owner, so a ' +
        'burst of changes is reconciled once (0: at once)',
    ),
  kubeApiQps: z.coerce.number().positive().default(20).describe('client-side API request rate'),
  kubeApiBurst: positiveInt.default(30).describe('client-side API request burst'),
  leaderElect: bool.default(true).describe('use a Lease so only one replica reconciles'),
  leaderElectionId: z.string().min(1).default('dcos-operator-leader'),
  leaderElectionNamespace: z.string().optional().describe('default: --namespace, else "default"'),
  leaseDuration: duration.prefault('15s'),
  renewDeadline: duration.prefault('10s'),
  retryPeriod: duration.prefault('2s'),
  identity: z
    .string()
    .min(1)
    .default(() => `${os.hostname()}_${randomUUID()}`),
  httpBindAddress: bindAddress
    .default(':8080')
    .describe('serves /healthz, /readyz, /metrics and the Marathon and Cosmos APIs; 0 disables'),
  api: bool.default(true).describe('serve the Marathon and Cosmos REST APIs on --http-bind-address'),
  apiAuth: z
    .enum(['kubernetes', 'none'])
    .default('kubernetes')
    .describe(
      'kubernetes: API callers send a Kubernetes token (Authorization: token=… or Bearer …), checked by ' +
        'TokenReview and authorized per call by SubjectAccessReview; none: no authentication (needs a ' +
        'loopback --http-bind-address)',
    ),
  apiNamespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a namespace name')
    .default('marathon')
    .describe('namespace of the MarathonApps the Marathon API creates (default: --watch-namespace if set)'),
  installCrds: bool
    .default(false)
    .describe('apply the CRDs at start-up (always on for the local dev cluster)'),
  shutdownTimeout: duration.prefault('20s').describe('bound on finishing in-flight reconciles at shutdown'),
  defaultImage: z
    .string()
    .min(1)
    .default('docker.io/library/ubuntu:24.04')
    .describe('image for Marathon apps that give only cmd/args (Mesos ran them on the agent OS)'),
  fetchImage: z
    .string()
    .min(1)
    .default('docker.io/library/busybox:1.37')
    .describe('image of the init container that downloads fetch/uris artifacts (needs sh, wget, tar, unzip)'),
  maxVersions: positiveInt.default(50).describe('previous Marathon app versions kept per app (for rollback)'),
  armEndpoint: z
    .url()
    .default('https://management.azure.com')
    .describe('Azure Resource Manager endpoint for DcosClusters with provider aks'),
  azureSubscriptionId: z
    .string()
    .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'expected a UUID')
    .optional()
    .describe('subscription of DcosClusters (provider aks) whose spec.target leaves it out'),
  azureResourceGroup: z
    .string()
    .min(1)
    .optional()
    .describe('resource group of DcosClusters whose spec.target leaves it out (else dcos)'),
  azureManagedClusterName: z
    .string()
    .min(1)
    .optional()
    .describe('AKS cluster of DcosClusters whose spec.target leaves it out (else dcos)'),
  armWritesPerSecond: z.coerce
    .number()
    .positive()
    .max(10)
    .default(8)
    .describe('ARM writes (agent pool PUT/DELETE) per second per subscription'),
  armPollInterval: duration.prefault('5s').describe('how often a running Azure operation is polled'),
  armBusyRetry: duration.prefault('15s').describe('wait after Azure answers 409 (another operation running)'),
  armFailedRetry: duration.prefault('1m').describe('wait before putting again a pool whose operation failed'),
  armResyncPeriod: duration.prefault('10m').describe('re-read Azure this often to correct outside changes'),
  localAksEndpoint: z
    .url()
    .optional()
    .describe('AKS emulator for provider local; default: one started inside the operator'),
  localAksCaFile: z.string().optional().describe('PEM certificate of --local-aks-endpoint'),
  localAksOperationDuration: duration
    .prefault('3s')
    .describe('how long the built-in AKS emulator takes per agent pool operation'),
  universeRefreshPeriod: duration
    .prefault('10m')
    .describe('how often each UniverseRepository is re-read (Cosmos cached repositories for 1 minute)'),
  universeRetry: duration
    .prefault('30s')
    .describe('retry period of a repository that cannot be loaded, and of packages waiting for one'),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  logFormat: z.enum(['json', 'text', 'auto']).default('auto'),
});

export type OperatorConfig = z.output<typeof configSchema>;

/** Settings that are switches: on the command line they take an optional true/false. */
export const BOOLEAN_SETTINGS: ReadonlySet<string> = new Set(['leaderElect', 'installCrds', 'api']);
export type ConfigKey = keyof typeof configSchema.shape;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const flagName = (key: string): string => '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
export const envName = (key: string): string =>
  'DCOS_OPERATOR_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();

/** Merges environment and flag values (flags win) and validates them; throws ConfigError listing every bad value. */
export function loadConfig(
  flags: Partial<Record<ConfigKey, unknown>>,
  env: NodeJS.ProcessEnv = process.env,
): OperatorConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape) as ConfigKey[]) {
    const fromEnv = env[envName(key)];
    if (fromEnv !== undefined && fromEnv !== '') raw[key] = fromEnv;
    if (flags[key] !== undefined) raw[key] = flags[key];
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `  ${flagName(key)} (${envName(key)}): ${i.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  if (cfg.watchNamespace && raw.apiNamespace === undefined) cfg.apiNamespace = cfg.watchNamespace;
  if (cfg.api && cfg.apiAuth === 'none' && cfg.httpBindAddress !== '0' && !isLoopback(cfg.httpBindAddress))
    throw new ConfigError(
      'invalid configuration:\n  --api-auth=none serves the API without authentication: it needs a loopback ' +
        `--http-bind-address (e.g. 127.0.0.1:8080), not ${cfg.httpBindAddress}`,
    );
  if (cfg.renewDeadline >= cfg.leaseDuration)
    throw new ConfigError('invalid configuration:\n  --renew-deadline must be shorter than --lease-duration');
  // client-go's rule: renewals need room for at least one jittered retry before the deadline.
  if (cfg.renewDeadline <= 1.2 * cfg.retryPeriod)
    throw new ConfigError(
      'invalid configuration:\n  --renew-deadline must be more than 1.2 × --retry-period',
    );
  // A follower may reckon a lease from its previous poll, so the leader must step down before then.
  if (cfg.renewDeadline > cfg.leaseDuration - 1.5 * cfg.retryPeriod)
    throw new ConfigError(
      'invalid configuration:\n  --renew-deadline must not exceed --lease-duration − 1.5 × --retry-period',
    );
  return cfg;
}

export function parseDuration(v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}
