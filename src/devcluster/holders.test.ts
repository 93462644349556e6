import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addHolder, addHolderIfAlone, otherHolders, removeHolder } from './holders.ts';

describe('devcluster holders', () => {
  it('lists live holders other than itself and forgets dead ones', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'devcluster-holders-'));
    try {
      const dead = 2 ** 22 + 12345; // above the default pid_max, so never a live process
      await addHolder(dir);
      await addHolder(dir, process.ppid);
      await addHolder(dir, dead);
      assert.deepEqual(await otherHolders(dir), [process.ppid]);
      assert.equal(existsSync(path.join(dir, String(dead))), false);
      assert.equal(await addHolderIfAlone(dir), false);
      await removeHolder(dir, process.ppid);
      assert.deepEqual(await otherHolders(dir), []);
      assert.equal(await addHolderIfAlone(dir), true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
