import assert from 'node:assert/strict';
import { ApiError } from '../api-error.ts';
import {
  bodyObject,
  definitionOf,
  lockedError,
  looksLikeGroup,
  mergeUpdate,
  nextApiVersion,
  planPut,
  postedId,
  problems,
  sameVersion,
  VERSION_ONLY_WITH_ID,
  withId,
} from './app-update.ts';

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('no error thrown');
}

describe('Marathon app updates', () => {
  const stored = {
    id: '/shop/web',
    cmd: 'python3 -m http.server',
    instances: 2,
    mem: 64,
    labels: { a: 'b' },
  };

  it('merges a partial update: fields present replace, the others stay', () => {
    const plan = planPut('/shop/web', { instances: 5, labels: { c: 'd' } }, stored, true);
    assert.deepEqual(plan, {
      kind: 'spec',
      spec: { id: '/shop/web', cmd: 'python3 -m http.server', instances: 5, mem: 64, labels: { c: 'd' } },
    });
  });

  it('replaces the whole definition with partialUpdate=false', () => {
    const plan = planPut('/shop/web', { cmd: 'sleep 10' }, stored, false);
    assert.deepEqual(plan, { kind: 'spec', spec: { id: '/shop/web', cmd: 'sleep 10' } });
  });

  it('lets the URL id win over the body id, and keeps an id-less (kubectl) spec id-less', () => {
    const plan = planPut('/shop/web', { id: '/other', mem: 32 }, stored, true);
    assert.equal(plan.kind === 'spec' && plan.spec.id, '/shop/web');
    const kubectl = { cmd: 'sleep 1', instances: 1 };
    const p2 = planPut('/ns/app', { id: 'whatever', instances: 3 }, kubectl, true);
    assert.deepEqual(p2, { kind: 'spec', spec: { cmd: 'sleep 1', instances: 3 } });
    // A new app gets its absolute id.
    assert.deepEqual(planPut('/new', { cmd: 'x' }, undefined, true), {
      kind: 'spec',
      spec: { id: '/new', cmd: 'x' },
    });
  });

  it('drops status fields and nulls that clients send back from a GET', () => {
    const def = definitionOf({
      cmd: 'x',
      tasksRunning: 3,
      deployments: [{ id: 'd' }],
      versionInfo: { lastScalingAt: 'x' },
      tasks: [],
      user: null,
      container: { docker: { image: 'nginx', network: null } },
    });
    assert.deepEqual(def, { cmd: 'x', container: { docker: { image: 'nginx' } } });
  });

  it('replaces the legacy twin of a field the update sets (ports/portDefinitions, uris/fetch, cmd/args)', () => {
    assert.deepEqual(mergeUpdate({ ports: [80], cmd: 'a' }, { portDefinitions: [{ port: 0 }] }), {
      cmd: 'a',
      portDefinitions: [{ port: 0 }],
    });
    assert.deepEqual(mergeUpdate({ uris: ['u'] }, { fetch: [{ uri: 'f' }] }), { fetch: [{ uri: 'f' }] });
    assert.deepEqual(mergeUpdate({ args: ['a'] }, { cmd: 'c' }), { cmd: 'c' });
  });

  it('reads {"version": ts} (with at most the id) as a rollback, and refuses version with other fields', () => {
    assert.deepEqual(planPut('/a', { version: '2026-01-01T00:00:00.000Z' }, stored, true), {
      kind: 'rollback',
      version: '2026-01-01T00:00:00.000Z',
    });
    assert.equal(
      planPut('/a', { id: '/a', version: '2026-01-01T00:00:00.000Z' }, stored, true).kind,
      'rollback',
    );
    const err = apiError(() =>
      planPut('/a', { version: '2026-01-01T00:00:00.000Z', cmd: 'x' }, stored, true),
    );
    assert.equal(err.status, 422);
    assert.deepEqual(err.body, {
      message: 'Object is not valid',
      details: [{ path: '/', errors: [VERSION_ONLY_WITH_ID] }],
    });
  });

  it('validates with Marathon details, prefixed for bulk bodies', () => {
    assert.deepEqual(problems('/a', { id: '/a', cmd: 'x' }), []);
    const details = problems('/a', { id: '/a', cmd: 'x', instances: -1 }, '/1');
    assert.deepEqual(details, [{ path: '/1/instances', errors: ['got -1, expected 0 or more'] }]);
    assert.deepEqual(problems('/a', { id: '/b', cmd: 'x' })[0]?.path, '/id');
    assert.equal(problems('/a', {})[0]?.path, '/');
  });

  it('requires a POSTed app to name its id, resolving a relative one', () => {
    assert.equal(postedId({ id: 'sleep' }), '/sleep');
    assert.equal(postedId({ id: '/prod/../web' }), '/web');
    const err = apiError(() => postedId({ cmd: 'x' }));
    assert.deepEqual(err.body, {
      message: 'Object is not valid',
      details: [{ path: '/id', errors: ['error.path.missing'] }],
    });
    assert.equal(apiError(() => bodyObject([1])).status, 422);
    assert.ok(looksLikeGroup({ id: '/g', apps: [] }));
    assert.ok(!looksLikeGroup({ id: '/a', cmd: 'x' }));
  });

  it('stamps strictly increasing versions, to the millisecond', () => {
    const now = new Date('2026-03-01T10:00:00.000Z');
    assert.equal(nextApiVersion(now, []), '2026-03-01T10:00:00.000Z');
    assert.equal(nextApiVersion(now, ['2026-03-01T09:00:00.000Z', undefined]), '2026-03-01T10:00:00.000Z');
    assert.equal(nextApiVersion(now, ['2026-03-01T10:00:00.000Z']), '2026-03-01T10:00:00.001Z');
    assert.equal(nextApiVersion(now, ['2026-03-01T10:00:05.500Z', 'junk']), '2026-03-01T10:00:05.501Z');
  });

  it("answers a locked app with Marathon's 409 body", () => {
    const err = lockedError(['d1', 'd2']);
    assert.equal(err.status, 409);
    assert.deepEqual(err.body, {
      message:
        "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/d1'.",
      deployments: [{ id: 'd1' }, { id: 'd2' }],
    });
  });

  it('compares versions as instants', () => {
    assert.ok(sameVersion('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z'));
    assert.ok(!sameVersion('2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00.000Z'));
    assert.ok(!sameVersion(undefined, '2026-01-01T00:00:00.000Z'));
    assert.deepEqual(withId({ id: 'x', cmd: 'y' }, '/a', undefined), { id: '/a', cmd: 'y' });
  });
});
