// Command lines of the control-plane components. Pure: the same config and layout always give the same
// argv, which is what lets a test stop kube-apiserver and start it again with identical flags and data.
import path from 'node:path';
import type { ComponentName, DevClusterConfig } from './config.ts';
import type { Layout } from './layout.ts';

export interface CommandLine {
  binary: string;
  args: string[];
}

const LOOPBACK = '127.0.0.1';

export function commandLine(name: ComponentName, config: DevClusterConfig, files: Layout): CommandLine {
  const binary = path.join(config.binDir, name);
  switch (name) {
    case 'etcd':
      return { binary, args: etcdArgs(config, files) };
    case 'kube-apiserver':
      return { binary, args: apiserverArgs(config, files) };
    case 'kube-controller-manager':
      return { binary, args: controllerManagerArgs(config, files) };
    case 'kube-scheduler':
      return { binary, args: schedulerArgs(config, files) };
    case 'kwok':
      return { binary, args: kwokArgs(config, files) };
  }
}

export function etcdUrl(config: DevClusterConfig): string {
  return `http://${LOOPBACK}:${config.ports.etcdClient}`;
}

function etcdArgs(config: DevClusterConfig, files: Layout): string[] {
  const client = etcdUrl(config);
  const peer = `http://${LOOPBACK}:${config.ports.etcdPeer}`;
  return [
    '--name=dev',
    `--data-dir=${files.etcdDataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=dev=${peer}`,
    // A throwaway test store: skipping fsync makes every API write several times faster.
    '--unsafe-no-fsync',
    '--log-level=warn',
  ];
}

function apiserverArgs(config: DevClusterConfig, files: Layout): string[] {
  return [
    `--etcd-servers=${etcdUrl(config)}`,
    `--bind-address=${LOOPBACK}`,
    `--advertise-address=${LOOPBACK}`,
    `--secure-port=${config.ports.apiserver}`,
    // No --tls-cert-file: the API server creates a CA and a serving certificate signed by it here on
    // first start and reuses them afterwards, so the kubeconfig can verify TLS.
    `--cert-dir=${files.pkiDir}`,
    `--service-cluster-ip-range=${config.serviceCidr}`,
    '--allow-privileged=true',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${files.saPublicKey}`,
    `--service-account-signing-key-file=${files.saPrivateKey}`,
    `--token-auth-file=${files.tokenFile}`,
    '--authorization-mode=RBAC',
    // Only the operator namespace's ServiceAccounts are audited (see audit-policy.ts): the chart tests
    // compare what the operator's identity did with what its RBAC grants.
    `--audit-policy-file=${files.auditPolicy}`,
    `--audit-log-path=${files.auditLog}`,
    '--audit-log-format=json',
    '--audit-log-maxsize=200',
    '--audit-log-maxbackup=1',
    // The `kubernetes` Service would point at 127.0.0.1, which Endpoints validation rejects; nothing in
    // a dev cluster dials it.
    '--endpoint-reconciler-type=none',
  ];
}

function controllerManagerArgs(config: DevClusterConfig, files: Layout): string[] {
  return [
    ...clientArgs(files),
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${config.ports.controllerManager}`,
    `--cert-dir=${path.join(files.pkiDir, 'kube-controller-manager')}`,
    '--leader-elect=false',
    `--service-account-private-key-file=${files.saPrivateKey}`,
    `--root-ca-file=${files.apiserverCert}`,
    '--use-service-account-credentials=false',
    // Defaults are tuned for big clusters; a test wants GC and rollouts without throttling.
    '--kube-api-qps=1000',
    '--kube-api-burst=1000',
  ];
}

function schedulerArgs(config: DevClusterConfig, files: Layout): string[] {
  return [
    ...clientArgs(files),
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${config.ports.scheduler}`,
    `--cert-dir=${path.join(files.pkiDir, 'kube-scheduler')}`,
    '--leader-elect=false',
  ];
}

function kwokArgs(config: DevClusterConfig, files: Layout): string[] {
  return [
    `--kubeconfig=${files.kubeconfig}`,
    `--config=${files.kwokConfig}`,
    // Out-of-cluster mode: only nodes carrying this annotation are simulated.
    '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    `--cidr=${config.podCidr}`,
    `--node-lease-duration-seconds=${config.nodeLeaseSeconds}`,
    `--server-address=${LOOPBACK}:${config.ports.kwok}`,
  ];
}

/** Controllers and the scheduler talk to the API server as admin, and use it for delegated auth. */
function clientArgs(files: Layout): string[] {
  return [
    `--kubeconfig=${files.kubeconfig}`,
    `--authentication-kubeconfig=${files.kubeconfig}`,
    `--authorization-kubeconfig=${files.kubeconfig}`,
  ];
}

/** Where each component answers a health probe. */
export interface HealthProbe {
  url: string;
  /** The probe sends the admin token and verifies TLS against the cluster CA. */
  authenticated: boolean;
}

export function healthProbe(name: ComponentName, config: DevClusterConfig): HealthProbe {
  const p = config.ports;
  switch (name) {
    case 'etcd':
      return { url: `${etcdUrl(config)}/health`, authenticated: false };
    case 'kube-apiserver':
      return { url: `https://${LOOPBACK}:${p.apiserver}/readyz`, authenticated: true };
    case 'kube-controller-manager':
      return { url: `https://${LOOPBACK}:${p.controllerManager}/healthz`, authenticated: false };
    case 'kube-scheduler':
      return { url: `https://${LOOPBACK}:${p.scheduler}/healthz`, authenticated: false };
    case 'kwok':
      return { url: `http://${LOOPBACK}:${p.kwok}/healthz`, authenticated: false };
  }
}
