// The admin kubeconfig of a dev cluster: token authentication and the cluster CA embedded, so TLS is
// verified and the file works on its own (kubectl, @kubernetes/client-node, the operator).
import { stringify } from 'yaml';

export const CONTEXT_NAME = 'dcos-operator-dev';

export interface KubeconfigInput {
  server: string;
  /** PEM of the CA (or bundle) that signed the API server's serving certificate. */
  caPem: string;
  token: string;
  user?: string;
}

export function renderKubeconfig(input: KubeconfigInput): string {
  const user = input.user ?? 'admin';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: CONTEXT_NAME,
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: user, user: { token: input.token } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user } }],
    'current-context': CONTEXT_NAME,
  });
}
