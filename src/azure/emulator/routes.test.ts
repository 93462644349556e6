import assert from 'node:assert/strict';
import { matchRoute } from './routes.ts';

const SUB = '00000000-0000-0000-0000-000000000001';
const base = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/c1`;
const cluster = { subscriptionId: SUB, resourceGroup: 'rg1', cluster: 'c1' };

describe('aks emulator routes', () => {
  it('maps the managed cluster and agent pool paths', () => {
    assert.deepEqual(matchRoute(base), { kind: 'cluster', ref: cluster });
    assert.deepEqual(matchRoute(`${base}/agentPools`), { kind: 'pools', ref: cluster });
    assert.deepEqual(matchRoute(`${base}/agentPools/pool1`), {
      kind: 'pool',
      ref: { ...cluster, pool: 'pool1' },
    });
    assert.deepEqual(matchRoute(`${base}/agentPools/pool1/abort`), {
      kind: 'abort',
      ref: { ...cluster, pool: 'pool1' },
    });
    assert.deepEqual(matchRoute(`${base}/agentPools/pool1/upgradeProfiles/default`), {
      kind: 'upgradeProfile',
      ref: { ...cluster, pool: 'pool1' },
    });
  });

  it('maps the operation status and result paths', () => {
    const ops = `/subscriptions/${SUB}/providers/Microsoft.ContainerService/locations/eastus`;
    assert.deepEqual(matchRoute(`${ops}/operations/abc`), {
      kind: 'operation',
      subscriptionId: SUB,
      location: 'eastus',
      id: 'abc',
    });
    assert.deepEqual(matchRoute(`${ops}/operationresults/abc`), {
      kind: 'operationResult',
      subscriptionId: SUB,
      location: 'eastus',
      id: 'abc',
    });
    assert.equal(matchRoute(`${ops}/somethingelse/abc`), undefined);
  });

  it('matches literal segments case-insensitively, keeps the casing of names and decodes them', () => {
    const lower = base.toLowerCase().replace('/rg1/', '/MyRG/').replace('/c1', '/My%20C');
    assert.deepEqual(matchRoute(`${lower}/AGENTPOOLS/Pool1/`), {
      kind: 'pool',
      ref: { subscriptionId: SUB, resourceGroup: 'MyRG', cluster: 'My C', pool: 'Pool1' },
    });
  });

  it('serves nothing elsewhere', () => {
    for (const path of [
      '/',
      '/subscriptions',
      `/subscriptions/${SUB}/resourceGroups/rg1`,
      `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm`,
      `${base}/snapshots/s1`,
      `${base}/agentPools/pool1/upgradeProfiles/other`,
      `${base}/agentPools/pool1/abort/more`,
      `${base}/agentPools/%E0%A4%A`,
    ])
      assert.equal(matchRoute(path), undefined, path);
  });
});
