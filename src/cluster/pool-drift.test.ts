import assert from 'node:assert/strict';
import type { AgentPool } from '@azure/arm-containerservice';
import { planCluster } from './agent-pool-plan.ts';
import { poolUpdate } from './pool-drift.ts';
import { def, privatePool } from './test-definitions.ts';

const SPOT_LABEL = 'kubernetes.azure.com/scalesetpriority';
const SPOT_TAINT = 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule';

const desiredPool = (extra: AgentPool = {}): AgentPool => ({
  count: 3,
  vmSize: 'Standard_D2s_v3',
  osType: 'Linux',
  mode: 'User',
  nodeLabels: { 'dcos-operator.dev/mesos-role': 'slave', 'attribute.dcos-operator.dev/rack': 'r1' },
  nodeTaints: ['dcos-operator.dev/public-agent=true:NoSchedule', 'b=1:NoExecute'],
  tags: { 'dcos-operator-cluster': 'ns/c' },
  enableAutoScaling: false,
  osDiskType: 'Managed',
  availabilityZones: ['1', '2'],
  ...extra,
});

/** What AKS reports for a pool created from `desired`: ids, state and server defaults added. */
const reported = (desired: AgentPool, extra: AgentPool = {}): AgentPool => ({
  ...structuredClone(desired),
  id: '/subscriptions/s/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/c/agentPools/p',
  name: 'p',
  type: 'Microsoft.ContainerService/managedClusters/agentPools',
  provisioningState: 'Succeeded',
  currentOrchestratorVersion: '1.30.5',
  orchestratorVersion: '1.30',
  nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202501.01.0',
  maxPods: 110,
  osDiskSizeGB: 128,
  osSKU: 'Ubuntu',
  typePropertiesType: 'VirtualMachineScaleSets',
  powerState: { code: 'Running' },
  upgradeSettings: { maxSurge: '10%' },
  ...extra,
});

