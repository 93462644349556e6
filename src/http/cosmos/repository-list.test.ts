import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { orderRepositories } from '../../universe/repository-set.ts';
import { CosmosError } from './errors.ts';
import type { AddPlan, RepositoryRecord } from './repository-list.ts';
import {
  cosmosRepositories,
  kubernetesNameFor,
  planAdd,
  planDelete,
  REPOSITORY_NAME_ANNOTATION,
  repositoryRecords,
} from './repository-list.ts';

const rec = (name: string, priority: number, uri = `https://${name}.example/repo`): RepositoryRecord => ({
  name,
  cosmosName: name,
  uri,
  priority,
});

function added(records: RepositoryRecord[], req: { name: string; uri: string; index?: number }): AddPlan {
  const plan = planAdd(records, req);
  if (plan instanceof CosmosError) assert.fail(plan.message);
  return plan;
}

/** The order the operator searches once the plan's writes are done. */
function orderAfter(records: RepositoryRecord[], plan: AddPlan): string[] {
  const byName = new Map(records.map((r) => [r.name, { ...r }]));
  for (const p of plan.patches) byName.get(p.name)!.priority = p.priority;
  for (const c of plan.creates) byName.set(c.name, { ...c });
  return orderRepositories([...byName.values()]).map((r) => r.name);
}

