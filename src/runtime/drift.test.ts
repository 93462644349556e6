import type { KubernetesObject } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { contains, driftVerdict, needsApply, quantityValue } from './drift.ts';
import { APPLIED_DIGEST_ANNOTATION, ownedView, withAppliedDigest } from './owned-view.ts';
import { deploymentManagedFields, liveDeployment } from './owned-view.test.ts';

describe('drift', () => {
  it('reads quantities the way the API server canonicalizes them', () => {
    assert.equal(quantityValue('1000m'), 1);
    assert.equal(quantityValue('128Mi'), 128 * 1024 * 1024);
    assert.equal(quantityValue('1.5Gi'), 1.5 * 1024 ** 3);
    assert.equal(quantityValue('2e3'), 2000);
    assert.equal(quantityValue('web'), undefined);
    assert.equal(quantityValue('8080x'), undefined);
  });

  it('sees nothing to apply when the server holds our fields plus defaults and others', () => {
    const desired = {
      metadata: { name: 'a', labels: { x: '1' } },
      spec: {
        replicas: 1,
        template: { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '1000m' } } }] } },
      },
    };
    const actual = {
      metadata: { name: 'a', labels: { x: '1', other: 'y' }, uid: 'u' },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 10,
        template: {
          spec: {
            containers: [{ name: 'app', imagePullPolicy: 'Always', resources: { requests: { cpu: '1' } } }],
          },
        },
      },
      status: { replicas: 1 },
    };
    assert.equal(needsApply(desired, actual), false);
  });

  it('treats what the server omits (empty, false, 0) as equal to absent', () => {
    assert.equal(contains({}, { tty: false, args: [], annotations: {}, initialDelaySeconds: 0 }), true);
  });

  it('notices a changed value, a missing key, a reordered or resized list and a missing object', () => {
    assert.equal(needsApply({ spec: { replicas: 2 } }, { spec: { replicas: 1 } }), true);
    assert.equal(needsApply({ metadata: { labels: { a: 'b' } } }, { metadata: {} }), true);
    assert.equal(needsApply({ l: ['a', 'b'] }, { l: ['b', 'a'] }), true);
    assert.equal(needsApply({ l: ['a'] }, { l: ['a', 'b'] }), true);
    assert.equal(needsApply({ a: 1 }, undefined), true);
    assert.equal(needsApply({ q: '1Gi' }, { q: '1G' }), true);
    assert.equal(needsApply({ replicas: 0 }, { replicas: 3 }), true);
  });
});

describe('drift verdict', () => {
  const desired = withAppliedDigest({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' } },
    spec: { replicas: 2 },
  });
  const stamp = desired.metadata.annotations[APPLIED_DIGEST_ANNOTATION] ?? '';
  const view = (annotations: Record<string, string>, managedFields = deploymentManagedFields) =>
    ownedView(liveDeployment(annotations, managedFields), { specFields: ['replicas'] });
  const scaled = [
    ...deploymentManagedFields,
    {
      manager: 'kubectl',
      operation: 'Update',
      subresource: 'scale',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    },
  ];

  it('applies what is absent, unstamped (an older operator) or stamped with another digest', () => {
    assert.equal(driftVerdict(desired, undefined), 'apply');
    assert.equal(driftVerdict(desired, view({})), 'apply');
    assert.equal(driftVerdict(desired, view({ [APPLIED_DIGEST_ANNOTATION]: 'other' })), 'apply');
  });

  it('trusts its stamp when only the operator wrote the paths it sets', () => {
    assert.equal(driftVerdict(desired, view({ [APPLIED_DIGEST_ANNOTATION]: stamp })), 'in-sync');
    const foreignLabel = [
      ...deploymentManagedFields,
      {
        manager: 'kubectl-label',
        operation: 'Update',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } },
      },
    ];
    assert.equal(
      driftVerdict(desired, view({ [APPLIED_DIGEST_ANNOTATION]: stamp }, foreignLabel)),
      'in-sync',
    );
  });

  it('verifies in full when another manager wrote a path it sets, and remembers a verified pair', () => {
    const cached = view({ [APPLIED_DIGEST_ANNOTATION]: stamp }, scaled);
    assert.equal(driftVerdict(desired, cached), 'verify');
    assert.equal(driftVerdict(desired, cached, `${stamp} ${cached.drift?.live}`), 'in-sync');
    assert.equal(driftVerdict(desired, cached, `${stamp} older`), 'verify');
    const ownLabel = [
      ...deploymentManagedFields,
      {
        manager: 'kubectl-label',
        operation: 'Update',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } } },
      },
    ];
    assert.equal(driftVerdict(desired, view({ [APPLIED_DIGEST_ANNOTATION]: stamp }, ownLabel)), 'verify');
  });

  it('compares in full when the cache holds whole objects', () => {
    const want = { spec: { replicas: 2 } } as KubernetesObject;
    assert.equal(driftVerdict(want, { spec: { replicas: 2, x: 1 } }), 'in-sync');
    assert.equal(driftVerdict(want, { spec: { replicas: 1 } }), 'apply');
  });
});
