// npm run bench:apps [-- --apps N] — N MarathonApps on the test control plane (kwok nodes), against the
// ceiling of a bare client applying the same Deployments and Services with server-side apply.
//
// Prints: total time until all are Ready (operator) vs until all Deployments are available (ceiling) and
// their ratio, p50/p99 time to Ready, API writes per app, writes during a full no-op resync, and the
// operator's peak RSS. A third phase, the floor, does with no controller logic what any MarathonApp
// controller must make the cluster do, separating the custom resource's cost from the operator's. The
// ceiling and operator phases run in --rounds alternating pairs; the ratio is that of their means. Not a
// test: numbers, not pass/fail.
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Watch } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { createFakeNodes, deleteFakeNodes } from '../../src/devcluster/index.ts';
import { readAppDefinition } from '../../src/marathon/definition.ts';
import { desiredObjects } from '../../src/marathon/desired.ts';
import { applyJson, FIELD_MANAGER } from '../../src/runtime/apply.ts';
import { controllerRef } from '../../src/runtime/owner.ts';
import { createKubeClients, loadKubeConfig } from '../../src/runtime/kube-client.ts';
import type { JsonRequester } from '../../src/runtime/kube-client.ts';
import { TokenBucket } from '../../src/runtime/token-bucket.ts';
import { mochaGlobalSetup, mochaGlobalTeardown } from '../integration/global-fixtures.ts';
import { OperatorProcess } from '../integration/operator-process.ts';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '32' },
    'pods-per-node': { type: 'string', default: '250' },
    'heap-mb': { type: 'string', default: '192' },
    /** Run the operator from its bundle (npm run build), as the image does, or from the sources. */
    'from-source': { type: 'boolean', default: false },
    /** Skip the ceiling (for memory runs at 10,000 apps, where it alone takes many minutes). */
    'skip-ceiling': { type: 'boolean', default: false },
    /** Skip the floor: a bare controller doing only what any MarathonApp controller must (see floor()). */
    'skip-floor': { type: 'boolean', default: false },
    /**
     * Ceiling and operator phases, each run this many times in alternating order (ceiling first in even
     * rounds, operator first in odd ones); the ratio is that of their means. The same work takes several
     * percent more or less CPU from one phase to the next on this machine, so one pair is a noisy ratio.
     */
    rounds: { type: 'string' },
    /** Leave the operator's namespace, its apps and the kwok nodes in place (to measure a restart over them). */
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.apps);
const CONCURRENCY = Number(values.concurrency);
/** Default: 2 with the ceiling, 1 without (a memory run has no ratio to steady). */
const ROUNDS = Math.max(1, Number(values.rounds ?? (values['skip-ceiling'] ? 1 : 2)));
const PODS_PER_NODE = Number(values['pods-per-node']);
/**
 * The operator's runtime settings, as the image and chart set them. V8's heap is capped (it otherwise grows
 * to a fraction of the host's RAM before collecting) and its young generation kept small; glibc's malloc
 * gets a fixed mmap threshold, so large response buffers go back to the system when freed instead of
 * raising the threshold and staying in the heap as fragments.
 */
const HEAP_MB = Number(values['heap-mb']);
const OPERATOR_ENV = {
  NODE_OPTIONS: `--max-old-space-size=${HEAP_MB} --max-semi-space-size=2 ${process.env.BENCH_OPERATOR_NODE_OPTIONS ?? ''}`,
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072',
};

const spec = (i: number) => ({ cmd: `sleep ${100000 + i}`, cpus: 0.01, mem: 16 });
const log = (msg: string) => console.log(`[bench] ${msg}`);

async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

