// The dev cluster as a whole: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok
// running detached on loopback, plus a few fake nodes. Starting is idempotent: a healthy cluster in the
// same state dir is reused as is, a partly running one is completed, a stopped one restarts on its data.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyFakeNodes, deleteNodeLeases, deleteNodes, waitForServiceAccount } from './api.ts';
import type { ApiAccess } from './api.ts';
import { ensureBinaries } from './binaries.ts';
import { COMPONENTS, defaultConfig, serverUrl } from './config.ts';
import type { ComponentName, DevClusterConfig, DevClusterPorts } from './config.ts';
import { componentHealthy, componentPid, ensureComponent, stopProcess } from './components.ts';
import { ensureCredentials, readAdminToken, readCaPem } from './credentials.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { renderAuditPolicy } from './audit-policy.ts';
import { renderKwokConfig } from './kwok-config.ts';
import { cacheRoot, defaultStateDir, layout, privateStateDirOwner } from './layout.ts';
import type { Layout } from './layout.ts';
import { withLock } from './lock.ts';
import { defaultNodes } from './nodes.ts';
import { pidAlive } from './process.ts';
import type { FakeNodeSpec } from './nodes.ts';

export interface DevClusterOptions {
  /** Default: `<cache root>/cluster` (see layout.ts). */
  stateDir?: string;
  log?: (msg: string) => void;
}

export interface StartOptions extends DevClusterOptions {
  /** Prebuilt binaries; skips build-binaries.sh. */
  binDir?: string;
  ports?: Partial<DevClusterPorts>;
  /** Fake nodes created on start; default `defaultNodes()`. */
  nodes?: FakeNodeSpec[];
  /** Limit for each wait (a component turning healthy, nodes turning Ready). */
  timeoutMs?: number;
}

export interface DevCluster {
  kubeconfigPath: string;
  server: string;
  stateDir: string;
  binDir: string;
  /** How long the control plane took to come up, in milliseconds (near 0 when reused). */
  startedMs: number;
  /** True when a healthy cluster was already running and nothing was started. */
  reused: boolean;
}

const noLog = () => {};

export async function startDevCluster(opts: StartOptions = {}): Promise<DevCluster> {
  const t0 = performance.now();
  const log = opts.log ?? noLog;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const files = layout(opts.stateDir ?? defaultStateDir());
  // Outside the lock: a first build takes long, and the script serialises concurrent builds itself.
  const binDir = opts.binDir ?? (await ensureBinaries(log));
  return withLock(files.lockDir, async () => {
    const saved = await readConfig(files);
    const running = saved ? await runningComponents(files) : [];
    // Live processes keep the flags they were started with; a fresh start takes the options given now.
    const config = saved && running.length > 0 ? saved : defaultConfig(binDir, opts.ports);
    const result = (reused: boolean): DevCluster => ({
      kubeconfigPath: files.kubeconfig,
      server: serverUrl(config),
      stateDir: files.stateDir,
      binDir: config.binDir,
      startedMs: Math.round(performance.now() - t0),
      reused,
    });

    if (running.length === COMPONENTS.length && existsSync(files.kubeconfig)) {
      const token = await readAdminToken(files);
      const healthy = await Promise.all(COMPONENTS.map((c) => componentHealthy(c, config, files, token)));
      if (healthy.every(Boolean)) {
        log(`reusing the dev cluster in ${files.stateDir}`);
        return result(true);
      }
    }

    log(`starting the dev cluster in ${files.stateDir}`);
    await mkdir(files.stateDir, { recursive: true, mode: 0o700 });
    const { token } = await ensureCredentials(files);
    await writeFile(files.kwokConfig, renderKwokConfig());
    await writeFile(files.auditPolicy, renderAuditPolicy());
    await writeFile(files.configFile, JSON.stringify(config, null, 2) + '\n');

    const wait = { timeoutMs, log };
    await ensureComponent('etcd', config, files, token, wait);
    await ensureComponent('kube-apiserver', config, files, token, wait);
    // Controllers, scheduler and kwok connect through the admin kubeconfig, which needs the CA that
    // kube-apiserver generated on its first start.
    await writeKubeconfig(config, files, token);
    const api = await apiAccess(config, files);
    await Promise.all([
      ensureComponent('kube-controller-manager', config, files, token, wait),
      ensureComponent('kube-scheduler', config, files, token, wait),
      ensureKwok(api, config, files, token, wait),
    ]);
    // The default ServiceAccount is made by kube-controller-manager; pods cannot be created before it.
    await waitForServiceAccount(api, 'default', timeoutMs);
    await applyFakeNodes(api, opts.nodes ?? defaultNodes(), timeoutMs);
    const cluster = result(false);
    log(
      `dev cluster ready in ${cluster.startedMs} ms: ${cluster.server}, kubeconfig ${cluster.kubeconfigPath}`,
    );
    return cluster;
  });
}

export interface StopOptions extends DevClusterOptions {
  /** Also delete the state dir: etcd data, keys, kubeconfig and logs. */
  purge?: boolean;
}

/** Stops every component (SIGTERM, then SIGKILL). Does nothing if none is running. */
export async function stopDevCluster(opts: StopOptions = {}): Promise<void> {
  const log = opts.log ?? noLog;
  const files = layout(opts.stateDir ?? defaultStateDir());
  if (!existsSync(files.stateDir)) return;
  await withLock(files.lockDir, async () => {
    for (const name of [...COMPONENTS].reverse()) await stopProcess(name, files, log);
    if (opts.purge) {
      await rm(files.stateDir, { recursive: true, force: true });
      log(`deleted ${files.stateDir}`);
    }
  });
}

