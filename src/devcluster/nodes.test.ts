import assert from 'node:assert/strict';
import { KWOK_NODE_ANNOTATION, PUBLIC_AGENT_LABEL, ZONE_LABEL, defaultNodes, nodeManifest } from './nodes.ts';

describe('devcluster fake nodes', () => {
  const manifests = defaultNodes().map(nodeManifest);

  it('has three private agents in three zones and one public agent, all with distinct hostnames', () => {
    const pub = manifests.filter((m) => m.metadata.labels[PUBLIC_AGENT_LABEL] === 'true');
    const priv = manifests.filter((m) => !(PUBLIC_AGENT_LABEL in m.metadata.labels));
    assert.equal(pub.length, 1);
    assert.equal(priv.length, 3);
    assert.deepEqual(priv.map((m) => m.metadata.labels[ZONE_LABEL]).sort(), [
      'eastus-1',
      'eastus-2',
      'eastus-3',
    ]);
    const hostnames = manifests.map((m) => m.metadata.labels['kubernetes.io/hostname']);
    assert.equal(new Set(hostnames).size, manifests.length);
    assert.deepEqual(
      manifests.map((m) => m.spec),
      [{}, {}, {}, {}],
    );
  });

  it('puts every node under kwok and gives generous allocatable resources', () => {
    for (const m of manifests) {
      assert.equal(m.metadata.annotations[KWOK_NODE_ANNOTATION], 'fake');
      assert.deepEqual(m.status.allocatable, { cpu: '32', memory: '128Gi', pods: '250' });
      assert.deepEqual(m.status.capacity, m.status.allocatable);
    }
  });

  it('builds extra nodes with custom labels, taints, resources and address', () => {
    const m = nodeManifest({
      name: 'gpu-1',
      labels: { pool: 'gpu', 'kubernetes.io/arch': 'arm64' },
      taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }],
      cpu: '4',
      pods: 10,
      internalIP: '10.1.2.3',
    });
    assert.equal(m.metadata.labels.pool, 'gpu');
    assert.equal(m.metadata.labels['kubernetes.io/arch'], 'arm64');
    assert.equal(m.metadata.labels['kubernetes.io/hostname'], 'gpu-1');
    assert.deepEqual(m.spec.taints, [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]);
    assert.deepEqual(m.status.allocatable, { cpu: '4', memory: '128Gi', pods: '10' });
    assert.deepEqual(m.status.addresses?.[0], { type: 'InternalIP', address: '10.1.2.3' });
  });
});
