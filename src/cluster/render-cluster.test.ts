import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dcosClusterSpecSchema } from '../resources/dcos-cluster.ts';
import { renderCluster, wireBody } from './render-cluster.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'acs');
const opts = { name: 'prod', namespace: 'ops', provider: 'local' as const };

describe('renderCluster', () => {
  it('gives a DcosCluster whose spec is the definition plus a target, and one PUT body per pool', () => {
    const text = readFileSync(path.join(FIXTURES, 'vlabs-dcos-attributes.json'), 'utf8');
    const r = renderCluster(text, { ...opts, managedClusterName: 'aks-prod' });
    assert.ok(r.ok);
    const spec = (r.cluster as { spec: Record<string, unknown> }).spec;
    const parsed = dcosClusterSpecSchema.parse(spec);
    assert.deepEqual(parsed.properties, (JSON.parse(text) as { properties: unknown }).properties);
    assert.equal(parsed.target.managedClusterName, 'aks-prod');
    assert.deepEqual(
      r.requests.map((q) => q.path),
      ['agentPools/master', 'agentPools/xtentprivate', 'agentPools/agentpublic'],
    );
    const pub = r.requests[2]!.body.properties;
    assert.deepEqual(pub.nodeTaints, ['dcos-operator.dev/public-agent=true:NoSchedule']);
    assert.deepEqual(pub.tags, { 'dcos-operator-cluster': 'ops/prod' });
    assert.ok(r.warnings.some((w) => w.startsWith('properties.linuxProfile')));
  });

  it('takes a DcosCluster YAML too, keeping its name, namespace and target', () => {
    const yaml = [
      'apiVersion: dcos-operator.dev/v1alpha1',
      'kind: DcosCluster',
      'metadata: {name: edge, namespace: team}',
      'spec:',
      '  properties:',
      '    orchestratorProfile: {orchestratorType: DCOS}',
      '    masterProfile: {count: 3, dnsPrefix: edge, vmSize: Standard_D4s_v3}',
      '    agentPoolProfiles: [{name: web, count: 2, vmSize: Standard_D2s_v3, ports: [80]}]',
      '  target: {provider: aks, subscriptionId: 11111111-2222-3333-4444-555555555555}',
    ].join('\n');
    const r = renderCluster(yaml, opts);
    assert.ok(r.ok);
    assert.deepEqual((r.cluster as { metadata: unknown }).metadata, { name: 'edge', namespace: 'team' });
    const target = (r.cluster as { spec: { target: Record<string, unknown> } }).spec.target;
    assert.equal(target.provider, 'aks');
    assert.equal(target.subscriptionId, '11111111-2222-3333-4444-555555555555');
    assert.equal(r.plan.masterCount, 3);
    assert.equal(r.plan.pools[1]?.role, 'slave_public');
  });

  it('leaves secrets out of the DcosCluster and says so', () => {
    const def = {
      apiVersion: 'vlabs',
      properties: {
        orchestratorProfile: { orchestratorType: 'DCOS' },
        masterProfile: { count: 1, dnsPrefix: 'prod', vmSize: 'Standard_D2s_v3' },
        agentPoolProfiles: [{ name: 'private', count: 1, vmSize: 'Standard_D2s_v3' }],
        linuxProfile: { adminUsername: 'azureuser', ssh: { publicKeys: [{ keyData: 'ssh-rsa AAAA' }] } },
        WindowsProfile: { adminUsername: 'admin', AdminPassword: 'S3cret-Passw0rd!' },
        servicePrincipalProfile: { clientId: 'abc', secret: 'sp-s3cret' },
      },
    };
    const r = renderCluster(JSON.stringify(def), opts);
    assert.ok(r.ok);
    const text = JSON.stringify(r.cluster) + JSON.stringify(r.requests) + r.warnings.join('\n');
    assert.ok(!text.includes('S3cret-Passw0rd!'));
    assert.ok(!text.includes('sp-s3cret'));
    assert.ok(r.warnings.some((w) => w.startsWith('properties.WindowsProfile.AdminPassword: left out')));
    const props = (r.cluster as { spec: { properties: Record<string, Record<string, unknown>> } }).spec
      .properties;
    assert.deepEqual(props.servicePrincipalProfile, { clientId: 'abc' });
  });

  it('returns ACS’s messages for an invalid definition and a parse error for malformed input', () => {
    const bad = renderCluster(
      JSON.stringify({
        apiVersion: 'vlabs',
        properties: {
          orchestratorProfile: { orchestratorType: 'DCOS' },
          masterProfile: { count: 4, dnsPrefix: 'x1y', vmSize: 'Standard_D2s_v3' },
          agentPoolProfiles: [],
        },
      }),
      opts,
    );
    assert.ok(!bad.ok);
    assert.ok(bad.errors.some((e) => e.message === 'MasterProfile count needs to be 1, 3, or 5'));
    const malformed = renderCluster('{"properties": ', opts);
    assert.ok(!malformed.ok);
    assert.match(malformed.errors[0]!.message, /^malformed JSON or YAML/);
  });

  it('writes pool bodies as ARM receives them: properties nested, the VMSS type under its wire name', () => {
    assert.deepEqual(wireBody({ name: 'a', count: 1, typePropertiesType: 'VirtualMachineScaleSets' }), {
      properties: { count: 1, type: 'VirtualMachineScaleSets' },
    });
  });
});
