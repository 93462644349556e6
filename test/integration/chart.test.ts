// The Helm chart on the test control plane: lint, rendered manifests accepted by the real API server,
// bad values refused by values.schema.json, the release the global set-up installed (2 replicas under the
// restricted Pod Security level), exactly the documented permissions, CRDs updated by `helm upgrade` and
// kept, with users' resources, by `helm uninstall`.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { V1DeploymentSpec } from '@kubernetes/client-node';
import YAML from 'yaml';
import { kubectl, kubectlJson, useNamespace, waitFor } from './helpers.ts';
import {
  CHART_DIR,
  helm,
  installChartIdentity,
  OPERATOR_NAMESPACE,
  RELEASE,
  runsAsChartIdentity,
  TEST_VALUES,
  upgradeRelease,
} from './operator-identity.ts';
import { documentedRules, permissionsOf, SERVICE_ACCOUNT_USER } from './rbac.ts';

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  rules?: { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[];
}

const docs = (text: string): Doc[] =>
  YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null);

const WORKLOAD_IDENTITY = [
  '--set',
  'azure.workloadIdentity.enabled=true',
  '--set',
  'azure.workloadIdentity.clientId=00000000-0000-0000-0000-000000000001',
  '--set',
  'azure.subscriptionId=11111111-2222-3333-4444-555555555555',
  '--set',
  'azure.resourceGroup=prod-rg',
];

