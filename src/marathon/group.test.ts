import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { expandGroup, isGroupDefinition } from './group.ts';

const groups = path.resolve(import.meta.dirname, '../../../shared/fixtures/marathon/groups');
const read = (f: string): unknown => JSON.parse(fs.readFileSync(path.join(groups, f), 'utf8'));

describe('marathon group', () => {
  it('tells groups from apps', () => {
    assert.equal(isGroupDefinition({ id: '/g', apps: [] }), true);
    assert.equal(isGroupDefinition({ id: '/a', cmd: 'x' }), false);
    assert.equal(isGroupDefinition([]), false);
  });

  it('makes relative ids absolute against the enclosing group (complicated.json)', () => {
    const r = expandGroup(read('complicated.json'));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(
      r.value.map((a) => a.id),
      ['/test-group/appingroups', '/test-group/app/sleep10', '/test-group/moregroups/moregroups/sleep1'],
    );
    assert.deepEqual(r.value[1]?.definition.dependencies, ['/product/database']);
    assert.equal(r.value[1]?.definition.id, '/test-group/app/sleep10');
  });

  it('keeps app dependencies and hands group dependencies down to every app inside', () => {
    const r = expandGroup({
      id: '/shop',
      dependencies: ['/infra/db'],
      apps: [{ id: 'web', cmd: 'x', dependencies: ['api'] }],
      groups: [{ id: 'back', apps: [{ id: 'api', cmd: 'y', dependencies: ['../cache'] }] }],
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.value[0]?.definition.dependencies, ['/infra/db', '/shop/api']);
    assert.deepEqual(r.value[1]?.definition.dependencies, ['/infra/db', '/shop/cache']);
    assert.equal(r.value[1]?.id, '/shop/back/api');
  });

  it("resolves a group's own relative dependencies against the group itself, as Marathon does", () => {
    const r = expandGroup({
      id: '/shop',
      groups: [{ id: 'back', dependencies: ['../cache', 'db'], apps: [{ id: 'api', cmd: 'y' }] }],
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.value[0]?.definition.dependencies, ['/shop/cache', '/shop/back/db']);
  });

  it('expands every fixture group and keeps absolute dependencies (Group.json)', () => {
    for (const f of fs.readdirSync(groups)) {
      const r = expandGroup(read(f));
      assert.ok(r.ok, `${f}: ${JSON.stringify(r)}`);
      assert.ok(r.value.length > 0, f);
      for (const a of r.value) assert.match(a.id, /^\/[a-z0-9]/, f);
    }
    const r = expandGroup(read('Group.json'));
    assert.ok(r.ok);
    assert.deepEqual(r.value.find((a) => a.id.endsWith('service-b'))?.definition.dependencies, [
      '/department-a/product-a/service-a',
    ]);
  });

  it("rejects a child outside its group with Marathon's message and path", () => {
    const r = expandGroup({ id: '/g', apps: [{ id: '/other/x', cmd: 'x' }], groups: [{ id: '/elsewhere' }] });
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.details, [
      { path: '/apps(0)/id', errors: ["Identifier is not child of '/g'"] },
      { path: '/groups(0)/id', errors: ["Identifier is not child of '/g'"] },
    ]);
  });

  it('rejects malformed groups without throwing', () => {
    for (const bad of [
      null,
      3,
      'x',
      { apps: 'no' },
      { apps: [null] },
      { apps: [{ cmd: 'x' }] },
      { groups: [7] },
    ]) {
      const r = expandGroup(bad);
      assert.equal(r.ok, false, JSON.stringify(bad));
    }
    const dup = expandGroup({
      id: '/g',
      apps: [
        { id: 'a', cmd: 'x' },
        { id: '/g/a', cmd: 'y' },
      ],
    });
    assert.equal(dup.ok, false);
  });
});
