// The one place a ContainerServiceClient is made. Against Azure it authenticates with @azure/identity's
// DefaultAzureCredential (workload identity on AKS). Against the AKS emulator it sends a fixed bearer token and
// trusts the emulator's certificate through a pipeline policy that hands the request an https.Agent with that
// CA: the SDK itself stays unmodified and still refuses plain http.
import https from 'node:https';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export const ARM_ENDPOINT = 'https://management.azure.com';

export interface ArmConnection {
  endpoint: string;
  credential: TokenCredential;
  /** PEM of a CA to trust besides the system ones (the emulator's self-signed certificate). */
  caPem?: string;
}

/** A credential for the emulator, which accepts any bearer token. */
export const emulatorCredential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'aks-emulator', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** Azure's own credential chain; loaded on first use so the emulator path never needs it. */
export async function azureCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

export function trustCaPolicy(caPem: string): PipelinePolicy {
  const agent = new https.Agent({ ca: caPem, keepAlive: true });
  return {
    name: 'trustExtraCa',
    sendRequest: (request, next) => {
      request.agent = agent;
      return next(request);
    },
  };
}

export function createContainerServiceClient(
  conn: ArmConnection,
  subscriptionId: string,
): ContainerServiceClient {
  return new ContainerServiceClient(conn.credential, subscriptionId, {
    endpoint: conn.endpoint,
    // The token scope does not follow the endpoint in the 25.x SDK; Azure's is right for both targets.
    credentials: { scopes: [`${ARM_ENDPOINT}/.default`] },
    // The SDK's own retries (429 with Retry-After, 5xx) stay on; the reconciler requeues beyond them.
    retryOptions: { maxRetries: 2, retryDelayInMs: 500, maxRetryDelayInMs: 10_000 },
    ...(conn.caPem
      ? { additionalPolicies: [{ position: 'perCall' as const, policy: trustCaPolicy(conn.caPem) }] }
      : {}),
  });
}
