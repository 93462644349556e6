// Detached component processes tracked by pid files. A component outlives the Node process that started
// it (so `cluster up` can return), and any later process finds it again through its pid file.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandLine } from './flags.ts';

export async function readPid(pidFile: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(pidFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether any process (of any user) has this pid. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` is a live process running `binary` (a path or just the file name). The check guards
 * against a stale pid file whose pid was reused by an unrelated process; where /proc is unavailable
 * only liveness is checked.
 */
export function isRunning(pid: number, binary: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: alive but another user's, so not ours either.
    return false;
  }
  try {
    // A zombie (exited, not yet reaped by its parent) still accepts signal 0.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z/.test(stat)) return false;
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return argv0 === binary || path.basename(argv0) === path.basename(binary);
  } catch {
    return true;
  }
}

export async function runningPid(pidFile: string, binary: string): Promise<number | undefined> {
  const pid = await readPid(pidFile);
  return pid !== undefined && isRunning(pid, binary) ? pid : undefined;
}

/** Starts `cmd` in its own process group, stdout and stderr appended to `logFile`. */
export async function spawnDetached(cmd: CommandLine, pidFile: string, logFile: string): Promise<number> {
  await mkdir(path.dirname(pidFile), { recursive: true });
  await mkdir(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(cmd.binary, cmd.args, { detached: true, stdio: ['ignore', fd, fd] });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => (child.pid ? resolve(child.pid) : reject(new Error('no pid'))));
    });
    child.unref();
    await writeFile(pidFile, `${pid}\n`);
    return pid;
  } finally {
    closeSync(fd);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Tolerates a dead pid. */
export async function terminate(pid: number, binary: string, graceMs = 10_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  if (!isRunning(pid, binary)) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunning(pid, binary)) {
    if (Date.now() > deadline) {
      signal('SIGKILL');
      await waitGone(pid, binary, 5_000);
      return;
    }
    await sleep(50);
  }
}

async function waitGone(pid: number, binary: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (isRunning(pid, binary) && Date.now() < deadline) await sleep(50);
}

export async function removePidFile(pidFile: string): Promise<void> {
  await rm(pidFile, { force: true });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The last `lines` lines of a log file, for error messages. */
export async function tail(file: string, lines = 20): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } catch {
    return '';
  }
}
