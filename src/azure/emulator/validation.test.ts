import assert from 'node:assert/strict';
import { createSpec, mergeSpec } from './defaults.ts';
import { ArmError } from './errors.ts';
import type { AgentPoolProperties, ClusterInfo } from './model.ts';
import { parsePoolRequest } from './request.ts';
import { checkImmutables, parseTaint, validatePoolName, validateSpec } from './validation.ts';

const cluster: ClusterInfo = {
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  resourceGroup: 'rg',
  cluster: 'c1',
  location: 'westeurope',
  kubernetesVersion: '1.33.5',
};

// The steps AksState.putPool runs, without the state around them.
function create(name: string, props: Record<string, unknown>, otherSystemPools = 1) {
  const req = parsePoolRequest({ properties: props });
  validatePoolName(name, req.osType ?? 'Linux');
  const spec = createSpec(req, cluster);
  validateSpec(req, spec, { cluster, otherSystemPools });
  return spec;
}

function update(current: AgentPoolProperties, props: Record<string, unknown>, otherSystemPools = 1) {
  const req = parsePoolRequest({ properties: props });
  checkImmutables(current, req);
  const spec = mergeSpec(current, req, cluster);
  validateSpec(req, spec, { cluster, current, otherSystemPools });
  return spec;
}

function existing(props: Record<string, unknown>): AgentPoolProperties {
  return { ...create('pool', props), provisioningState: 'Succeeded', eTag: 'e1' };
}