async function createNamespace(json: JsonRequester, name: string): Promise<void> {
  await json('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  });
  for (;;) {
    try {
      await json('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function deleteNamespace(json: JsonRequester, name: string): Promise<void> {
  await json('DELETE', `/api/v1/namespaces/${name}`);
  for (;;) {
    try {
      await json('GET', `/api/v1/namespaces/${name}`);
      await new Promise((r) => setTimeout(r, 1000));
    } catch {
      return;
    }
  }
}

interface Item {
  metadata: { name: string };
  status?: {
    availableReplicas?: number;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
}

/**
 * Resolves when `done` has held for N objects under `path`. Observes with a list and then a watch, so
 * the observer costs the API server next to nothing (polling full lists would inflate both phases).
 */
async function waitAll(
  json: JsonRequester,
  path: string,
  done: (o: Item) => boolean,
  onDone?: (o: Item) => void,
): Promise<void> {
  const seen = new Set<string>();
  const check = (o: Item) => {
    if (!seen.has(o.metadata.name) && done(o)) {
      seen.add(o.metadata.name);
      onDone?.(o);
    }
  };
  for (;;) {
    const list = await json<{ items: Item[]; metadata: { resourceVersion: string } }>('GET', path);
    for (const o of list.items) check(o);
    if (seen.size >= N) return;
    // Until the watch ends (server timeout, error); then list again.
    await new Promise<void>((resolve) => {
      let req: { abort(): void } | undefined;
      void new Watch(kc)
        .watch(
          path,
          { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: false },
          (type, o: Item) => {
            if (type !== 'ADDED' && type !== 'MODIFIED') return;
            check(o);
            if (seen.size >= N) {
              req?.abort();
              resolve();
            }
          },
          () => resolve(),
        )
        .then((r) => (req = r))
        .catch(() => resolve());
    });
    if (seen.size >= N) return;
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** CPU seconds (user + system) used so far by each control-plane process and the operator, by name. */
function cpuSeconds(extra: Record<string, number> = {}): Map<string, number> {
  const out = new Map<string, number>();
  const tick = 100; // USER_HZ on Linux
  const add = (name: string, pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / tick);
    } catch {
      // gone
    }
  };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    } catch {
      continue;
    }
    const base = cmd.slice(cmd.lastIndexOf('/') + 1);
    if (['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'].includes(base))
      add(base, Number(pid));
  }
  add('bench client', process.pid);
  for (const [name, pid] of Object.entries(extra)) add(name, pid);
  return out;
}

function cpuDelta(a: Map<string, number>, b: Map<string, number>): string {
  return `${[...b].map(([k, v]) => `${k} ${(v - (a.get(k) ?? 0)).toFixed(1)}`).join(', ')}; total ${cpuTotal(a, b).toFixed(1)}`;
}

function cpuTotal(a: Map<string, number>, b: Map<string, number>): number {
  return [...b].reduce((sum, [k, v]) => sum + v - (a.get(k) ?? 0), 0);
}

/** The machine's CPU ticks so far: all, and stolen by the hypervisor (/proc/stat). */
function machineTicks(): { all: number; steal: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { all: f.slice(0, 8).reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
}

/**
 * Share of the machine's time the hypervisor gave to other guests since `t0`. On a shared host it varies
 * from minute to minute; a phase run under heavy steal takes longer for the same work, so the wall-time
 * ratio is only meaningful when both phases saw similar steal.
 */
function stealSince(t0: { all: number; steal: number }): string {
  const t = machineTicks();
  return `${((100 * (t.steal - t0.steal)) / Math.max(1, t.all - t0.all)).toFixed(0)} %`;
}

/**
 * With BENCH_PPROF_DIR set: a kube-apiserver CPU profile of the next BENCH_PPROF_SECONDS (default 45), for
 * `go tool pprof`. Resolves when it is written; a phase awaits it before cleaning up, so that a profile
 * longer than the phase covers the whole phase and none of the next.
 */
function apiserverProfile(name: string): Promise<void> {
  const dir = process.env.BENCH_PPROF_DIR;
  if (!dir) return Promise.resolve();
  const seconds = Number(process.env.BENCH_PPROF_SECONDS ?? 45);
  const server = kc.getCurrentCluster()!.server;
  return new Promise((resolve) =>
    execFile(
      'curl',
      [
        '-sk',
        '-H',
        `Authorization: Bearer ${kc.getCurrentUser()?.token ?? ''}`,
        '-o',
        `${dir}/${name}.pprof`,
        `${server}/debug/pprof/profile?seconds=${seconds}`,
      ],
      () => resolve(),
    ),
  );
}

/** With BENCH_PPROF_DIR set: kube-apiserver's /metrics, to compare request and watch counts per phase. */
function apiserverMetrics(name: string): void {
  const dir = process.env.BENCH_PPROF_DIR;
  if (!dir) return;
  execFileSync('curl', [
    '-sk',
    '-H',
    `Authorization: Bearer ${kc.getCurrentUser()?.token ?? ''}`,
    '-o',
    `${dir}/${name}.metrics`,
    `${kc.getCurrentCluster()!.server}/metrics`,
  ]);
}

function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

if (!values['from-source']) {
  log('building the operator (npm run build)');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
// A fresh cluster per run, unless the apps are to be kept for a restart measurement.
await mochaGlobalSetup({ fresh: !values.keep, chartIdentity: false });
const kc = loadKubeConfig({ kubeconfig: process.env.KUBECONFIG });
const { json } = createKubeClients(kc, { limiter: new TokenBucket({ qps: 5000, burst: 10000 }) });
const nodeCount = Math.ceil(N / PODS_PER_NODE);
const nodes = Array.from({ length: nodeCount }, (_, i) => ({
  name: `bench-agent-${i}`,
  labels: { 'topology.kubernetes.io/zone': `bench-${i % 3}` },
  pods: PODS_PER_NODE + 10,
}));
/** The Deployment and Service the operator applies for app i. */
function childrenOf(i: number, namespace: string): KubernetesObject[] {
  const read = readAppDefinition(spec(i), { id: `/bench/app-${i}` });
  if (!read.ok) throw new Error(JSON.stringify(read.details));
  return desiredObjects({
    namespace,
    name: `app-${i}`,
    app: read.value,
    version: new Date().toISOString(),
    dependenciesReady: true,
    defaultImage: 'docker.io/library/ubuntu:24.04',
    fetchImage: 'docker.io/library/busybox:1.37',
  }).objects;
}

/** Ceiling: a bare client applying what the operator would apply, waiting for every Deployment. */
async function ceiling(round: number): Promise<{ ms: number; cpu: number }> {
  const ceilingNs = `bench-ceiling-${run}-${round}`;
  await createNamespace(json, ceilingNs);
  const objects = Array.from({ length: N }, (_, i) => childrenOf(i, ceilingNs));
  const cpu0 = cpuSeconds();
  const ticks0 = machineTicks();
  const c0 = performance.now();
  const profile = apiserverProfile(`ceiling-${round}`);
  apiserverMetrics(`ceiling-${round}-start`);
  await pool(objects, CONCURRENCY, async (objs) => {
    for (const o of objs) await applyJson(json, o);
  });
  log(`applied ${N} Deployments and Services in ${((performance.now() - c0) / 1000).toFixed(1)} s`);
  await waitAll(
    json,
    `/apis/apps/v1/namespaces/${ceilingNs}/deployments`,
    (d) => (d.status?.availableReplicas ?? 0) >= 1,
  );
  const ceilingMs = performance.now() - c0;
  apiserverMetrics(`ceiling-${round}-end`);
  const cpuEnd = cpuSeconds();
  const cpu = cpuTotal(cpu0, cpuEnd);
  log(
    `ceiling: ${(ceilingMs / 1000).toFixed(1)} s; CPU s: ${cpuDelta(cpu0, cpuEnd)}; steal ${stealSince(ticks0)}`,
  );
  await profile;
  await deleteNamespace(json, ceilingNs);
  return { ms: ceilingMs, cpu };
}

/** CPU seconds all components used in the floor phase. */
let floorCpu = NaN;
/**
 * Floor: what any MarathonApp controller must make the cluster do, with no controller logic at all. The
 * bench itself creates the MarathonApps, applies the same children with owner references, and, when a
 * Deployment is available, applies the status the operator wrote for that app; it waits, as the
 * operator phase does, until every MarathonApp reads Ready. The gap between the floor and the operator
 * is the operator's own cost; the gap between the ceiling and the floor is the custom resource's.
 */
async function floor(statuses: Map<string, unknown>): Promise<number> {
  const floorNs = `bench-floor-${run}`;
  await createNamespace(json, floorNs);
  const cpu0 = cpuSeconds();
  const ticks0 = machineTicks();
  const f0 = performance.now();
  const profile = apiserverProfile('floor');
  const statusWrites: Promise<unknown>[] = [];
  const deploymentsAvailable = waitAll(
    json,
    `/apis/apps/v1/namespaces/${floorNs}/deployments`,
    (d) => (d.status?.availableReplicas ?? 0) >= 1,
    (d) => {
      const name = d.metadata.name;
      statusWrites.push(
        json('PATCH', `/apis/dcos-operator.dev/v1alpha1/namespaces/${floorNs}/marathonapps/${name}/status`, {
          query: { fieldManager: FIELD_MANAGER, force: true },
          contentType: 'application/apply-patch+yaml',
          body: {
            apiVersion: 'dcos-operator.dev/v1alpha1',
            kind: 'MarathonApp',
            metadata: { name },
            status: statuses.get(name),
          },
        }),
      );
    },
  );
  const appsReady = waitAll(
    json,
    `/apis/dcos-operator.dev/v1alpha1/namespaces/${floorNs}/marathonapps`,
    (a) => a.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  );
  await pool(
    Array.from({ length: N }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const owner = await json<KubernetesObject>(
        'POST',
        `/apis/dcos-operator.dev/v1alpha1/namespaces/${floorNs}/marathonapps`,
        {
          body: {
            apiVersion: 'dcos-operator.dev/v1alpha1',
            kind: 'MarathonApp',
            metadata: { name: `app-${i}` },
            spec: { id: `/bench/app-${i}`, ...spec(i) },
          },
        },
      );
      for (const o of childrenOf(i, floorNs))
        await applyJson(json, { ...o, metadata: { ...o.metadata, ownerReferences: [controllerRef(owner)] } });
    },
  );
  await deploymentsAvailable;
  await Promise.all(statusWrites);
  await appsReady;
  const floorMs = performance.now() - f0;
  const cpuEnd = cpuSeconds();
  floorCpu = cpuTotal(cpu0, cpuEnd);
  log(
    `floor: ${(floorMs / 1000).toFixed(1)} s; CPU s: ${cpuDelta(cpu0, cpuEnd)}; steal ${stealSince(ticks0)}`,
  );
  await profile;
  await deleteNamespace(json, floorNs);
  return floorMs;
}

const run = Date.now().toString(36);

interface OperatorResult {
  ms: number;
  cpu: number;
  readyAfter: number[];
  writesPerApp: number;
  reconcilesPerApp: number;
  resyncWrites: number;
  rss: number;
  /** The namespace holding its apps (left in place for the floor, or with --keep). */
  ns: string;
}

/** The operator, end to end: N MarathonApps created until all are Ready, then a full no-op resync. */
async function operatorPhase(round: number): Promise<OperatorResult> {
  const ns = `bench-operator-${run}-${round}`;
  await createNamespace(json, ns);
  const op = new OperatorProcess(
    [
      '--leader-elect=false',
      '--http-bind-address=127.0.0.1:0',
      '--kube-api-qps=2000',
      '--kube-api-burst=4000',
      '--workers=32',
      '--resync-period=1h',
      `--watch-namespace=${ns}`,
      // Extra flags for an investigation, e.g. BENCH_OPERATOR_ARGS=--log-level=debug (with OPERATOR_LOGS=1).
      ...(process.env.BENCH_OPERATOR_ARGS ?? '').split(' ').filter(Boolean),
    ],
    OPERATOR_ENV,
    values['from-source'] ? undefined : 'dist/operator.mjs',
  );
  await op.waitForLog(/^started leading/, 60_000);
  const writes = async () => {
    let n = 0;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      n += await op.metric('rest_client_requests_total', { method });
    return n;
  };
  const writes0 = await writes();
  const reconcilesAtStart = await op.metric('controller_runtime_reconcile_total', {
    controller: 'marathonapp',
  });
  const created = new Map<string, number>();
  const readyAfter: number[] = [];
  const cpu1 = cpuSeconds({ operator: op.proc.pid! });
  const ticks1 = machineTicks();
  const o0 = performance.now();
  const profile = apiserverProfile(`operator-${round}`);
  apiserverMetrics(`operator-${round}-start`);
  const waiting = waitAll(
    json,
    `/apis/dcos-operator.dev/v1alpha1/namespaces/${ns}/marathonapps`,
    (a) => a.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    (a) => readyAfter.push(performance.now() - (created.get(a.metadata.name) ?? o0)),
  );
  await pool(
    Array.from({ length: N }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      created.set(`app-${i}`, performance.now());
      await json('POST', `/apis/dcos-operator.dev/v1alpha1/namespaces/${ns}/marathonapps`, {
        body: {
          apiVersion: 'dcos-operator.dev/v1alpha1',
          kind: 'MarathonApp',
          metadata: { name: `app-${i}` },
          spec: { id: `/bench/app-${i}`, ...spec(i) },
        },
      });
    },
  );
  log(`created ${N} MarathonApps in ${((performance.now() - o0) / 1000).toFixed(1)} s`);
  await waiting;
  const ms = performance.now() - o0;
  const cpu2 = cpuSeconds({ operator: op.proc.pid! });
  apiserverMetrics(`operator-${round}-end`);
  const writesPerApp = ((await writes()) - writes0) / N;
  const reconcilesPerApp =
    ((await op.metric('controller_runtime_reconcile_total', { controller: 'marathonapp' })) -
      reconcilesAtStart) /
    N;
  log(`operator: ${(ms / 1000).toFixed(1)} s; CPU s: ${cpuDelta(cpu1, cpu2)}; steal ${stealSince(ticks1)}`);

  // With --heapsnapshot-signal=SIGUSR2 in BENCH_OPERATOR_NODE_OPTIONS: a heap snapshot of the operator
  // holding N apps, written to its working directory.
  if (process.env.BENCH_OPERATOR_NODE_OPTIONS?.includes('--heapsnapshot-signal=SIGUSR2')) {
    process.kill(op.proc.pid!, 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 15_000));
  }

  await profile;
  // A full no-op resync: every app reconciled again, nothing to write.
  await new Promise((r) => setTimeout(r, 3000));
  const before = await writes();
  const reconciles0 = await op.metric('controller_runtime_reconcile_total', { controller: 'marathonapp' });
  process.kill(op.proc.pid!, 'SIGHUP');
  await op.waitForLog(/full resync/, 10_000);
  for (;;) {
    const r = await op.metric('controller_runtime_reconcile_total', { controller: 'marathonapp' });
    if (r - reconciles0 >= N) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  const resyncWrites = (await writes()) - before;
  const rss = peakRss(op.proc.pid!);
  const errors = await op.metric('controller_runtime_reconcile_errors_total', { controller: 'marathonapp' });
  const byMethod: string[] = [];
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
    byMethod.push(`${method} ${await op.metric('rest_client_requests_total', { method })}`);
  log(`reconcile errors: ${errors}; requests by method: ${byMethod.join(', ')}`);
  for (const l of op.lines.filter((x) => x.level === 'warn' || x.level === 'error').slice(0, 5))
    log(
      `operator ${l.level}: ${l.message} ${JSON.stringify((l as { error?: unknown }).error ?? '').slice(0, 200)}`,
    );
  await op.stop('SIGTERM');
  return { ms, cpu: cpuTotal(cpu1, cpu2), readyAfter, writesPerApp, reconcilesPerApp, resyncWrites, rss, ns };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

try {
  log(`${N} apps, ${nodeCount} extra kwok nodes, ${ROUNDS} round(s)`);
  await createFakeNodes(nodes);

  // Rounds alternate the order of the two phases (ceiling first, then operator first, ...), so a machine
  // that speeds up or slows down during the run does not favour either.
  const ceilings: { ms: number; cpu: number }[] = [];
  const operators: OperatorResult[] = [];
  const runCeiling = !values['skip-ceiling'];
  const runFloor = !values['skip-floor'] && !values.keep;
  // A round's apps are deleted before the next phase, which needs the node room their pods hold. The last
  // round's stay with --keep, or, when no phase follows, are deleted after the figures (many minutes at
  // 10,000 apps).
  const finalKept = values.keep || (!runFloor && (!runCeiling || (ROUNDS - 1) % 2 === 0));
  /** The last operator round's statuses, which the floor writes. */
  const statuses = new Map<string, unknown>();
  for (let round = 0; round < ROUNDS; round++) {
    const ceilingFirst = round % 2 === 0;
    const last = round === ROUNDS - 1;
    if (runCeiling && ceilingFirst) ceilings.push(await ceiling(round));
    const result = await operatorPhase(round);
    operators.push(result);
    if (last && runFloor) {
      const apps = await json<{ items: (KubernetesObject & { status?: unknown })[] }>(
        'GET',
        `/apis/dcos-operator.dev/v1alpha1/namespaces/${result.ns}/marathonapps`,
      );
      for (const app of apps.items) statuses.set(app.metadata?.name ?? '', app.status);
    }
    if (!(last && finalKept)) {
      log(`deleting namespace ${result.ns}`);
      await deleteNamespace(json, result.ns);
    }
    if (runCeiling && !ceilingFirst) ceilings.push(await ceiling(round));
  }
  const final = operators[operators.length - 1]!;
  const floorMs = runFloor ? await floor(statuses) : NaN;

  const ceilingMs = sum(ceilings.map((c) => c.ms)) / Math.max(1, ceilings.length);
  const operatorMs = sum(operators.map((o) => o.ms)) / operators.length;
  const operatorCpu = sum(operators.map((o) => o.cpu)) / operators.length;
  const ceilingCpu = sum(ceilings.map((c) => c.cpu)) / Math.max(1, ceilings.length);
  const perRound = ceilings.length
    ? operators.map((o, i) => (o.ms / ceilings[i]!.ms).toFixed(2)).join(', ')
    : 'skipped';
  const readyAfter = operators.flatMap((o) => o.readyAfter);
  const rows: [string, string][] = [
    ['apps, rounds', `${N}, ${ROUNDS}`],
    [
      'ceiling: bare SSA of Deployments+Services until available (mean of rounds)',
      ceilings.length
        ? `${seconds(ceilingMs)} (${ceilings.map((c) => seconds(c.ms)).join(', ')})`
        : 'skipped',
    ],
    [
      'floor: bare controller (MarathonApp create, children with owner references, one status apply)',
      Number.isNaN(floorMs) ? 'skipped' : seconds(floorMs),
    ],
    [
      'operator: MarathonApps until all Ready (mean of rounds)',
      `${seconds(operatorMs)} (${operators.map((o) => seconds(o.ms)).join(', ')})`,
    ],
    [
      'ratio operator / ceiling (target ≤ 1.25): over all rounds, and per round',
      ceilings.length ? `${(operatorMs / ceilingMs).toFixed(2)} (${perRound})` : 'skipped',
    ],
    [
      'ratio floor / ceiling (the custom resource) and operator / floor (the operator)',
      Number.isNaN(floorMs) || !ceilings.length
        ? 'skipped'
        : `${(floorMs / ceilingMs).toFixed(2)} and ${(final.ms / floorMs).toFixed(2)}`,
    ],
    [
      'CPU work (all components) operator / floor / ceiling (means)',
      ceilings.length
        ? `${operatorCpu.toFixed(0)} s / ${Number.isNaN(floorCpu) ? '-' : floorCpu.toFixed(0)} s / ${ceilingCpu.toFixed(0)} s = ${(operatorCpu / ceilingCpu).toFixed(2)}`
        : 'skipped',
    ],
    [
      'time to Ready p50 / p99',
      `${(pct(readyAfter, 50) / 1000).toFixed(1)} s / ${(pct(readyAfter, 99) / 1000).toFixed(1)} s`,
    ],
    ['operator API writes per app', operators.map((o) => o.writesPerApp.toFixed(2)).join(', ')],
    ['reconciles per app until all Ready', operators.map((o) => o.reconcilesPerApp.toFixed(1)).join(', ')],
    ['writes during a full no-op resync (target 0)', operators.map((o) => String(o.resyncWrites)).join(', ')],
    ['operator peak RSS', operators.map((o) => `${o.rss.toFixed(0)} MB`).join(', ')],
  ];
  console.log('\n| measure | value |\n|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
  if (values.keep)
    log(`kept namespace ${final.ns} and ${nodeCount} kwok nodes; the control plane is left running`);
  else if (finalKept) {
    // After the figures: at 10,000 apps, deleting them takes many minutes.
    log(`deleting namespace ${final.ns}`);
    await deleteNamespace(json, final.ns);
  }
} finally {
  if (values.keep) process.env.KEEP_CLUSTER = '1';
  else await deleteFakeNodes(nodes.map((n) => n.name)).catch(() => undefined);
  await mochaGlobalTeardown();
}
