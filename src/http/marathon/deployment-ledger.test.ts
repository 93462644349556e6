import assert from 'node:assert/strict';
import { DeploymentLedger } from './deployment-ledger.ts';

describe('DeploymentLedger', () => {
  it('announces a deployment once and ends it with its last app, failed if any part failed', () => {
    const l = new DeploymentLedger();
    assert.equal(l.start('d', 'ns/a'), true);
    assert.equal(l.start('d', 'ns/b'), false);
    assert.equal(l.start('d', 'ns/c'), false);
    assert.equal(l.end('d', 'ns/a', { outcome: 'failed', reason: 'a broke' }), undefined);
    assert.equal(l.end('d', 'ns/a', { outcome: 'success' }), undefined, 'a part ends once');
    assert.equal(l.end('d', 'ns/b', { outcome: 'success' }), undefined);
    assert.deepEqual(l.end('d', 'ns/c', { outcome: 'success' }), { outcome: 'failed', reason: 'a broke' });
    assert.equal(l.isOpen('d'), false);
    assert.equal(l.end('d', 'ns/c', { outcome: 'success' }), undefined, 'nothing left to end');
  });

  it('ends a single-app deployment with its outcome, and forgets a replaced stand-in silently', () => {
    const l = new DeploymentLedger();
    l.start('d', 'ns/a');
    assert.deepEqual(l.end('d', 'ns/a', { outcome: 'success' }), { outcome: 'success' });
    l.start('p', 'ns/a');
    l.forget('p', 'ns/a');
    assert.equal(l.size, 0);
    assert.equal(l.start('p', 'ns/a'), true, 'a forgotten id can be announced again');
  });
});