function rejects(fn: () => unknown, code: string, target?: string, status = 400): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ArmError, `expected ArmError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.status, status);
    if (target !== undefined) assert.equal(err.target, target);
    return true;
  });
}

const user = { count: 1, mode: 'User' };

describe('aks emulator validation', () => {
  describe('pool names', () => {
    it('accepts 1 to 12 lowercase letters and digits starting with a letter', () => {
      for (const name of ['a', 'pool1', 'abcdefghijkl']) create(name, user);
    });

    it("rejects other names with AKS's InvalidParameter on agentPoolProfile.name", () => {
      for (const name of ['Agent_Pool', 'Pool', '1pool', 'abcdefghijklm', 'po-ol']) {
        assert.throws(
          () => create(name, user),
          new ArmError(
            400,
            'InvalidParameter',
            'The value of parameter agentPoolProfile.name is invalid. Please see https://aka.ms/aks-naming-rules for more details.',
            'agentPoolProfile.name',
          ),
        );
        rejects(() => create(name, user), 'InvalidParameter', 'agentPoolProfile.name');
      }
    });

    it('allows Windows pool names of at most 6 characters', () => {
      create('win123', { ...user, osType: 'Windows' });
      rejects(
        () => create('win1234', { ...user, osType: 'Windows' }),
        'InvalidParameter',
        'agentPoolProfile.name',
      );
    });
  });

  describe('request bodies', () => {
    it('rejects wrong JSON types as InvalidRequestContent', () => {
      rejects(() => parsePoolRequest({ properties: { count: '3' } }), 'InvalidRequestContent');
      rejects(() => parsePoolRequest({ properties: { count: 1.5 } }), 'InvalidRequestContent');
      rejects(() => parsePoolRequest({ properties: { nodeLabels: { a: 1 } } }), 'InvalidRequestContent');
      rejects(
        () => parsePoolRequest({ properties: { nodeTaints: 'a:NoSchedule' } }),
        'InvalidRequestContent',
      );
      rejects(() => parsePoolRequest({}), 'InvalidRequestContent');
      rejects(() => parsePoolRequest([]), 'InvalidRequestContent');
    });

    it('rejects unknown enum values on their field and normalises the casing of known ones', () => {
      rejects(
        () => parsePoolRequest({ properties: { osType: 'Plan9' } }),
        'InvalidParameter',
        'agentPoolProfile.osType',
      );
      const req = parsePoolRequest({
        properties: { osType: 'linux', mode: 'user', scaleSetPriority: 'spot' },
      });
      assert.equal(req.osType, 'Linux');
      assert.equal(req.mode, 'User');
      assert.equal(req.scaleSetPriority, 'Spot');
    });

    it('ignores nulls and read-only fields and keeps unmodelled settings', () => {
      const req = parsePoolRequest({
        properties: {
          count: 2,
          minCount: null,
          provisioningState: 'Succeeded',
          eTag: 'x',
          kubeletConfig: { cpuManagerPolicy: 'static' },
        },
      });
      assert.equal(req.count, 2);
      assert.equal('minCount' in req, false);
      assert.equal('provisioningState' in req, false);
      assert.deepEqual(req.extras, { kubeletConfig: { cpuManagerPolicy: 'static' } });
    });
  });

  describe('counts and modes', () => {
    it('requires mode and count on create', () => {
      rejects(() => create('pool', { count: 1 }), 'InvalidParameter', 'agentPoolProfile.mode');
      rejects(() => create('pool', { mode: 'User' }), 'InvalidParameter', 'agentPoolProfile.count');
    });

    it('allows 0 to 1000 nodes in User pools and 1 to 1000 in System pools', () => {
      assert.equal(create('pool', { count: 0, mode: 'User' }).count, 0);
      assert.equal(create('pool', { count: 1000, mode: 'User' }).count, 1000);
      rejects(
        () => create('pool', { count: 1001, mode: 'User' }),
        'InvalidParameter',
        'agentPoolProfile.count',
      );
      rejects(
        () => create('pool', { count: -1, mode: 'User' }),
        'InvalidParameter',
        'agentPoolProfile.count',
      );
      rejects(
        () => create('pool', { count: 0, mode: 'System' }),
        'InvalidParameter',
        'agentPoolProfile.count',
      );
      assert.equal(create('pool', { count: 1, mode: 'System' }).mode, 'System');
    });

    it('keeps System pools Linux, not Spot, not B-series and with at least 30 pods', () => {
      const sys = { count: 1, mode: 'System' };
      rejects(
        () => create('win', { ...sys, osType: 'Windows' }),
        'InvalidParameter',
        'agentPoolProfile.mode',
      );
      rejects(
        () => create('pool', { ...sys, scaleSetPriority: 'Spot' }),
        'InvalidParameter',
        'agentPoolProfile.mode',
      );
      rejects(
        () => create('pool', { ...sys, vmSize: 'Standard_B2s' }),
        'InvalidParameter',
        'agentPoolProfile.vmSize',
      );
      rejects(() => create('pool', { ...sys, maxPods: 20 }), 'InvalidParameter', 'agentPoolProfile.maxPods');
      assert.equal(create('pool', { ...user, vmSize: 'Standard_B2s', maxPods: 20 }).maxPods, 20);
    });

    it('refuses to turn the only System pool into a User pool', () => {
      const sys = existing({ count: 1, mode: 'System' });
      rejects(() => update(sys, { mode: 'User' }, 0), 'OperationNotAllowed', 'agentPoolProfile.mode');
      assert.equal(update(sys, { mode: 'User' }, 1).mode, 'User');
    });

    it('checks osSKU against osType', () => {
      rejects(
        () => create('pool', { ...user, osSKU: 'Windows2022' }),
        'InvalidParameter',
        'agentPoolProfile.osSKU',
      );
      assert.equal(create('pool', { ...user, osSKU: 'AzureLinux' }).osSKU, 'AzureLinux');
    });
  });

  describe('autoscaling', () => {
    const auto = { mode: 'User', enableAutoScaling: true, minCount: 1, maxCount: 5 };

    it('requires minCount <= count <= maxCount', () => {
      const spec = create('pool', { ...auto, count: 3 });
      assert.deepEqual([spec.minCount, spec.count, spec.maxCount], [1, 3, 5]);
      rejects(() => create('pool', { ...auto, count: 6 }), 'InvalidParameter', 'agentPoolProfile.count');
      rejects(() => create('pool', { ...auto, count: 0 }), 'InvalidParameter', 'agentPoolProfile.count');
      rejects(
        () => create('pool', { ...auto, count: 3, minCount: 6 }),
        'InvalidParameter',
        'agentPoolProfile.minCount',
      );
      rejects(
        () => create('pool', { mode: 'User', count: 1, enableAutoScaling: true, minCount: 1 }),
        'InvalidParameter',
        'agentPoolProfile.maxCount',
      );
    });

    it('rejects minCount or maxCount without enableAutoScaling', () => {
      rejects(
        () => create('pool', { ...user, minCount: 1 }),
        'InvalidParameter',
        'agentPoolProfile.minCount',
      );
      rejects(
        () => create('pool', { ...user, maxCount: 3 }),
        'InvalidParameter',
        'agentPoolProfile.maxCount',
      );
      rejects(
        () => create('pool', { ...user, enableAutoScaling: false, minCount: 1, maxCount: 3 }),
        'InvalidParameter',
        'agentPoolProfile.minCount',
      );
    });

    it('drops the bounds when an update turns autoscaling off, and checks the current count against new bounds', () => {
      const pool = existing({ ...auto, count: 3 });
      const off = update(pool, { enableAutoScaling: false });
      assert.equal(off.enableAutoScaling, false);
      assert.equal(off.minCount, undefined);
      assert.equal(off.maxCount, undefined);
      rejects(
        () => update(pool, { enableAutoScaling: false, minCount: 1 }),
        'InvalidParameter',
        'agentPoolProfile.minCount',
      );
      rejects(() => update(pool, { minCount: 4 }), 'InvalidParameter', 'agentPoolProfile.count');
      assert.equal(update(pool, { maxCount: 10 }).maxCount, 10);
    });
  });

  describe('labels and taints', () => {
    it('rejects the reserved label prefixes', () => {
      for (const key of [
        'kubernetes.azure.com/mode',
        'kubernetes.io/role',
        'kubernetes.azure.com/scalesetpriority',
      ])
        rejects(
          () => create('pool', { ...user, nodeLabels: { [key]: 'x' } }),
          'InvalidParameter',
          'agentPoolProfile.nodeLabels',
        );
      assert.deepEqual(create('pool', { ...user, nodeLabels: { 'node.kubernetes.io/x': 'y' } }).nodeLabels, {
        'node.kubernetes.io/x': 'y',
      });
    });

    it('accepts kubernetes.azure.com/scalesetpriority=spot restated on a Spot pool only', () => {
      const labels = { 'kubernetes.azure.com/scalesetpriority': 'spot', team: 'a' };
      const spec = create('pool', { ...user, scaleSetPriority: 'Spot', nodeLabels: labels });
      assert.deepEqual(spec.nodeLabels, labels);
      rejects(
        () => create('pool', { ...user, nodeLabels: labels }),
        'InvalidParameter',
        'agentPoolProfile.nodeLabels',
      );
      rejects(
        () =>
          create('pool', {
            ...user,
            scaleSetPriority: 'Spot',
            nodeLabels: { 'kubernetes.azure.com/scalesetpriority': 'regular' },
          }),
        'InvalidParameter',
        'agentPoolProfile.nodeLabels',
      );
    });

    it('rejects label keys and values Kubernetes would not accept', () => {
      rejects(
        () => create('pool', { ...user, nodeLabels: { 'bad key': 'x' } }),
        'InvalidParameter',
        'agentPoolProfile.nodeLabels',
      );
      rejects(
        () => create('pool', { ...user, nodeLabels: { ok: 'bad value' } }),
        'InvalidParameter',
        'agentPoolProfile.nodeLabels',
      );
      rejects(
        () => create('pool', { ...user, nodeLabels: { ok: 'x'.repeat(64) } }),
        'InvalidParameter',
        'agentPoolProfile.nodeLabels',
      );
    });

    it('parses taints as key=value:Effect or key:Effect and rejects anything else', () => {
      assert.deepEqual(parseTaint('CriticalAddonsOnly=true:NoSchedule'), {
        key: 'CriticalAddonsOnly',
        value: 'true',
        effect: 'NoSchedule',
      });
      assert.deepEqual(parseTaint('dedicated:NoExecute'), { key: 'dedicated', effect: 'NoExecute' });
      assert.deepEqual(parseTaint('k=:PreferNoSchedule'), {
        key: 'k',
        value: '',
        effect: 'PreferNoSchedule',
      });
      for (const bad of ['k=v', 'k=v:Sometimes', ':NoSchedule', 'k=v:'])
        rejects(
          () => create('pool', { ...user, nodeTaints: [bad] }),
          'InvalidParameter',
          'agentPoolProfile.nodeTaints',
        );
    });
  });

  describe('other fields', () => {
    it('accepts zones 1 to 3 only', () => {
      assert.deepEqual(create('pool', { ...user, availabilityZones: ['1', '3'] }).availabilityZones, [
        '1',
        '3',
      ]);
      rejects(
        () => create('pool', { ...user, availabilityZones: ['4'] }),
        'InvalidParameter',
        'agentPoolProfile.availabilityZones',
      );
    });

    it('rejects max surge on Spot pools', () => {
      rejects(
        () => create('pool', { ...user, scaleSetPriority: 'Spot', upgradeSettings: { maxSurge: '33%' } }),
        'InvalidParameter',
        'agentPoolProfile.upgrade.maxSurge',
      );
      assert.deepEqual(create('pool', { ...user, upgradeSettings: { maxSurge: '33%' } }).upgradeSettings, {
        maxSurge: '33%',
      });
    });

    it('only supports VirtualMachineScaleSets pools', () => {
      rejects(
        () => create('pool', { ...user, type: 'AvailabilitySet' }),
        'InvalidParameter',
        'agentPoolProfile.type',
      );
    });
  });

  describe('immutable fields', () => {
    const pool = existing({
      ...user,
      vmSize: 'Standard_D4s_v3',
      availabilityZones: ['1', '2'],
      vnetSubnetID:
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a',
    });

    it('rejects a change to each with PropertyChangeNotAllowed naming the field', () => {
      const changes: Record<string, unknown> = {
        vmSize: 'Standard_D8s_v3',
        osType: 'Windows',
        osDiskType: 'Ephemeral',
        availabilityZones: ['1'],
        maxPods: 50,
        scaleSetPriority: 'Spot',
        vnetSubnetID:
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/b',
      };
      for (const [name, value] of Object.entries(changes)) {
        assert.throws(
          () => update(pool, { [name]: value }),
          (err: unknown) =>
            err instanceof ArmError &&
            err.status === 400 &&
            err.code === 'PropertyChangeNotAllowed' &&
            err.target === `agentPoolProfile.${name}` &&
            err.message.includes(`'agentPoolProfile.${name}'`),
          name,
        );
      }
    });

    it('accepts the same values restated, with ARM casing and zone order ignored', () => {
      const spec = update(pool, {
        vmSize: 'standard_d4s_v3',
        osType: 'Linux',
        osDiskType: 'Managed',
        availabilityZones: ['2', '1'],
        maxPods: 110,
        scaleSetPriority: 'Regular',
        vnetSubnetID: pool.vnetSubnetID?.toUpperCase(),
        count: 4,
      });
      assert.equal(spec.count, 4);
      assert.equal(spec.vmSize, 'Standard_D4s_v3');
    });
  });

  describe('orchestrator versions', () => {
    it('resolves major.minor to the cluster patch and rejects versions newer than the control plane', () => {
      const spec = create('pool', { ...user, orchestratorVersion: '1.33' });
      assert.equal(spec.orchestratorVersion, '1.33');
      assert.equal(spec.currentOrchestratorVersion, '1.33.5');
      rejects(
        () => create('pool', { ...user, orchestratorVersion: '1.34.0' }),
        'NodePoolMcVersionIncompatible',
      );
      rejects(
        () => create('pool', { ...user, orchestratorVersion: '1.29.0' }),
        'NodePoolMcVersionIncompatible',
      );
      rejects(() => create('pool', { ...user, orchestratorVersion: 'latest' }), 'InvalidParameter');
    });

    it('upgrades one minor version at a time and never downgrades', () => {
      const old = existing({ ...user, orchestratorVersion: '1.31.2' });
      assert.equal(update(old, { orchestratorVersion: '1.32.0' }).currentOrchestratorVersion, '1.32.0');
      rejects(() => update(old, { orchestratorVersion: '1.33.5' }), 'AgentPoolUpgradeVersionNotAllowed');
      rejects(() => update(old, { orchestratorVersion: '1.30.0' }), 'AgentPoolUpgradeVersionNotAllowed');
      assert.equal(update(old, { orchestratorVersion: '' }).currentOrchestratorVersion, '1.31.2');
    });
  });
});
