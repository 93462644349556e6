// GitOps readiness: Flux and Argo CD must read the operator's objects the same way. Flux's `wait` judges
// them with kstatus; Argo CD with the Lua health checks of charts/dcos-operator/argocd. The gitops-health
// helper (test/gitops/health) runs both over objects; this suite asserts both verdicts over fixtures of
// every kind at every phase (test/gitops/fixtures) and over live objects the operator writes, and checks
// the examples of charts/examples: the Flux and Argo CD manifests against those tools' CRDs (server-side
// dry-run) and the sample apps on the test control plane.
//
// GITOPS_CAPTURE_DIR=DIR writes every live object the suite judges to DIR/<step>.json (to refresh the
// fixtures from what the operator really writes).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { RESOURCES } from '../../src/resources/registry.ts';
import { ensureTools } from '../tools/index.ts';
import type { Tools } from '../tools/index.ts';
import { kubectl, kubectlJson, useNamespace, waitFor } from './helpers.ts';
import { OperatorProcess } from './operator-process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const ARGOCD_CM = path.join(root, 'charts/dcos-operator/argocd/argocd-cm.yaml');
const FIXTURES_DIR = path.join(root, 'test/gitops/fixtures');
const EXAMPLES_DIR = path.join(root, 'charts/examples');
const API = 'dcos-operator.dev/v1alpha1';

type KStatus = 'Current' | 'InProgress' | 'Failed' | 'Terminating' | 'NotFound' | 'Unknown';
type ArgoHealth = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

interface Verdict<S> {
  status: S;
  message: string;
  error?: string;
}
interface Judged {
  kind: string;
  namespace?: string;
  name: string;
  kstatus: Verdict<KStatus>;
  argocd: Verdict<ArgoHealth>;
}

interface Cond {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; generation?: number; deletionTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: { observedGeneration?: number; conditions?: Cond[] } & Record<string, unknown>;
}

/** Which Argo CD health agrees with which kstatus status (Argo CD shows an object being deleted as
 * Progressing, "Pending deletion"). */
const AGREES: Record<KStatus, ArgoHealth[]> = {
  Current: ['Healthy', 'Suspended'],
  InProgress: ['Progressing'],
  Failed: ['Degraded'],
  Terminating: ['Progressing'],
  NotFound: ['Missing'],
  Unknown: ['Unknown'],
};

/**
 * The fixtures' expected verdicts: kind, phase (the fixture's metadata.name) → kstatus, Argo CD.
 * Every fixture has a row and every row a fixture.
 */
const EXPECTED: Array<[kind: string, phase: string, kstatus: KStatus, argocd: ArgoHealth]> = [
  ['MarathonApp', 'not-observed', 'InProgress', 'Progressing'],
  ['MarathonApp', 'progressing', 'InProgress', 'Progressing'],
  ['MarathonApp', 'retrying', 'InProgress', 'Progressing'],
  ['MarathonApp', 'ready', 'Current', 'Healthy'],
  ['MarathonApp', 'stalled', 'Failed', 'Degraded'],
  ['MarathonApp', 'scaled-to-zero', 'Current', 'Suspended'],
  ['MarathonApp', 'generation-moved', 'InProgress', 'Progressing'],
  ['MarathonApp', 'deleting', 'Terminating', 'Progressing'],
  ['UniversePackage', 'not-observed', 'InProgress', 'Progressing'],
  ['UniversePackage', 'progressing', 'InProgress', 'Progressing'],
  ['UniversePackage', 'ready', 'Current', 'Healthy'],
  ['UniversePackage', 'stalled', 'Failed', 'Degraded'],
  ['UniversePackage', 'generation-moved', 'InProgress', 'Progressing'],
  ['UniverseRepository', 'not-observed', 'InProgress', 'Progressing'],
  ['UniverseRepository', 'retrying', 'InProgress', 'Progressing'],
  ['UniverseRepository', 'ready', 'Current', 'Healthy'],
  ['UniverseRepository', 'stalled', 'Failed', 'Degraded'],
  ['UniverseRepository', 'generation-moved', 'InProgress', 'Progressing'],
  ['DcosCluster', 'not-observed', 'InProgress', 'Progressing'],
  ['DcosCluster', 'progressing', 'InProgress', 'Progressing'],
  ['DcosCluster', 'ready', 'Current', 'Healthy'],
  ['DcosCluster', 'stalled', 'Failed', 'Degraded'],
  ['DcosCluster', 'generation-moved', 'InProgress', 'Progressing'],
];

const HEALTH_KEY = 'resource.customizations.health.';
/** The scripts of argocd-cm.yaml as files, for gitops-health (set up by the suite). */
let luaDir = '';

