import assert from 'node:assert/strict';
import {
  contentTypeMatches,
  cosmosMediaType,
  negotiate,
  parseAccept,
  parseMediaType,
  versionOf,
} from './media-types.ts';

const describeV3 = cosmosMediaType('package', 'describe-response', 3);
const describeV2 = cosmosMediaType('package', 'describe-response', 2);

describe('Cosmos media types', () => {
  it('spells types exactly as DC/OS did (the dcos CLI checks that Content-Type contains its Accept)', () => {
    assert.equal(
      cosmosMediaType('package', 'install-request', 1),
      'application/vnd.dcos.package.install-request+json;charset=utf-8;version=v1',
    );
    assert.equal(
      cosmosMediaType('package', 'repository.add-response', 1),
      'application/vnd.dcos.package.repository.add-response+json;charset=utf-8;version=v1',
    );
    assert.equal(versionOf(describeV3), 3);
  });

  it('parses parameters case-insensitively, with quoted values', () => {
    assert.deepEqual(
      parseMediaType('Application/VND.dcos.package.search-request+json; Charset=UTF-8; version="v1"'),
      {
        type: 'application/vnd.dcos.package.search-request+json',
        params: { charset: 'utf-8', version: 'v1' },
      },
    );
    assert.equal(parseMediaType('not a type'), undefined);
    assert.equal(parseMediaType('text/plain;novalue'), undefined);
  });

  it('orders Accept entries by quality, dropping q=0', () => {
    const order = parseAccept('a/b;q=0.5, c/d, e/f;q=0, g/h;q=0.9').map((m) => m.type);
    assert.deepEqual(order, ['c/d', 'g/h', 'a/b']);
  });

  it('answers the version the client asks for, falling back as the dcos CLI does (v2, then v1)', () => {
    const offered = [describeV3, describeV2];
    assert.equal(negotiate(describeV2, offered), describeV2);
    assert.equal(negotiate(describeV3, offered), describeV3);
    // A version the endpoint does not produce: no answer (the CLI then retries with its next version).
    assert.equal(negotiate(cosmosMediaType('package', 'describe-response', 1), offered), undefined);
    assert.equal(negotiate(cosmosMediaType('package', 'search-response', 1), offered), undefined);
    // Without a version, the newest.
    assert.equal(negotiate('application/vnd.dcos.package.describe-response+json', offered), describeV3);
    assert.equal(negotiate(`${describeV3};q=0.1, ${describeV2}`, offered), describeV2);
  });

  it('gives curl and other generic clients the newest version', () => {
    const offered = [describeV3, describeV2];
    for (const accept of [undefined, '', '*/*', 'application/json', 'application/json; charset=utf-8'])
      assert.equal(negotiate(accept, offered), describeV3, String(accept));
    assert.equal(negotiate('text/html', offered), undefined);
  });

  it('accepts the request type, plain JSON or no Content-Type, and refuses anything else', () => {
    const expected = cosmosMediaType('package', 'install-request', 1);
    assert.ok(contentTypeMatches(expected, expected));
    assert.ok(contentTypeMatches('application/vnd.dcos.package.install-request+json', expected));
    assert.ok(contentTypeMatches('application/json', expected));
    assert.ok(contentTypeMatches(undefined, expected));
    assert.ok(!contentTypeMatches(cosmosMediaType('package', 'install-request', 2), expected));
    assert.ok(!contentTypeMatches(cosmosMediaType('package', 'render-request', 1), expected));
    assert.ok(!contentTypeMatches('text/plain', expected));
    assert.ok(!contentTypeMatches('application/x-www-form-urlencoded', expected));
    assert.ok(!contentTypeMatches('application/json;charset=latin1', expected));
    assert.ok(!contentTypeMatches('garbage', expected));
  });
});
