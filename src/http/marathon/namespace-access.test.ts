import assert from 'node:assert/strict';
import { candidateNamespaces, NamespaceAccess } from './namespace-access.ts';

describe('NamespaceAccess', () => {
  it('asks once cluster-wide and needs nothing more when allowed there', async () => {
    const asked: (string | undefined)[] = [];
    const a = new NamespaceAccess((ns) => (asked.push(ns), Promise.resolve(ns === undefined)));
    assert.equal(await a.init(['x', 'y']), true);
    assert.deepEqual(asked, [undefined]);
    assert.equal(a.clusterWide, true);
    assert.equal(a.allows('anything'), true);
  });

  it('otherwise decides each candidate, and a new namespace once when first asked', async () => {
    const asked: (string | undefined)[] = [];
    const a = new NamespaceAccess((ns) => (asked.push(ns), Promise.resolve(ns === 'mine' || ns === 'new')));
    assert.equal(await a.init(['mine', 'theirs', 'mine']), true);
    assert.equal(a.allows('mine'), true);
    assert.equal(a.allows('theirs'), false);
    assert.equal(a.allows('new'), undefined);
    assert.equal(a.allows(undefined), true, "the stream's own events");
    const [x, y] = await Promise.all([a.resolve('new'), a.resolve('new')]);
    assert.equal(x && y, true);
    assert.deepEqual(
      asked.filter((n) => n === 'new'),
      ['new'],
    );
  });

  it('refuses a caller allowed nowhere, and treats a failing check as a no', async () => {
    assert.equal(await new NamespaceAccess(() => Promise.resolve(false)).init(['a']), false);
    assert.equal(await new NamespaceAccess(() => Promise.reject(new Error('SAR down'))).init(['a']), false);
  });

  it('takes its candidates from the apps cache keys and the API namespace', () => {
    assert.deepEqual([...candidateNamespaces(['a/x', 'b/y', 'a/z', 'bad'], 'marathon')].sort(), [
      'a',
      'b',
      'marathon',
    ]);
  });
});
