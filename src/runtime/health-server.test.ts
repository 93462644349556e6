import assert from 'node:assert/strict';
import { parseBindAddress, startHealthServer } from './health-server.ts';

describe('health server', () => {
  it('answers /healthz, /readyz and /metrics from its source', async () => {
    let ready = false;
    const server = await startHealthServer('127.0.0.1:0', {
      healthy: () => true,
      ready: () => ready,
      metrics: () => Promise.resolve('workqueue_depth{name="x"} 0\n'),
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

  it('parses bind addresses', () => {
    assert.deepEqual(parseBindAddress(':8080'), { host: undefined, port: 8080 });
    assert.deepEqual(parseBindAddress('127.0.0.1:9'), { host: '127.0.0.1', port: 9 });
    assert.deepEqual(parseBindAddress('[::1]:9'), { host: '::1', port: 9 });
  });
});
