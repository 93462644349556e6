// Runs `dcos-operator run` as a real child process against the test control plane, the way it runs
// in a pod, and gives tests its logs, its metrics and signals.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { OPERATOR_NAMESPACE } from '../../src/devcluster/index.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface LogLine {
  level: string;
  message: string;
  [k: string]: unknown;
}

export class OperatorProcess {
  readonly proc: ChildProcess;
  readonly lines: LogLine[] = [];
  port: number | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** `entry`: the CLI to run; the TypeScript sources by default, or the bundle `dist/operator.mjs` (npm run build). */
  constructor(args: string[], env: NodeJS.ProcessEnv = {}, entry = 'src/cli/main.ts') {
    // Under the chart's ServiceAccount when the global set-up installed it (operator-identity.ts): its
    // kubeconfig, and its namespace as the operator's own (where its Lease Role is).
    const identity = process.env.DCOS_OPERATOR_TEST_OPERATOR_KUBECONFIG;
    const own =
      identity && !args.some((a) => a.startsWith('--namespace')) ? [`--namespace=${OPERATOR_NAMESPACE}`] : [];
    this.proc = spawn(process.execPath, [path.join(root, entry), 'run', ...own, ...args], {
      cwd: root,
      env: {
        ...process.env,
        DCOS_OPERATOR_LOG_FORMAT: 'json',
        ...(identity ? { KUBECONFIG: identity } : {}),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let buf = '';
    this.proc.stderr!.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const parsed = JSON.parse(line) as LogLine;
          this.lines.push(parsed);
          if (typeof parsed.port === 'number' && parsed.message.startsWith('serving'))
            this.port = parsed.port;
        } catch {
          this.lines.push({ level: 'raw', message: line });
        }
      }
      if (process.env.OPERATOR_LOGS) process.stderr.write(chunk);
    });
    this.exited = new Promise((resolve) =>
      this.proc.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  hasLogged(re: RegExp): boolean {
    return this.lines.some((l) => re.test(l.message));
  }

  async waitForLog(re: RegExp, timeoutMs = 30_000): Promise<LogLine> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.find((l) => re.test(l.message));
      if (hit) return hit;
      if (this.proc.exitCode !== null)
        throw new Error(`operator exited (${this.proc.exitCode}) before logging ${re}\n${this.dump()}`);
      if (Date.now() > end)
        throw new Error(`operator did not log ${re} within ${timeoutMs} ms\n${this.dump()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async get(pathname: string): Promise<Response> {
    if (this.port === undefined) await this.waitForLog(/^serving/);
    const url = `http://127.0.0.1:${this.port}${pathname}`;
    try {
      return await fetch(url);
    } catch (err) {
      // A kept-alive connection the server closed while idle (minutes, in the benchmark): once more.
      if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
      return fetch(url);
    }
  }

  /** Sum of a metric's samples whose labels contain every given label. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await this.get('/metrics')).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const m = /^(\w+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      const lbl = m[2] ?? '';
      if (Object.entries(labels).every(([k, v]) => lbl.includes(`${k}="${v}"`))) sum += Number(m[3]);
    }
    return sum;
  }

  async stop(
    signal: NodeJS.Signals = 'SIGTERM',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    return this.exited;
  }

  dump(): string {
    return this.lines
      .slice(-40)
      .map((l) => JSON.stringify(l))
      .join('\n');
  }
}
