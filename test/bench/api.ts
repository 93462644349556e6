// npm run bench:api [-- --apps N] — the Marathon REST API's read side and event stream at scale, on a fresh
// private control plane: N MarathonApps (instances 0, so the cluster runs no pods and the figures are the
// API's own), then GET /v2/apps p50/p99 (the target: p99 under 100 ms at 10,000 apps), GET /v2/apps/{id},
// GET /v2/apps?embed=apps.tasks, and the time until each of S concurrent /v2/events subscribers has an
// event about one changed app. Not a test: numbers, not pass/fail.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createKubeClients, loadKubeConfig } from '../../src/runtime/kube-client.ts';
import type { JsonRequester } from '../../src/runtime/kube-client.ts';
import { TokenBucket } from '../../src/runtime/token-bucket.ts';
import { mochaGlobalSetup, mochaGlobalTeardown } from '../integration/global-fixtures.ts';
import { OperatorProcess } from '../integration/operator-process.ts';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '10000' },
    /** Requests per measured endpoint (sequential, one client). */
    requests: { type: 'string', default: '200' },
    subscribers: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '32' },
    'heap-mb': { type: 'string', default: '192' },
    /** Run the operator from its sources instead of the bundle (npm run build) the image runs. */
    'from-source': { type: 'boolean', default: false },
  },
});
const N = Number(values.apps);
const REQUESTS = Number(values.requests);
const SUBSCRIBERS = Number(values.subscribers);
const CONCURRENCY = Number(values.concurrency);
const OPERATOR_ENV = {
  NODE_OPTIONS: `--max-old-space-size=${Number(values['heap-mb'])} --max-semi-space-size=2`,
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072',
};
const GROUP_PATH = '/apis/dcos-operator.dev/v1alpha1';

const log = (msg: string) => console.log(`[bench] ${msg}`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function createNamespace(json: JsonRequester, name: string): Promise<void> {
  await json('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  });
}

function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Wall time of one GET until its whole body is read, and the body. */
async function timed(url: string): Promise<{ ms: number; status: number; body: string }> {
  const t0 = performance.now();
  const r = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await r.text();
  return { ms: performance.now() - t0, status: r.status, body };
}

async function measure(url: () => string, count: number, before?: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await before?.();
    const r = await timed(url());
    if (r.status !== 200) throw new Error(`${url()}: ${r.status} ${r.body.slice(0, 200)}`);
    times.push(r.ms);
  }
  return times;
}

/**
 * An SSE subscriber: resolves `attached` on its event_stream_attached frame and `seen` (with the time) on the
 * first frame whose data mentions `marker`.
 */
function subscribe(url: string, marker: string, signal: AbortSignal) {
  let onAttached!: () => void;
  let onSeen!: (at: number) => void;
  const attached = new Promise<void>((r) => (onAttached = r));
  const seen = new Promise<number>((r) => (onSeen = r));
  const done = (async () => {
    const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal });
    if (res.status !== 200 || !res.body) throw new Error(`/v2/events: ${res.status}`);
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk as Uint8Array, { stream: true });
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, end);
        buf = buf.slice(end + 2);
        if (/^event: event_stream_attached$/m.test(frame)) onAttached();
        else if (frame.includes(marker)) onSeen(performance.now());
      }
    }
  })().catch((err: unknown) => {
    if (!signal.aborted) throw err;
  });
  return { attached, seen, done };
}

