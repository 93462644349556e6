import assert from 'node:assert/strict';
import path from 'node:path';
import { COMPONENTS, defaultConfig } from './config.ts';
import { commandLine, healthProbe } from './flags.ts';
import { layout } from './layout.ts';

const files = layout(path.join(path.sep, 'state'));
const binDir = path.join(path.sep, 'bins');

function flags(args: string[]): Map<string, string> {
  return new Map(
    args.map((a) => {
      const eq = a.indexOf('=');
      return eq < 0 ? [a.slice(2), ''] : [a.slice(2, eq), a.slice(eq + 1)];
    }),
  );
}

describe('devcluster flags', () => {
  it('runs each component from the bin dir, with --flag=value arguments and no duplicate flag', () => {
    for (const name of COMPONENTS) {
      const cmd = commandLine(name, defaultConfig(binDir), files);
      assert.equal(cmd.binary, path.join(binDir, name));
      for (const a of cmd.args) assert.match(a, /^--[a-z-]+(=.*)?$/);
      assert.equal(flags(cmd.args).size, cmd.args.length, name);
    }
  });

  it('keeps etcd on loopback, off the default ports, without fsync', () => {
    const f = flags(commandLine('etcd', defaultConfig(binDir), files).args);
    assert.equal(f.get('listen-client-urls'), 'http://127.0.0.1:23790');
    assert.equal(f.get('listen-peer-urls'), 'http://127.0.0.1:23800');
    assert.equal(f.get('data-dir'), files.etcdDataDir);
    assert.ok(f.has('unsafe-no-fsync'));
  });

  it('gives kube-apiserver token auth, RBAC, the SA key pair and a cert dir', () => {
    const f = flags(commandLine('kube-apiserver', defaultConfig(binDir), files).args);
    assert.equal(f.get('bind-address'), '127.0.0.1');
    assert.equal(f.get('secure-port'), '26443');
    assert.equal(f.get('etcd-servers'), 'http://127.0.0.1:23790');
    assert.equal(f.get('token-auth-file'), files.tokenFile);
    assert.equal(f.get('authorization-mode'), 'RBAC');
    assert.equal(f.get('service-account-key-file'), files.saPublicKey);
    assert.equal(f.get('service-account-signing-key-file'), files.saPrivateKey);
    assert.equal(f.get('cert-dir'), files.pkiDir);
  });

  it('connects controllers, scheduler and kwok through the admin kubeconfig', () => {
    for (const name of ['kube-controller-manager', 'kube-scheduler', 'kwok'] as const) {
      assert.equal(
        flags(commandLine(name, defaultConfig(binDir), files).args).get('kubeconfig'),
        files.kubeconfig,
      );
    }
    const kcm = flags(commandLine('kube-controller-manager', defaultConfig(binDir), files).args);
    assert.equal(kcm.get('root-ca-file'), files.apiserverCert);
    assert.equal(kcm.get('leader-elect'), 'false');
  });

  it('lets kwok manage only annotated nodes, with node lease heartbeats', () => {
    const f = flags(commandLine('kwok', defaultConfig(binDir), files).args);
    assert.equal(f.get('manage-all-nodes'), 'false');
    assert.equal(f.get('manage-nodes-with-annotation-selector'), 'kwok.x-k8s.io/node=fake');
    assert.equal(f.get('node-lease-duration-seconds'), '40');
    assert.equal(f.get('config'), files.kwokConfig);
  });

  it('follows custom ports everywhere, probes included', () => {
    const config = defaultConfig(binDir, { apiserver: 7443, etcdClient: 7379 });
    assert.equal(flags(commandLine('kube-apiserver', config, files).args).get('secure-port'), '7443');
    assert.equal(
      flags(commandLine('kube-apiserver', config, files).args).get('etcd-servers'),
      'http://127.0.0.1:7379',
    );
    assert.equal(healthProbe('kube-apiserver', config).url, 'https://127.0.0.1:7443/readyz');
    assert.equal(healthProbe('etcd', config).url, 'http://127.0.0.1:7379/health');
    assert.equal(healthProbe('kube-apiserver', config).authenticated, true);
  });
});
