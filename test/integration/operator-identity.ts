// The identity the integration suites run the operator under: the chart's own ServiceAccount.
//
// The global set-up installs charts/dcos-operator into the test control plane with helm (its pods are
// simulated by kwok), asks the API server for a token of the chart's ServiceAccount and writes a
// kubeconfig with it. OperatorProcess starts every operator with that kubeconfig, so every scenario of
// every controller passes or fails under exactly the RBAC the chart grants. Tests keep using the admin
// kubeconfig for their own set-up and assertions.
//
// DCOS_OPERATOR_TEST_IDENTITY=admin runs the operator as admin instead (to tell an RBAC failure from
// another one); the RBAC checks are then skipped.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { OPERATOR_NAMESPACE } from '../../src/devcluster/index.ts';
import { kubectl } from './helpers.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
export const CHART_DIR = path.join(root, 'charts', 'dcos-operator');
export const RELEASE = 'dcos-operator';
/** The chart's ServiceAccount: its full name, which is the release name when that contains the chart's. */
export const SERVICE_ACCOUNT = RELEASE;
export { OPERATOR_NAMESPACE };

/** Values of the test install: the operator runs as a host process, so the built-in AKS emulator's node
 * writes are granted (provider local). */
export const TEST_VALUES = ['--set', 'localProvider.enabled=true'];

export function runsAsChartIdentity(): boolean {
  return process.env.DCOS_OPERATOR_TEST_IDENTITY !== 'admin';
}

export async function helm(args: string[], timeoutMs = 180_000): Promise<string> {
  const { ensureTools } = await import('../tools/index.ts');
  const { helm: bin } = await ensureTools();
  const { stdout } = await run(bin, args, {
    env: {
      ...process.env,
      HELM_CACHE_HOME: helmHome('cache'),
      HELM_CONFIG_HOME: helmHome('config'),
      HELM_DATA_HOME: helmHome('data'),
    },
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  return stdout;
}

/** `helm upgrade` of the test release from `chartDir` with the test values, waiting for it to be ready. */
export function upgradeRelease(chartDir: string, opts: { install?: boolean } = {}): Promise<string> {
  return helm([
    'upgrade',
    ...(opts.install ? ['--install'] : []),
    RELEASE,
    chartDir,
    '--namespace',
    OPERATOR_NAMESPACE,
    ...TEST_VALUES,
    '--wait',
    '--timeout',
    '3m',
  ]);
}

/** Helm's own folders inside the cluster's state dir: nothing in the user's home is touched. */
function helmHome(kind: string): string {
  return path.join(process.env.DCOS_OPERATOR_CLUSTER_DIR ?? root, 'helm', kind);
}

/**
 * Installs (or upgrades) the chart and points DCOS_OPERATOR_TEST_OPERATOR_KUBECONFIG at a kubeconfig holding
 * a token of its ServiceAccount.
 */
export async function installChartIdentity(log: (msg: string) => void): Promise<void> {
  if (!runsAsChartIdentity()) {
    log('DCOS_OPERATOR_TEST_IDENTITY=admin: the operator runs as admin; RBAC checks are skipped');
    return;
  }
  const t0 = Date.now();
  // The namespace enforces the restricted Pod Security level: pods that break it are never created, so
  // `--wait` fails.
  await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: OPERATOR_NAMESPACE, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    }),
  });
  // The set-up applied the CRDs with kubectl before; the release adopts them (helm refuses objects that
  // carry no ownership of its own).
  const crds = (await kubectl(['get', 'crd', '-o', 'name']))
    .split('\n')
    .filter((c) => c.endsWith('.dcos-operator.dev'));
  await kubectl(['label', '--overwrite', ...crds, 'app.kubernetes.io/managed-by=Helm']);
  await kubectl([
    'annotate',
    '--overwrite',
    ...crds,
    `meta.helm.sh/release-name=${RELEASE}`,
    `meta.helm.sh/release-namespace=${OPERATOR_NAMESPACE}`,
  ]);
  await upgradeRelease(CHART_DIR, { install: true });
  const token = (
    await kubectl(['create', 'token', SERVICE_ACCOUNT, '-n', OPERATOR_NAMESPACE, '--duration=24h'])
  ).trim();
  const admin = YAML.parse(await readFile(process.env.KUBECONFIG!, 'utf8')) as {
    users: { name: string; user: Record<string, unknown> }[];
  };
  for (const u of admin.users) u.user = { token };
  const file = path.join(process.env.DCOS_OPERATOR_CLUSTER_DIR!, 'run', 'operator-sa.kubeconfig');
  await writeFile(file, YAML.stringify(admin), { mode: 0o600 });
  process.env.DCOS_OPERATOR_TEST_OPERATOR_KUBECONFIG = file;
  log(
    `chart installed in ${OPERATOR_NAMESPACE} (${Date.now() - t0} ms); the operator runs as its ServiceAccount`,
  );
}
