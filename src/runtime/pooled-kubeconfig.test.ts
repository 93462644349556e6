import assert from 'node:assert/strict';
import { RequestContext } from '@kubernetes/client-node';
import { PooledKubeConfig } from './pooled-kubeconfig.ts';

// Any PEM-looking CA is enough: no connection is made here.
const ca = (n: number) => Buffer.from(`-----BEGIN CERTIFICATE-----\nfake${n}\n-----END CERTIFICATE-----\n`);

function config(opts: {
  caData: Buffer;
  token?: string;
  username?: string;
  proxy?: string;
}): PooledKubeConfig {
  const kc = new PooledKubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server: 'https://k8s.test:6443',
        caData: opts.caData.toString('base64'),
        ...(opts.proxy && { proxyUrl: opts.proxy }),
      },
    ],
    users: [
      {
        name: 'u',
        ...(opts.token && { token: opts.token }),
        ...(opts.username && { username: opts.username, password: 'pw' }),
      },
    ],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

async function authenticate(kc: PooledKubeConfig): Promise<RequestContext> {
  const ctx = new RequestContext('https://k8s.test:6443/api/v1/pods', 'GET');
  await kc.applySecurityAuthentication(ctx);
  return ctx;
}

describe('PooledKubeConfig', () => {
  it('gives every request the same connection pool while the credentials stay the same', async () => {
    const kc = config({ caData: ca(1), token: 'secret-token' });
    const a = await authenticate(kc);
    const b = await authenticate(kc);
    assert.ok(a.getDispatcher());
    assert.equal(a.getDispatcher(), b.getDispatcher());
    assert.equal(a.getHeaders()['Authorization'], 'Bearer secret-token');
  });

  it('opens a new pool when the TLS credentials change', async () => {
    const kc = config({ caData: ca(1), token: 't' });
    const before = (await authenticate(kc)).getDispatcher();
    kc.clusters[0] = { ...kc.clusters[0]!, caData: ca(2).toString('base64') };
    const after = (await authenticate(kc)).getDispatcher();
    assert.ok(after);
    assert.notEqual(after, before);
    assert.equal((await authenticate(kc)).getDispatcher(), after);
  });

  it('sends basic credentials as client-node does', async () => {
    const ctx = await authenticate(config({ caData: ca(1), username: 'alice' }));
    assert.equal(ctx.getHeaders()['Authorization'], `Basic ${Buffer.from('alice:pw').toString('base64')}`);
  });

  it('leaves proxied clusters to client-node (a dispatcher per request)', async () => {
    const kc = config({ caData: ca(1), token: 't', proxy: 'http://proxy.test:3128' });
    const a = await authenticate(kc);
    const b = await authenticate(kc);
    assert.ok(a.getDispatcher());
    assert.notEqual(a.getDispatcher(), b.getDispatcher());
    assert.equal(a.getHeaders()['Authorization'], 'Bearer t');
  });
});
