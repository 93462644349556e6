import assert from 'node:assert/strict';
import {
  ambiguousAppId,
  CosmosError,
  errorResult,
  fromStatus,
  incompatibleAccept,
  packageAlreadyInstalled,
  packageNotFound,
  repositoryAlreadyPresent,
  repositoryNotPresent,
  versionNotFound,
} from './errors.ts';

const bodyOf = (e: CosmosError) => {
  const r = errorResult(e) as { status: number; text: string; contentType: string };
  return { status: r.status, body: JSON.parse(r.text) as unknown, contentType: r.contentType };
};

describe('Cosmos errors', () => {
  it('renders {type, message, data} with the package.error media type and Cosmos’s status', () => {
    assert.deepEqual(bodyOf(packageNotFound('nope')), {
      status: 400,
      body: { type: 'PackageNotFound', message: 'Package [nope] not found', data: { packageName: 'nope' } },
      contentType: 'application/vnd.dcos.package.error+json;charset=utf-8;version=v1',
    });
    assert.deepEqual(bodyOf(versionNotFound('nginx', '9.9')).body, {
      type: 'VersionNotFound',
      message: 'Version [9.9] of package [nginx] not found',
      data: { packageName: 'nginx', packageVersion: '9.9' },
    });
    const conflict = bodyOf(packageAlreadyInstalled());
    assert.equal(conflict.status, 409);
    assert.deepEqual(conflict.body, {
      type: 'PackageAlreadyInstalled',
      message: 'Package is already installed',
    });
  });

  it('leaves data out when there is none, and keeps lists in data', () => {
    assert.deepEqual(bodyOf(new CosmosError('X', 'y')).body, { type: 'X', message: 'y' });
    assert.deepEqual(bodyOf(ambiguousAppId('nginx', ['/a', '/b'])).body, {
      type: 'AmbiguousAppId',
      message: 'Multiple apps named [nginx] are installed: [/a, /b]',
      data: { packageName: 'nginx', appIds: ['/a', '/b'] },
    });
  });

  it('words repository conflicts by what clashed, as Cosmos did', () => {
    assert.equal(
      repositoryAlreadyPresent('u', undefined).message,
      'Repository name [u] is already present in the list',
    );
    assert.equal(
      repositoryAlreadyPresent(undefined, 'http://x').message,
      'Repository URI [http://x] is already present in the list',
    );
    assert.equal(
      repositoryAlreadyPresent('u', 'http://x').message,
      'Repository name [u] and URI [http://x] are both already present in the list',
    );
    assert.equal(
      repositoryNotPresent('u', undefined).message,
      'Repository name [u] is not present in the list',
    );
  });

  it('names a bad Accept header the way Cosmos’s request validation did', () => {
    const e = incompatibleAccept('text/html', ['a/b;version=v1']);
    assert.equal(e.type, 'not_valid');
    assert.equal(e.status, 400);
    assert.match(e.message, /^Item header 'Accept' deemed invalid by rule: Media type was \[text\/html\]/);
  });

  it('maps the HTTP layer’s refusals to Cosmos types', () => {
    assert.deepEqual(bodyOf(fromStatus(403, 'alice may not create universepackages')), {
      status: 403,
      body: { type: 'Forbidden', message: 'alice may not create universepackages' },
      contentType: 'application/vnd.dcos.package.error+json;charset=utf-8;version=v1',
    });
    assert.equal(fromStatus(401, 'x').type, 'Unauthorized');
  });
});
