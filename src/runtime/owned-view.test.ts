import assert from 'node:assert/strict';
import type { V1ManagedFieldsEntry } from '@kubernetes/client-node';
import {
  APPLIED_DIGEST_ANNOTATION,
  appliedDigest,
  foreignPaths,
  liveDigest,
  ownedView,
  withAppliedDigest,
} from './owned-view.ts';

/** managedFields as the API server writes them for a Deployment the operator applied. */
export const deploymentManagedFields: V1ManagedFieldsEntry[] = [
  {
    manager: 'dcos-operator',
    operation: 'Apply',
    fieldsV1: {
      'f:metadata': { 'f:annotations': { 'f:dcos-operator.dev/app-id': {} }, 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': {} } } },
      },
    },
  },
  {
    manager: 'kube-controller-manager',
    operation: 'Update',
    subresource: 'status',
    fieldsV1: {
      'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } },
      'f:status': { 'f:replicas': {} },
    },
  },
];

export function liveDeployment(
  annotations: Record<string, string> = {},
  managedFields = deploymentManagedFields,
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'ns',
      uid: 'u1',
      resourceVersion: '7',
      generation: 2,
      labels: { app: 'web' },
      annotations: {
        'dcos-operator.dev/app-id': '/web',
        'deployment.kubernetes.io/revision': '1',
        ...annotations,
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'web', uid: 'o1', controller: true }],
      managedFields,
    },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 10,
      template: { spec: { containers: [{ name: 'app', image: 'nginx', env: [{ name: 'A', value: 'b' }] }] } },
    },
    status: { replicas: 2, readyReplicas: 1 },
  };
}

describe('owned view', () => {
  it('gives one digest to equal objects built in any key order, ignoring an earlier stamp', () => {
    const a = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', labels: { x: '1', y: '2' } },
      spec: { a: 1 },
    };
    const b = {
      spec: { a: 1 },
      metadata: { labels: { y: '2', x: '1' }, name: 's' },
      kind: 'Service',
      apiVersion: 'v1',
    };
    assert.equal(appliedDigest(a), appliedDigest(b));
    assert.equal(appliedDigest(withAppliedDigest(a)), appliedDigest(a));
    assert.equal(withAppliedDigest(a).metadata.annotations[APPLIED_DIGEST_ANNOTATION], appliedDigest(a));
    assert.notEqual(appliedDigest({ ...a, spec: { a: 2 } }), appliedDigest(a));
  });

  it('lists the paths other managers wrote, leaving out status and the operator itself', () => {
    assert.deepEqual(foreignPaths(deploymentManagedFields), [
      ['metadata', 'annotations', 'deployment.kubernetes.io/revision'],
    ]);
    const edited = [
      ...deploymentManagedFields,
      {
        manager: 'kubectl',
        operation: 'Update',
        subresource: 'scale',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
      {
        manager: 'kubectl-label',
        operation: 'Update',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {}, 'f:app': {} }, 'f:finalizers': {} } },
      },
    ];
    assert.deepEqual(foreignPaths(edited), [
      ['metadata', 'annotations', 'deployment.kubernetes.io/revision'],
      ['spec'],
      ['metadata', 'labels', 'team'],
      ['metadata', 'labels', 'app'],
      ['metadata', 'finalizers'],
    ]);
  });

  it('keeps metadata, the spec fields asked for and status; drops the template and large annotations', () => {
    const live = liveDeployment({ 'dcos-operator.dev/definition': '{"big":true}' });
    const view = ownedView(live, {
      specFields: ['replicas'],
      dropAnnotations: ['dcos-operator.dev/definition'],
    });
    assert.deepEqual(view.spec, { replicas: 2 });
    assert.deepEqual(view.status, live.status);
    assert.equal(view.metadata?.uid, 'u1');
    assert.equal(view.metadata?.generation, 2);
    assert.deepEqual(view.metadata?.ownerReferences, live.metadata.ownerReferences);
    const annotations: Record<string, string> = view.metadata?.annotations ?? {};
    assert.equal(annotations['dcos-operator.dev/definition'], undefined);
    assert.equal(annotations['dcos-operator.dev/app-id'], '/web');
    assert.equal(view.metadata?.managedFields, undefined);
    assert.equal(view.drift?.live, liveDigest(live));
    assert.deepEqual(view.drift?.foreign, [['metadata', 'annotations', 'deployment.kubernetes.io/revision']]);
    assert.equal(view.drift?.applied, undefined);
    assert.equal(ownedView(liveDeployment({ [APPLIED_DIGEST_ANNOTATION]: 'd1' })).drift?.applied, 'd1');
  });

  it('changes the live digest with any label, annotation, owner or spec change, not with status', () => {
    const live = liveDeployment();
    const d = liveDigest(live);
    assert.equal(liveDigest({ ...live, status: { replicas: 9 } }), d);
    assert.notEqual(liveDigest({ ...live, metadata: { ...live.metadata, labels: { app: 'x' } } }), d);
    assert.notEqual(liveDigest({ ...live, spec: { ...live.spec, replicas: 3 } }), d);
  });
});
