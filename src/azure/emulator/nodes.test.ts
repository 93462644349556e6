import assert from 'node:assert/strict';
import { FAKE_NODE_LABEL, KWOK_NODE_ANNOTATION } from '../../devcluster/nodes.ts';
import { createSpec, liveFrom } from './defaults.ts';
import type { AgentPoolSnapshot, ClusterInfo } from './model.ts';
import { EMULATOR_NODE_LABEL, poolNodeManifests, poolNodeName, vmResources } from './nodes.ts';
import { parsePoolRequest } from './request.ts';

const cluster: ClusterInfo = {
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  resourceGroup: 'rg1',
  cluster: 'prod',
  location: 'westeurope',
  kubernetesVersion: '1.33.5',
};

function pool(name: string, props: Record<string, unknown>, state = 'Succeeded'): AgentPoolSnapshot {
  const spec = createSpec(parsePoolRequest({ properties: props }), cluster);
  return {
    id: `/x/${name}`,
    name,
    properties: { ...spec, provisioningState: state, eTag: 'e' },
    live: liveFrom(spec),
  };
}

describe('aks emulator nodes', () => {
  it('names nodes like AKS VMSS instances, stable per cluster and pool', () => {
    const nodes = poolNodeManifests(cluster, pool('user1', { count: 3, mode: 'User' }));
    const names = nodes.map((n) => n.metadata.name);
    assert.equal(names.length, 3);
    const digits = /^aks-user1-(\d{8})-vmss000000$/.exec(names[0] ?? '')?.[1];
    assert.ok(digits, names[0]);
    assert.deepEqual(
      names,
      [0, 1, 2].map((i) => `aks-user1-${digits}-vmss00000${i}`),
    );
    assert.deepEqual(
      poolNodeManifests(cluster, pool('user1', { count: 3, mode: 'User' })).map((n) => n.metadata.name),
      names,
    );
    const other = poolNodeName({ ...cluster, cluster: 'staging' }, 'user1', 'Linux', 0);
    assert.notEqual(other, names[0]);
  });

  it('numbers instances in base 36 and keeps Windows names within 15 characters', () => {
    assert.match(poolNodeName(cluster, 'user1', 'Linux', 35), /-vmss00000z$/);
    assert.match(poolNodeName(cluster, 'user1', 'Linux', 36), /-vmss000010$/);
    const win = poolNodeName(cluster, 'win123', 'Windows', 37);
    assert.equal(win, 'akswin123000011');
    assert.ok(win.length <= 15);
  });

  it('labels nodes as AKS does, plus the pool labels and the emulator marker', () => {
    const [node] = poolNodeManifests(
      cluster,
      pool('user1', { count: 1, mode: 'User', nodeLabels: { team: 'a' } }),
    );
    assert.ok(node);
    const labels = node.metadata.labels;
    assert.deepEqual(
      {
        agentpool: labels['kubernetes.azure.com/agentpool'],
        legacy: labels.agentpool,
        mode: labels['kubernetes.azure.com/mode'],
        type: labels['node.kubernetes.io/instance-type'],
        os: labels['kubernetes.io/os'],
        arch: labels['kubernetes.io/arch'],
        region: labels['topology.kubernetes.io/region'],
        zone: labels['topology.kubernetes.io/zone'],
        priority: labels['kubernetes.azure.com/scalesetpriority'],
        role: labels['kubernetes.azure.com/role'],
        cluster: labels['kubernetes.azure.com/cluster'],
        team: labels.team,
        marker: labels[EMULATOR_NODE_LABEL],
        fake: labels[FAKE_NODE_LABEL],
        hostname: labels['kubernetes.io/hostname'],
      },
      {
        agentpool: 'user1',
        legacy: 'user1',
        mode: 'user',
        type: 'Standard_D4s_v3',
        os: 'linux',
        arch: 'amd64',
        region: 'westeurope',
        zone: '0',
        priority: 'regular',
        role: 'agent',
        cluster: 'MC_rg1_prod_westeurope',
        team: 'a',
        marker: 'prod',
        fake: 'true',
        hostname: node.metadata.name,
      },
    );
    assert.equal(node.metadata.annotations[KWOK_NODE_ANNOTATION], 'fake');
  });

  it('spreads nodes round-robin over the pool zones', () => {
    const nodes = poolNodeManifests(
      cluster,
      pool('zoned', { count: 4, mode: 'User', availabilityZones: ['1', '3'] }),
    );
    assert.deepEqual(
      nodes.map((n) => n.metadata.labels['topology.kubernetes.io/zone']),
      ['westeurope-1', 'westeurope-3', 'westeurope-1', 'westeurope-3'],
    );
  });

  it('turns the pool taints into node taints, Spot taint included', () => {
    const [sys] = poolNodeManifests(
      cluster,
      pool('sys', { count: 1, mode: 'System', nodeTaints: ['CriticalAddonsOnly=true:NoSchedule'] }),
    );
    assert.equal(sys?.metadata.labels['kubernetes.azure.com/mode'], 'system');
    assert.deepEqual(sys?.spec.taints, [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
    const [spot] = poolNodeManifests(
      cluster,
      pool('spot', { count: 1, mode: 'User', scaleSetPriority: 'Spot', nodeTaints: ['dedicated:NoExecute'] }),
    );
    assert.equal(spot?.metadata.labels['kubernetes.azure.com/scalesetpriority'], 'spot');
    assert.deepEqual(spot?.spec.taints, [
      { key: 'dedicated', effect: 'NoExecute' },
      { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' },
    ]);
  });

  it('labels Windows and Arm64 nodes accordingly', () => {
    const [win] = poolNodeManifests(cluster, pool('win', { count: 1, mode: 'User', osType: 'Windows' }));
    assert.equal(win?.metadata.labels['kubernetes.io/os'], 'windows');
    assert.equal(win?.metadata.labels['kubernetes.azure.com/os-sku'], 'Windows2022');
    const [arm] = poolNodeManifests(
      cluster,
      pool('arm', { count: 1, mode: 'User', vmSize: 'Standard_D4ps_v5' }),
    );
    assert.equal(arm?.metadata.labels['kubernetes.io/arch'], 'arm64');
  });

  it('sizes nodes from the VM size and the pool maxPods', () => {
    const [node] = poolNodeManifests(cluster, pool('user1', { count: 1, mode: 'User', maxPods: 30 }));
    assert.deepEqual(node?.status.allocatable, { cpu: '4', memory: '16Gi', pods: '30' });
    assert.deepEqual(vmResources('Standard_E8s_v5'), { cpu: '8', memory: '64Gi' });
    assert.deepEqual(vmResources('Custom_Size'), {});
  });

  it('gives every node of a pool its own address', () => {
    const nodes = poolNodeManifests(cluster, pool('big', { count: 300, mode: 'User' }));
    const ips = nodes.map((n) => n.status.addresses?.[0]?.address);
    assert.equal(new Set(ips).size, 300);
    assert.ok(ips.every((ip) => ip && /^10\.(22[4-9]|23\d)\.\d+\.\d+$/.test(ip)));
  });

  it('follows the live machines: none before the first create succeeds or while stopped, old count while scaling', () => {
    const creating = { ...pool('p', { count: 2, mode: 'User' }, 'Creating') };
    delete creating.live;
    assert.deepEqual(poolNodeManifests(cluster, creating), []);
    const stopped = pool('p', { count: 2, mode: 'User', powerState: { code: 'Stopped' } });
    assert.deepEqual(poolNodeManifests(cluster, stopped), []);
    const scaling = pool('p', { count: 2, mode: 'User' }, 'Scaling');
    scaling.properties.count = 5;
    assert.equal(poolNodeManifests(cluster, scaling).length, 2);
  });
});
