import assert from 'node:assert/strict';
import {
  appsIn,
  buildGroupTree,
  findGroup,
  groupPath,
  groupVersion,
  renderGroup,
  resolveGroupEmbed,
} from './group-tree.ts';

const IDS = ['/shop/web', '/shop/back/api', '/shop/back/db/pg', '/tools/oauth', '/top'];

describe('group tree', () => {
  it('builds nested groups from app ids, the root holding everything', () => {
    const root = buildGroupTree('/', IDS);
    assert.ok(root);
    assert.equal(root.id, '/');
    assert.deepEqual(root.apps, ['/top']);
    assert.deepEqual(
      root.groups.map((g) => g.id),
      ['/shop', '/tools'],
    );
    const shop = root.groups[0]!;
    assert.deepEqual(shop.apps, ['/shop/web']);
    assert.deepEqual(
      shop.groups.map((g) => g.id),
      ['/shop/back'],
    );
    assert.deepEqual(shop.groups[0]!.apps, ['/shop/back/api']);
    assert.deepEqual(shop.groups[0]!.groups[0], {
      id: '/shop/back/db',
      apps: ['/shop/back/db/pg'],
      groups: [],
    });
    assert.deepEqual(appsIn(root).sort(), [...IDS].sort());
  });

  it('builds a subtree for a group id, written any way Marathon accepts', () => {
    for (const id of ['/shop/back', 'shop/back', '/shop/back/', '/shop/./back']) {
      const g = buildGroupTree(id, IDS);
      assert.equal(g?.id, '/shop/back', id);
      assert.deepEqual(appsIn(g), ['/shop/back/api', '/shop/back/db/pg']);
    }
    assert.equal(groupPath('shop//back/'), '/shop/back');
  });

  it('knows no group where no app lies below; the root always exists', () => {
    assert.equal(buildGroupTree('/nope', IDS), undefined);
    // an app is not a group, and a prefix of a segment is not a parent
    assert.equal(buildGroupTree('/top', IDS), undefined);
    assert.equal(buildGroupTree('/sho', IDS), undefined);
    assert.deepEqual(buildGroupTree('/', []), { id: '/', apps: [], groups: [] });
  });

  it('finds a group inside a tree', () => {
    const root = buildGroupTree('/', IDS)!;
    assert.equal(findGroup(root, '/shop/back/db')?.id, '/shop/back/db');
    assert.equal(findGroup(root, '/shop/nope'), undefined);
    assert.equal(findGroup(root, '/'), root);
  });

  it('resolves embed as Marathon does: default apps+groups+pods, else only what is named', () => {
    assert.deepEqual(resolveGroupEmbed([]), { apps: true, groups: true, pods: true, appEmbed: [] });
    assert.deepEqual(resolveGroupEmbed(['group.apps', 'group.apps.tasks', 'apps.counts']), {
      apps: true,
      groups: false,
      pods: false,
      appEmbed: ['group.apps.tasks'],
    });
    assert.deepEqual(resolveGroupEmbed(['group.groups']), {
      apps: false,
      groups: true,
      pods: false,
      appEmbed: [],
    });
  });

  it('renders GroupInfo with the embedded parts only, and the newest app version as its version', () => {
    const versions: Record<string, string> = {
      '/shop/web': '2024-01-02T00:00:00.000Z',
      '/shop/back/api': '2024-03-01T10:00:00.000Z',
      '/shop/back/db/pg': '2023-12-31T00:00:00.000Z',
    };
    const r = { app: (id: string) => JSON.stringify({ id }), version: (id: string) => versions[id] };
    const render = (...a: Parameters<typeof renderGroup>) => JSON.parse(renderGroup(...a)) as unknown;
    const shop = buildGroupTree('/shop', IDS)!;
    assert.deepEqual(render(shop, resolveGroupEmbed([]), r), {
      id: '/shop',
      apps: [{ id: '/shop/web' }],
      groups: [
        {
          id: '/shop/back',
          apps: [{ id: '/shop/back/api' }],
          groups: [
            {
              id: '/shop/back/db',
              apps: [{ id: '/shop/back/db/pg' }],
              groups: [],
              pods: [],
              dependencies: [],
              version: '2023-12-31T00:00:00.000Z',
            },
          ],
          pods: [],
          dependencies: [],
          version: '2024-03-01T10:00:00.000Z',
        },
      ],
      pods: [],
      dependencies: [],
      version: '2024-03-01T10:00:00.000Z',
    });
    // only apps: no groups key at all (the subgroups' apps still count for the version)
    assert.deepEqual(render(shop, resolveGroupEmbed(['group.apps']), r), {
      id: '/shop',
      apps: [{ id: '/shop/web' }],
      dependencies: [],
      version: '2024-03-01T10:00:00.000Z',
    });
    // an empty root has no version to show
    assert.deepEqual(render(buildGroupTree('/', [])!, resolveGroupEmbed([]), r), {
      id: '/',
      apps: [],
      groups: [],
      pods: [],
      dependencies: [],
    });
  });

  it('compares versions as times, not strings', () => {
    const g = buildGroupTree('/', ['/a', '/b'])!;
    const v: Record<string, string> = { '/a': '2024-01-01T00:00:00Z', '/b': '2024-01-01T00:00:00.500Z' };
    assert.equal(
      groupVersion(g, (id) => v[id]),
      '2024-01-01T00:00:00.500Z',
    );
  });
});
