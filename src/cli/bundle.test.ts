// The image runs the esbuild bundle (npm run build), not the sources: it must behave the same.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
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

  it('runs alone, as in the image: no node_modules, no sources, the version baked in', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
    try {
      copyFileSync(path.join(root, 'dist/operator.mjs'), path.join(dir, 'operator.mjs'));
      const alone = (args: string[], input?: string) =>
        spawnSync(process.execPath, [path.join(dir, 'operator.mjs'), ...args], {
          input,
          encoding: 'utf8',
          cwd: dir,
          env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: '' },
        });
      const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
      const version = alone(['--version']);
      assert.equal(version.status, 0, version.stderr);
      assert.equal(version.stdout.trim(), pkg.version);
      const app = alone(['render', 'app', '-'], JSON.stringify({ id: '/web', cmd: 'sleep 1' }));
      assert.equal(app.status, 0, app.stderr);
      assert.match(app.stdout, /kind: Deployment/);
      // The built-in Universe catalog is inside the bundle.
      const search = alone(['package', 'search', 'nginx', '--json']);
      assert.equal(search.status, 0, search.stderr);
      assert.match(search.stdout, /"nginx"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what the Dockerfile ships: one file on a distroless Node 24, non-root', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const from = [...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual(Object.fromEntries(from.filter(([k]) => k?.endsWith('_IMAGE'))), {
      NODE_IMAGE: 'docker.io/library/node:24-bookworm-slim',
      RUNTIME_IMAGE: 'gcr.io/distroless/nodejs24-debian12:nonroot',
    });
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    assert.deepEqual(
      [...runtime.matchAll(/^COPY (.*)$/gm)].map((m) => m[1]),
      ['--from=build /src/dist/operator.mjs /app/operator.mjs'],
    );
    assert.match(runtime, /^USER 65532:65532$/m);
    assert.match(runtime, /^ENTRYPOINT \["\/nodejs\/bin\/node", "\/app\/operator\.mjs"\]$/m);
    // The build stage copies only what exists in a checkout, and builds with the npm script the tests use.
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(.*) \S+$/gm))
      for (const f of m[1]!.split(' '))
        assert.ok(existsSync(path.join(root, f)), `${f} is not in the checkout`);
    assert.match(dockerfile, /npm run build/);
  });
});
