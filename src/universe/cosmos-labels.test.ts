import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { cosmosLabels, decodeOptionsLabel, decorateLabels, packageMediaType } from './cosmos-labels.ts';
import type { PackageEntry } from './package-entry.ts';

const entry: PackageEntry = {
  packagingVersion: '3.0',
  name: 'nginx',
  version: '1.10.3',
  releaseVersion: 6,
  maintainer: 'm@example.com',
  description: 'web server',
  tags: ['web'],
  framework: false,
  scm: null,
  postInstallNotes: 'done',
  marathon: { v2AppMustacheTemplate: Buffer.from('{}').toString('base64') },
  config: { type: 'object' },
  resource: { images: { 'icon-small': 'https://x/icon.png' }, assets: { uris: {} } },
  command: { pip: ['x==1'] },
};
const fromB64 = (s: string | undefined) =>
  JSON.parse(Buffer.from(s ?? '', 'base64').toString('utf8')) as unknown;

describe('Cosmos labels', () => {
  const record = { entry, source: 'https://repo.example/repo', userOptions: { nginx: { instances: 2 } } };

  it('records the package, its source and exactly the user options', () => {
    const l = cosmosLabels(record);
    assert.equal(l.DCOS_PACKAGE_NAME, 'nginx');
    assert.equal(l.DCOS_PACKAGE_VERSION, '1.10.3');
    assert.equal(l.DCOS_PACKAGE_SOURCE, 'https://repo.example/repo');
    assert.deepEqual(fromB64(l.DCOS_PACKAGE_OPTIONS), { nginx: { instances: 2 } });
    assert.deepEqual(fromB64(cosmosLabels({ ...record, userOptions: {} }).DCOS_PACKAGE_OPTIONS), {});
  });

  it('writes package.json fields and images into DCOS_PACKAGE_METADATA, without nulls', () => {
    const meta = fromB64(cosmosLabels(record).DCOS_PACKAGE_METADATA) as Record<string, unknown>;
    assert.equal(meta.name, 'nginx');
    assert.equal(meta.packagingVersion, '3.0');
    assert.deepEqual(meta.images, { 'icon-small': 'https://x/icon.png' });
    assert.equal('scm' in meta, false);
    assert.equal('marathon' in meta, false);
  });

  it('stores the whole package gzipped in DCOS_PACKAGE_DEFINITION with its media type', () => {
    const env = fromB64(cosmosLabels(record).DCOS_PACKAGE_DEFINITION) as {
      metadata: Record<string, string>;
      data: string;
    };
    assert.deepEqual(env.metadata, {
      'Content-Type': 'application/vnd.dcos.universe.package+json;charset=utf-8;version=v3',
      'Content-Encoding': 'gzip',
    });
    const pkg = JSON.parse(gunzipSync(Buffer.from(env.data, 'base64')).toString('utf8')) as PackageEntry;
    assert.equal(pkg.releaseVersion, 6);
    assert.deepEqual(pkg.config, { type: 'object' });
    assert.equal('scm' in pkg, false);
    assert.equal(packageMediaType({ ...entry, packagingVersion: undefined }).endsWith('version=v2'), true);
  });

  it('modern: Cosmos labels override the template’s; legacy: the template’s override, COMMAND does not', () => {
    const template = { DCOS_PACKAGE_NAME: 'spoofed', DCOS_SERVICE_NAME: 'web', DCOS_PACKAGE_COMMAND: 'x' };
    const modern = decorateLabels(template, record, 'modern');
    assert.equal(modern.DCOS_PACKAGE_NAME, 'nginx');
    assert.equal(modern.DCOS_SERVICE_NAME, 'web');
    const legacy = decorateLabels(template, record, 'legacy');
    assert.equal(legacy.DCOS_PACKAGE_NAME, 'spoofed');
    assert.equal(legacy.DCOS_PACKAGE_RELEASE, '6');
    assert.equal(legacy.DCOS_PACKAGE_IS_FRAMEWORK, 'false');
    assert.deepEqual(fromB64(legacy.DCOS_PACKAGE_COMMAND), { pip: ['x==1'] });
  });

  it('reads the options label back, tolerating garbage', () => {
    assert.deepEqual(decodeOptionsLabel(cosmosLabels(record)), { nginx: { instances: 2 } });
    assert.equal(decodeOptionsLabel({ DCOS_PACKAGE_OPTIONS: '!!!' }), undefined);
    assert.equal(decodeOptionsLabel(undefined), undefined);
  });
});
