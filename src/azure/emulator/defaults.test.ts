import assert from 'node:assert/strict';
import { SPOT_LABEL, SPOT_TAINT, createSpec, liveFrom, mergeSpec, seedSystemPoolSpec } from './defaults.ts';
import type { AgentPoolProperties, ClusterInfo } from './model.ts';
import { parsePoolRequest } from './request.ts';

const cluster: ClusterInfo = {
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  resourceGroup: 'rg',
  cluster: 'c1',
  location: 'eastus',
  kubernetesVersion: '1.33.5',
};

const req = (props: Record<string, unknown>) => parsePoolRequest({ properties: props });
const create = (props: Record<string, unknown>) => createSpec(req(props), cluster);
const stored = (props: Record<string, unknown>): AgentPoolProperties => ({
  ...create(props),
  provisioningState: 'Succeeded',
  eTag: 'e',
});
const update = (current: AgentPoolProperties, props: Record<string, unknown>) =>
  mergeSpec(current, req(props), cluster);

describe('aks emulator defaults', () => {
  it('fills the server defaults of a Linux pool on create', () => {
    assert.deepEqual(create({ count: 2, mode: 'User' }), {
      count: 2,
      vmSize: 'Standard_D4s_v3',
      osDiskSizeGB: 128,
      osDiskType: 'Managed',
      kubeletDiskType: 'OS',
      maxPods: 110,
      type: 'VirtualMachineScaleSets',
      osType: 'Linux',
      osSKU: 'Ubuntu',
      mode: 'User',
      orchestratorVersion: '1.33.5',
      currentOrchestratorVersion: '1.33.5',
      nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202510.19.0',
      powerState: { code: 'Running' },
      enableAutoScaling: false,
      scaleSetPriority: 'Regular',
      enableFIPS: false,
      enableNodePublicIP: false,
    });
  });

  it('gives Windows pools the Windows2022 SKU and a Windows image', () => {
    const spec = create({ count: 1, mode: 'User', osType: 'Windows' });
    assert.equal(spec.osSKU, 'Windows2022');
    assert.match(spec.nodeImageVersion, /^AKSWindows-2022-/);
  });

  it('keeps what the request sets over the defaults', () => {
    const spec = create({
      count: 1,
      mode: 'User',
      maxPods: 50,
      osDiskSizeGB: 64,
      osDiskType: 'Ephemeral',
      osSKU: 'AzureLinux',
    });
    assert.deepEqual(
      [spec.maxPods, spec.osDiskSizeGB, spec.osDiskType, spec.osSKU],
      [50, 64, 'Ephemeral', 'AzureLinux'],
    );
    assert.match(spec.nodeImageVersion, /AzureLinux/);
  });

  describe('Spot pools', () => {
    it('gain the scalesetpriority label and NoSchedule taint, eviction Delete and market price', () => {
      const spec = create({
        count: 1,
        mode: 'User',
        scaleSetPriority: 'Spot',
        nodeLabels: { team: 'a' },
        nodeTaints: ['gpu=true:NoSchedule'],
      });
      assert.deepEqual(spec.nodeLabels, { team: 'a', [SPOT_LABEL]: 'spot' });
      assert.deepEqual(spec.nodeTaints, ['gpu=true:NoSchedule', SPOT_TAINT]);
      assert.equal(spec.scaleSetEvictionPolicy, 'Delete');
      assert.equal(spec.spotMaxPrice, -1);
    });

    it('do not get the taint twice when the request restates it', () => {
      const spec = create({ count: 1, mode: 'User', scaleSetPriority: 'Spot', nodeTaints: [SPOT_TAINT] });
      assert.deepEqual(spec.nodeTaints, [SPOT_TAINT]);
    });

    it('get the label and taint back on every update, even one clearing labels and taints', () => {
      const pool = stored({ count: 1, mode: 'User', scaleSetPriority: 'Spot', nodeLabels: { team: 'a' } });
      const cleared = update(pool, { nodeLabels: {}, nodeTaints: [] });
      assert.deepEqual(cleared.nodeLabels, { [SPOT_LABEL]: 'spot' });
      assert.deepEqual(cleared.nodeTaints, [SPOT_TAINT]);
      const relabelled = update(pool, { nodeLabels: { team: 'b' } });
      assert.deepEqual(relabelled.nodeLabels, { team: 'b', [SPOT_LABEL]: 'spot' });
    });

    it('keep their own eviction policy and price', () => {
      const spec = create({
        count: 1,
        mode: 'User',
        scaleSetPriority: 'Spot',
        scaleSetEvictionPolicy: 'Deallocate',
        spotMaxPrice: 0.5,
      });
      assert.equal(spec.scaleSetEvictionPolicy, 'Deallocate');
      assert.equal(spec.spotMaxPrice, 0.5);
    });
  });

  it('gives Regular pools none of the Spot settings', () => {
    const spec = create({ count: 1, mode: 'User', scaleSetEvictionPolicy: 'Delete', spotMaxPrice: 1 });
    assert.equal(spec.nodeLabels, undefined);
    assert.equal(spec.nodeTaints, undefined);
    assert.equal(spec.scaleSetEvictionPolicy, undefined);
    assert.equal(spec.spotMaxPrice, undefined);
  });

  describe('updates', () => {
    const pool = stored({
      count: 2,
      mode: 'User',
      nodeLabels: { team: 'a' },
      nodeTaints: ['dedicated=a:NoSchedule'],
      tags: { owner: 'x' },
    });

    it('leave labels, taints and tags alone when the request omits them', () => {
      const spec = update(pool, { count: 3 });
      assert.equal(spec.count, 3);
      assert.deepEqual(spec.nodeLabels, { team: 'a' });
      assert.deepEqual(spec.nodeTaints, ['dedicated=a:NoSchedule']);
      assert.deepEqual(spec.tags, { owner: 'x' });
    });

    it('clear them when the request sends {} and [] (a GET then omits them)', () => {
      const spec = update(pool, { nodeLabels: {}, nodeTaints: [], tags: {} });
      assert.equal('nodeLabels' in spec, false);
      assert.equal('nodeTaints' in spec, false);
      assert.equal('tags' in spec, false);
    });

    it('replace them whole when the request sends new ones', () => {
      const spec = update(pool, { nodeLabels: { env: 'prod' }, nodeTaints: ['x:NoExecute'] });
      assert.deepEqual(spec.nodeLabels, { env: 'prod' });
      assert.deepEqual(spec.nodeTaints, ['x:NoExecute']);
    });

    it('keep every other field the request leaves out', () => {
      const spec = update(pool, {});
      const { provisioningState: _p, eTag: _e, ...before } = pool;
      assert.deepEqual(spec, before);
    });
  });

  it('describes live machines from a spec', () => {
    const spec = create({ count: 3, mode: 'User', availabilityZones: ['1', '2'], nodeLabels: { a: 'b' } });
    assert.deepEqual(liveFrom(spec), {
      count: 3,
      vmSize: 'Standard_D4s_v3',
      osType: 'Linux',
      osSKU: 'Ubuntu',
      mode: 'User',
      maxPods: 110,
      scaleSetPriority: 'Regular',
      availabilityZones: ['1', '2'],
      nodeLabels: { a: 'b' },
      nodeTaints: [],
      orchestratorVersion: '1.33.5',
      nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202510.19.0',
      powerState: 'Running',
    });
  });

  it('seeds the System pool AKS creates with a cluster', () => {
    const spec = seedSystemPoolSpec(cluster);
    assert.equal(spec.mode, 'System');
    assert.equal(spec.count, 1);
    assert.equal(spec.vmSize, 'Standard_D4s_v3');
    assert.equal(spec.osType, 'Linux');
    assert.deepEqual(spec.nodeTaints, ['CriticalAddonsOnly=true:NoSchedule']);
    assert.equal(spec.tags, undefined);
  });
});
