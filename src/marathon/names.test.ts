import assert from 'node:assert/strict';
import { childBaseName, defaultAppId, nameForId, resolveId, taskIdPrefix } from './names.ts';

describe('marathon names', () => {
  it('resolves relative ids, . and .. like Marathon', () => {
    assert.equal(resolveId('sleep', '/g'), '/g/sleep');
    assert.equal(resolveId('../backend', '/shop/web'), '/shop/backend');
    assert.equal(resolveId('./a/', '/g'), '/g/a');
    assert.equal(resolveId('/abs/x', '/g'), '/abs/x');
    assert.equal(resolveId('web'), '/web');
  });

  it('maps ids to readable names when that is unambiguous', () => {
    assert.equal(nameForId('/prod/web/api'), 'prod-web-api');
    assert.equal(nameForId('/my-app'), 'my-app');
    assert.equal(nameForId('nginx'), 'nginx');
  });

  it('never maps two ids to one name', () => {
    const ids = ['/prod/my-app', '/prod-my/app', '/prod/my/app', '/a.b/c', '/a/b.c', '/a-b/c', '/a/b-c'];
    const names = ids.map(nameForId);
    assert.equal(new Set(names).size, ids.length, names.join(' '));
    for (const n of names) assert.match(n, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    assert.equal(nameForId('/prod/my-app'), nameForId('/prod/my-app'));
  });

  it('keeps long ids within 63 characters and distinct', () => {
    const a = nameForId(`/${'x'.repeat(40)}/${'y'.repeat(40)}/a`);
    const b = nameForId(`/${'x'.repeat(40)}/${'y'.repeat(40)}/b`);
    assert.ok(a.length <= 63 && b.length <= 63);
    assert.notEqual(a, b);
  });

  it('gives children a DNS-1035 base of at most 47 characters', () => {
    assert.equal(childBaseName('web'), 'web');
    for (const n of ['1-nginx', 'a.b.c', 'x'.repeat(60)]) {
      const c = childBaseName(n);
      assert.match(c, /^[a-z]([a-z0-9-]*[a-z0-9])?$/);
      assert.ok(c.length <= 47, c);
    }
    assert.notEqual(childBaseName('a.b'), childBaseName('a-b'));
  });

  it('derives the default id and the task id prefix', () => {
    assert.equal(defaultAppId('team', 'web'), '/team/web');
    assert.equal(taskIdPrefix('/prod/web/api'), 'prod_web_api');
  });
});
