import assert from 'node:assert/strict';
import type { AgentPool } from '@azure/arm-containerservice';
import { OWNER_TAG_KEY } from './agent-pool-plan.ts';
import { poolActions } from './pool-actions.ts';
import type { DesiredPool, PoolActionInput } from './pool-actions.ts';

const OWNER = 'ns/prod';
const body = (over: AgentPool = {}): AgentPool => ({
  count: 2,
  vmSize: 'Standard_D2s_v3',
  osType: 'Linux',
  mode: 'User',
  nodeLabels: { 'dcos-operator.dev/mesos-role': 'slave' },
  nodeTaints: [],
  tags: { [OWNER_TAG_KEY]: OWNER },
  ...over,
});
const want = (name: string, over: AgentPool = {}): DesiredPool => ({ name, body: body(over) });
const have = (name: string, over: AgentPool = {}): AgentPool => ({
  name,
  provisioningState: 'Succeeded',
  maxPods: 110,
  osDiskSizeGB: 128,
  ...body(over),
});
const run = (input: Partial<PoolActionInput>) =>
  poolActions({ desired: [], actual: [], pending: new Set(), ownerTag: OWNER, deleting: false, ...input });
const kinds = (actions: ReturnType<typeof run>) => actions.map((a) => `${a.name}:${a.kind}`);

describe('poolActions', () => {
  it('creates missing pools and leaves matching ones alone (server defaults are not drift)', () => {
    const actions = run({ desired: [want('private'), want('public')], actual: [have('private')] });
    assert.deepEqual(kinds(actions), ['private:in-sync', 'public:create']);
  });

  it('polls a pool with an operation in flight instead of writing again', () => {
    const actions = run({
      desired: [want('private', { count: 5 })],
      actual: [have('private')],
      pending: new Set(['private']),
    });
    assert.deepEqual(kinds(actions), ['private:poll']);
  });

  it('updates a pool whose count changed, and re-puts a Failed pool to repair it', () => {
    const actions = run({
      desired: [want('a', { count: 5 }), want('b')],
      actual: [have('a'), have('b', { provisioningState: 'Failed' })],
    });
    assert.deepEqual(kinds(actions), ['a:update', 'b:update']);
    const a = actions[0] as Extract<(typeof actions)[number], { kind: 'update' }>;
    assert.equal(a.body.count, 5);
  });

  it('waits while Azure is busy with a pool it did not start', () => {
    const actions = run({
      desired: [want('a', { count: 3 })],
      actual: [have('a', { provisioningState: 'Scaling' })],
    });
    assert.deepEqual(actions, [{ kind: 'wait', name: 'a', state: 'Scaling' }]);
  });

  it('deletes owned pools no longer desired, never pools it does not own', () => {
    const actions = run({
      desired: [want('a')],
      actual: [
        have('a'),
        have('gone'),
        have('nodepool1', { tags: {} }),
        have('other', { tags: { [OWNER_TAG_KEY]: 'ns/another' } }),
      ],
    });
    assert.deepEqual(kinds(actions), ['a:in-sync', 'gone:delete']);
  });

  it('reports a desired pool that exists under another owner, without touching it', () => {
    const actions = run({
      desired: [want('a')],
      actual: [have('a', { tags: { [OWNER_TAG_KEY]: 'ns/another' } })],
    });
    assert.deepEqual(actions, [{ kind: 'not-owned', name: 'a', owner: 'ns/another' }]);
  });

  it('asks for a replacement when an immutable field changed', () => {
    const actions = run({ desired: [want('a', { vmSize: 'Standard_D8s_v3' })], actual: [have('a')] });
    assert.equal(actions[0]?.kind, 'immutable');
    assert.deepEqual((actions[0] as { fields: string[] }).fields, ['vmSize']);
  });

  it('removes every owned pool when the cluster is deleted, waiting for busy ones', () => {
    const actions = run({
      desired: [want('a'), want('b'), want('c')],
      actual: [have('a'), have('b', { provisioningState: 'Updating' }), have('foreign', { tags: {} })],
      pending: new Set(['c']),
      deleting: true,
    });
    assert.deepEqual(kinds(actions), ['a:delete', 'b:wait', 'c:poll']);
  });
});