if (!values['from-source']) {
  log('building the operator (npm run build)');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
await mochaGlobalSetup({ fresh: true, chartIdentity: false });
const kc = loadKubeConfig({ kubeconfig: process.env.KUBECONFIG });
const { json } = createKubeClients(kc, { limiter: new TokenBucket({ qps: 5000, burst: 10000 }) });
const run = Date.now().toString(36);
const ns = `bench-api-${run}`;
let op: OperatorProcess | undefined;
const abort = new AbortController();
try {
  await createNamespace(json, ns);
  op = new OperatorProcess(
    [
      '--leader-elect=false',
      '--api-auth=none',
      '--http-bind-address=127.0.0.1:0',
      '--kube-api-qps=2000',
      '--kube-api-burst=4000',
      '--workers=32',
      '--resync-period=1h',
      `--watch-namespace=${ns}`,
    ],
    OPERATOR_ENV,
    values['from-source'] ? undefined : 'dist/operator.mjs',
  );
  await op.waitForLog(/^started leading/, 60_000);
  await op.waitForLog(/^serving/);
  const base = `http://127.0.0.1:${op.port}`;

  // N apps with no instances: every app is reconciled (a Deployment scaled to 0, a Service, its status),
  // and no pod is started.
  const c0 = performance.now();
  await pool(
    Array.from({ length: N }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      await json('POST', `${GROUP_PATH}/namespaces/${ns}/marathonapps`, {
        body: {
          apiVersion: 'dcos-operator.dev/v1alpha1',
          kind: 'MarathonApp',
          metadata: { name: `app-${i}` },
          spec: {
            id: `/bench/app-${i}`,
            cmd: `sleep ${100000 + i}`,
            cpus: 0.01,
            mem: 16,
            instances: 0,
            labels: { HAPROXY_GROUP: i % 2 ? 'external' : 'internal', index: String(i) },
          },
        },
      });
    },
  );
  log(`created ${N} MarathonApps in ${((performance.now() - c0) / 1000).toFixed(1)} s`);

  // Quiescent: the API lists all N, none with a deployment in progress (every status written).
  let cold = NaN;
  let size = 0;
  for (;;) {
    const r = await timed(`${base}/v2/apps`);
    const apps = (JSON.parse(r.body) as { apps: { deployments: unknown[] }[] }).apps;
    if (Number.isNaN(cold)) cold = r.ms;
    size = r.body.length;
    if (apps.length === N && apps.every((a) => a.deployments.length === 0)) break;
    await new Promise((res) => setTimeout(res, 2000));
  }
  log(`all ${N} apps deployed after ${((performance.now() - c0) / 1000).toFixed(1)} s`);

  const list = await measure(() => `${base}/v2/apps`, REQUESTS);
  const one = await measure(() => `${base}/v2/apps/bench/app-${Math.floor(Math.random() * N)}`, REQUESTS);
  const filtered = await measure(
    () => `${base}/v2/apps?label=${encodeURIComponent('HAPROXY_GROUP==external')}`,
    Math.min(REQUESTS, 50),
  );
  const embedded = await measure(() => `${base}/v2/apps?embed=apps.tasks`, Math.min(REQUESTS, 20));

  // Just after a change: before each request one app changes (its label: it is reconciled and its status
  // written), so the list is rebuilt from the per-app renderings rather than answered whole from the last.
  let changes = 0;
  const churned = await measure(
    () => `${base}/v2/apps`,
    Math.min(REQUESTS, 100),
    async () => {
      const i = 1 + (changes++ % (N - 1));
      await json('PATCH', `${GROUP_PATH}/namespaces/${ns}/marathonapps/app-${i}`, {
        contentType: 'application/merge-patch+json',
        body: { spec: { labels: { churn: String(changes) } } },
      });
      await new Promise((r) => setTimeout(r, 100));
    },
  );

  // S subscribers, one change: the time from the change (a label on one app) to each subscriber's event.
  // as a JSON string: "/bench/app-0" and not /bench/app-01
  const marker = '"/bench/app-0"';
  const subs = Array.from({ length: SUBSCRIBERS }, () =>
    subscribe(`${base}/v2/events`, marker, abort.signal),
  );
  const a0 = performance.now();
  await Promise.all(subs.map((s) => s.attached));
  const attachMs = performance.now() - a0;
  const changedAt = performance.now();
  await json('PATCH', `${GROUP_PATH}/namespaces/${ns}/marathonapps/app-0`, {
    contentType: 'application/merge-patch+json',
    body: { spec: { labels: { HAPROXY_GROUP: 'internal', index: '0', changed: 'yes' } } },
  });
  const timeout = new Promise<number>((r) => setTimeout(() => r(NaN), 30_000));
  const latencies = (await Promise.all(subs.map((s) => Promise.race([s.seen, timeout])))).map(
    (t) => t - changedAt,
  );
  const received = latencies.filter((x) => !Number.isNaN(x));
  abort.abort();
  await Promise.allSettled(subs.map((s) => s.done));

  const rss = peakRss(op.proc.pid!);
  const rows: [string, string][] = [
    ['apps', String(N)],
    ['GET /v2/apps response size', `${(size / 1024 / 1024).toFixed(2)} MiB`],
    ['GET /v2/apps first request (renders every app)', ms(cold)],
    [
      `GET /v2/apps p50 / p99 / max (${list.length} requests)`,
      `${ms(pct(list, 50))} / ${ms(pct(list, 99))} / ${ms(Math.max(...list))}`,
    ],
    [`GET /v2/apps/{id} p50 / p99 (${one.length} requests)`, `${ms(pct(one, 50))} / ${ms(pct(one, 99))}`],
    [
      `GET /v2/apps?label=HAPROXY_GROUP==external p50 / p99 (${filtered.length} requests)`,
      `${ms(pct(filtered, 50))} / ${ms(pct(filtered, 99))}`,
    ],
    [
      `GET /v2/apps, each 100 ms after an app changed, p50 / p99 (${churned.length} requests)`,
      `${ms(pct(churned, 50))} / ${ms(pct(churned, 99))}`,
    ],
    [
      `GET /v2/apps?embed=apps.tasks p50 / p99 (${embedded.length} requests)`,
      `${ms(pct(embedded, 50))} / ${ms(pct(embedded, 99))}`,
    ],
    [`/v2/events: ${SUBSCRIBERS} subscribers attached in`, ms(attachMs)],
    [
      '/v2/events: change → event, p50 / p99 / max over subscribers',
      received.length
        ? `${ms(pct(received, 50))} / ${ms(pct(received, 99))} / ${ms(Math.max(...received))}`
        : 'none received',
    ],
    ['/v2/events: subscribers that got the event within 30 s', `${received.length} of ${SUBSCRIBERS}`],
    ['operator peak RSS', `${rss.toFixed(0)} MB`],
  ];
  console.log('\n| measure | value |\n|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
} finally {
  abort.abort();
  await op?.stop('SIGTERM');
  // the private control plane goes with its namespace
  await mochaGlobalTeardown();
}
