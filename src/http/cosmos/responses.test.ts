import assert from 'node:assert/strict';
import { builtinRepository } from '../../universe/builtin-catalog.ts';
import { cosmosLabels, PACKAGE_METADATA_LABEL } from '../../universe/cosmos-labels.ts';
import type { PackageEntry } from '../../universe/package-entry.ts';
import {
  decodeMetadataLabel,
  describeV2,
  describeV3,
  installedInformation,
  installResponse,
  metadataOf,
} from './responses.ts';

const entry = (name: string): PackageEntry => {
  const found = builtinRepository().entries.find((e) => e.name === name);
  assert.ok(found, name);
  return found;
};

describe('Cosmos response bodies', () => {
  it('describe v3 carries the whole package definition under `package`', () => {
    const nginx = entry('nginx');
    const body = describeV3(nginx);
    assert.equal(body.package.name, 'nginx');
    assert.equal(body.package.releaseVersion, nginx.releaseVersion);
    assert.equal(body.package.marathon?.v2AppMustacheTemplate, nginx.marathon?.v2AppMustacheTemplate);
    assert.deepEqual(body.package.config, nginx.config);
  });

  it('describe v2 is flat, with the defaults Cosmos filled and no release or upgrade fields', () => {
    const hello = entry('helloworld');
    const body = describeV2(hello);
    assert.equal(body.packagingVersion, '2.0', 'helloworld has no packagingVersion: 2.0');
    assert.equal(body.name, 'helloworld');
    assert.equal(body.framework, false);
    assert.equal(body.selected, false);
    assert.deepEqual(body.command, hello.command);
    assert.ok(!('releaseVersion' in body));
    assert.ok(Object.values(body).every((v) => v !== null && v !== undefined));
  });

  it('list information comes from the metadata label Cosmos wrote, images as resourceDefinition', () => {
    const nginx = entry('nginx');
    const labels = cosmosLabels({ entry: nginx, source: 'builtin', userOptions: {} });
    const metadata = decodeMetadataLabel(labels[PACKAGE_METADATA_LABEL]);
    assert.deepEqual(metadata, JSON.parse(JSON.stringify(metadataOf(nginx))));
    const info = installedInformation(metadata!);
    assert.equal(info.packageDefinition.name, 'nginx');
    assert.equal(info.packageDefinition.version, nginx.version);
    assert.equal(info.packageDefinition.maintainer, nginx.maintainer);
    assert.ok(!('images' in info.packageDefinition));
    assert.deepEqual(info.resourceDefinition, { images: (nginx.resource as { images: unknown }).images });
    assert.equal(decodeMetadataLabel('not base64 json'), undefined);
    assert.equal(decodeMetadataLabel(undefined), undefined);
  });

  it('install responses: v2 with notes (no appId for a CLI-only package), v1 with the app id only', () => {
    const nginx = entry('nginx');
    assert.deepEqual(installResponse(2, { entry: nginx, appId: '/web' }), {
      packageName: 'nginx',
      packageVersion: nginx.version,
      appId: '/web',
      postInstallNotes: nginx.postInstallNotes,
    });
    assert.deepEqual(installResponse(1, { entry: nginx, appId: '/web' }), {
      packageName: 'nginx',
      packageVersion: nginx.version,
      appId: '/web',
    });
    const cliOnly = { ...nginx, marathon: undefined, resource: { cli: { binaries: {} } } };
    assert.deepEqual(installResponse(2, { entry: cliOnly }), {
      packageName: 'nginx',
      packageVersion: nginx.version,
      postInstallNotes: nginx.postInstallNotes,
      cli: { binaries: {} },
    });
  });
});
