// Integration suite fixtures: bring up (or reuse) the dev cluster, point KUBECONFIG at it, install the
// project's CRDs and the chart (the operator runs under its ServiceAccount, operator-identity.ts).
//
// The shared dev cluster (the one `cluster up` starts) is used unless another test run is using it right
// now: tests stop the API server and add nodes, so two concurrent runs get separate clusters, the second
// one in its own state dir on free ports. At the end a private cluster is deleted; the shared one is
// stopped if a test run started it (not `cluster up`), no other run still uses it and KEEP_CLUSTER is
// not set.
import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  addHolderIfAlone,
  defaultStateDir,
  freePorts,
  layout,
  otherHolders,
  privateStateDir,
  removeHolder,
  startDevCluster,
  stopDevCluster,
  sweepAbandonedClusters,
} from '../../src/devcluster/index.ts';
import type { DevCluster } from '../../src/devcluster/index.ts';
import { kubectl } from './helpers.ts';
import { installChartIdentity } from './operator-identity.ts';

const root = path.resolve(import.meta.dirname, '../..');
const crdDir = path.join(root, 'crds');

let cluster: DevCluster | undefined;
let privateCluster = false;

function log(msg: string): void {
  console.log(`[devcluster] ${msg}`);
}

function keepCluster(): boolean {
  const v = process.env.KEEP_CLUSTER;
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/** Present while the shared cluster was started by a test run, which may then also stop it. */
function startedByTests(stateDir: string): string {
  return path.join(layout(stateDir).runDir, 'started-by-tests');
}

async function installCrds(): Promise<void> {
  if (!existsSync(crdDir)) return;
  const files = (await readdir(crdDir)).filter((f) => /\.(ya?ml|json)$/.test(f));
  if (files.length === 0) return;
  await kubectl(['apply', '--server-side', '--force-conflicts', '-f', crdDir]);
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', crdDir]);
  log(`installed ${files.length} CRD file(s) from crds/`);
}

/**
 * `fresh`: a private cluster with empty state, whether or not the shared one is free (benchmarks: etcd
 * history left by earlier runs slows every write and makes figures incomparable).
 */
export async function mochaGlobalSetup(
  opts: { fresh?: boolean; chartIdentity?: boolean } = {},
): Promise<void> {
  // The RBAC usage check reads the audit log from here on (test/integration/rbac.ts).
  process.env.DCOS_OPERATOR_TEST_RUN_STARTED = new Date().toISOString();
  await sweepAbandonedClusters(log);
  const shared = defaultStateDir();
  privateCluster = opts.fresh === true || !(await addHolderIfAlone(layout(shared).holdersDir));
  if (privateCluster) {
    const stateDir = privateStateDir();
    log(
      opts.fresh
        ? `starting a fresh private dev cluster in ${stateDir}`
        : `the shared dev cluster is in use by another test run: starting a private one in ${stateDir}`,
    );
    cluster = await startDevCluster({ stateDir, ports: await freePorts(), log });
  } else {
    cluster = await startDevCluster({ stateDir: shared, log });
    if (!cluster.reused) await writeFile(startedByTests(shared), `${process.pid}\n`);
  }
  // Every default-argument devcluster call in this process (stopComponent, createFakeNodes…), and every
  // child process, now targets this cluster.
  process.env.DCOS_OPERATOR_CLUSTER_DIR = cluster.stateDir;
  process.env.KUBECONFIG = cluster.kubeconfigPath;
  process.env.DCOS_OPERATOR_BIN_DIR = cluster.binDir;
  log(
    `control plane ${cluster.reused ? 'reused' : 'started'} in ${cluster.startedMs} ms (${cluster.server})`,
  );
  await installCrds();
  await sweepOrphanedApps();
  // The operator runs under the chart's ServiceAccount (the benchmark opts out: it measures the
  // reconcile path, and a fresh cluster per run would pay for the install each time).
  if (opts.chartIdentity !== false) await installChartIdentity(log);
}

/**
 * MarathonApps whose namespace is gone. They appear when the control plane is stopped while a test
 * namespace is being deleted and kube-controller-manager, restarting, finalizes the namespace before its
 * discovery knows the CRDs. They would keep the operator busy in every later test.
 */
async function sweepOrphanedApps(): Promise<void> {
  const list = JSON.parse(await kubectl(['get', 'marathonapps', '-A', '-o', 'json'])) as {
    items: { metadata: { name: string; namespace: string } }[];
  };
  const namespaces = new Set(
    (await kubectl(['get', 'namespaces', '-o', 'name']))
      .split('\n')
      .map((n) => n.replace(/^namespace\//, '')),
  );
  const orphans = list.items.filter((a) => !namespaces.has(a.metadata.namespace));
  for (const a of orphans)
    await kubectl(['delete', 'marathonapp', a.metadata.name, '-n', a.metadata.namespace, '--wait=false']);
  if (orphans.length) log(`deleted ${orphans.length} MarathonApp(s) left in deleted namespaces`);
}

export async function mochaGlobalTeardown(): Promise<void> {
  if (!cluster) return;
  const { stateDir } = cluster;
  if (privateCluster) {
    if (keepCluster())
      return log(`leaving the private dev cluster running: KUBECONFIG=${cluster.kubeconfigPath}`);
    return stopDevCluster({ stateDir, purge: true, log });
  }
  const { holdersDir } = layout(stateDir);
  await removeHolder(holdersDir);
  if (keepCluster()) return log('leaving the dev cluster running: KEEP_CLUSTER is set');
  if (!existsSync(startedByTests(stateDir)))
    return log('leaving the dev cluster running: not started by tests');
  const others = await otherHolders(holdersDir);
  if (others.length > 0)
    return log(`leaving the dev cluster running: still used by pid ${others.join(', ')}`);
  await stopDevCluster({ stateDir, log });
  await rm(startedByTests(stateDir), { force: true });
}
