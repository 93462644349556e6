import assert from 'node:assert/strict';
import {
  appDeploymentId,
  appDeployments,
  deletionDeploymentId,
  DISMISSED_DEPLOYMENT_ANNOTATION,
  REQUESTED_DEPLOYMENT_ANNOTATION,
  REQUESTED_VERSION_ANNOTATION,
} from './deployments.ts';
import type { AppObject } from './deployments.ts';

const V1 = '2026-02-01T00:00:00.000Z';
const V2 = '2026-02-02T00:00:00.000Z';

function app(annotations: Record<string, string>, status?: AppObject['status']): AppObject {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'u1', generation: 2, annotations },
    spec: { cmd: 'x' },
    ...(status ? { status } : {}),
  };
}

describe('deployments of an app', () => {
  const rolling = {
    observedGeneration: 2,
    version: V2,
    deployments: [{ id: appDeploymentId('u1', V2), version: V2 }],
  };

  it('shows a REST write at once with the id the API answered with, then the status keeps it', () => {
    const pending = app(
      { [REQUESTED_VERSION_ANNOTATION]: V2 },
      { observedGeneration: 1, version: V1, deployments: [] },
    );
    assert.deepEqual(
      appDeployments(pending).map((d) => [d.id, d.version, d.pending]),
      [[appDeploymentId('u1', V2), V2, true]],
    );
    const observed = app({ [REQUESTED_VERSION_ANNOTATION]: V2 }, rolling);
    assert.deepEqual(
      appDeployments(observed).map((d) => [d.id, d.pending]),
      [[appDeploymentId('u1', V2), false]],
    );
  });

  it('gives the deployment of a multi-app write that write’s id, pending and observed', () => {
    const shared = { [REQUESTED_VERSION_ANNOTATION]: V2, [REQUESTED_DEPLOYMENT_ANNOTATION]: 'shared-id' };
    assert.equal(appDeployments(app(shared, { observedGeneration: 1, version: V1 }))[0]?.id, 'shared-id');
    assert.equal(appDeployments(app(shared, rolling))[0]?.id, 'shared-id');
    // A later deployment (another version) has its own id again.
    const later = { ...rolling, version: '2026-02-03T00:00:00.000Z' };
    later.deployments = [{ id: appDeploymentId('u1', later.version), version: later.version }];
    assert.equal(appDeployments(app(shared, later))[0]?.id, appDeploymentId('u1', later.version));
  });

  it('leaves out a force-stopped deployment', () => {
    const id = appDeploymentId('u1', V2);
    assert.deepEqual(appDeployments(app({ [DISMISSED_DEPLOYMENT_ANNOTATION]: id }, rolling)), []);
    assert.notEqual(deletionDeploymentId('u1'), id);
  });
});
