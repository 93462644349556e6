import assert from 'node:assert/strict';
import { CosmosError } from './errors.ts';
import {
  decodeBody,
  installRequest,
  repositoryAddRequest,
  searchRequest,
  uninstallRequest,
} from './requests.ts';

function failure(fn: () => unknown): CosmosError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CosmosError) return err;
    throw err;
  }
  assert.fail('expected a CosmosError');
}

describe('Cosmos request bodies', () => {
  it('reads the fields, treats null as absent and ignores unknown fields', () => {
    assert.deepEqual(
      decodeBody(
        JSON.stringify({ packageName: 'nginx', packageVersion: null, options: { a: 1 }, extra: true }),
        installRequest,
      ),
      { packageName: 'nginx', packageVersion: undefined, options: { a: 1 }, extra: true },
    );
    assert.deepEqual(decodeBody('{"packageName":"x"}', uninstallRequest), { packageName: 'x', all: false });
  });

  it('takes an empty body as {}', () => {
    assert.deepEqual(decodeBody('', searchRequest), {});
    assert.deepEqual(decodeBody('  \n', searchRequest), {});
  });

  it('answers text that is not JSON with json_error (parse)', () => {
    const e = failure(() => decodeBody('{"packageName":', installRequest));
    assert.equal(e.type, 'json_error');
    assert.equal(e.status, 400);
    assert.match(e.message, /^Json parsing failure '/);
    assert.equal(e.data?.type, 'parse');
  });

  it('answers a missing or mistyped field with json_error (decode) naming its path', () => {
    const missing = failure(() => decodeBody('{}', installRequest));
    assert.equal(missing.type, 'json_error');
    assert.equal(missing.message, "Json decoding failure 'Missing required field' at: .packageName");
    assert.deepEqual(missing.data, {
      type: 'decode',
      reason: 'Missing required field',
      path: '.packageName',
    });

    const array = failure(() => decodeBody('{"packageName":"nginx","options":[1]}', installRequest));
    assert.equal(array.data?.path, '.options');
    const index = failure(() =>
      decodeBody('{"name":"u","uri":"http://x","index":1.5}', repositoryAddRequest),
    );
    assert.equal(index.data?.path, '.index');
    const notObject = failure(() => decodeBody('[1]', searchRequest));
    assert.equal(notObject.data?.path, '.');
  });
});
