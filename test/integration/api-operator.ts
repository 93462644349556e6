// The operator as the REST API suites run it: one replica (no election), its HTTP port on loopback, the
// test namespace watched (and, unless told otherwise, where the API creates apps), and JSON calls to it.
import assert from 'node:assert/strict';
import { OperatorProcess } from './operator-process.ts';

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * Starts the operator serving the APIs for namespace `ns`, and waits until it reconciles and listens.
 * `auth`: the default is none (loopback only); 'kubernetes' checks callers' tokens.
 */
export async function startApiOperator(
  ns: string,
  opts: { auth?: 'none' | 'kubernetes'; apiNamespace?: boolean; args?: string[] } = {},
): Promise<OperatorProcess> {
  const op = new OperatorProcess([
    '--leader-elect=false',
    ...(opts.auth === 'kubernetes' ? [] : ['--api-auth=none']),
    '--http-bind-address=127.0.0.1:0',
    `--watch-namespace=${ns}`,
    ...(opts.apiNamespace === false ? [] : [`--api-namespace=${ns}`]),
    ...(opts.args ?? []),
  ]);
  await op.waitForLog(/^started leading/);
  await op.waitForLog(/^serving/);
  return op;
}

/** One call with an optional JSON body (a string is sent as is); the reply body parsed when JSON. */
export async function apiCall(
  op: OperatorProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(`http://127.0.0.1:${op.port}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text || undefined;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // not JSON: the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** What a Marathon write answers: the new version and the deployment rolling it out. */
export interface DeploymentResult {
  version: string;
  deploymentId: string;
}

/**
 * The body of a write's reply, checked as Marathon answers it: an ISO version with milliseconds and a
 * deployment id, repeated in the `Marathon-Deployment-Id` header; and the status, when one is given.
 */
export function deploymentResult(r: Reply, status?: number): DeploymentResult {
  if (status !== undefined) assert.equal(r.status, status, JSON.stringify(r.body));
  const b = r.body as DeploymentResult;
  assert.match(b.version, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(b.deploymentId);
  assert.equal(r.headers.get('marathon-deployment-id'), b.deploymentId);
  return b;
}
