import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const main = path.resolve(import.meta.dirname, 'main.ts');

function render(input: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [main, 'render', 'app', '-', ...args], { input, encoding: 'utf8' });
  const docs = parseAllDocuments(r.stdout).map(
    (d) => d.toJS() as { kind: string; metadata: { name: string } },
  );
  return { code: r.status, docs, stderr: r.stderr };
}

describe('render app (CLI)', function () {
  this.timeout(30_000);

  it('prints the Deployment and Service for a Marathon app JSON', () => {
    const r = render(JSON.stringify({ id: '/prod/web', cmd: 'sleep 1', instances: 2 }));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.docs.map((d) => `${d.kind}/${d.metadata.name}`),
      ['Deployment/prod-web', 'Service/prod-web'],
    );
  });

  it('expands a group JSON and can emit the MarathonApp resources too', () => {
    const group = {
      id: '/g',
      apps: [
        { id: 'a', cmd: 'x' },
        { id: 'b', cmd: 'y', dependencies: ['a'] },
      ],
    };
    const r = render(JSON.stringify(group), '--emit', 'all', '-n', 'team');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.docs.map((d) => `${d.kind}/${d.metadata.name}`),
      [
        'MarathonApp/g-a',
        'Deployment/g-a',
        'Service/g-a',
        'MarathonApp/g-b',
        'Deployment/g-b',
        'Service/g-b',
      ],
    );
  });

  it('reads MarathonApp YAML', () => {
    const yaml =
      'apiVersion: dcos-operator.dev/v1alpha1\nkind: MarathonApp\nmetadata: {name: web, namespace: t}\nspec: {cmd: sleep 1}\n';
    const r = render(yaml);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.docs[0]?.kind, 'Deployment');
  });

  it("exits 2 with Marathon's 422 body for an invalid app", () => {
    const r = render(JSON.stringify({ id: '/x', cmd: 'a', args: ['b'] }));
    assert.equal(r.code, 2);
    const body = JSON.parse(r.stderr) as { message: string; details: { path: string; errors: string[] }[] };
    assert.equal(body.message, 'Object is not valid');
    assert.ok(
      body.details.length > 0 && body.details.every((d) => d.path.startsWith('/') && d.errors.length > 0),
    );
    assert.equal(r.docs.length, 0);
  });

  it('exits 2 with a 400-style message for malformed JSON', () => {
    const r = render('{"id": "/x", "cmd": ');
    assert.equal(r.code, 2);
    assert.equal((JSON.parse(r.stderr) as { message: string }).message, 'Invalid JSON');
  });
});

describe('render cluster (CLI)', function () {
  this.timeout(30_000);
  const fixtures = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'acs');
  const cluster = (args: string[], input?: string) =>
    spawnSync(process.execPath, [main, 'render', 'cluster', ...args], { input, encoding: 'utf8' });

  it('prints the DcosCluster and the pool bodies for an ACS definition, named after the file', () => {
    const r = cluster([path.join(fixtures, 'v20170131-dcos.json'), '--aks-cluster', 'prod']);
    assert.equal(r.status, 0, r.stderr);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, unknown>);
    const first = docs[0] as {
      kind: string;
      metadata: { name: string };
      spec: { target: { managedClusterName: string } };
    };
    assert.equal(first.kind, 'DcosCluster');
    assert.equal(first.metadata.name, 'v20170131-dcos');
    assert.equal(first.spec.target.managedClusterName, 'prod');
    assert.equal(docs.length, 4);
    assert.match(r.stdout, /# PUT <managed cluster>\/agentPools\/agentpublic/);
    assert.match(r.stderr, /^warning: properties.linuxProfile/m);
    const only = cluster([path.join(fixtures, 'v20170131-dcos.json'), '--emit', 'cluster']);
    assert.deepEqual(
      parseAllDocuments(only.stdout).map((d) => (d.toJS() as { kind: string }).kind),
      ['DcosCluster'],
    );
  });

  it('exits 2 with ACS’s messages for an invalid definition', () => {
    const bad = {
      apiVersion: '2017-07-01',
      properties: {
        orchestratorProfile: { orchestratorType: 'DCOS' },
        masterProfile: { count: 2, dnsPrefix: 'prod', vmSize: 'Standard_D2_v2' },
        agentPoolProfiles: [{ name: 'Pool_1', count: 0, vmSize: 'Standard_D2_v2' }],
      },
    };
    const r = cluster(['-'], JSON.stringify(bad));
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /error: properties.masterProfile.count: MasterProfile count needs to be 1, 3, or 5/,
    );
    assert.match(r.stderr, /AgentPoolProfile count needs to be in the range \[1,100\]/);
  });
});
