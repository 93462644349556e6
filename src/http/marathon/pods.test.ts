import assert from 'node:assert/strict';
import { ApiError } from '../api-error.ts';
import type { ApiRequest } from '../request.ts';
import { Router } from '../router.ts';
import type { MarathonApiContext } from './context.ts';
import { registerPodRoutes } from './pods.ts';

const router = new Router();
registerPodRoutes(router, {} as MarathonApiContext);

async function answer(method: string, path: string): Promise<{ status: number; body: unknown }> {
  const m = router.match(method, path);
  assert.ok(m && m !== 'method', `${method} ${path} has a route`);
  try {
    const r = await m.route.handler({} as ApiRequest, m.params);
    return { status: (r as { status: number }).status, body: (r as { body?: unknown }).body };
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return { status: err.status, body: err.body };
  }
}

describe('/v2/pods without pods', () => {
  it('answers the probe and the lists: HEAD 200, no pods, no statuses', async () => {
    assert.equal((await answer('HEAD', '/v2/pods')).status, 200);
    assert.deepEqual(await answer('GET', '/v2/pods'), { status: 200, body: [] });
    assert.deepEqual(await answer('GET', '/v2/pods/::status'), { status: 200, body: [] });
  });

  it("says no pod exists, with the pod's absolute id", async () => {
    for (const [method, path, id] of [
      ['GET', '/v2/pods/prod/web', '/prod/web'],
      ['GET', '/v2/pods/prod/web::status', '/prod/web'],
      ['GET', '/v2/pods/web::versions/2024-01-01T00:00:00.000Z', '/web'],
      ['DELETE', '/v2/pods/web', '/web'],
      ['DELETE', '/v2/pods/web::instances/web.instance-1', '/web'],
    ] as const)
      assert.deepEqual(await answer(method, path), {
        status: 404,
        body: { message: `Pod '${id}' does not exist` },
      });
  });

  it('refuses pod writes with a 422 that says why', async () => {
    for (const [method, path] of [
      ['POST', '/v2/pods'],
      ['PUT', '/v2/pods/web'],
      ['PATCH', '/v2/pods/web'],
    ] as const) {
      const r = await answer(method, path);
      assert.equal(r.status, 422);
      assert.match((r.body as { message: string }).message, /^Pods are not supported yet/);
    }
  });
});
