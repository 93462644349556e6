// The handful of API calls the dev cluster makes itself: server-side apply of fake nodes and readiness
// checks. Everything else (tests, the operator) goes through kubectl or @kubernetes/client-node.
import { nodeManifest } from './nodes.ts';
import type { FakeNodeSpec } from './nodes.ts';
import { pollUntil, request } from './http.ts';
import type { HttpResponse, RequestOptions } from './http.ts';

export const FIELD_MANAGER = 'dcos-operator-devcluster';

export interface ApiAccess {
  server: string;
  caPem: string;
  token: string;
}

export function apiRequest(api: ApiAccess, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
  return request(api.server + path, { ...opts, caPem: api.caPem, token: api.token });
}

async function apply(api: ApiAccess, path: string, obj: unknown): Promise<void> {
  const res = await apiRequest(api, `${path}?fieldManager=${FIELD_MANAGER}&force=true`, {
    method: 'PATCH',
    body: JSON.stringify(obj),
    contentType: 'application/apply-patch+yaml',
  });
  if (res.status >= 300) throw new Error(`apply ${path}: HTTP ${res.status} ${res.body}`);
}

async function ok(api: ApiAccess, path: string): Promise<boolean> {
  try {
    return (await apiRequest(api, path)).status === 200;
  } catch {
    return false;
  }
}

export function waitForServiceAccount(api: ApiAccess, namespace: string, timeoutMs: number): Promise<void> {
  return pollUntil(
    `ServiceAccount ${namespace}/default`,
    () => ok(api, `/api/v1/namespaces/${namespace}/serviceaccounts/default`),
    { timeoutMs },
  );
}

interface NodeStatusView {
  status?: { conditions?: { type: string; status: string }[] };
}

async function nodeReady(api: ApiAccess, name: string): Promise<boolean> {
  try {
    const res = await apiRequest(api, `/api/v1/nodes/${name}`);
    if (res.status !== 200) return false;
    const node = JSON.parse(res.body) as NodeStatusView;
    return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  } catch {
    return false;
  }
}

/**
 * Creates or updates kwok-managed nodes and waits until kwok reports them Ready. Capacity and addresses
 * are applied to the status subresource too: an update of the main resource ignores status.
 */
export async function applyFakeNodes(
  api: ApiAccess,
  nodes: FakeNodeSpec[],
  timeoutMs = 60_000,
): Promise<void> {
  await Promise.all(
    nodes.map(async (spec) => {
      const manifest = nodeManifest(spec);
      await apply(api, `/api/v1/nodes/${spec.name}`, manifest);
      await apply(api, `/api/v1/nodes/${spec.name}/status`, {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: spec.name },
        status: manifest.status,
      });
    }),
  );
  await Promise.all(
    nodes.map((n) =>
      pollUntil(`node ${n.name} Ready`, () => nodeReady(api, n.name), { timeoutMs, intervalMs: 200 }),
    ),
  );
}

export async function deleteNodes(api: ApiAccess, names: string[]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      const res = await apiRequest(api, `/api/v1/nodes/${name}`, { method: 'DELETE' });
      if (res.status >= 300 && res.status !== 404) throw new Error(`delete node ${name}: HTTP ${res.status}`);
    }),
  );
}

/**
 * Deletes every node Lease. A restarted kwok has a new identity and would wait for the old instance's
 * Leases to expire (up to their full duration) before it simulates the existing nodes and their pods
 * again. All nodes of a dev cluster are kwok's, so all node Leases are.
 */
export async function deleteNodeLeases(api: ApiAccess): Promise<void> {
  const res = await apiRequest(api, '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
    method: 'DELETE',
  });
  if (res.status >= 300 && res.status !== 404)
    throw new Error(`delete node leases: HTTP ${res.status} ${res.body}`);
}
