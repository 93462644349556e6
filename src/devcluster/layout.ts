// Where a dev cluster keeps its files. One state dir holds one cluster: etcd data, keys, the admin
// kubeconfig, a pid file and a log file per component. Binaries live beside it, under the same cache root.
import os from 'node:os';
import path from 'node:path';
import type { ComponentName } from './config.ts';

/** `$DCOS_OPERATOR_CACHE`, else `$XDG_CACHE_HOME/dcos-operator`, else `~/.cache/dcos-operator`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (env.DCOS_OPERATOR_CACHE) return path.resolve(env.DCOS_OPERATOR_CACHE);
  const xdg = env.XDG_CACHE_HOME || path.join(home, '.cache');
  return path.resolve(xdg, 'dcos-operator');
}

/**
 * `$DCOS_OPERATOR_CLUSTER_DIR`, else `<cache root>/cluster`. The variable lets a test run that has its own
 * cluster point every default-argument call (stopComponent, createFakeNodes…) at it.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (env.DCOS_OPERATOR_CLUSTER_DIR) return path.resolve(env.DCOS_OPERATOR_CLUSTER_DIR);
  return path.join(cacheRoot(env, home), 'cluster');
}

/** Where a test run keeps a cluster of its own: `<cache root>/runs/cluster-<pid>`. */
export function privateStateDir(pid = process.pid, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'runs', `cluster-${pid}`);
}

/** The pid a private state dir belongs to, if `dir` is one. */
export function privateStateDirOwner(dir: string): number | undefined {
  const m = /^cluster-(\d+)$/.exec(path.basename(dir));
  return m ? Number(m[1]) : undefined;
}

export interface Layout {
  stateDir: string;
  /** Settings the cluster was started with (DevClusterConfig as JSON). */
  configFile: string;
  etcdDataDir: string;
  /** kube-apiserver writes its self-signed serving certificate (and the CA that signed it) here. */
  pkiDir: string;
  apiserverCert: string;
  saPrivateKey: string;
  saPublicKey: string;
  tokenFile: string;
  kubeconfig: string;
  kwokConfig: string;
  /** Audit policy: requests of the operator's own ServiceAccounts are logged (RBAC tests). */
  auditPolicy: string;
  auditLog: string;
  runDir: string;
  logDir: string;
  lockDir: string;
  holdersDir: string;
  pidFile(name: ComponentName): string;
  logFile(name: ComponentName): string;
}

export function layout(stateDir: string): Layout {
  const dir = path.resolve(stateDir);
  const pki = path.join(dir, 'pki');
  const run = path.join(dir, 'run');
  const logs = path.join(dir, 'logs');
  return {
    stateDir: dir,
    configFile: path.join(dir, 'cluster.json'),
    etcdDataDir: path.join(dir, 'etcd'),
    pkiDir: pki,
    apiserverCert: path.join(pki, 'apiserver.crt'),
    saPrivateKey: path.join(pki, 'sa.key'),
    saPublicKey: path.join(pki, 'sa.pub'),
    tokenFile: path.join(pki, 'tokens.csv'),
    kubeconfig: path.join(dir, 'admin.kubeconfig'),
    kwokConfig: path.join(dir, 'kwok.yaml'),
    auditPolicy: path.join(dir, 'audit-policy.yaml'),
    auditLog: path.join(logs, 'audit.log'),
    runDir: run,
    logDir: logs,
    lockDir: path.join(run, 'lock'),
    holdersDir: path.join(run, 'holders'),
    pidFile: (name) => path.join(run, `${name}.pid`),
    logFile: (name) => path.join(logs, `${name}.log`),
  };
}
