// Integration suite fixtures: bring up (or reuse) the dev cluster, point KUBECONFIG at it, install the
// project's CRDs. At the end the cluster is stopped if a test run started it (not `cluster up`), no other
// test run is still using it and KEEP_CLUSTER is not set.
import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  addHolder,
  layout,
  otherHolders,
  removeHolder,
  startDevCluster,
  stopDevCluster,
} from '../../src/devcluster/index.ts';
import type { DevCluster } from '../../src/devcluster/index.ts';
import { kubectl } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '../..');
const crdDir = path.join(root, 'crds');

let cluster: DevCluster | undefined;

function log(msg: string): void {
  console.log(`[devcluster] ${msg}`);
}

function keepCluster(): boolean {
  const v = process.env.KEEP_CLUSTER;
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

async function installCrds(): Promise<void> {
  if (!existsSync(crdDir)) return;
  const files = (await readdir(crdDir)).filter((f) => /\.(ya?ml|json)$/.test(f));
  if (files.length === 0) return;
  await kubectl(['apply', '--server-side', '--force-conflicts', '-f', crdDir]);
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', crdDir]);
  log(`installed ${files.length} CRD file(s) from crds/`);
}

/** Present while the running cluster was started by a test run, which may then also stop it. */
function startedByTests(c: DevCluster): string {
  return path.join(layout(c.stateDir).runDir, 'started-by-tests');
}

export async function mochaGlobalSetup(): Promise<void> {
  cluster = await startDevCluster({ log });
  await addHolder(layout(cluster.stateDir).holdersDir);
  if (!cluster.reused) await writeFile(startedByTests(cluster), `${process.pid}\n`);
  process.env.KUBECONFIG = cluster.kubeconfigPath;
  process.env.DCOS_OPERATOR_BIN_DIR = cluster.binDir;
  log(
    `control plane ${cluster.reused ? 'reused' : 'started'} in ${cluster.startedMs} ms (${cluster.server})`,
  );
  await installCrds();
}

export async function mochaGlobalTeardown(): Promise<void> {
  if (!cluster) return;
  const { holdersDir } = layout(cluster.stateDir);
  await removeHolder(holdersDir);
  if (keepCluster()) return log('leaving the dev cluster running: KEEP_CLUSTER is set');
  if (!existsSync(startedByTests(cluster)))
    return log('leaving the dev cluster running: not started by tests');
  const others = await otherHolders(holdersDir);
  if (others.length > 0)
    return log(`leaving the dev cluster running: still used by pid ${others.join(', ')}`);
  await stopDevCluster({ stateDir: cluster.stateDir, log });
  await rm(startedByTests(cluster), { force: true });
}
