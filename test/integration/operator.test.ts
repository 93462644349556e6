// The walking skeleton end to end: a MarathonApp created with kubectl is seen by the operator's cache
// and gets kstatus conditions; status follows the generation; a no-op resync writes nothing; the
// operator survives the API server going away and its caches resume.
import assert from 'node:assert/strict';
import { stopComponent, startComponent } from '../../src/devcluster/index.ts';
import { kubectl, useNamespace, waitFor } from './helpers.ts';
import { OperatorProcess } from './operator-process.ts';

interface Cond {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}
interface App {
  metadata: { generation: number; resourceVersion: string };
  status?: { observedGeneration?: number; conditions?: Cond[] };
}

const appYaml = (ns: string, name: string, spec: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: 'dcos-operator.dev/v1alpha1',
    kind: 'MarathonApp',
    metadata: { name, namespace: ns },
    spec,
  });

async function getApp(ns: string, name: string): Promise<App> {
  return JSON.parse(await kubectl(['get', 'marathonapp', name, '-n', ns, '-o', 'json'])) as App;
}
const cond = (app: App, type: string) => app.status?.conditions?.find((c) => c.type === type);

describe('operator (walking skeleton)', function () {
  this.timeout(120_000);
  const ns = useNamespace();
  let op: OperatorProcess;

  before(async () => {
    op = new OperatorProcess([
      '--leader-elect=false',
      '--http-bind-address=127.0.0.1:0',
      '--resync-period=1s',
    ]);
    await op.waitForLog(/^started leading/);
  });
  after(async () => {
    const { code } = await op.stop('SIGTERM');
    assert.equal(code, 0, 'SIGTERM is a graceful exit');
  });

  it('reconciles a MarathonApp created with kubectl and reports Ready with observedGeneration', async () => {
    await kubectl(['apply', '-f', '-'], { input: appYaml(ns(), 'web', { cmd: 'sleep 1000', instances: 2 }) });
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/web', '-n', ns(), '--timeout=30s']);
    const app = await getApp(ns(), 'web');
    assert.equal(app.status?.observedGeneration, 1);
    for (const type of ['Ready', 'Reconciling', 'Stalled'])
      assert.equal(cond(app, type)?.observedGeneration, 1, type);
    assert.equal(cond(app, 'Ready')?.status, 'True');
    assert.equal(cond(app, 'Stalled')?.status, 'False');

    await kubectl([
      'patch',
      'marathonapp',
      'web',
      '-n',
      ns(),
      '--type=merge',
      '-p',
      '{"spec":{"instances":3}}',
    ]);
    const updated = await waitFor(async () => {
      const a = await getApp(ns(), 'web');
      return a.status?.observedGeneration === 2 ? a : undefined;
    });
    assert.equal(updated.metadata.generation, 2);
    assert.ok(updated.status?.conditions?.every((c) => c.observedGeneration === 2));
  });

  it('makes no write when a resync finds nothing to change', async () => {
    await kubectl(['apply', '-f', '-'], { input: appYaml(ns(), 'idle', { cmd: 'sleep 1000' }) });
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/idle', '-n', ns(), '--timeout=30s']);
    // Earlier tests' namespaces are still being deleted; their apps would be reconciled (and fail) meanwhile.
    await waitFor(
      async () =>
        !(await kubectl(['get', 'namespaces', '--no-headers']))
          .split('\n')
          .some((l) => /\sTerminating\s/.test(l)),
      { timeoutMs: 90_000, message: 'earlier test namespaces to be gone' },
    );
    const before = await getApp(ns(), 'idle');
    const reconciles = await op.metric('controller_runtime_reconcile_total', { controller: 'marathonapp' });
    const patches = await op.metric('rest_client_requests_total', { method: 'PATCH' });
    await new Promise((r) => setTimeout(r, 3500)); // three resync periods
    const after = await getApp(ns(), 'idle');
    assert.ok(
      (await op.metric('controller_runtime_reconcile_total', { controller: 'marathonapp' })) >=
        reconciles + 2,
      'resyncs did reconcile',
    );
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(
      await op.metric('rest_client_requests_total', { method: 'PATCH' }),
      patches,
      'no PATCH during resyncs',
    );
  });

  it('marks a definition the schema cannot catch as Stalled with reason InvalidSpec', async () => {
    // An env entry naming a secret the app does not declare has no structural schema form: the
    // API server accepts it and the operator's Marathon validation rejects it.
    const spec = { cmd: 'sleep 1', env: { PASSWORD: { secret: 'undeclared' } } };
    await kubectl(['apply', '-f', '-'], { input: appYaml(ns(), 'bad', spec) });
    await kubectl(['wait', '--for=condition=Stalled', 'marathonapp/bad', '-n', ns(), '--timeout=30s']);
    const app = await getApp(ns(), 'bad');
    assert.equal(cond(app, 'Stalled')?.reason, 'InvalidSpec');
    assert.match(cond(app, 'Stalled')?.message ?? '', /env\/PASSWORD/);
    assert.equal(cond(app, 'Ready')?.status, 'False');
    assert.equal(op.proc.exitCode, null, 'the operator did not crash');
  });

  it('survives the API server going away and resumes its caches', async () => {
    await stopComponent('kube-apiserver');
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal(op.proc.exitCode, null, 'still running while the API server is down');
    await startComponent('kube-apiserver');
    await waitFor(async () => (await op.get('/readyz')).status === 200, { timeoutMs: 60_000 });
    assert.ok((await op.metric('dcos_operator_informer_restarts_total')) >= 1, 'the watch was restarted');
    await kubectl(['apply', '-f', '-'], { input: appYaml(ns(), 'after-outage', { cmd: 'sleep 1000' }) });
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/after-outage', '-n', ns(), '--timeout=60s']);
    assert.equal(op.proc.exitCode, null);
  });
});
