// Starting, stopping and probing one control-plane component.
import { existsSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ComponentName, DevClusterConfig } from './config.ts';
import { commandLine, healthProbe } from './flags.ts';
import { readCaPem } from './credentials.ts';
import { pollUntil, probe } from './http.ts';
import type { Layout } from './layout.ts';
import { isRunning, removePidFile, runningPid, spawnDetached, tail, terminate } from './process.ts';

export async function componentPid(name: ComponentName, files: Layout): Promise<number | undefined> {
  return runningPid(files.pidFile(name), name);
}

export async function componentHealthy(
  name: ComponentName,
  config: DevClusterConfig,
  files: Layout,
  token: string,
): Promise<boolean> {
  const p = healthProbe(name, config);
  if (!p.authenticated) return probe(p.url);
  // The CA appears only once kube-apiserver has started for the first time.
  if (!existsSync(files.apiserverCert)) return false;
  return probe(p.url, { caPem: await readCaPem(files), token });
}

/**
 * Starts the component unless it is already running, then waits until it answers its health probe.
 * Fails fast, with the end of its log, if the process exits meanwhile.
 */
export async function ensureComponent(
  name: ComponentName,
  config: DevClusterConfig,
  files: Layout,
  token: string,
  opts: { timeoutMs: number; log: (msg: string) => void },
): Promise<void> {
  let pid = await componentPid(name, files);
  if (pid === undefined) {
    const cmd = commandLine(name, config, files);
    await mkdir(files.logDir, { recursive: true });
    await appendFile(
      files.logFile(name),
      `\n=== ${new Date().toISOString()} ${cmd.binary} ${cmd.args.join(' ')}\n`,
    );
    pid = await spawnDetached(cmd, files.pidFile(name), files.logFile(name));
    opts.log(`started ${name} (pid ${pid}, log ${path.relative(files.stateDir, files.logFile(name))})`);
  }
  const started = pid;
  await pollUntil(
    `${name} to become healthy`,
    async () => {
      if (!isRunning(started, name)) {
        throw new Error(`${name} exited; end of ${files.logFile(name)}:\n${await tail(files.logFile(name))}`);
      }
      return componentHealthy(name, config, files, token);
    },
    { timeoutMs: opts.timeoutMs, onTimeout: () => tail(files.logFile(name)) },
  );
}

/**
 * How long a component may take to exit after SIGTERM before it is killed. kube-apiserver waits for its
 * clients' in-flight requests up to its 60 s request timeout; all its state is in etcd, so killing it
 * early loses nothing.
 */
const GRACE_MS: Record<ComponentName, number> = {
  etcd: 10_000,
  'kube-apiserver': 3_000,
  'kube-controller-manager': 5_000,
  'kube-scheduler': 5_000,
  kwok: 5_000,
};

export async function stopProcess(
  name: ComponentName,
  files: Layout,
  log: (msg: string) => void,
): Promise<void> {
  const pid = await componentPid(name, files);
  if (pid !== undefined) {
    const t0 = Date.now();
    await terminate(pid, name, GRACE_MS[name]);
    log(`stopped ${name} (pid ${pid}) in ${Date.now() - t0} ms`);
  }
  await removePidFile(files.pidFile(name));
}
