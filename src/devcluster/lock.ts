// A lock on one state dir, so two processes starting or stopping the same dev cluster (a test run and
// `cluster up`, say) take turns. mkdir is atomic; the owner's pid inside lets a crashed owner's lock be
// taken over.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pidAlive, sleep } from './process.ts';

export async function withLock<T>(lockDir: string, fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  await mkdir(path.dirname(lockDir), { recursive: true });
  const owner = path.join(lockDir, 'pid');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(owner, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(await readFile(owner, 'utf8').catch(() => ''), 10);
      // No pid yet means the owner is between mkdir and writeFile; only a dead owner is stale.
      if (Number.isInteger(pid) && !pidAlive(pid)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`dev cluster is locked by pid ${pid} (${lockDir})`, { cause: err });
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