/**
 * The scripts Argo CD would run, as gitops-health reads them (DIR/<group>_<Kind>.lua): taken from the
 * argocd-cm.yaml users install, one per resource.customizations.health key.
 */
async function scriptsFromArgocdCm(): Promise<string> {
  const cm = YAML.parse(readFileSync(ARGOCD_CM, 'utf8')) as { data: Record<string, string> };
  const dir = await mkdtemp(path.join(tmpdir(), 'argocd-health-'));
  for (const [key, script] of Object.entries(cm.data))
    if (key.startsWith(HEALTH_KEY))
      await writeFile(path.join(dir, `${key.slice(HEALTH_KEY.length)}.lua`), script);
  return dir;
}

/** Runs gitops-health over the objects: one verdict pair per object, in order. */
function judge(tools: Tools, objects: Obj[]): Promise<Judged[]> {
  return runHealth(tools, JSON.stringify(objects));
}

function runHealth(tools: Tools, input: string): Promise<Judged[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(tools.gitopsHealth, ['--lua-dir', luaDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`gitops-health exited ${code}: ${stderr.trim()}`));
      const lines = stdout.trim().split('\n').filter(Boolean);
      resolve(lines.map((l) => JSON.parse(l) as Judged));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** The one verdict pair of one object, with neither tool reporting an error. */
async function judgeOne(tools: Tools, obj: Obj, step: string): Promise<Judged> {
  if (process.env.GITOPS_CAPTURE_DIR) {
    await mkdir(process.env.GITOPS_CAPTURE_DIR, { recursive: true });
    await writeFile(path.join(process.env.GITOPS_CAPTURE_DIR, `${step}.json`), JSON.stringify(obj, null, 2));
  }
  const [j] = await judge(tools, [obj]);
  assert.ok(j, `a verdict for ${step}`);
  assert.equal(j.kstatus.error, undefined, `${step}: kstatus error`);
  assert.equal(j.argocd.error, undefined, `${step}: Argo CD error`);
  assert.ok(
    AGREES[j.kstatus.status].includes(j.argocd.status),
    `${step}: kstatus ${j.kstatus.status} but Argo CD ${j.argocd.status} (${JSON.stringify(j)})`,
  );
  return j;
}

function expectVerdict(j: Judged, kstatus: KStatus, argocd: ArgoHealth, what: string): void {
  assert.deepEqual(
    [j.kstatus.status, j.argocd.status],
    [kstatus, argocd],
    `${what}: ${JSON.stringify({ kstatus: j.kstatus, argocd: j.argocd })}`,
  );
}

const cond = (o: Obj, type: string) => o.status?.conditions?.find((c) => c.type === type);

function readFixtures(): Obj[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(path.join(FIXTURES_DIR, f), 'utf8')) as Obj[]);
}

