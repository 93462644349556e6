// The gateway against the AKS emulator over HTTPS with the real SDK: operations are started, serialized,
// resumed by another gateway (as after an operator restart) and classified when they fail.
import assert from 'node:assert/strict';
import type { AgentPool } from '@azure/arm-containerservice';
import { AgentPoolsGateway, ArmCallError } from './agent-pools.ts';
import type { ManagedClusterRef, PendingOperation, PollOutcome } from './agent-pools.ts';
import { emulatorCredential } from './arm-client.ts';
import { startAksEmulator } from './emulator/index.ts';
import type { AksEmulator } from './emulator/index.ts';

const ref: ManagedClusterRef = {
  subscriptionId: '11111111-2222-3333-4444-555555555555',
  resourceGroup: 'rg',
  clusterName: 'dcos',
};
const pool: AgentPool = {
  count: 2,
  vmSize: 'Standard_D2s_v3',
  osType: 'Linux',
  mode: 'User',
  nodeLabels: {},
  nodeTaints: [],
};

describe('AgentPoolsGateway (against the AKS emulator)', function () {
  this.timeout(20_000);
  let emulator: AksEmulator;
  const gateway = (writesPerSecond = 10) =>
    new AgentPoolsGateway(
      { endpoint: emulator.endpoint, credential: emulatorCredential, caPem: emulator.caPem },
      { writesPerSecond, pollIntervalMs: 20 },
    );

  before(async () => {
    emulator = await startAksEmulator({ operationDurationMs: 300 });
  });
  after(() => emulator.close());
  beforeEach(() => emulator.setFaults({}));

  async function until(
    g: AgentPoolsGateway,
    op: PendingOperation,
  ): Promise<Exclude<PollOutcome, { done: false }>> {
    for (let i = 0; i < 100; i++) {
      const out = await g.poll(ref, op);
      if (out.done) return out;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('operation did not finish');
  }

  it('starts a create without waiting for it, and another gateway finishes the same operation', async () => {
    const first = gateway();
    const started = await first.put(ref, 'resume', pool);
    assert.equal(started.kind, 'started');
    const op = (started as { operation: PendingOperation }).operation;
    assert.equal(op.kind, 'put');
    const state = JSON.parse(op.state) as { state: { config: { operationLocation: string } } };
    assert.match(state.state.config.operationLocation, /\/operations\/[0-9a-f-]{36}/);
    // A new gateway (a restarted operator) with only the serialized state.
    const done = await until(gateway(), op);
    assert.ok('pool' in done && done.pool);
    assert.equal(done.pool.provisioningState, 'Succeeded');
    assert.equal(done.pool.maxPods, 110, 'server defaults come back');
    const puts = emulator.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/agentPools/resume'));
    assert.equal(puts.length, 1);
    const listed = await first.list(ref);
    assert.ok(listed.some((p) => p.name === 'resume' && p.count === 2));
  });

  it('answers 409 OperationNotAllowed as busy while another operation runs on the pool', async () => {
    const g = gateway();
    const started = await g.put(ref, 'busy', pool);
    assert.equal(started.kind, 'started');
    await assert.rejects(g.put(ref, 'busy', { ...pool, count: 3 }), (err: unknown) => {
      assert.ok(err instanceof ArmCallError);
      assert.equal(err.arm.class, 'busy');
      assert.equal(err.arm.code, 'OperationNotAllowed');
      assert.match(err.arm.message, /Another agentpool operation \(busy - Creating\) is in progress/);
      return true;
    });
    await until(g, (started as { operation: PendingOperation }).operation);
  });

  it('reports a failed operation with ARM code and message, as an outcome', async () => {
    const g = gateway();
    emulator.setFaults({ failOperationRate: 1, seed: 1 });
    const started = await g.put(ref, 'doomed', pool);
    emulator.setFaults({});
    assert.equal(started.kind, 'started');
    const out = await until(g, (started as { operation: PendingOperation }).operation);
    assert.ok('error' in out);
    assert.equal(out.error.class, 'operation-failed');
    assert.equal(out.error.code, 'InternalOperationError');
    assert.ok(out.error.message.length > 0);
  });

  it('rejects an invalid pool name with AKS’s InvalidParameter, classified as invalid', async () => {
    await assert.rejects(gateway().put(ref, 'Bad_Name', pool), (err: unknown) => {
      assert.ok(err instanceof ArmCallError);
      assert.equal(err.arm.class, 'invalid');
      assert.equal(err.arm.code, 'InvalidParameter');
      assert.equal(err.arm.statusCode, 400);
      return true;
    });
  });

  it('keeps writes under its per-subscription budget without sending the excess', async () => {
    const g = gateway(2);
    const before = emulator.requests.filter((r) => r.method === 'PUT').length;
    const outcomes = await Promise.all(['ra', 'rb', 'rc', 'rd'].map((n) => g.put(ref, n, pool)));
    const limited = outcomes.filter((o) => o.kind === 'rate-limited');
    assert.equal(limited.length, 2);
    assert.ok(limited.every((o) => o.kind === 'rate-limited' && o.retryAfterMs >= 500));
    assert.equal(emulator.requests.filter((r) => r.method === 'PUT').length - before, 2);
  });

  it('deletes a pool; deleting it again is done at once', async () => {
    const g = gateway();
    const created = await g.put(ref, 'gone', pool);
    await until(g, (created as { operation: PendingOperation }).operation);
    const started = await g.delete(ref, 'gone');
    assert.equal(started.kind, 'started');
    const out = await until(g, (started as { operation: PendingOperation }).operation);
    assert.ok(!('error' in out));
    assert.ok(!(await g.list(ref)).some((p) => p.name === 'gone'));
    assert.deepEqual(await g.delete(ref, 'gone'), { kind: 'done' });
  });
});
