import assert from 'node:assert/strict';
import { dependencyDepths, deploymentSteps, planChanges } from './group-plan.ts';
import type { AppDefinition } from './group-update.ts';

const map = (entries: Record<string, AppDefinition>) => new Map(Object.entries(entries));

describe('group plan', () => {
  const current = map({
    '/g/keep': { id: '/g/keep', cmd: 'sleep 1', instances: 1 },
    '/g/scale': { id: '/g/scale', cmd: 'sleep 1', instances: 1 },
    '/g/change': { id: '/g/change', cmd: 'sleep 1' },
    '/g/gone': { id: '/g/gone', cmd: 'sleep 1' },
  });
  const target = map({
    // the same app with a default spelled out is unchanged
    '/g/keep': { id: '/g/keep', cmd: 'sleep 1', instances: 1, backoffSeconds: 1 },
    '/g/scale': { id: '/g/scale', cmd: 'sleep 1', instances: 3 },
    '/g/change': { id: '/g/change', cmd: 'sleep 2', dependencies: ['/g/new'] },
    '/g/new': { id: '/g/new', cmd: 'sleep 1' },
  });

  it('tells created, changed, scaled, deleted and unchanged apps apart', () => {
    const plan = planChanges(current, target);
    assert.deepEqual(
      plan.map((c) => [c.id, c.kind]),
      [
        ['/g/gone', 'delete'],
        ['/g/change', 'update'],
        ['/g/new', 'create'],
        ['/g/scale', 'scale'],
      ],
    );
    assert.equal(plan.find((c) => c.id === '/g/scale')?.definition?.instances, 3);
  });

  it("orders Marathon's steps: stop, start, then by dependency depth", () => {
    assert.deepEqual(deploymentSteps(planChanges(current, target), target), [
      { actions: [{ action: 'StopApplication', app: '/g/gone' }] },
      { actions: [{ action: 'StartApplication', app: '/g/new' }] },
      {
        actions: [
          { action: 'ScaleApplication', app: '/g/new' },
          { action: 'ScaleApplication', app: '/g/scale' },
        ],
      },
      { actions: [{ action: 'RestartApplication', app: '/g/change' }] },
    ]);
    assert.deepEqual(deploymentSteps([], target), []);
  });

  it('follows dependencies on groups and finds cycles', () => {
    const d = dependencyDepths(
      map({ '/db/pg': {}, '/svc/api': { dependencies: ['/db'] }, '/web': { dependencies: ['/svc/api'] } }),
    );
    assert.ok(d.ok);
    assert.deepEqual(Object.fromEntries(d.depth), { '/db/pg': 0, '/svc/api': 1, '/web': 2 });
    const c = dependencyDepths(
      map({ '/a': { dependencies: ['/b'] }, '/b': { dependencies: ['/a'] }, '/c': {} }),
    );
    assert.equal(c.ok, false);
    assert.deepEqual(!c.ok && c.cycle.sort(), ['/a', '/b']);
  });
});
