import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  appGroupClashes,
  applyGroupUpdate,
  readGroupUpdate,
  scaleGroup,
  type AppDefinition,
} from './group-update.ts';

const groups = path.resolve(import.meta.dirname, '../../../../shared/fixtures/marathon/groups');
const fixture = (f: string): unknown => JSON.parse(fs.readFileSync(path.join(groups, f), 'utf8'));

const update = (body: unknown, base = '/') => {
  const r = readGroupUpdate(body, base);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.value.kind, 'update');
  return r.value;
};
const ids = (m: ReadonlyMap<string, unknown>) => [...m.keys()].sort();
const map = (entries: Record<string, AppDefinition>) => new Map(Object.entries(entries));

describe('group update', () => {
  it('reads the sleep-group fixture into absolute ids', () => {
    const u = update(fixture('sleep-group.json'));
    assert.equal(u.id, '/sleep-group');
    assert.deepEqual(u.group.apps, []);
    assert.equal(u.group.groups?.[0]?.id, '/sleep-group/sleep');
    assert.deepEqual(
      u.group.groups?.[0]?.apps?.map((a) => a.id),
      ['/sleep-group/sleep/goodnight-1', '/sleep-group/sleep/goodnight-2'],
    );
    // the empty dependency lists are dropped, not kept as []
    assert.equal(u.group.groups?.[0]?.apps?.[0]?.definition.dependencies, undefined);
  });

  it('resolves relative ids against the enclosing group and the body id against the URL', () => {
    const u = update(fixture('complicated.json'));
    const target = applyGroupUpdate(new Map(), u.group);
    assert.deepEqual(ids(target), [
      '/test-group/app/sleep10',
      '/test-group/appingroups',
      '/test-group/moregroups/moregroups/sleep1',
    ]);
    assert.equal(target.get('/test-group/app/sleep10')?.id, '/test-group/app/sleep10');
    // sent to /v2/groups/prod: a relative body id is below /prod, an absolute one is itself
    assert.equal(update({ id: 'web', apps: [] }, '/prod').id, '/prod/web');
    assert.equal(update({ id: '/web', apps: [] }, '/prod').id, '/web');
    assert.equal(update({ apps: [] }, '/prod').id, '/prod');
    // ../ in an app id and in dependencies
    const d = update({ id: '/a/b', apps: [{ id: 'x', cmd: 'c', dependencies: ['../y', 'z'] }] });
    assert.deepEqual(d.group.apps?.[0]?.definition.dependencies, ['/a/y', '/a/b/z']);
  });

  it('hands group dependencies down to the apps given inside it', () => {
    const u = update({
      id: '/product',
      groups: [
        { id: 'database', apps: [{ id: 'mongo', cmd: 'm' }] },
        { id: '/product/service', dependencies: ['/product/database'], apps: [{ id: 'rails', cmd: 'r' }] },
      ],
    });
    const t = applyGroupUpdate(new Map(), u.group);
    assert.deepEqual(t.get('/product/service/rails')?.dependencies, ['/product/database']);
    assert.equal(t.get('/product/database/mongo')?.dependencies, undefined);
  });

  it("rejects children outside their parent with Marathon's message, and bad shapes, all at once", () => {
    const r = readGroupUpdate(
      {
        id: '/g',
        apps: [{ id: '/other/x', cmd: 'x' }, { cmd: 'no id' }, 7],
        groups: [{ id: '/elsewhere' }, { id: 'Bad_Id' }],
        dependencies: 'nope',
      },
      '/',
    );
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.details.map((d) => d.path), [
      '/dependencies',
      '/apps(0)/id',
      '/apps(1)/id',
      '/apps(2)',
      '/groups(0)/id',
      '/groups(1)/id',
    ]);
    assert.deepEqual(!r.ok && r.details[1], {
      path: '/apps(0)/id',
      errors: ["Identifier is not child of '/g'"],
    });
    for (const bad of [
      null,
      3,
      [],
      'x',
      { id: 7 },
      { apps: {} },
      { scaleBy: -1 },
      { scaleBy: 'x' },
      { version: 'then' },
    ])
      assert.equal(readGroupUpdate(bad, '/').ok, false, JSON.stringify(bad));
    const dup = readGroupUpdate(
      {
        id: '/g',
        apps: [
          { id: 'a', cmd: 'x' },
          { id: '/g/a', cmd: 'y' },
        ],
      },
      '/',
    );
    assert.equal(dup.ok, false);
    const same = readGroupUpdate({ id: '/g', apps: [{ id: 'a', cmd: 'x' }], groups: [{ id: 'a' }] }, '/');
    assert.equal(same.ok, false);
  });

  it('reads scaleBy and version; version wins over scaleBy', () => {
    assert.deepEqual(readGroupUpdate({ scaleBy: 2 }, '/g'), {
      ok: true,
      value: { kind: 'scale', id: '/g', scaleBy: 2 },
    });
    const v = '2024-05-01T10:00:00.000Z';
    assert.deepEqual(readGroupUpdate({ scaleBy: 2, version: v }, '/g'), {
      ok: true,
      value: { kind: 'rollback', id: '/g', version: v },
    });
  });

  it('scales every app by the factor, rounding up (Marathon: ceil(instances * scaleBy))', () => {
    const scaled = scaleGroup(
      map({ '/g/a': { id: '/g/a', instances: 3 }, '/g/b/c': { id: '/g/b/c' }, '/g/z': { instances: 0 } }),
      1.5,
    );
    assert.equal(scaled.get('/g/a')?.instances, 5);
    assert.equal(scaled.get('/g/b/c')?.instances, 2);
    assert.equal(scaled.get('/g/z')?.instances, 0);
    assert.equal(scaleGroup(map({ '/a': { instances: 3 } }), 0).get('/a')?.instances, 0);
  });

  it('replaces only the parts given: apps replace own apps, groups replace subgroups, absent keeps', () => {
    const current = map({
      '/g/a': { id: '/g/a', cmd: 'old' },
      '/g/b': { id: '/g/b', cmd: 'b' },
      '/g/sub/x': { id: '/g/sub/x', cmd: 'x' },
      '/g/sub/y': { id: '/g/sub/y', cmd: 'y' },
      '/g/other/z': { id: '/g/other/z', cmd: 'z' },
    });
    // apps only: /g/b goes, the subgroups stay
    let t = applyGroupUpdate(current, update({ id: '/g', apps: [{ id: 'a', cmd: 'new' }] }).group);
    assert.deepEqual(ids(t), ['/g/a', '/g/other/z', '/g/sub/x', '/g/sub/y']);
    assert.equal(t.get('/g/a')?.cmd, 'new');
    // groups only: /g/other goes, /g/sub is updated by the same rules (its apps absent: kept), own apps stay
    t = applyGroupUpdate(
      current,
      update({ id: '/g', groups: [{ id: 'sub' }, { id: 'new', apps: [{ id: 'n', cmd: 'n' }] }] }).group,
    );
    assert.deepEqual(ids(t), ['/g/a', '/g/b', '/g/new/n', '/g/sub/x', '/g/sub/y']);
    // a listed subgroup with apps replaces its apps
    t = applyGroupUpdate(
      current,
      update({ id: '/g', groups: [{ id: 'sub', apps: [{ id: 'y', cmd: 'y2' }] }] }).group,
    );
    assert.deepEqual(ids(t), ['/g/a', '/g/b', '/g/sub/y']);
    // nothing given: nothing changes
    assert.deepEqual(ids(applyGroupUpdate(current, update({ id: '/g' }).group)), ids(current));
    // empty lists: everything goes
    assert.deepEqual(ids(applyGroupUpdate(current, update({ id: '/g', apps: [], groups: [] }).group)), []);
  });

  it("reads marathon-python's create_group body: null fields and empty pods are absent", () => {
    const u = update({
      id: '/py',
      version: null,
      scaleBy: null,
      dependencies: [],
      pods: [],
      groups: [],
      apps: [{ id: 'a', cmd: 'x', dependencies: null }],
    });
    assert.deepEqual(
      u.group.apps?.map((a) => [a.id, a.path]),
      [['/py/a', '/apps(0)']],
    );
    const pods = readGroupUpdate({ id: '/p', pods: [{ id: 'x' }] }, '/');
    assert.equal(pods.ok, false);
    assert.match(!pods.ok ? pods.details[0]!.errors[0]! : '', /Pods are not supported yet/);
  });

  it('finds ids that would be both an app and a group', () => {
    assert.deepEqual(appGroupClashes(['/g/a', '/g/a/b', '/g/c', '/g/cc']), ['/g/a']);
    assert.deepEqual(appGroupClashes(['/g/a', '/g/b']), []);
  });
});
