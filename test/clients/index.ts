// The real Marathon API clients the integration tests drive: Debian's python3-marathon (run by Debian's
// /usr/bin/python3 with the unpacked package on PYTHONPATH) with our scenarios, and go-marathon in our smoke
// program, both built by `test/tools/build-tools.sh clients` into the tool cache; and curl.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const script = path.resolve(import.meta.dirname, '..', 'tools', 'build-tools.sh');
const pythonScenarios = path.resolve(import.meta.dirname, 'python', 'scenarios.py');
/** Debian's Python: python3-marathon is Debian's package, built for it (not for whatever python3 is on PATH). */
const DEBIAN_PYTHON = '/usr/bin/python3';
const PYTHON_SITE = 'python/usr/lib/python3/dist-packages';

export interface ClientTools {
  dir: string;
  /** PYTHONPATH holding python3-marathon and the Debian packages it imports. */
  pythonPath: string;
  /** test/clients/go-marathon built. */
  goMarathon: string;
}

let tools: Promise<ClientTools> | undefined;

/** Builds the clients unless the cache has them (a few seconds the first time, instant after). */
export function ensureClients(): Promise<ClientTools> {
  tools ??= new Promise<ClientTools>((resolve, reject) => {
    execFile(
      'bash',
      [script, 'clients'],
      { timeout: 600_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const dir = stdout.trim().split('\n').pop()?.trim();
        if (err || !dir) {
          reject(new Error(`build-tools.sh clients failed: ${stderr.trim() || err?.message}`));
          return;
        }
        resolve({
          dir,
          pythonPath: path.join(dir, PYTHON_SITE),
          goMarathon: path.join(dir, 'go-marathon-smoke'),
        });
      },
    );
  }).catch((err: unknown) => {
    tools = undefined; // a later call tries again
    throw err;
  });
  return tools;
}

export interface ClientRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The "PASS …", "FAIL …" and "SKIP …" lines the client printed. */
  verdicts: string[];
  failures: string[];
}

/** Runs a client to its end (killed after `timeoutMs`) and collects its verdict lines. */
export function runClient(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (process.env.CLIENT_LOGS) process.stderr.write(c);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const verdicts = stdout.split('\n').filter((l) => /^(PASS|FAIL|SKIP) /.test(l));
      resolve({ code, stdout, stderr, verdicts, failures: verdicts.filter((l) => !l.startsWith('PASS')) });
    });
  });
}

/** What a failed run said, for an assertion message: its verdicts, then the end of its stderr. */
export function explain(name: string, run: ClientRun): string {
  const tail = run.stderr.trim().split('\n').slice(-25).join('\n');
  return `${name} exited ${run.code}:\n${run.stdout.trim()}\n--- stderr (tail) ---\n${tail}`;
}

export async function runPythonScenarios(opts: {
  url: string;
  token?: string | undefined;
  prefix: string;
  timeoutSeconds?: number;
}): Promise<ClientRun> {
  const { pythonPath } = await ensureClients();
  const timeout = opts.timeoutSeconds ?? 120;
  return runClient(
    DEBIAN_PYTHON,
    ['-s', pythonScenarios, '--url', opts.url, '--prefix', opts.prefix, '--timeout', String(timeout)],
    // The token goes by environment, not argv (argv is visible to every process on the machine).
    { PYTHONPATH: pythonPath, PYTHONNOUSERSITE: '1', MARATHON_TOKEN: opts.token ?? '' },
    timeout * 6 * 1000,
  );
}

export async function runGoMarathon(opts: {
  url: string;
  token?: string | undefined;
  app: string;
  timeoutSeconds?: number;
}): Promise<ClientRun> {
  const { goMarathon } = await ensureClients();
  const timeout = opts.timeoutSeconds ?? 90;
  return runClient(
    goMarathon,
    ['-url', opts.url, '-app', opts.app, '-timeout', `${timeout}s`, '-v'],
    { MARATHON_TOKEN: opts.token ?? '' },
    timeout * 6 * 1000,
  );
}

export interface CurlResponse {
  status: number;
  /** Lower-cased header names of the final response. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Runs curl with `args` (a URL, -X, -H, -d…, exactly as the documentation or a plugin runs it) and returns
 * the final response: status, headers and body.
 */
export async function curl(args: string[]): Promise<CurlResponse> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'curl-'));
  try {
    const headerFile = path.join(dir, 'headers');
    const bodyFile = path.join(dir, 'body');
    const status = await new Promise<number>((resolve, reject) => {
      execFile(
        'curl',
        ['-sS', '--max-time', '60', '-D', headerFile, '-o', bodyFile, '-w', '%{http_code}', ...args],
        { timeout: 90_000 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`curl ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
          else resolve(Number(stdout.trim()));
        },
      );
    });
    // The header file holds every response (a 100 Continue first, say): keep the last block.
    const blocks = (await readFile(headerFile, 'utf8')).split(/\r?\n\r?\n/).filter((b) => b.trim());
    const headers: Record<string, string> = {};
    for (const line of (blocks.at(-1) ?? '').split(/\r?\n/).slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    return { status, headers, body: await readFile(bodyFile, 'utf8').catch(() => '') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The response body as JSON; the assertion message shows the body when it is not JSON. */
export function jsonOf<T>(res: CurlResponse): T {
  try {
    return JSON.parse(res.body) as T;
  } catch {
    throw new Error(`expected a JSON body, got ${res.status}: ${res.body.slice(0, 500)}`);
  }
}
