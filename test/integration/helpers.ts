// Helpers for integration tests against the dev cluster that global-fixtures.ts starts: kubectl with the
// dev kubeconfig, a fresh namespace per test, polling, and a client-node KubeConfig.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../src/runtime/kube-client.ts';

/** The dev cluster's admin kubeconfig (global setup points KUBECONFIG at it). */
export function kubeconfigPath(): string {
  const p = process.env.KUBECONFIG;
  if (!p) throw new Error('KUBECONFIG is not set: integration tests run through test/run.ts integration');
  return p;
}

function kubectlBinary(): string {
  const dir = process.env.DCOS_OPERATOR_BIN_DIR;
  if (!dir)
    throw new Error(
      'DCOS_OPERATOR_BIN_DIR is not set: integration tests run through test/run.ts integration',
    );
  return path.join(dir, 'kubectl');
}

/** A client-node KubeConfig for the dev cluster, as admin. */
export function kubeConfig(): KubeConfig {
  return loadKubeConfig({ kubeconfig: kubeconfigPath() });
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (use with `-f -`). */
  input?: string;
  timeoutMs?: number;
}

/** Runs the dev cluster's kubectl; resolves to stdout, rejects with stderr in the message. */
export function kubectl(args: string[], opts: KubectlOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      kubectlBinary(),
      ['--kubeconfig', kubeconfigPath(), ...args],
      { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      },
    );
    // kubectl may exit before reading its input (a timeout, an early error): its exit code reports that,
    // so a broken pipe here must not become an uncaught error that ends the whole test run.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input ?? '');
  });
}

/** `kubectl … -o json`, parsed. */
export async function kubectlJson<T>(args: string[], opts: KubectlOptions = {}): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'], opts)) as T;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  message?: string;
}

/**
 * Calls `fn` until it returns a truthy value and resolves to that value. A throw counts as "not yet";
 * on timeout the last error is part of the message.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.message ?? 'condition'}${why}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

export function uniqueName(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`.toLowerCase().slice(0, 63);
}

/**
 * Registers mocha hooks that create a unique namespace before each test (or once per describe with
 * `scope: 'suite'`) and delete it afterwards, and returns a function giving the current namespace's name.
 * Deletion does not wait: kube-controller-manager finishes it in the background. Set KEEP_NAMESPACES=1
 * to keep them for debugging.
 */
export function useNamespace(opts: { scope?: 'test' | 'suite'; prefix?: string } = {}): () => string {
  let current: string | undefined;
  const name = () => {
    if (!current) throw new Error('useNamespace: no namespace outside a test');
    return current;
  };
  const [setup, cleanup] = opts.scope === 'suite' ? [before, after] : [beforeEach, afterEach];
  setup(async function () {
    const ns = uniqueName(opts.prefix ?? 'test');
    current = ns;
    await kubectl(['create', 'namespace', ns]);
    // Pods are rejected until kube-controller-manager has created the namespace's default ServiceAccount.
    await waitFor(() => kubectl(['get', 'serviceaccount', 'default', '-n', ns, '-o', 'name']), {
      message: `ServiceAccount ${ns}/default`,
    });
  });
  cleanup(async function () {
    const ns = current;
    current = undefined;
    if (ns && !process.env.KEEP_NAMESPACES) await kubectl(['delete', 'namespace', ns, '--wait=false']);
  });
  return name;
}
