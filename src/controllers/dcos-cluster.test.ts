import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { dcosClusterSpecSchema, LOCAL_SUBSCRIPTION_ID } from '../resources/dcos-cluster.ts';
import { clusterRef } from './dcos-cluster.ts';

const spec = (target: Record<string, unknown>) =>
  dcosClusterSpecSchema.parse({ properties: { orchestratorProfile: { orchestratorType: 'DCOS' } }, target });

describe('clusterRef: the AKS cluster a DcosCluster targets', () => {
  const sub = '11111111-2222-3333-4444-555555555555';

  it('takes spec.target first', () => {
    const ref = clusterRef(
      spec({ provider: 'aks', subscriptionId: sub, resourceGroup: 'rg', managedClusterName: 'aks' }),
      {
        subscriptionId: '99999999-2222-3333-4444-555555555555',
        resourceGroup: 'other',
        managedClusterName: 'x',
      },
    );
    assert.deepEqual(ref, { ok: true, subscriptionId: sub, resourceGroup: 'rg', clusterName: 'aks' });
  });

  it("falls back to the operator's defaults (the chart's azure.* values)", () => {
    const ref = clusterRef(spec({ provider: 'aks' }), {
      subscriptionId: sub,
      resourceGroup: 'prod-rg',
      managedClusterName: 'prod',
    });
    assert.deepEqual(ref, { ok: true, subscriptionId: sub, resourceGroup: 'prod-rg', clusterName: 'prod' });
  });

  it('gives provider local the emulator subscription and dcos/dcos', () => {
    assert.deepEqual(clusterRef(spec({})), {
      ok: true,
      subscriptionId: LOCAL_SUBSCRIPTION_ID,
      resourceGroup: 'dcos',
      clusterName: 'dcos',
    });
  });

  it('refuses provider aks without any subscription, naming the field and the chart value', () => {
    const ref = clusterRef(spec({ provider: 'aks' }));
    assert.equal(ref.ok, false);
    assert.match(
      !ref.ok ? ref.message : '',
      /target\.subscriptionId: required for provider aks.*azure\.subscriptionId/,
    );
  });
});
