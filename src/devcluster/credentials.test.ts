import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureCredentials, parseAdminToken, tokenFileLine } from './credentials.ts';
import { layout } from './layout.ts';

describe('devcluster credentials', () => {
  it('writes token file lines kube-apiserver understands and reads the token back', () => {
    const line = tokenFileLine('abc', 'admin', ['system:masters', 'devs']);
    assert.equal(line, 'abc,admin,admin,"system:masters,devs"\n');
    assert.equal(parseAdminToken(line), 'abc');
    assert.throws(() => parseAdminToken(''));
  });

  it('creates an RSA key pair and an admin token once, then keeps them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'devcluster-creds-'));
    try {
      const files = layout(dir);
      const first = await ensureCredentials(files);
      const key = await readFile(files.saPrivateKey, 'utf8');
      assert.equal(createPrivateKey(key).asymmetricKeyType, 'rsa');
      assert.equal(createPublicKey(await readFile(files.saPublicKey, 'utf8')).asymmetricKeyType, 'rsa');
      assert.match(first.token, /^[0-9a-f]{48}$/);
      const second = await ensureCredentials(files);
      assert.equal(second.token, first.token);
      assert.equal(await readFile(files.saPrivateKey, 'utf8'), key);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