describe('poolUpdate', () => {
  it('sees no drift in a pool as AKS reports it after creation', () => {
    const desired = desiredPool();
    assert.deepEqual(poolUpdate(desired, reported(desired)), { action: 'none', changed: [], immutable: [] });
  });

  it('sees no drift in every planned pool reported back', () => {
    const result = planCluster(def(), { ownerTag: 'ns/c' });
    assert.ok(result.ok);
    for (const p of result.plan.pools)
      assert.equal(poolUpdate(p.body, reported(p.body)).action, 'none', p.name);
  });

  /** [what AKS or others changed, desired, actual]: none of it is drift. */
  const NOT_DRIFT: [string, AgentPool, AgentPool][] = [
    [
      'the label and taint AKS adds to Spot pools',
      desiredPool({ scaleSetPriority: 'Spot', scaleSetEvictionPolicy: 'Delete' }),
      reported(desiredPool({ scaleSetPriority: 'Spot', scaleSetEvictionPolicy: 'Delete' }), {
        nodeLabels: { ...desiredPool().nodeLabels, [SPOT_LABEL]: 'spot' },
        nodeTaints: [...(desiredPool().nodeTaints ?? []), SPOT_TAINT],
      }),
    ],
    [
      'the autoscaler changing the count',
      desiredPool({ enableAutoScaling: true, minCount: 1, maxCount: 10 }),
      reported(desiredPool({ enableAutoScaling: true, minCount: 1, maxCount: 10 }), { count: 7 }),
    ],
    [
      'zones and taints in another order',
      desiredPool(),
      reported(desiredPool(), {
        availabilityZones: ['2', '1'],
        nodeTaints: ['b=1:NoExecute', 'dcos-operator.dev/public-agent=true:NoSchedule'],
      }),
    ],
    ['the VM size in another case', desiredPool(), reported(desiredPool(), { vmSize: 'standard_d2s_v3' })],
    [
      'tags others put on the pool',
      desiredPool(),
      reported(desiredPool(), { tags: { 'dcos-operator-cluster': 'ns/c', costcenter: '42' } }),
    ],
    [
      'no scaleSetPriority on either side meaning Regular',
      desiredPool(),
      reported(desiredPool(), { scaleSetPriority: 'Regular' }),
    ],
    [
      'an explicitly empty label set against none reported',
      desiredPool({ nodeLabels: {}, nodeTaints: [] }),
      reported(desiredPool({ nodeLabels: {}, nodeTaints: [] }), {
        nodeLabels: undefined,
        nodeTaints: undefined,
      }),
    ],
    [
      'nested settings AKS completes',
      desiredPool({ upgradeSettings: { maxSurge: '33%' } }),
      reported(desiredPool(), { upgradeSettings: { maxSurge: '33%', drainTimeoutInMinutes: 30 } }),
    ],
  ];
  for (const [what, desired, actual] of NOT_DRIFT) {
    it(`ignores ${what}`, () => {
      assert.deepEqual(poolUpdate(desired, actual), { action: 'none', changed: [], immutable: [] });
    });
  }

  it('clears a label removed from the definition by sending the remaining ones, {} when none are left', () => {
    const desired = desiredPool({ nodeLabels: {}, nodeTaints: [] });
    const actual = reported(desiredPool());
    const update = poolUpdate(desired, actual);
    assert.equal(update.action, 'update');
    assert.deepEqual(update.changed, ['nodeLabels', 'nodeTaints']);
    assert.deepEqual(update.body?.nodeLabels, {});
    assert.deepEqual(update.body?.nodeTaints, []);
  });

  it('adds {} and [] to an update body that has no labels or taints', () => {
    const { nodeLabels: _l, nodeTaints: _t, ...desired } = desiredPool();
    const update = poolUpdate({ ...desired, count: 5 }, reported(desiredPool()));
    assert.deepEqual(update.changed, ['count']);
    assert.deepEqual([update.body?.nodeLabels, update.body?.nodeTaints, update.body?.count], [{}, [], 5]);
  });

  it('keeps the Spot label out of the comparison but not a label someone else added', () => {
    const desired = desiredPool({ scaleSetPriority: 'Spot' });
    const actual = reported(desired, {
      nodeLabels: { ...desired.nodeLabels, [SPOT_LABEL]: 'spot', extra: 'x' },
    });
    assert.deepEqual(poolUpdate(desired, actual).changed, ['nodeLabels']);
  });

  it('sends the full desired body, keeping foreign tags and dropping read-only fields', () => {
    const desired = desiredPool({ count: 4 });
    const actual = reported(desiredPool(), { tags: { 'dcos-operator-cluster': 'ns/c', costcenter: '42' } });
    const update = poolUpdate({ ...desired, name: 'p', provisioningState: 'Succeeded' }, actual);
    assert.deepEqual(update, {
      action: 'update',
      changed: ['count'],
      immutable: [],
      body: { ...desired, tags: { costcenter: '42', 'dcos-operator-cluster': 'ns/c' } },
    });
  });

  it('puts the actual count of an autoscaled pool into the new bounds instead of a stale count', () => {
    const desired = desiredPool({ count: 2, enableAutoScaling: true, minCount: 1, maxCount: 5 });
    const actual = reported(desiredPool({ enableAutoScaling: true, minCount: 1, maxCount: 10 }), {
      count: 8,
    });
    const update = poolUpdate(desired, actual);
    assert.deepEqual([update.action, update.changed, update.body?.count], ['update', ['maxCount'], 5]);
    const within = poolUpdate({ ...desired, maxCount: 9 }, actual);
    assert.equal(within.body?.count, 8);
  });

  it('turns autoscaling on and off', () => {
    const on = poolUpdate(
      desiredPool({ enableAutoScaling: true, minCount: 2, maxCount: 4 }),
      reported(desiredPool(), { count: 9 }),
    );
    assert.deepEqual([on.changed, on.body?.count], [['enableAutoScaling', 'maxCount', 'minCount'], 4]);
    const off = poolUpdate(
      desiredPool({ count: 3 }),
      reported(desiredPool({ enableAutoScaling: true, minCount: 1, maxCount: 5 }), { count: 5 }),
    );
    assert.deepEqual(
      [off.changed, off.body?.count, off.body?.minCount],
      [['count', 'enableAutoScaling'], 3, undefined],
    );
  });

  it('compares server defaults only when the desired body sets them', () => {
    const desired = desiredPool({ maxPods: 110, osDiskSizeGB: 256 });
    assert.deepEqual(poolUpdate(desired, reported(desired, { osDiskSizeGB: 128 })).changed, ['osDiskSizeGB']);
  });

  /** [change, desired, actual, immutable fields]. */
  const REPLACE: [string, AgentPool, AgentPool, string[]][] = [
    ['the VM size', desiredPool({ vmSize: 'Standard_D4s_v3' }), reported(desiredPool()), ['vmSize']],
    ['the OS', desiredPool({ osType: 'Windows' }), reported(desiredPool()), ['osType']],
    [
      'the zones',
      desiredPool({ availabilityZones: ['1', '2', '3'] }),
      reported(desiredPool()),
      ['availabilityZones'],
    ],
    ['maxPods', desiredPool({ maxPods: 50 }), reported(desiredPool()), ['maxPods']],
    ['the OS disk type', desiredPool({ osDiskType: 'Ephemeral' }), reported(desiredPool()), ['osDiskType']],
    [
      'Regular to Spot',
      desiredPool({ scaleSetPriority: 'Spot' }),
      reported(desiredPool()),
      ['scaleSetPriority'],
    ],
    [
      'Spot to Regular',
      desiredPool(),
      reported(desiredPool({ scaleSetPriority: 'Spot' })),
      ['scaleSetPriority'],
    ],
    [
      'the subnet',
      desiredPool({
        vnetSubnetID:
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/b',
      }),
      reported(
        desiredPool({
          vnetSubnetID:
            '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a',
        }),
      ),
      ['vnetSubnetID'],
    ],
  ];
  for (const [change, desired, actual, immutable] of REPLACE) {
    it(`requires a new pool to change ${change}`, () => {
      const update = poolUpdate(desired, actual);
      assert.equal(update.action, 'replace-required');
      assert.deepEqual(update.immutable, immutable);
      assert.equal(update.body, undefined);
    });
  }

  it('names mutable changes next to immutable ones', () => {
    const update = poolUpdate(desiredPool({ vmSize: 'Standard_D8s_v3', count: 9 }), reported(desiredPool()));
    assert.deepEqual(
      [update.action, update.changed, update.immutable],
      ['replace-required', ['count', 'vmSize'], ['vmSize']],
    );
  });

  it('compares subnet ids case-insensitively', () => {
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a';
    assert.equal(
      poolUpdate(
        desiredPool({ vnetSubnetID: id }),
        reported(desiredPool(), { vnetSubnetID: id.toLowerCase() }),
      ).action,
      'none',
    );
  });
});

describe('poolUpdate with planned pools', () => {
  it('sees a count changed in the definition', () => {
    const plan = (count: number) => {
      const r = planCluster(def({ pools: [privatePool({ count })] }), { ownerTag: 'ns/c' });
      assert.ok(r.ok);
      const p = r.plan.pools.find((x) => x.name === 'private');
      assert.ok(p);
      return p.body;
    };
    const update = poolUpdate(plan(5), reported(plan(2)));
    assert.deepEqual([update.action, update.changed, update.body?.count], ['update', ['count'], 5]);
  });
});
