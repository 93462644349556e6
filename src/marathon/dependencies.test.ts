import assert from 'node:assert/strict';
import { dependencyState, isAppReady } from './dependencies.ts';

const app = (ready: boolean, generation = 1, observed = 1) => ({
  metadata: { generation },
  status: { observedGeneration: observed, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('marathon dependencies', () => {
  it('is ready only for the current generation', () => {
    assert.equal(isAppReady(app(true)), true);
    assert.equal(isAppReady(app(true, 2, 1)), false);
    assert.equal(isAppReady(app(false)), false);
    assert.equal(isAppReady({}), false);
  });

  it('waits for missing and unhealthy dependencies and for every app in a group', () => {
    const table: Record<string, ReturnType<typeof app>[]> = {
      '/db': [app(true)],
      '/cache': [app(false)],
      '/backend': [app(true), app(false)],
    };
    const lookup = (id: string) => table[id] ?? [];
    assert.deepEqual(dependencyState([], lookup), { ready: true, waitingFor: [] });
    assert.deepEqual(dependencyState(['/db'], lookup), { ready: true, waitingFor: [] });
    assert.deepEqual(dependencyState(['/db', '/cache', '/backend', '/nope'], lookup), {
      ready: false,
      waitingFor: ['/cache (not healthy yet)', '/backend (not healthy yet)', '/nope (no such app)'],
    });
  });
});