describe('GitOps health: kstatus and Argo CD agree (integration)', function () {
  this.timeout(180_000);
  let tools: Tools;
  let op: OperatorProcess | undefined;

  before(async function () {
    this.timeout(20 * 60_000); // the first build of helm and gitops-health
    tools = await ensureTools();
    luaDir = await scriptsFromArgocdCm();
  });
  after(async () => {
    await op?.stop('SIGTERM');
    await rm(luaDir, { recursive: true, force: true });
  });

  describe('fixtures of every kind at every phase', () => {
    let fixtures: Obj[] = [];
    before(() => {
      fixtures = readFixtures();
    });

    it('every fixture has an expectation, every expectation a fixture, every kind is covered', () => {
      const have = fixtures.map((o) => `${o.kind}/${o.metadata.name}`).sort();
      const want = EXPECTED.map(([kind, phase]) => `${kind}/${phase}`).sort();
      assert.deepEqual(have, want);
      assert.deepEqual([...new Set(fixtures.map((o) => o.kind))].sort(), RESOURCES.map((r) => r.kind).sort());
    });

    it('carry status as the operator writes it (the status schema of their kind)', () => {
      for (const o of fixtures) {
        const resource = RESOURCES.find((r) => r.kind === o.kind)!;
        assert.equal(o.apiVersion, `${resource.group}/${resource.version}`);
        const parsed = resource.status.safeParse(o.status);
        assert.ok(parsed.success, `${o.kind}/${o.metadata.name}: ${JSON.stringify(parsed.error?.issues)}`);
        // After the first write, Ready, Reconciling and Stalled are all there, for the observed generation.
        if (o.metadata.name === 'not-observed') continue;
        for (const type of ['Ready', 'Reconciling', 'Stalled']) {
          const c = cond(o, type);
          assert.ok(c, `${o.kind}/${o.metadata.name} has ${type}`);
          assert.equal(
            c.observedGeneration,
            o.status?.observedGeneration,
            `${o.kind}/${o.metadata.name} ${type}`,
          );
        }
      }
    });

    it('their specs are accepted by the CRDs (server-side dry-run)', async () => {
      const items = fixtures.map(({ apiVersion, kind, metadata, spec }) => ({
        apiVersion,
        kind,
        metadata: { name: `${metadata.name}-${kind.toLowerCase()}`.slice(0, 63) },
        spec,
      }));
      await kubectl(['create', '--dry-run=server', '-n', 'default', '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
      });
    });

    for (const [kind, phase, kstatus, argocd] of EXPECTED) {
      it(`${kind} ${phase}: kstatus ${kstatus}, Argo CD ${argocd}`, async () => {
        const obj = fixtures.find((o) => o.kind === kind && o.metadata.name === phase)!;
        const [j] = await judge(tools, [obj]);
        assert.ok(j);
        assert.equal(j.kstatus.error, undefined);
        assert.equal(j.argocd.error, undefined);
        expectVerdict(j, kstatus, argocd, `${kind}/${phase}`);
        const stalled = cond(obj, 'Stalled');
        const ready = cond(obj, 'Ready');
        if (argocd === 'Degraded') {
          assert.equal(j.argocd.message, `${stalled!.reason}: ${stalled!.message}`);
          assert.equal(j.kstatus.message, stalled!.message);
        }
        if (argocd === 'Healthy') assert.equal(j.argocd.message, ready!.message);
        if (argocd === 'Suspended') assert.equal(j.argocd.message, 'Scaled to 0 instances');
        // Progressing says why with Ready's reason (Reconciling's is ProgressingWithRetry while retrying).
        if (phase === 'progressing' || phase === 'retrying')
          assert.equal(j.argocd.message, `${ready!.reason}: ${ready!.message}`);
        if (phase === 'not-observed' || phase === 'generation-moved')
          assert.equal(
            j.argocd.message,
            `Waiting for the operator to observe generation ${obj.metadata.generation}`,
          );
      });
    }

    it('gitops-health refuses input that is not Kubernetes objects, and names a kind without a script', async () => {
      await assert.rejects(runHealth(tools, '{"apiVersion":'), /exited 2: gitops-health: stdin is not JSON/);
      await assert.rejects(runHealth(tools, '[1]'), /item 0 is a JSON number, not a Kubernetes object/);
      const [cm] = await judge(tools, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }]);
      assert.equal(cm?.argocd.status, '');
      assert.match(cm?.argocd.error ?? '', /no health script ConfigMap\.lua/);
    });

    it('judges all fixtures in one run, in order', async () => {
      const judged = await judge(tools, fixtures);
      assert.deepEqual(
        judged.map((j) => `${j.kind}/${j.name}`),
        fixtures.map((o) => `${o.kind}/${o.metadata.name}`),
      );
    });
  });

  describe('live objects the operator writes', () => {
    const ns = useNamespace({ scope: 'suite', prefix: 'gitops' });
    const get = (kind: string, name: string) => kubectlJson<Obj>(['get', kind, name, '-n', ns()]);
    const create = (kind: string, name: string, spec: Record<string, unknown>) =>
      kubectl(['create', '-f', '-'], {
        input: JSON.stringify({ apiVersion: API, kind, metadata: { name, namespace: ns() }, spec }),
      });
    const web = { id: '/gitops/web', cmd: 'sleep 1000', cpus: 0.01, mem: 16, instances: 1 };

    it('a MarathonApp the operator has not seen yet: InProgress / Progressing', async () => {
      // Created while no operator runs: the CRD defaults status.observedGeneration to 0.
      await create('MarathonApp', 'web', web);
      const fresh = await get('marathonapp', 'web');
      assert.equal(fresh.metadata.generation, 1);
      assert.equal(fresh.status?.observedGeneration, 0);
      assert.equal(fresh.status?.conditions, undefined);
      const j = await judgeOne(tools, fresh, 'marathonapp-not-observed');
      expectVerdict(j, 'InProgress', 'Progressing', 'not observed');
      assert.equal(j.argocd.message, 'Waiting for the operator to observe generation 1');

      op = new OperatorProcess(['--leader-elect=false', '--http-bind-address=127.0.0.1:0']);
      await op.waitForLog(/^started leading/);
    });

    it('Ready (kubectl wait): Current / Healthy', async () => {
      const out = await kubectl([
        'wait',
        '--for=condition=Ready',
        'marathonapp/web',
        '-n',
        ns(),
        '--timeout=60s',
      ]);
      assert.match(out, /condition met/);
      const ready = await get('marathonapp', 'web');
      assert.equal(ready.status?.observedGeneration, 1);
      const j = await judgeOne(tools, ready, 'marathonapp-ready');
      expectVerdict(j, 'Current', 'Healthy', 'ready');
      assert.equal(j.argocd.message, cond(ready, 'Ready')?.message);
    });

    it('scaled to 0 instances: Progressing until observed, then Current / Suspended', async () => {
      await kubectl([
        'patch',
        'marathonapp',
        'web',
        '-n',
        ns(),
        '--type=merge',
        '-p',
        '{"spec":{"instances":0}}',
      ]);
      // Right after the patch both tools agree, whether or not the operator has caught up yet.
      const patched = await get('marathonapp', 'web');
      assert.equal(patched.metadata.generation, 2);
      const early = await judgeOne(tools, patched, 'marathonapp-scaling');
      if (patched.status?.observedGeneration === 1)
        expectVerdict(early, 'InProgress', 'Progressing', 'generation 2 not observed yet');

      const suspended = await waitFor(
        async () => {
          const o = await get('marathonapp', 'web');
          return o.status?.observedGeneration === 2 && cond(o, 'Ready')?.status === 'True' ? o : undefined;
        },
        { timeoutMs: 60_000, message: 'web scaled to 0 and Ready' },
      );
      const j = await judgeOne(tools, suspended, 'marathonapp-scaled-to-zero');
      expectVerdict(j, 'Current', 'Suspended', 'scaled to 0');
      assert.equal(j.argocd.message, 'Scaled to 0 instances');
    });

    it('waiting for a dependency: InProgress / Progressing', async () => {
      await create('MarathonApp', 'waiting', {
        ...web,
        id: '/gitops/waiting',
        dependencies: ['/gitops/absent'],
      });
      const waiting = await waitFor(
        async () => {
          const o = await get('marathonapp', 'waiting');
          return o.status?.observedGeneration === 1 && cond(o, 'Reconciling')?.status === 'True'
            ? o
            : undefined;
        },
        { timeoutMs: 60_000, message: 'waiting Reconciling' },
      );
      const j = await judgeOne(tools, waiting, 'marathonapp-progressing');
      expectVerdict(j, 'InProgress', 'Progressing', 'waiting for a dependency');
      assert.match(j.argocd.message, /^WaitingForDependencies: .*\/gitops\/absent/);
    });

    it('a definition the operator rejects and the CRD accepts: Failed / Degraded', async () => {
      // Two port definitions on one port: no structural schema catches it, Marathon's validation does.
      await create('MarathonApp', 'badports', {
        cmd: 'sleep 1',
        portDefinitions: [
          { port: 8080, name: 'a' },
          { port: 8080, name: 'b' },
        ],
      });
      await kubectl(['wait', '--for=condition=Stalled', 'marathonapp/badports', '-n', ns(), '--timeout=60s']);
      const stalled = await get('marathonapp', 'badports');
      const j = await judgeOne(tools, stalled, 'marathonapp-stalled');
      expectVerdict(j, 'Failed', 'Degraded', 'invalid definition');
      assert.match(j.argocd.message, /^InvalidSpec: /);
      assert.equal(j.kstatus.message, cond(stalled, 'Stalled')?.message);
    });

    it('a UniversePackage naming no known package: Failed / Degraded', async () => {
      await create('UniversePackage', 'nothing', { packageName: 'no-such-package' });
      const stalled = await waitFor(
        async () => {
          const o = await get('universepackage', 'nothing');
          return o.status?.observedGeneration === 1 && cond(o, 'Stalled')?.status === 'True' ? o : undefined;
        },
        { timeoutMs: 60_000, message: 'UniversePackage Stalled' },
      );
      const j = await judgeOne(tools, stalled, 'universepackage-stalled');
      expectVerdict(j, 'Failed', 'Degraded', 'unknown package');
      assert.match(j.argocd.message, /^PackageNotFound: /);
    });

    it('kubectl explain describes the fields a GitOps user edits and reads', async () => {
      const docker = await kubectl(['explain', 'marathonapp.spec.container.docker']);
      assert.match(docker, /DESCRIPTION:\s+Docker image settings\./);
      assert.match(docker, /FIELDS:[\s\S]*\bimage\b/);
      const conditions = await kubectl(['explain', 'marathonapp.status.conditions']);
      assert.match(conditions, /DESCRIPTION:\s+Latest observations of the object state/);
      assert.match(conditions, /FIELDS:[\s\S]*\bobservedGeneration\b[\s\S]*\breason\b/);
    });
  });

  describe('examples (charts/examples)', () => {
    const ns = useNamespace({ scope: 'suite', prefix: 'gitops-examples' });
    const created: { crds: string[]; namespaces: string[] } = { crds: [], namespaces: [] };

    before(async function () {
      this.timeout(120_000);
      for (const file of Object.values(tools.crds)) {
        const name = (await kubectl(['create', '--dry-run=client', '-o', 'name', '-f', file])).trim();
        const existed = (await kubectl(['get', name, '--ignore-not-found', '-o', 'name'])).trim() !== '';
        await kubectl(['apply', '--server-side', '--force-conflicts', '-f', file]);
        if (!existed) created.crds.push(name);
      }
      await kubectl([
        'wait',
        '--for=condition=Established',
        '--timeout=60s',
        ...Object.values(tools.crds).flatMap((f) => ['-f', f]),
      ]);
      for (const name of ['flux-system', 'argocd']) {
        const existed =
          (await kubectl(['get', 'namespace', name, '--ignore-not-found', '-o', 'name'])).trim() !== '';
        if (!existed) {
          await kubectl(['create', 'namespace', name]);
          created.namespaces.push(name);
        }
      }
      if (!op) {
        op = new OperatorProcess(['--leader-elect=false', '--http-bind-address=127.0.0.1:0']);
        await op.waitForLog(/^started leading/);
      }
    });
    after(async () => {
      if (process.env.KEEP_NAMESPACES) return;
      // Waited for: a run right after this one must not find them terminating. Nothing was stored in
      // them (dry-runs only), so this is quick.
      for (const name of created.namespaces) await kubectl(['delete', 'namespace', name, '--timeout=60s']);
      for (const name of created.crds) await kubectl(['delete', name, '--ignore-not-found', '--timeout=60s']);
    });

    it('the Flux GitRepository and Kustomization pass server-side dry-run', async () => {
      const out = await kubectl([
        'apply',
        '--dry-run=server',
        '--server-side',
        '-f',
        path.join(EXAMPLES_DIR, 'flux'),
      ]);
      assert.match(
        out,
        /gitrepository\.source\.toolkit\.fluxcd\.io\/dcos-apps serverside-applied \(server dry run\)/,
      );
      assert.match(
        out,
        /kustomization\.kustomize\.toolkit\.fluxcd\.io\/dcos-apps serverside-applied \(server dry run\)/,
      );
      const ks = await kubectlJson<{ spec: Record<string, unknown> }>([
        'create',
        '--dry-run=server',
        '-f',
        path.join(EXAMPLES_DIR, 'flux', 'apps-kustomization.yaml'),
      ]);
      // kubectl asks for strict field validation: a field the CRD does not know fails the dry-run.
      assert.equal(ks.spec.path, './charts/examples/apps');
      assert.equal(ks.spec.wait, true);
      assert.equal(ks.spec.prune, true);
    });

    it('the Argo CD Application passes server-side dry-run', async () => {
      const file = path.join(EXAMPLES_DIR, 'argocd', 'application.yaml');
      const app = await kubectlJson<{
        spec: { syncPolicy: { syncOptions: string[]; automated: Record<string, unknown> } };
      }>(['create', '--dry-run=server', '-f', file]);
      assert.ok(app.spec.syncPolicy.syncOptions.includes('ServerSideApply=true'));
      assert.equal(app.spec.syncPolicy.automated.selfHeal, true);
    });

    it('the sample apps become Ready: Current / Healthy', async () => {
      const dir = path.join(EXAMPLES_DIR, 'apps');
      await kubectl(['apply', '--dry-run=server', '--server-side', '-k', dir, '-n', ns()]);
      await kubectl(['apply', '--server-side', '-k', dir, '-n', ns()]);
      const names = (await kubectl(['get', 'marathonapps', '-n', ns(), '-o', 'name']))
        .trim()
        .split('\n')
        .sort();
      assert.deepEqual(names, ['marathonapp.dcos-operator.dev/web', 'marathonapp.dcos-operator.dev/worker']);
      for (const name of names) {
        const out = await kubectl(['wait', '--for=condition=Ready', name, '-n', ns(), '--timeout=90s'], {
          timeoutMs: 100_000,
        });
        assert.match(out, /condition met/);
        const obj = await kubectlJson<Obj>(['get', name, '-n', ns()]);
        const j = await judgeOne(tools, obj, `example-${obj.metadata.name}`);
        expectVerdict(j, 'Current', 'Healthy', name);
      }
    });
  });
});
