import assert from 'node:assert/strict';
import { z } from 'zod';
import { buildCrd, crdName, defineResource } from './crd.ts';
import { API_GROUP, API_VERSION } from './group.ts';
import { marathonAppResource } from './marathon-app.ts';
import { lintCrd } from './structural-lint.ts';

const widget = defineResource({
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  scope: 'Cluster',
  categories: ['extra', 'dcos'],
  description: 'A test resource.',
  spec: z.object({ size: z.int32().min(1).describe('How big.') }).describe('Desired state.'),
  status: z.object({ ready: z.boolean().optional() }),
});

describe('CRD generator', () => {
  it('builds an apiextensions.k8s.io/v1 CRD for the operator group', () => {
    const crd = buildCrd(widget);
    assert.equal(crd.apiVersion, 'apiextensions.k8s.io/v1');
    assert.equal(crd.kind, 'CustomResourceDefinition');
    assert.equal(crd.metadata.name, `widgets.${API_GROUP}`);
    assert.equal(crdName(widget), crd.metadata.name);
    assert.deepEqual(crd.spec.names, {
      kind: 'Widget',
      listKind: 'WidgetList',
      plural: 'widgets',
      singular: 'widget',
      categories: ['dcos', 'extra'],
    });
    assert.equal(crd.spec.scope, 'Cluster');
    const [version] = crd.spec.versions;
    assert.ok(version);
    assert.deepEqual([version.name, version.served, version.storage], [API_VERSION, true, true]);
    assert.deepEqual(version.subresources, { status: {} });
    assert.equal(version.additionalPrinterColumns, undefined);
    assert.deepEqual(lintCrd(crd), []);
  });

  it('wraps spec and status in a resource schema with descriptions', () => {
    const schema = buildCrd(widget).spec.versions[0]?.schema.openAPIV3Schema;
    assert.equal(schema?.description, 'A test resource.');
    assert.deepEqual(Object.keys(schema?.properties ?? {}), [
      'apiVersion',
      'kind',
      'metadata',
      'spec',
      'status',
    ]);
    assert.deepEqual(schema?.properties?.metadata, { type: 'object' });
    assert.deepEqual(schema?.required, ['spec']);
    assert.deepEqual(schema?.properties?.spec, {
      description: 'Desired state.',
      type: 'object',
      properties: { size: { description: 'How big.', type: 'integer', format: 'int32', minimum: 1 } },
      required: ['size'],
    });
  });

  it('adds the MarathonApp names, printer columns and scale subresource', () => {
    const crd = buildCrd(marathonAppResource);
    assert.deepEqual(crd.spec.names.shortNames, ['mapp']);
    assert.deepEqual(crd.spec.names.categories, ['dcos']);
    assert.equal(crd.spec.scope, 'Namespaced');
    const [version] = crd.spec.versions;
    assert.deepEqual(version?.subresources, {
      status: {},
      scale: {
        specReplicasPath: '.spec.instances',
        statusReplicasPath: '.status.instances',
        labelSelectorPath: '.status.selector',
      },
    });
    assert.deepEqual(
      version?.additionalPrinterColumns?.map((c) => [c.name, c.jsonPath]),
      [
        ['Instances', '.spec.instances'],
        ['Running', '.status.tasksRunning'],
        ['Healthy', '.status.tasksHealthy'],
        ['Ready', '.status.conditions[?(@.type=="Ready")].status'],
        ['Status', '.status.conditions[?(@.type=="Ready")].reason'],
        ['Age', '.metadata.creationTimestamp'],
      ],
    );
  });

  it('documents every spec and status field (kubectl explain)', () => {
    const schema = buildCrd(marathonAppResource).spec.versions[0]?.schema.openAPIV3Schema;
    for (const part of ['spec', 'status']) {
      const node = schema?.properties?.[part];
      assert.ok(node?.description, part);
      for (const [name, prop] of Object.entries(node?.properties ?? {})) {
        assert.ok(prop.description, `${part}.${name} has a description`);
      }
    }
  });
});