/**
 * Stops and deletes private clusters (see privateStateDir) whose test run is gone, e.g. killed before
 * its teardown; their components would otherwise run on forever.
 */
export async function sweepAbandonedClusters(log: (msg: string) => void = noLog): Promise<void> {
  const runs = path.join(cacheRoot(), 'runs');
  for (const name of await readdir(runs).catch(() => [] as string[])) {
    const owner = privateStateDirOwner(name);
    if (owner === undefined || pidAlive(owner)) continue;
    await stopDevCluster({ stateDir: path.join(runs, name), purge: true, log });
  }
}

/** Stops one component, leaving its data and flags in place (e.g. to test an API server outage). */
export async function stopComponent(name: ComponentName, opts: DevClusterOptions = {}): Promise<void> {
  const files = layout(opts.stateDir ?? defaultStateDir());
  await withLock(files.lockDir, () => stopProcess(name, files, opts.log ?? noLog));
}

/** Starts one component again with the flags the cluster was started with, and waits until healthy. */
export async function startComponent(
  name: ComponentName,
  opts: DevClusterOptions & { timeoutMs?: number } = {},
): Promise<void> {
  const files = layout(opts.stateDir ?? defaultStateDir());
  await withLock(files.lockDir, async () => {
    const config = await requireConfig(files);
    const token = await readAdminToken(files);
    const wait = { timeoutMs: opts.timeoutMs ?? 60_000, log: opts.log ?? noLog };
    if (name === 'kwok') await ensureKwok(await apiAccess(config, files), config, files, token, wait);
    else await ensureComponent(name, config, files, token, wait);
  });
}

export interface ComponentStatus {
  name: ComponentName;
  pid?: number;
  running: boolean;
  healthy: boolean;
  logFile: string;
}

export interface DevClusterStatus {
  stateDir: string;
  /** False when no cluster was ever started in this state dir. */
  exists: boolean;
  running: boolean;
  healthy: boolean;
  server?: string;
  kubeconfigPath?: string;
  binDir?: string;
  components: ComponentStatus[];
}

export async function devClusterStatus(opts: DevClusterOptions = {}): Promise<DevClusterStatus> {
  const files = layout(opts.stateDir ?? defaultStateDir());
  const config = await readConfig(files);
  const token = config ? await readAdminToken(files).catch(() => '') : '';
  const components = await Promise.all(
    COMPONENTS.map(async (name): Promise<ComponentStatus> => {
      const pid = await componentPid(name, files);
      const healthy =
        pid !== undefined && config !== undefined && (await componentHealthy(name, config, files, token));
      return {
        name,
        ...(pid !== undefined ? { pid } : {}),
        running: pid !== undefined,
        healthy,
        logFile: files.logFile(name),
      };
    }),
  );
  return {
    stateDir: files.stateDir,
    exists: config !== undefined,
    running: components.every((c) => c.running),
    healthy: components.every((c) => c.healthy),
    ...(config ? { server: serverUrl(config), kubeconfigPath: files.kubeconfig, binDir: config.binDir } : {}),
    components,
  };
}

/** Adds (or updates) fake kwok nodes in a running dev cluster and waits until they are Ready. */
export async function createFakeNodes(
  nodes: FakeNodeSpec[],
  opts: DevClusterOptions & { timeoutMs?: number } = {},
): Promise<void> {
  const files = layout(opts.stateDir ?? defaultStateDir());
  const api = await apiAccess(await requireConfig(files), files);
  await applyFakeNodes(api, nodes, opts.timeoutMs ?? 60_000);
}

export async function deleteFakeNodes(names: string[], opts: DevClusterOptions = {}): Promise<void> {
  const files = layout(opts.stateDir ?? defaultStateDir());
  await deleteNodes(await apiAccess(await requireConfig(files), files), names);
}

/** Starts kwok unless it runs, first freeing the node Leases a previous kwok held (see deleteNodeLeases). */
async function ensureKwok(
  api: ApiAccess,
  config: DevClusterConfig,
  files: Layout,
  token: string,
  wait: { timeoutMs: number; log: (msg: string) => void },
): Promise<void> {
  if ((await componentPid('kwok', files)) === undefined) await deleteNodeLeases(api);
  await ensureComponent('kwok', config, files, token, wait);
}

async function runningComponents(files: Layout): Promise<ComponentName[]> {
  const pids = await Promise.all(COMPONENTS.map((c) => componentPid(c, files)));
  return COMPONENTS.filter((_, i) => pids[i] !== undefined);
}

async function readConfig(files: Layout): Promise<DevClusterConfig | undefined> {
  try {
    return JSON.parse(await readFile(files.configFile, 'utf8')) as DevClusterConfig;
  } catch {
    return undefined;
  }
}

async function requireConfig(files: Layout): Promise<DevClusterConfig> {
  const config = await readConfig(files);
  if (!config) throw new Error(`no dev cluster in ${files.stateDir}; start one first`);
  return config;
}

async function apiAccess(config: DevClusterConfig, files: Layout): Promise<ApiAccess> {
  return { server: serverUrl(config), caPem: await readCaPem(files), token: await readAdminToken(files) };
}

async function writeKubeconfig(config: DevClusterConfig, files: Layout, token: string): Promise<void> {
  const text = renderKubeconfig({ server: serverUrl(config), caPem: await readCaPem(files), token });
  await writeFile(files.kubeconfig, text, { mode: 0o600 });
}
