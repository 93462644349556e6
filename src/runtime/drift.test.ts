import assert from 'node:assert/strict';
import { contains, needsApply, quantityValue } from './drift.ts';

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