describe('Cosmos repository list over UniverseRepositories', () => {
  it('reads objects in search order, with Cosmos names from the annotation, skipping invalid and deleted ones', () => {
    const objects: (KubernetesObject & { spec: unknown })[] = [
      { metadata: { name: 'low' }, spec: { uri: 'https://low/repo', priority: 1 } },
      {
        metadata: { name: 'universe-1a2b3c4d', annotations: { [REPOSITORY_NAME_ANNOTATION]: 'Universe' } },
        spec: { uri: 'https://universe.example/repo', priority: 5 },
      },
      { metadata: { name: 'bad' }, spec: { uri: 'ftp://nope' } },
      { metadata: { name: 'gone', deletionTimestamp: new Date() }, spec: { uri: 'https://gone/repo' } },
    ];
    assert.deepEqual(cosmosRepositories(repositoryRecords(objects)), [
      { name: 'Universe', uri: 'https://universe.example/repo' },
      { name: 'low', uri: 'https://low/repo' },
    ]);
    assert.deepEqual(cosmosRepositories([]), [{ name: 'builtin', uri: 'builtin' }]);
  });

  it('gives names that are not Kubernetes names a stable, distinct Kubernetes name', () => {
    assert.equal(kubernetesNameFor('my-repo'), 'my-repo');
    assert.match(kubernetesNameFor('Universe'), /^universe-[0-9a-f]{8}$/);
    assert.notEqual(kubernetesNameFor('Universe'), kubernetesNameFor('universe'));
    assert.equal(kubernetesNameFor('My Repo!'), kubernetesNameFor('My Repo!'));
    assert.match(kubernetesNameFor('My Repo!'), /^my-repo-[0-9a-f]{8}$/);
    assert.match(kubernetesNameFor('!!!'), /^repository-[0-9a-f]{8}$/);
  });

  it('makes the implicit built-in catalog a real repository on the first add, so it stays listed', () => {
    const plan = added([], { name: 'Private', uri: 'https://private.example/repo' });
    assert.deepEqual(
      plan.creates.map((c) => [c.name, c.uri]),
      [
        ['builtin', 'builtin'],
        [kubernetesNameFor('Private'), 'https://private.example/repo'],
      ],
    );
    assert.deepEqual(plan.list, [
      { name: 'builtin', uri: 'builtin' },
      { name: 'Private', uri: 'https://private.example/repo' },
    ]);
    const first = added([], { name: 'zz', uri: 'https://zz/repo', index: 0 });
    assert.deepEqual(orderAfter([], first), ['zz', 'builtin']);
  });

  it('lands the new repository at the requested index, with a single create when a priority fits', () => {
    const records = orderRepositories([rec('a', 10), rec('b', 5), rec('c', 0)]) as RepositoryRecord[];
    for (let index = 0; index <= 3; index++) {
      const plan = added(records, { name: 'new', uri: 'https://new/repo', index });
      assert.deepEqual(plan.patches, [], `index ${index}`);
      const order = orderAfter(records, plan);
      assert.equal(order.indexOf('new'), index, order.join(','));
      assert.deepEqual(
        plan.list.map((r) => r.name),
        order,
      );
    }
    assert.deepEqual(orderAfter(records, added(records, { name: 'new', uri: 'https://new/repo' })), [
      'a',
      'b',
      'c',
      'new',
    ]);
  });

  it('raises the repositories above the slot when no priority fits between its neighbours', () => {
    // m (1) then a (0): "c" tied with either would sort on the wrong side of it.
    const records = [rec('m', 1), rec('a', 0)];
    const plan = added(records, { name: 'c', uri: 'https://c/repo', index: 1 });
    assert.deepEqual(plan.patches, [{ name: 'm', priority: 2 }]);
    assert.deepEqual(orderAfter(records, plan), ['m', 'c', 'a']);
    assert.deepEqual(
      plan.list.map((r) => r.name),
      ['m', 'c', 'a'],
    );
  });

  it('refuses duplicates, bad indexes and URIs Cosmos could not fetch', () => {
    const records = [rec('a', 1, 'https://a/repo')];
    const err = (req: { name: string; uri: string; index?: number }) => {
      const plan = planAdd(records, req);
      assert.ok(plan instanceof CosmosError, JSON.stringify(req));
      return plan;
    };
    assert.equal(err({ name: 'a', uri: 'https://other/repo' }).type, 'RepositoryAlreadyPresent');
    assert.equal(err({ name: 'b', uri: 'https://a/repo' }).type, 'RepositoryAlreadyPresent');
    assert.equal(err({ name: 'b', uri: 'https://b/repo', index: 2 }).type, 'RepositoryAddIndexOutOfBounds');
    assert.equal(err({ name: 'b', uri: 'https://b/repo', index: -1 }).type, 'RepositoryAddIndexOutOfBounds');
    assert.equal(err({ name: 'b', uri: 'file:///etc/repo.json' }).type, 'UnsupportedRepositoryUri');
    assert.equal(err({ name: 'b', uri: 'not a uri' }).type, 'UnsupportedRepositoryUri');
    const implicit = planAdd([], { name: 'builtin', uri: 'https://x/repo' });
    assert.ok(implicit instanceof CosmosError && implicit.type === 'RepositoryAlreadyPresent');
  });

  it('deletes by name or URI, and explains that the implicit built-in catalog cannot be deleted', () => {
    const records = [rec('a', 1), rec('b', 0)];
    const byName = planDelete(records, { name: 'b' });
    assert.ok(!(byName instanceof CosmosError));
    assert.equal(byName.target.name, 'b');
    assert.deepEqual(byName.list, [{ name: 'a', uri: 'https://a.example/repo' }]);
    const byUri = planDelete(records, { uri: 'https://a.example/repo' });
    assert.ok(!(byUri instanceof CosmosError) && byUri.target.name === 'a');
    // The last one gone: the built-in catalog is what is searched again.
    const last = planDelete([rec('a', 1)], { name: 'a' });
    assert.ok(!(last instanceof CosmosError));
    assert.deepEqual(last.list, [{ name: 'builtin', uri: 'builtin' }]);

    const kinds = [
      planDelete(records, {}),
      planDelete(records, { name: 'zzz' }),
      planDelete([], { name: 'builtin' }),
    ].map((r) => (r instanceof CosmosError ? r.type : 'ok'));
    assert.deepEqual(kinds, ['RepoNameOrUriMissing', 'RepositoryNotPresent', 'RepositoryNotDeletable']);
  });
});
