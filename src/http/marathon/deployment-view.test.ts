import assert from 'node:assert/strict';
import type { AppObject } from '../../marathon/deployments.ts';
import { appDeployments, REQUESTED_VERSION_ANNOTATION } from '../../marathon/deployments.ts';
import { readAppDefinition } from '../../marathon/definition.ts';
import { configHash } from '../../marathon/desired.ts';
import { RESTARTED_AT_ANNOTATION } from '../../marathon/names.ts';
import { appPart, deploymentKind, marathonDeployments, stopPart } from './deployment-view.ts';

const T0 = '2026-02-01T00:00:00.000Z';
const T1 = '2026-02-02T00:00:00.000Z';
const T2 = '2026-02-03T00:00:00.000Z';

function hashOf(spec: Record<string, unknown>, id: string): string {
  const read = readAppDefinition(spec, { id });
  assert.ok(read.ok);
  return configHash(read.value);
}

function app(opts: {
  spec: Record<string, unknown>;
  status?: AppObject['status'];
  requested?: string;
  generation?: number;
}): AppObject {
  return {
    apiVersion: 'dcos-operator.dev/v1alpha1',
    kind: 'MarathonApp',
    metadata: {
      name: 'web',
      namespace: 'ns',
      uid: 'u1',
      generation: opts.generation ?? 1,
      creationTimestamp: new Date(T0),
      ...(opts.requested ? { annotations: { [REQUESTED_VERSION_ANNOTATION]: opts.requested } } : {}),
    },
    spec: opts.spec,
    ...(opts.status ? { status: opts.status } : {}),
  };
}

describe('Marathon deployments view', () => {
  const spec = { id: '/web', cmd: 'sleep 100', instances: 2 };
  const deployed = {
    observedGeneration: 1,
    version: T1,
    versionInfo: { lastScalingAt: T1, lastConfigChangeAt: T1 },
    configHash: hashOf(spec, '/web'),
    targetInstances: 2,
    deployments: [],
  };

  it('shows a new app, right after its creation, as Start then Scale, at the first step', () => {
    const a = app({ spec, requested: T0 });
    const [d] = appDeployments(a);
    assert.ok(d?.pending);
    const [plan] = marathonDeployments([appPart(a, '/web', d)]);
    assert.deepEqual(plan, {
      id: d.id,
      version: T0,
      affectedApps: ['/web'],
      affectedPods: [],
      steps: [
        { actions: [{ action: 'StartApplication', app: '/web' }] },
        { actions: [{ action: 'ScaleApplication', app: '/web' }] },
      ],
      currentActions: [{ action: 'StartApplication', app: '/web', readinessCheckResults: [] }],
      currentStep: 1,
      totalSteps: 2,
    });
  });

  it('tells a pending scale from a pending config change, and a write that changed nothing', () => {
    const scaled = app({ spec: { ...spec, instances: 5 }, status: deployed, requested: T2, generation: 2 });
    assert.equal(deploymentKind(scaled, '/web', appDeployments(scaled)[0]!), 'scale');
    const changed = app({
      spec: { ...spec, cmd: 'sleep 5' },
      status: deployed,
      requested: T2,
      generation: 2,
    });
    assert.equal(deploymentKind(changed, '/web', appDeployments(changed)[0]!), 'restart');
    const same = app({ spec, status: deployed, requested: T2 });
    const d = appDeployments(same)[0]!;
    assert.equal(deploymentKind(same, '/web', d), 'none');
    const [plan] = marathonDeployments([appPart(same, '/web', d)]);
    assert.deepEqual([plan?.steps, plan?.currentStep, plan?.totalSteps], [[], 0, 0]);
  });

  it('tells an observed restart from an observed scale by lastConfigChangeAt', () => {
    const rolling = (versionInfo: { lastScalingAt: string; lastConfigChangeAt: string }) =>
      app({
        spec,
        status: { ...deployed, version: T2, versionInfo, deployments: [{ id: 'x', version: T2 }] },
      });
    // Of the spec as created (generation 1): the app's first version, Start.
    const first = rolling({ lastScalingAt: T2, lastConfigChangeAt: T2 });
    assert.equal(deploymentKind(first, '/web', appDeployments(first)[0]!), 'start');
    const restart = {
      ...first,
      metadata: { ...first.metadata, generation: 2 },
      status: { ...first.status, observedGeneration: 2 },
    };
    assert.equal(deploymentKind(restart, '/web', appDeployments(restart)[0]!), 'restart');
    const restarted = {
      ...first,
      metadata: { ...first.metadata, annotations: { [RESTARTED_AT_ANNOTATION]: T2 } },
    };
    assert.equal(deploymentKind(restarted, '/web', appDeployments(restarted)[0]!), 'restart');
    const scale = rolling({ lastScalingAt: T2, lastConfigChangeAt: T1 });
    assert.equal(deploymentKind(scale, '/web', appDeployments(scale)[0]!), 'scale');
  });

  it('merges the apps of one deployment id into one plan: stop, start, then the rest', () => {
    const a = app({ spec, requested: T0 });
    const d = appDeployments(a)[0]!;
    const parts = [
      { ...appPart(a, '/g/new', d), id: 'shared' },
      {
        id: 'shared',
        version: T1,
        appId: '/g/changed',
        actions: [{ phase: 2 as const, action: 'RestartApplication' as const }],
        current: 2 as const,
      },
      stopPart('shared', T1, '/g/gone'),
      stopPart('other', T0, '/elsewhere'),
    ];
    const plans = marathonDeployments(parts);
    assert.deepEqual(
      plans.map((p) => p.id),
      ['other', 'shared'],
    );
    const shared = plans[1]!;
    assert.deepEqual(shared.affectedApps, ['/g/changed', '/g/gone', '/g/new']);
    assert.deepEqual(shared.steps, [
      { actions: [{ action: 'StopApplication', app: '/g/gone' }] },
      { actions: [{ action: 'StartApplication', app: '/g/new' }] },
      {
        actions: [
          { action: 'RestartApplication', app: '/g/changed' },
          { action: 'ScaleApplication', app: '/g/new' },
        ],
      },
    ]);
    assert.equal(shared.currentStep, 1);
    assert.deepEqual(shared.currentActions, [
      { action: 'StopApplication', app: '/g/gone', readinessCheckResults: [] },
    ]);
    assert.equal(shared.version, T1);
    assert.equal(shared.totalSteps, 3);
  });
});
