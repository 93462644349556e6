import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { CONTEXT_NAME, renderKubeconfig } from './kubeconfig.ts';

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { token: string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}

describe('devcluster kubeconfig', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const cfg = parse(
    renderKubeconfig({ server: 'https://127.0.0.1:26443', caPem: pem, token: 't0k' }),
  ) as Kubeconfig;

  it('embeds the CA so TLS is verified, never skipped', () => {
    const cluster = cfg.clusters[0]?.cluster;
    assert.equal(cluster?.server, 'https://127.0.0.1:26443');
    assert.equal(Buffer.from(cluster?.['certificate-authority-data'] ?? '', 'base64').toString(), pem);
    assert.ok(!('insecure-skip-tls-verify' in (cluster ?? {})));
  });

  it('selects a context joining that cluster and the admin token', () => {
    assert.equal(cfg['current-context'], CONTEXT_NAME);
    assert.deepEqual(cfg.contexts, [
      { name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: 'admin' } },
    ]);
    assert.deepEqual(cfg.users, [{ name: 'admin', user: { token: 't0k' } }]);
  });
});