describe('Helm chart (charts/dcos-operator)', function () {
  this.timeout(300_000);
  const ns = useNamespace({ scope: 'suite', prefix: 'chart' });

  const template = (args: string[] = [], namespace = ns()) =>
    helm(['template', 'chart-test', CHART_DIR, '--namespace', namespace, ...args]);

  it('passes helm lint --strict, with default and alternative values', async () => {
    for (const values of [[], ['--set', 'watchNamespace=apps', ...TEST_VALUES, ...WORKLOAD_IDENTITY]]) {
      const out = await helm(['lint', '--strict', CHART_DIR, ...values]);
      assert.match(out, /0 chart\(s\) failed/);
    }
  });

  it('renders manifests the API server accepts (server-side dry-run)', async () => {
    const variants: [string, string[]][] = [
      ['defaults', []],
      ['one watched namespace', ['--set', `watchNamespace=${ns()}`]],
      ['workload identity and the AKS emulator', [...TEST_VALUES, ...WORKLOAD_IDENTITY]],
    ];
    for (const [what, values] of variants) {
      const rendered = await template(values);
      const out = await kubectl(
        [
          'apply',
          '--server-side',
          '--force-conflicts',
          '--field-manager=chart-test',
          '--dry-run=server',
          '-f',
          '-',
        ],
        { input: rendered },
      );
      assert.match(
        out,
        /deployment\.apps\/chart-test-dcos-operator serverside-applied \(server dry run\)/,
        what,
      );
    }
  });

  it('renders the workload, its security and its wiring as documented', async () => {
    const all = docs(await template([...WORKLOAD_IDENTITY]));
    const deployment = all.find((d) => d.kind === 'Deployment')!;
    const pod = (deployment.spec as unknown as V1DeploymentSpec).template;
    assert.equal((deployment.spec as { replicas: number }).replicas, 2);
    assert.equal(pod.metadata?.labels?.['azure.workload.identity/use'], 'true');
    const sa = all.find((d) => d.kind === 'ServiceAccount')!;
    assert.equal(
      sa.metadata.annotations?.['azure.workload.identity/client-id'],
      '00000000-0000-0000-0000-000000000001',
    );
    const spec = pod.spec!;
    const container = spec.containers[0]!;
    assert.deepEqual(
      {
        runAsNonRoot: spec.securityContext?.runAsNonRoot,
        seccomp: spec.securityContext?.seccompProfile?.type,
        readOnlyRootFilesystem: container.securityContext?.readOnlyRootFilesystem,
        allowPrivilegeEscalation: container.securityContext?.allowPrivilegeEscalation,
        drop: container.securityContext?.capabilities?.drop,
      },
      {
        runAsNonRoot: true,
        seccomp: 'RuntimeDefault',
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        drop: ['ALL'],
      },
    );
    assert.equal(container.livenessProbe?.httpGet?.path, '/healthz');
    assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
    const args = container.args ?? [];
    for (const a of [
      'run',
      '--leader-elect=true',
      `--leader-election-namespace=${ns()}`,
      '--install-crds=false',
      '--azure-subscription-id=11111111-2222-3333-4444-555555555555',
      '--azure-resource-group=prod-rg',
    ])
      assert.ok(args.includes(a), `${a} in ${args.join(' ')}`);
    assert.ok((spec.topologySpreadConstraints?.length ?? 0) >= 1, 'replicas are spread');
    assert.ok(all.some((d) => d.kind === 'PodDisruptionBudget'));
    // CRDs ship as templates that helm keeps on uninstall.
    const crds = all.filter((d) => d.kind === 'CustomResourceDefinition');
    assert.deepEqual(crds.map((c) => c.metadata.name).sort(), [
      'dcosclusters.dcos-operator.dev',
      'marathonapps.dcos-operator.dev',
      'universepackages.dcos-operator.dev',
      'universerepositories.dcos-operator.dev',
    ]);
    for (const c of crds) assert.equal(c.metadata.annotations?.['helm.sh/resource-policy'], 'keep');
    // The ServiceMonitor only where its API exists.
    assert.ok(!all.some((d) => d.kind === 'ServiceMonitor'));
    const withMonitor = docs(
      await template([
        '--set',
        'serviceMonitor.enabled=true',
        '--api-versions',
        'monitoring.coreos.com/v1/ServiceMonitor',
      ]),
    );
    assert.ok(withMonitor.some((d) => d.kind === 'ServiceMonitor'));
  });

  it('refuses bad values with the schema’s message', async () => {
    const bad: [string[], RegExp][] = [
      [['--set', 'replicaCount=0'], /replicaCount/],
      [['--set', 'image.pullPolicy=Sometimes'], /pullPolicy/],
      [['--set', 'replicas=2'], /replicas/],
      [['--set', 'leaderElection.leaseDuration=soon'], /leaseDuration/],
    ];
    for (const [values, field] of bad) {
      await assert.rejects(template(values), (err: Error) => {
        assert.match(err.message, /values don't meet the specifications of the schema/);
        assert.match(err.message, field);
        return true;
      });
    }
  });

  describe('installed by the test set-up', function () {
    before(function () {
      if (!runsAsChartIdentity()) this.skip();
    });

    it('runs 2 replicas under the restricted Pod Security level, with its Service and PDB', async () => {
      const namespace = await kubectlJson<{ metadata: { labels: Record<string, string> } }>([
        'get',
        'namespace',
        OPERATOR_NAMESPACE,
      ]);
      assert.equal(namespace.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
      const d = await kubectlJson<{ status: { availableReplicas?: number } }>([
        'get',
        'deployment',
        RELEASE,
        '-n',
        OPERATOR_NAMESPACE,
      ]);
      assert.equal(d.status.availableReplicas, 2);
      const svc = await kubectlJson<{ spec: { ports: { name: string; port: number }[] } }>([
        'get',
        'service',
        RELEASE,
        '-n',
        OPERATOR_NAMESPACE,
      ]);
      assert.deepEqual(
        svc.spec.ports.map((p) => [p.name, p.port]),
        [['http', 8080]],
      );
      await kubectl(['get', 'poddisruptionbudget', RELEASE, '-n', OPERATOR_NAMESPACE]);
    });

    it('grants exactly the documented permissions, nothing more', async () => {
      const documented = permissionsOf(await documentedRules());
      // What the API server answers for the ServiceAccount, in the operator's namespace and in another one.
      const granted = new Set<string>();
      for (const namespace of [OPERATOR_NAMESPACE, ns()]) {
        const text = await kubectl([
          'auth',
          'can-i',
          '--list',
          `--as=${SERVICE_ACCOUNT_USER}`,
          '-n',
          namespace,
        ]);
        for (const line of text.split('\n').slice(1)) {
          const m = /^(\S+)\s+(\[[^\]]*\])\s+(\[[^\]]*\])\s+\[([^\]]*)\]/.exec(line);
          if (!m) continue;
          const [, resourceAndGroup, , names, verbs] = m;
          if (names !== '[]') continue; // discovery rules by name do not concern resources
          // kubectl prints resource.group/subresource ("marathonapps.dcos-operator.dev/status").
          const [resourceGroup, sub] = resourceAndGroup!.split('/');
          const dot = resourceGroup!.indexOf('.');
          const resource = (dot < 0 ? resourceGroup! : resourceGroup!.slice(0, dot)) + (sub ? `/${sub}` : '');
          const group = dot < 0 ? 'core' : resourceGroup!.slice(dot + 1);
          for (const verb of verbs!.split(' ').filter(Boolean)) granted.add(`${group} ${resource} ${verb}`);
        }
      }
      // Every authenticated user may review itself (system:basic-user); not the chart's doing.
      for (const p of [...granted])
        if (/^authorization\.k8s\.io selfsubject|^authentication\.k8s\.io selfsubjectreviews/.test(p))
          granted.delete(p);
      assert.deepEqual([...granted].sort(), [...documented].sort());
      assert.ok(![...granted].some((p) => p.includes('*')), 'no wildcards');
      // Leases only in the operator's own namespace (`can-i` exits 1 for "no").
      const canCreateLease = (namespace: string) =>
        kubectl(['auth', 'can-i', 'create', 'leases', `--as=${SERVICE_ACCOUNT_USER}`, '-n', namespace]);
      assert.equal((await canCreateLease(OPERATOR_NAMESPACE)).trim(), 'yes');
      await assert.rejects(canCreateLease(ns()));
    });

    it('updates the CRDs on helm upgrade; helm uninstall keeps them and the users’ resources', async () => {
      const crd = 'marathonapps.dcos-operator.dev';
      const label = async () =>
        (
          await kubectl([
            'get',
            'crd',
            crd,
            '-o',
            'jsonpath={.metadata.labels.dcos-operator\\.dev/chart-test}',
          ])
        ).trim();
      // A "newer chart": the same, with a changed CRD.
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'chart-'));
      try {
        const newer = path.join(tmp, 'dcos-operator');
        await cp(CHART_DIR, newer, { recursive: true });
        const file = path.join(newer, 'files', 'crds', `${crd}.yaml`);
        const doc = YAML.parseDocument(await readFile(file, 'utf8'));
        doc.setIn(['metadata', 'labels'], { 'dcos-operator.dev/chart-test': 'upgraded' });
        await writeFile(file, doc.toString());
        await upgradeRelease(newer);
        assert.equal(await label(), 'upgraded');
        await upgradeRelease(CHART_DIR);
        assert.equal(await label(), '', 'the upgrade back removed it');
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }

      // A user's app survives an uninstall, and so does its CRD.
      await kubectl(['apply', '-n', ns(), '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'dcos-operator.dev/v1alpha1',
          kind: 'MarathonApp',
          metadata: { name: 'kept' },
          spec: { cmd: 'sleep 1000' },
        }),
      });
      await helm(['uninstall', RELEASE, '--namespace', OPERATOR_NAMESPACE, '--wait', '--timeout', '3m']);
      try {
        await waitFor(
          async () => !(await kubectl(['get', 'deployment', '-n', OPERATOR_NAMESPACE, '-o', 'name'])).trim(),
          {
            message: 'the operator Deployment removed',
          },
        );
        await kubectl(['get', 'crd', crd]);
        await kubectl(['get', 'marathonapp', 'kept', '-n', ns()]);
      } finally {
        // Install again for the suites that follow (a new ServiceAccount: a new token).
        await installChartIdentity(() => undefined);
      }
      await kubectl(['get', 'marathonapp', 'kept', '-n', ns()]);
    });
  });
});
