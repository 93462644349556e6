import assert from 'node:assert/strict';
import { createLogger } from '../runtime/logger.ts';
import { notFound, unauthorized } from './api-error.ts';
import { NoAuth, tokenOf } from './auth.ts';
import type { Authenticator, Authorizer, Caller } from './auth.ts';
import { isLoopback, parseBindAddress } from './bind-address.ts';
import { Router } from './router.ts';
import { apiPath, prefersJson, startHttpServer } from './server.ts';

const log = createLogger({ level: 'error', format: 'json' });

describe('http server', () => {
  it('answers /healthz, /readyz and /metrics from its source, without a token', async () => {
    let ready = false;
    const server = await startHttpServer('127.0.0.1:0', {
      health: {
        healthy: () => true,
        ready: () => ready,
        metrics: () => Promise.resolve('workqueue_depth{name="x"} 0\n'),
      },
      log,
    });
    try {
      const get = (p: string) => fetch(`http://127.0.0.1:${server.port}${p}`);
      assert.equal((await get('/healthz')).status, 200);
      assert.equal((await get('/readyz')).status, 503);
      ready = true;
      assert.equal((await get('/readyz')).status, 200);
      const m = await get('/metrics');
      assert.match(m.headers.get('content-type') ?? '', /version=0\.0\.4/);
      assert.match(await m.text(), /workqueue_depth/);
      assert.equal((await get('/nope')).status, 404);
    } finally {
      await server.close();
    }
  });

  it('routes API calls under /, /marathon and /service/marathon, with 401, 403, 404, 405 and 500 bodies', async () => {
    const alice: Caller = { username: 'alice', groups: [] };
    const authenticator: Authenticator = {
      authenticate: (h) => (tokenOf(h) === 'good' ? Promise.resolve(alice) : Promise.reject(unauthorized())),
    };
    const authorizer: Authorizer = { allowed: (_c, a) => Promise.resolve(a.verb === 'list') };
    const router = new Router()
      .add('GET', /^\/ping$/, () => ({ status: 200, text: 'pong\n' }), 'public')
      .add('GET', /^\/v2\/apps$/, async (req) => {
        await req.authorize({ verb: 'list', group: 'dcos-operator.dev', resource: 'marathonapps' });
        return { status: 200, body: { apps: [], who: req.caller.username } };
      })
      .add('GET', /^\/v2\/apps\/(?<id>.+)$/, (_req, p) => {
        throw notFound(`App '/${p.id}' does not exist`);
      })
      .add('DELETE', /^\/v2\/apps\/(?<id>.+)$/, async (req) => {
        await req.authorize({ verb: 'delete', group: 'dcos-operator.dev', resource: 'marathonapps' });
        return { status: 200, body: {} };
      })
      .add('POST', /^\/v2\/boom$/, () => {
        throw new Error('kaput');
      });
    const server = await startHttpServer('127.0.0.1:0', { api: { router, authenticator, authorizer }, log });
    const base = `http://127.0.0.1:${server.port}`;
    const call = async (method: string, p: string, token?: string) => {
      const r = await fetch(base + p, {
        method,
        headers: token ? { authorization: `token=${token}` } : {},
      });
      const text = await r.text();
      return {
        status: r.status,
        body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : text,
        headers: r.headers,
      };
    };
    try {
      assert.equal((await call('GET', '/service/marathon/ping')).body, 'pong\n');
      const anon = await call('GET', '/v2/apps');
      assert.equal(anon.status, 401);
      assert.equal(anon.headers.get('www-authenticate'), 'acsjwt');
      for (const p of ['/v2/apps', '/v2/apps/', '/marathon/v2/apps', '/service/marathon/v2/apps/'])
        assert.deepEqual((await call('GET', p, 'good')).body, { apps: [], who: 'alice' }, p);
      assert.equal((await call('GET', '/v2/apps', 'bad')).status, 401);
      const missing = await call('GET', '/v2/apps/prod/web', 'good');
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, { message: "App '/prod/web' does not exist" });
      const denied = await call('DELETE', '/v2/apps/prod/web', 'good');
      assert.equal(denied.status, 403);
      assert.match(String((denied.body as { message: string }).message), /alice may not delete marathonapps/);
      assert.equal((await call('PUT', '/v2/apps', 'good')).status, 405);
      assert.equal((await call('GET', '/v3/nothing', 'good')).status, 404);
      const boom = await call('POST', '/v2/boom', 'good');
      assert.equal(boom.status, 500);
      assert.match(String((boom.body as { message: string }).message), /kaput/);
    } finally {
      await server.close();
    }
  });

  it('gives Marathon clients JSON metrics and Prometheus its text format', () => {
    assert.equal(prefersJson('application/json'), true);
    assert.equal(prefersJson('*/*'), false);
    assert.equal(prefersJson(undefined), false);
    assert.equal(
      prefersJson('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'),
      false,
    );
  });

  it('strips Admin Router prefixes and trailing slashes', () => {
    assert.equal(apiPath('/service/marathon/v2/apps/'), '/v2/apps');
    assert.equal(apiPath('/marathon/v2/info'), '/v2/info');
    assert.equal(apiPath('/marathonx/v2/info'), '/marathonx/v2/info');
    assert.equal(apiPath('/'), '/');
    assert.equal(apiPath('/marathon'), '/');
  });

  it('reads DC/OS and bearer tokens', () => {
    assert.equal(tokenOf('token=abc.def'), 'abc.def');
    assert.equal(tokenOf('Bearer abc'), 'abc');
    assert.equal(tokenOf('Basic dXNlcjpwYXNz'), undefined);
    assert.equal(tokenOf(undefined), undefined);
  });

  it('lets everyone in with auth none', async () => {
    const n = new NoAuth();
    assert.equal((await n.authenticate()).username, 'system:anonymous');
    assert.equal(await n.allowed(), true);
  });

  it('parses bind addresses and knows loopback ones', () => {
    assert.deepEqual(parseBindAddress(':8080'), { host: undefined, port: 8080 });
    assert.deepEqual(parseBindAddress('127.0.0.1:9'), { host: '127.0.0.1', port: 9 });
    assert.deepEqual(parseBindAddress('[::1]:9'), { host: '::1', port: 9 });
    assert.equal(isLoopback('127.0.0.1:8080'), true);
    assert.equal(isLoopback('[::1]:8080'), true);
    assert.equal(isLoopback(':8080'), false);
    assert.equal(isLoopback('0.0.0.0:8080'), false);
  });
});
