import assert from 'node:assert/strict';
import { ApiError } from './api-error.ts';
import { KubernetesAuth } from './auth.ts';
import type { JsonRequester } from '../runtime/kube-client.ts';

interface Call {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/** A fake API server that answers TokenReviews for one token and SubjectAccessReviews from a rule list. */
function fakeApi(opts: { allow: (attrs: Record<string, unknown>, user: string) => boolean }) {
  const calls: Call[] = [];
  const json = ((method: string, path: string, o?: { body?: unknown }) => {
    const body = o?.body as Record<string, unknown>;
    calls.push({ method, path, body });
    const spec = body.spec as Record<string, unknown>;
    if (path.endsWith('/tokenreviews')) {
      if (spec.token === 'boom')
        return Promise.reject(Object.assign(new Error('apiserver down'), { code: 503 }));
      return Promise.resolve(
        spec.token === 'alice-token'
          ? { status: { authenticated: true, user: { username: 'alice', uid: 'u1', groups: ['devs'] } } }
          : { status: { authenticated: false, error: 'invalid bearer token' } },
      );
    }
    if (path.endsWith('/subjectaccessreviews'))
      return Promise.resolve({
        status: {
          allowed: opts.allow(spec.resourceAttributes as Record<string, unknown>, String(spec.user)),
        },
      });
    return Promise.reject(new Error(`unexpected ${method} ${path}`));
  }) as JsonRequester;
  return { json, calls };
}

describe('Kubernetes authentication and authorization of API calls', () => {
  it('accepts DC/OS and bearer tokens through a TokenReview, cached without keeping the token', async () => {
    const api = fakeApi({ allow: () => true });
    let t = 0;
    const auth = new KubernetesAuth({ json: api.json, ttlMs: 1000, now: () => t });
    const caller = await auth.authenticate('token=alice-token');
    assert.deepEqual(caller, { username: 'alice', uid: 'u1', groups: ['devs'], extra: undefined });
    await auth.authenticate('Bearer alice-token');
    assert.equal(api.calls.length, 1, 'a second call within the TTL is answered from the cache');
    t = 1500;
    await auth.authenticate('Bearer alice-token');
    assert.equal(api.calls.length, 2, 'the cache entry expires');
    assert.equal(api.calls[0]!.path, '/apis/authentication.k8s.io/v1/tokenreviews');
  });

  it('answers 401 with the DC/OS challenge for a missing, malformed or rejected token', async () => {
    const auth = new KubernetesAuth({ json: fakeApi({ allow: () => true }).json });
    for (const header of [undefined, '', 'Basic YTpi', 'token=wrong']) {
      await assert.rejects(auth.authenticate(header), (err: unknown) => {
        assert.ok(err instanceof ApiError);
        assert.equal(err.status, 401);
        assert.equal(err.headers['WWW-Authenticate'], 'acsjwt');
        return true;
      });
    }
  });

  it('does not cache a failed review: the next call asks again', async () => {
    const api = fakeApi({ allow: () => true });
    const auth = new KubernetesAuth({ json: api.json });
    await assert.rejects(auth.authenticate('token=boom'), /apiserver down/);
    await assert.rejects(auth.authenticate('token=boom'), /apiserver down/);
    assert.equal(api.calls.length, 2);
  });

  it('authorizes each call with a SubjectAccessReview for the caller on the resource touched', async () => {
    const api = fakeApi({
      allow: (a, user) => user === 'alice' && a.namespace === 'prod' && a.verb === 'list',
    });
    const auth = new KubernetesAuth({ json: api.json });
    const alice = await auth.authenticate('token=alice-token');
    const list = {
      verb: 'list',
      group: 'dcos-operator.dev',
      resource: 'marathonapps',
      namespace: 'prod',
    } as const;
    assert.equal(await auth.allowed(alice, list), true);
    assert.equal(await auth.allowed(alice, { ...list, namespace: 'dev' }), false);
    assert.equal(await auth.allowed(alice, { ...list, verb: 'delete' }), false);
    assert.equal(await auth.allowed(alice, list), true);
    const reviews = api.calls.filter((c) => c.path.endsWith('/subjectaccessreviews'));
    assert.equal(reviews.length, 3, 'repeated decisions come from the cache');
    assert.deepEqual(reviews[0]!.body.spec, {
      user: 'alice',
      uid: 'u1',
      groups: ['devs'],
      resourceAttributes: {
        verb: 'list',
        group: 'dcos-operator.dev',
        resource: 'marathonapps',
        namespace: 'prod',
      },
    });
  });
});
