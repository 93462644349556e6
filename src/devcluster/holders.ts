// Who is using a dev cluster right now. Test runs register here, so a run that started the cluster does
// not stop it under another run that reused it meanwhile, and a run can see that the cluster is busy
// and start its own. One empty file per holder, named by pid.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withLock } from './lock.ts';
import { pidAlive } from './process.ts';

export async function addHolder(holdersDir: string, pid = process.pid): Promise<void> {
  await mkdir(holdersDir, { recursive: true });
  await writeFile(path.join(holdersDir, String(pid)), '');
}

export async function removeHolder(holdersDir: string, pid = process.pid): Promise<void> {
  await rm(path.join(holdersDir, String(pid)), { force: true });
}

/** Pids of live holders other than `self`; entries of dead processes are removed on the way. */
export async function otherHolders(holdersDir: string, self = process.pid): Promise<number[]> {
  const names = await readdir(holdersDir).catch(() => [] as string[]);
  const live: number[] = [];
  for (const name of names) {
    const pid = Number.parseInt(name, 10);
    if (!Number.isInteger(pid) || pid === self) continue;
    if (pidAlive(pid)) live.push(pid);
    else await rm(path.join(holdersDir, name), { force: true });
  }
  return live;
}

/**
 * Registers this process as a holder only if no other live process holds the cluster; atomic between
 * processes. Returns whether it did.
 */
export async function addHolderIfAlone(holdersDir: string, pid = process.pid): Promise<boolean> {
  return withLock(`${holdersDir}.lock`, async () => {
    if ((await otherHolders(holdersDir, pid)).length > 0) return false;
    await addHolder(holdersDir, pid);
    return true;
  });
}
