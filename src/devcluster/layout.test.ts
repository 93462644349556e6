import assert from 'node:assert/strict';
import path from 'node:path';
import { cacheRoot, defaultStateDir, layout, privateStateDir, privateStateDirOwner } from './layout.ts';

describe('devcluster layout', () => {
  const home = path.join(path.sep, 'home', 'dev');

  it('prefers $DCOS_OPERATOR_CACHE, then $XDG_CACHE_HOME, then ~/.cache', () => {
    const own = path.join(path.sep, 'c');
    const xdg = path.join(path.sep, 'x');
    assert.equal(cacheRoot({ DCOS_OPERATOR_CACHE: own, XDG_CACHE_HOME: xdg }, home), own);
    assert.equal(cacheRoot({ XDG_CACHE_HOME: xdg }, home), path.join(xdg, 'dcos-operator'));
    assert.equal(cacheRoot({}, home), path.join(home, '.cache', 'dcos-operator'));
    assert.equal(defaultStateDir({}, home), path.join(home, '.cache', 'dcos-operator', 'cluster'));
  });

  it('takes the state dir from $DCOS_OPERATOR_CLUSTER_DIR when set', () => {
    const own = path.join(path.sep, 'runs', 'one');
    assert.equal(
      defaultStateDir({ DCOS_OPERATOR_CLUSTER_DIR: own, DCOS_OPERATOR_CACHE: path.sep + 'c' }, home),
      own,
    );
  });

  it('keeps every file of a cluster inside its state dir', () => {
    const dir = path.join(path.sep, 's');
    const l = layout(dir);
    for (const f of [l.kubeconfig, l.tokenFile, l.etcdDataDir, l.pidFile('etcd'), l.logFile('kwok')]) {
      assert.ok(f.startsWith(dir + path.sep), f);
    }
    assert.notEqual(l.pidFile('etcd'), l.pidFile('kwok'));
  });

  it('names private state dirs after the owning pid', () => {
    const env = { DCOS_OPERATOR_CACHE: path.join(path.sep, 'c') };
    const dir = privateStateDir(4242, env);
    assert.equal(dir, path.join(path.sep, 'c', 'runs', 'cluster-4242'));
    assert.equal(privateStateDirOwner(dir), 4242);
    assert.equal(privateStateDirOwner(path.join(path.sep, 'c', 'cluster')), undefined);
  });
});
