import assert from 'node:assert/strict';
import { FakeClock } from '../../runtime/clock.ts';
import type { Clock } from '../../runtime/clock.ts';
import { ArmError } from './errors.ts';
import type { AgentPoolSnapshot, ClusterInfo } from './model.ts';
import { AksState } from './state.ts';
import type { AksStateOptions } from './state.ts';

const SUB = '00000000-0000-0000-0000-000000000001';
const ref = { subscriptionId: SUB, resourceGroup: 'rg', cluster: 'c1' };
const poolRef = (pool: string) => ({ ...ref, pool });
const body = (properties: Record<string, unknown>) => ({ properties });
const user = (count: number, extra: Record<string, unknown> = {}) => body({ count, mode: 'User', ...extra });

function setup(opts: AksStateOptions = {}) {
  const clock = new FakeClock();
  let n = 0;
  const state = new AksState({
    clock,
    operationDurationMs: 1000,
    newId: () => `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}`,
    ...opts,
  });
  return { clock, state };
}

function armError(status: number, code: string, message?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof ArmError, String(err));
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  };
}

const stateOf = (s: AksState, pool: string) => s.getPool(poolRef(pool)).snapshot.properties.provisioningState;

describe('aks emulator state', () => {
  describe('clusters', () => {
    it('creates an unknown cluster on first use, with the System pool nodepool1', () => {
      const { state } = setup();
      assert.deepEqual(state.pools(ref), [], 'pools() only looks');
      const { info, pools } = state.getCluster(ref);
      assert.deepEqual(info, { ...ref, location: 'eastus', kubernetesVersion: '1.33.5' });
      assert.equal(pools.length, 1);
      const seed = pools[0]?.snapshot;
      assert.equal(seed?.name, 'nodepool1');
      assert.equal(seed?.properties.provisioningState, 'Succeeded');
      assert.equal(seed?.properties.mode, 'System');
      assert.equal(seed?.live?.count, 1);
      assert.equal(
        seed?.id,
        `/subscriptions/${SUB}/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/c1/agentPools/nodepool1`,
      );
    });

    it('matches clusters case-insensitively and keeps the casing they were created with', () => {
      const { state } = setup();
      state.getCluster({ ...ref, resourceGroup: 'MyRG', cluster: 'Prod' });
      const again = state.getCluster({ ...ref, resourceGroup: 'myrg', cluster: 'PROD' });
      assert.equal(again.info.cluster, 'Prod');
      assert.match(again.pools[0]?.snapshot.id ?? '', /\/resourcegroups\/MyRG\/.*managedClusters\/Prod\//);
    });

    it('answers ResourceNotFound for unknown clusters when auto-creation is off, until addCluster', () => {
      const { state } = setup({ autoCreateClusters: false });
      assert.throws(
        () => state.getPool(poolRef('nodepool1')),
        armError(
          404,
          'ResourceNotFound',
          /Microsoft.ContainerService\/managedClusters\/c1' under resource group 'rg'/,
        ),
      );
      assert.throws(() => state.putPool(poolRef('p'), user(1)), armError(404, 'ResourceNotFound'));
      state.addCluster(ref, { kubernetesVersion: '1.32.7', location: 'westeurope' });
      const seed = state.getPool(poolRef('nodepool1')).snapshot;
      assert.equal(seed.properties.currentOrchestratorVersion, '1.32.7');
      assert.equal(state.clusterInfo(ref)?.location, 'westeurope');
    });

    it('does not auto-create clusters whose names AKS would refuse', () => {
      const { state } = setup();
      assert.throws(() => state.getCluster({ ...ref, cluster: '-bad-' }), armError(404, 'ResourceNotFound'));
    });
  });

  describe('operations', () => {
    it('runs a create as Creating until the operation is due, then Succeeded with live machines', () => {
      const { state, clock } = setup();
      const put = state.putPool(poolRef('user1'), user(2));
      assert.equal(put.created, true);
      assert.equal(put.pool.snapshot.properties.provisioningState, 'Creating');
      assert.equal(put.pool.snapshot.live, undefined);
      assert.equal(put.operation.status, 'InProgress');
      assert.equal(put.operation.kind, 'create');
      clock.advance(999);
      assert.equal(stateOf(state, 'user1'), 'Creating');
      assert.equal(state.operation(put.operation.id)?.status, 'InProgress');
      clock.advance(1);
      assert.equal(stateOf(state, 'user1'), 'Succeeded');
      const op = state.operation(put.operation.id);
      assert.equal(op?.status, 'Succeeded');
      assert.equal(op?.endTime, '2030-01-01T00:00:01.0000000Z');
      assert.equal(op?.startTime, '2030-01-01T00:00:00.0000000Z');
      assert.equal(state.getPool(poolRef('user1')).snapshot.live?.count, 2);
    });

    it('completes operations lazily when state is read, without any timer firing', () => {
      let now = 0;
      const clock: Clock = { now: () => now, wallNow: () => now, setTimeout: () => () => {} };
      const state = new AksState({ clock, operationDurationMs: 500 });
      const { operation } = state.putPool(poolRef('user1'), user(1));
      now = 499;
      assert.equal(stateOf(state, 'user1'), 'Creating');
      now = 10_000;
      assert.equal(state.operation(operation.id)?.status, 'Succeeded');
      assert.equal(
        state.operation(operation.id)?.endTime,
        '1970-01-01T00:00:00.5000000Z',
        'ended when due, not when read',
      );
      assert.equal(stateOf(state, 'user1'), 'Succeeded');
    });

    it('shows Scaling for a count change, Updating for anything else, Upgrading for a version change', () => {
      const { state, clock } = setup({ defaultKubernetesVersion: '1.33.5' });
      state.putPool(poolRef('user1'), user(1, { orchestratorVersion: '1.32.1' }));
      clock.advance(1000);
      assert.equal(
        state.putPool(poolRef('user1'), user(3)).pool.snapshot.properties.provisioningState,
        'Scaling',
      );
      clock.advance(1000);
      const relabel = state.putPool(poolRef('user1'), body({ nodeLabels: { a: 'b' } }));
      assert.equal(relabel.pool.snapshot.properties.provisioningState, 'Updating');
      assert.equal(relabel.created, false);
      clock.advance(1000);
      const upgrade = state.putPool(poolRef('user1'), body({ orchestratorVersion: '1.33.5' }));
      assert.equal(upgrade.pool.snapshot.properties.provisioningState, 'Upgrading');
      clock.advance(1000);
      const stop = state.putPool(poolRef('user1'), body({ powerState: { code: 'Stopped' } }));
      assert.equal(stop.pool.snapshot.properties.provisioningState, 'Stopping');
    });

    it('keeps the machines as they were until an update succeeds', () => {
      const { state, clock } = setup();
      state.putPool(poolRef('user1'), user(2, { nodeLabels: { v: '1' } }));
      clock.advance(1000);
      const put = state.putPool(poolRef('user1'), user(5, { nodeLabels: { v: '2' } }));
      assert.equal(put.pool.snapshot.properties.count, 5, 'ARM shows the desired count at once');
      assert.equal(put.pool.snapshot.live?.count, 2);
      assert.deepEqual(put.pool.snapshot.live?.nodeLabels, { v: '1' });
      clock.advance(1000);
      const live = state.getPool(poolRef('user1')).snapshot.live;
      assert.equal(live?.count, 5);
      assert.deepEqual(live?.nodeLabels, { v: '2' });
    });

    it("refuses a second write while one runs, with AKS's OperationNotAllowed message", () => {
      const { state, clock } = setup();
      state.putPool(poolRef('user1'), user(1));
      const busy =
        'Operation is not allowed: Another agentpool operation (user1 - Creating) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details';
      assert.throws(
        () => state.putPool(poolRef('user1'), user(2)),
        new ArmError(409, 'OperationNotAllowed', busy),
      );
      assert.throws(() => state.putPool(poolRef('user1'), user(2)), armError(409, 'OperationNotAllowed'));
      assert.throws(
        () => state.deletePool(poolRef('user1')),
        armError(409, 'OperationNotAllowed', /user1 - Creating/),
      );
      clock.advance(1000);
      assert.equal(
        state.putPool(poolRef('user1'), user(2)).pool.snapshot.properties.provisioningState,
        'Scaling',
      );
      assert.throws(
        () => state.deletePool(poolRef('user1')),
        armError(409, 'OperationNotAllowed', /user1 - Scaling/),
      );
    });

    it('lets writes to other pools run at the same time', () => {
      const { state } = setup();
      state.putPool(poolRef('user1'), user(1));
      assert.equal(state.putPool(poolRef('user2'), user(1)).created, true);
    });

    it('deletes a pool through Deleting; deleting a missing pool starts nothing', () => {
      const { state, clock } = setup();
      state.putPool(poolRef('user1'), user(1));
      clock.advance(1000);
      const op = state.deletePool(poolRef('user1'));
      assert.equal(op?.kind, 'delete');
      assert.equal(stateOf(state, 'user1'), 'Deleting');
      clock.advance(1000);
      assert.throws(() => state.getPool(poolRef('user1')), armError(404, 'NotFound'));
      assert.equal(state.operation(op?.id ?? '')?.status, 'Succeeded');
      assert.equal(state.deletePool(poolRef('user1')), undefined);
    });

    it('refuses to delete the last System pool', () => {
      const { state, clock } = setup();
      assert.throws(
        () => state.deletePool(poolRef('nodepool1')),
        armError(400, 'OperationNotAllowed', /^There has to be at least one agent pool\.$/),
      );
      state.putPool(poolRef('user1'), user(1));
      assert.throws(
        () => state.deletePool(poolRef('nodepool1')),
        armError(400, 'OperationNotAllowed', /at least one system agent pool/),
      );
      state.putPool(poolRef('sys2'), body({ count: 1, mode: 'System' }));
      clock.advance(1000);
      state.deletePool(poolRef('nodepool1'));
      assert.throws(() => state.deletePool(poolRef('sys2')), armError(400, 'OperationNotAllowed'));
    });

    it('ends an operation Failed when fault injection says so, keeping the previous machines', () => {
      let fail = false;
      const { state, clock } = setup({ operationFails: () => fail });
      state.putPool(poolRef('user1'), user(2));
      clock.advance(1000);
      fail = true;
      const put = state.putPool(poolRef('user1'), user(4));
      clock.advance(1000);
      const op = state.operation(put.operation.id);
      assert.equal(op?.status, 'Failed');
      assert.equal(op?.error?.code, 'InternalOperationError');
      assert.match(op?.error?.message ?? '', /user1/);
      const pool = state.getPool(poolRef('user1')).snapshot;
      assert.equal(pool.properties.provisioningState, 'Failed');
      assert.equal(pool.properties.count, 4);
      assert.equal(pool.live?.count, 2);
      fail = false;
      state.putPool(poolRef('user1'), user(4));
      clock.advance(1000);
      assert.equal(state.getPool(poolRef('user1')).snapshot.live?.count, 4, 'a later PUT repairs it');
    });

    it('leaves a pool whose create failed without machines', () => {
      const { state, clock } = setup({ operationFails: () => true });
      state.putPool(poolRef('user1'), user(2));
      clock.advance(1000);
      const pool = state.getPool(poolRef('user1')).snapshot;
      assert.equal(pool.properties.provisioningState, 'Failed');
      assert.equal(pool.live, undefined);
    });
  });

  describe('abort', () => {
    it('cancels the running operation: Canceling, then Canceled', () => {
      const { state, clock } = setup({ abortDurationMs: 1000 });
      const put = state.putPool(poolRef('user1'), user(2));
      clock.advance(500);
      const abort = state.abortPool(poolRef('user1'));
      assert.equal(abort.kind, 'abort');
      assert.equal(abort.aborts, put.operation.id);
      assert.equal(stateOf(state, 'user1'), 'Canceling');
      assert.throws(
        () => state.abortPool(poolRef('user1')),
        armError(409, 'OperationNotAllowed', /user1 - Canceling/),
      );
      assert.throws(() => state.putPool(poolRef('user1'), user(3)), armError(409, 'OperationNotAllowed'));
      clock.advance(600);
      assert.equal(
        state.operation(put.operation.id)?.status,
        'InProgress',
        'the original due time no longer counts',
      );
      clock.advance(400);
      assert.equal(stateOf(state, 'user1'), 'Canceled');
      assert.equal(state.operation(put.operation.id)?.status, 'Canceled');
      assert.equal(state.operation(abort.id)?.status, 'Succeeded');
      assert.equal(
        state.getPool(poolRef('user1')).snapshot.live,
        undefined,
        'a cancelled create has no machines',
      );
      state.putPool(poolRef('user1'), user(2));
    });

    it('answers 409 when nothing is running', () => {
      const { state } = setup();
      assert.throws(
        () => state.abortPool(poolRef('nodepool1')),
        armError(409, 'OperationNotAllowed', /no operation in progress/),
      );
      assert.throws(() => state.abortPool(poolRef('nope')), armError(404, 'NotFound'));
    });
  });

  describe('eTags', () => {
    it('change on every write and guard PUT and DELETE through If-Match and If-None-Match', () => {
      const { state, clock } = setup();
      const first = state.putPool(poolRef('user1'), user(1), { ifNoneMatch: '*' });
      const tag1 = first.pool.snapshot.properties.eTag;
      clock.advance(1000);
      assert.throws(
        () => state.putPool(poolRef('user1'), user(2), { ifNoneMatch: '*' }),
        armError(412, 'PreconditionFailed'),
      );
      assert.throws(
        () => state.putPool(poolRef('user1'), user(2), { ifMatch: 'stale' }),
        armError(412, 'PreconditionFailed'),
      );
      const second = state.putPool(poolRef('user1'), user(2), { ifMatch: `"${tag1}"` });
      const tag2 = second.pool.snapshot.properties.eTag;
      assert.notEqual(tag2, tag1);
      clock.advance(1000);
      assert.throws(
        () => state.deletePool(poolRef('user1'), { ifMatch: tag1 }),
        armError(412, 'PreconditionFailed'),
      );
      assert.throws(
        () => state.putPool(poolRef('user9'), user(1), { ifMatch: '*' }),
        armError(412, 'PreconditionFailed'),
      );
      state.deletePool(poolRef('user1'), { ifMatch: '*' });
    });
  });

  describe('autoscale', () => {
    it('moves the count of an autoscaled pool within its bounds, machines included', () => {
      const { state, clock } = setup();
      state.putPool(poolRef('auto'), user(2, { enableAutoScaling: true, minCount: 1, maxCount: 4 }));
      clock.advance(1000);
      const before = state.getPool(poolRef('auto')).snapshot.properties.eTag;
      const after = state.autoscale(poolRef('auto'), 4);
      assert.equal(after.properties.count, 4);
      assert.equal(after.live?.count, 4);
      assert.equal(after.properties.provisioningState, 'Succeeded');
      assert.notEqual(after.properties.eTag, before);
      assert.throws(() => state.autoscale(poolRef('auto'), 5), RangeError);
      assert.throws(() => state.autoscale(poolRef('auto'), 0), RangeError);
    });

    it('refuses pools without autoscaling and pools with an operation running', () => {
      const { state } = setup();
      assert.throws(() => state.autoscale(poolRef('nodepool1'), 2), /does not have autoscaling enabled/);
      state.putPool(poolRef('auto'), user(2, { enableAutoScaling: true, minCount: 1, maxCount: 4 }));
      assert.throws(() => state.autoscale(poolRef('auto'), 3), /operation in progress/);
    });
  });

  describe('onPoolsChanged', () => {
    it('reports accepted writes, completed operations (by timer), autoscaling and deletions', async () => {
      const { state, clock } = setup();
      state.addCluster(ref, { location: 'westus2' });
      const seen: { cluster: ClusterInfo; pools: AgentPoolSnapshot[] }[] = [];
      const off = state.onPoolsChanged((cluster, pools) => seen.push({ cluster, pools }));
      const summary = () =>
        seen.map((e) =>
          e.pools.map((p) => `${p.name}:${p.properties.provisioningState}:${p.live?.count ?? '-'}`).join(','),
        );

      state.putPool(poolRef('auto'), user(2, { enableAutoScaling: true, minCount: 1, maxCount: 4 }));
      await clock.tick(1000);
      state.autoscale(poolRef('auto'), 3);
      state.deletePool(poolRef('auto'));
      await clock.tick(1000);
      assert.deepEqual(summary(), [
        'nodepool1:Succeeded:1,auto:Creating:-',
        'nodepool1:Succeeded:1,auto:Succeeded:2',
        'nodepool1:Succeeded:1,auto:Succeeded:3',
        'nodepool1:Succeeded:1,auto:Deleting:3',
        'nodepool1:Succeeded:1',
      ]);
      assert.equal(seen[0]?.cluster.location, 'westus2');
      assert.equal(seen[0]?.cluster.cluster, 'c1');

      off();
      state.putPool(poolRef('later'), user(1));
      assert.equal(seen.length, 5);
    });

    it('does not fire for reads, and survives a listener that throws', () => {
      const logs: string[] = [];
      const { state } = setup({ log: (m) => logs.push(m) });
      state.getCluster(ref);
      let calls = 0;
      state.onPoolsChanged(() => {
        calls++;
        throw new Error('boom');
      });
      state.getPool(poolRef('nodepool1'));
      state.listPools(ref);
      assert.equal(calls, 0);
      state.putPool(poolRef('user1'), user(1));
      assert.equal(calls, 1);
      assert.ok(logs.some((l) => l.includes('listener threw: Error: boom')));
    });
  });

  it('forgets the oldest finished operations beyond its history limit', () => {
    const { state, clock } = setup({ operationHistory: 2 });
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      ids.push(state.putPool(poolRef('user1'), user(i)).operation.id);
      clock.advance(1000);
    }
    assert.equal(state.operation(ids[0] ?? ''), undefined);
    assert.equal(state.operation(ids[2] ?? '')?.status, 'Succeeded');
  });

  it('cancels its timers on dispose', () => {
    const { state, clock } = setup();
    state.putPool(poolRef('user1'), user(1));
    assert.equal(clock.pending(), 1);
    state.dispose();
    assert.equal(clock.pending(), 0);
  });
});
