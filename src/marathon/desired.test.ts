import assert from 'node:assert/strict';
import { readAppDefinition } from './definition.ts';
import { desiredObjects } from './desired.ts';
import { VERSION_STATE_ANNOTATION } from './names.ts';
import { knownVersion, nextVersion } from './versions.ts';

describe('desiredObjects', () => {
  const read = readAppDefinition({ cmd: 'sleep 100' }, { id: '/web' });
  if (!read.ok) throw new Error('fixture invalid');
  const input = {
    namespace: 'ns',
    name: 'web',
    app: read.value,
    version: '2026-01-01T00:00:00.000Z',
    dependenciesReady: true,
    defaultImage: 'ubuntu:24.04',
    fetchImage: 'busybox:1.37',
  };

  it('records the version bookkeeping on the workload, where the next reconcile reads it back', () => {
    const state = nextVersion(undefined, { configHash: 'h', instances: 1 }, input.version).state;
    const workload = desiredObjects({ ...input, versionState: state }).translation.workload;
    const recorded = workload.metadata?.annotations?.[VERSION_STATE_ANNOTATION];
    assert.deepEqual(knownVersion(undefined, recorded), state);
  });

  it('adds no record when given none (render app)', () => {
    const workload = desiredObjects(input).translation.workload;
    assert.equal(workload.metadata?.annotations?.[VERSION_STATE_ANNOTATION], undefined);
  });
});
