// The image runs the esbuild bundle (npm run build), not the sources: it must behave the same.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const run = (entry: string, args: string[], input?: string) =>
  spawnSync(process.execPath, [path.join(root, entry), ...args], { input, encoding: 'utf8', cwd: root });

describe('bundle (npm run build)', function () {
  this.timeout(120_000);

  before(() => {
    const npm = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
    assert.equal(npm.status, 0, npm.stderr);
  });

  it('prints the same CRDs and renders the same app as the sources', () => {
    const crds = run('dist/operator.mjs', ['crds']);
    assert.equal(crds.status, 0, crds.stderr);
    assert.match(crds.stdout, /kind: CustomResourceDefinition/);
    assert.equal(crds.stdout, run('src/cli/main.ts', ['crds']).stdout);

    const app = JSON.stringify({
      id: '/prod/web',
      cmd: 'sleep 1',
      instances: 2,
      portDefinitions: [{ port: 0 }],
    });
    const rendered = run('dist/operator.mjs', ['render', 'app', '-'], app);
    assert.equal(rendered.status, 0, rendered.stderr);
    assert.match(rendered.stdout, /kind: Deployment/);
    // The version is the time of rendering.
    const untimed = (text: string) => text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
    assert.equal(
      untimed(rendered.stdout),
      untimed(run('src/cli/main.ts', ['render', 'app', '-'], app).stdout),
    );

    const acs = path.join(root, '..', 'shared', 'fixtures', 'acs', 'vlabs-dcos-attributes.json');
    const cluster = run('dist/operator.mjs', ['render', 'cluster', acs]);
    assert.equal(cluster.status, 0, cluster.stderr);
    assert.match(cluster.stdout, /kind: DcosCluster/);
    assert.equal(cluster.stdout, run('src/cli/main.ts', ['render', 'cluster', acs]).stdout);
  });
});
