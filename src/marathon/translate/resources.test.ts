import assert from 'node:assert/strict';
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import type { NormalizedApp } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import { emptyDraft } from './draft.ts';
import { applyResources, cpuQuantity, mibQuantity } from './resources.ts';

function run(overrides: Partial<NormalizedApp>): V1ResourceRequirements | undefined {
  const d = emptyDraft();
  applyResources(testApp(overrides), testContext(), d);
  assert.deepEqual(d.notes, []);
  return d.container.resources;
}

describe('translate resources', () => {
  const cases: { name: string; app: Partial<NormalizedApp>; expected: V1ResourceRequirements }[] = [
    {
      name: 'defaults: 1 cpu, 128 MiB',
      app: {},
      expected: { requests: { cpu: '1000m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    },
    {
      name: 'fractional cpus in millicores',
      app: { cpus: 0.1, mem: 32 },
      expected: { requests: { cpu: '100m', memory: '32Mi' }, limits: { memory: '32Mi' } },
    },
    {
      name: 'tiny cpus are at least 1m',
      app: { cpus: 0.0001, mem: 0 },
      expected: { requests: { cpu: '1m' } },
    },
    {
      name: 'mem 0 sets no memory',
      app: { mem: 0 },
      expected: { requests: { cpu: '1000m' } },
    },
    {
      name: 'disk → ephemeral-storage request only',
      app: { disk: 1024 },
      expected: {
        requests: { cpu: '1000m', memory: '128Mi', 'ephemeral-storage': '1024Mi' },
        limits: { memory: '128Mi' },
      },
    },
    {
      name: 'gpus → nvidia.com/gpu limit',
      app: { gpus: 2 },
      expected: {
        requests: { cpu: '1000m', memory: '128Mi' },
        limits: { memory: '128Mi', 'nvidia.com/gpu': '2' },
      },
    },
    {
      name: 'resourceLimits numbers',
      app: { cpus: 0.5, mem: 256, resourceLimits: { cpus: 2, mem: 1024 } },
      expected: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
    },
    {
      name: 'resourceLimits unlimited',
      app: { resourceLimits: { cpus: 'unlimited', mem: 'unlimited' } },
      expected: { requests: { cpu: '1000m', memory: '128Mi' } },
    },
    {
      name: 'resourceLimits cpus only keeps the memory limit',
      app: { resourceLimits: { cpus: 1.5 } },
      expected: { requests: { cpu: '1000m', memory: '128Mi' }, limits: { cpu: '1500m', memory: '128Mi' } },
    },
    {
      name: 'fractional MiB are exact',
      app: { mem: 0.5, disk: 1.3 },
      expected: {
        requests: { cpu: '1000m', memory: '512Ki', 'ephemeral-storage': '1363148' },
        limits: { memory: '512Ki' },
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(run(c.app), c.expected));
  }

  it('cpuQuantity', () => {
    assert.deepEqual([1, 0.25, 0.001, 0.0004, 2.0005, 0.3].map(cpuQuantity), [
      '1000m',
      '250m',
      '1m',
      '1m',
      '2001m',
      '300m',
    ]);
  });

  it('mibQuantity: Mi, then Ki, then bytes', () => {
    assert.deepEqual([128, 0.25, 1.5, 0.1, 0.0009765625].map(mibQuantity), [
      '128Mi',
      '256Ki',
      '1536Ki',
      '104857',
      '1Ki',
    ]);
  });
});
