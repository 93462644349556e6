// The AKS agentPools REST API over HTTPS on loopback, for running the operator and its tests against
// something that behaves like ARM without an Azure subscription.
//
// Trusting it from the unmodified SDK: the emulator serves a self-signed certificate (for 127.0.0.1 and
// localhost) and publishes it as `caPem`. Construct the client with `endpoint: emulator.endpoint` and a
// per-call pipeline policy that sets `request.agent = new https.Agent({ ca: emulator.caPem })`: the SDK's
// Node HTTP client uses a request's own agent when it has one (@typespec/ts-http-runtime's
// nodeHttpClient, `request.agent ?? …`), so only those requests trust the extra CA. Plain http is not an
// option because the SDK's bearer-token policy refuses non-TLS URLs. NODE_EXTRA_CA_CERTS with the PEM
// written to a file also works, process-wide.
//
// What it serves (base /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/
// managedClusters/{cluster}): GET the cluster; GET (list, paged with nextLink), PUT, GET and DELETE
// agentPools; POST agentPools/{pool}/abort; GET agentPools/{pool}/upgradeProfiles/default; and the
// operation resources …/locations/{region}/operations/{id} and …/operationresults/{id}. Every response
// carries ARM's request-id and rate-limit headers; errors use ARM's wrapped body {error:{code,message}}.
// Faults (see faults.ts) are injected before a call is handled, so a throttled write changes nothing.
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, realClock } from '../../runtime/clock.ts';
import { createEmulatorCertificate } from './certificate.ts';
import type { EmulatorCertificate } from './certificate.ts';
import { ArmError } from './errors.ts';
import { FaultInjector } from './faults.ts';
import type { CallKind, Faults } from './faults.ts';
import type { AgentPoolSnapshot, ClusterInfo, PoolRef } from './model.ts';
import { operationStatusBody } from './operations.ts';
import type { OperationRecord } from './operations.ts';
import { clusterResource, poolResource, upgradeProfileResource } from './resources.ts';
import { ROUTE_METHODS, matchRoute } from './routes.ts';
import type { Route } from './routes.ts';
import { AksState } from './state.ts';
import type { AddClusterOptions, AksStateOptions, PoolsListener } from './state.ts';

/** The api-version ARM puts on operation-status URLs, whatever version the client used. */
export const OPERATION_API_VERSION = '2017-08-31';
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const API_VERSION_RE = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
// ARM's hourly budgets per subscription, as the x-ms-ratelimit-remaining-subscription-* headers count them.
const HOURLY_LIMITS: Record<CallKind, number> = { read: 12_000, write: 1_200, delete: 15_000 };
const RATE_LIMIT_HEADERS: Record<CallKind, string> = {
  read: 'x-ms-ratelimit-remaining-subscription-reads',
  write: 'x-ms-ratelimit-remaining-subscription-writes',
  delete: 'x-ms-ratelimit-remaining-subscription-deletes',
};

export interface AksEmulatorOptions extends Omit<AksStateOptions, 'operationFails'> {
  /** Listen address; default 127.0.0.1 (the certificate covers 127.0.0.1 and localhost). */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  faults?: Faults;
  /** Agent pools per LIST page before a nextLink; default 50. */
  pageSize?: number;
  /** Requests kept in `requests`; default 1000. */
  requestLogLimit?: number;
  /** Reuse a certificate instead of generating one. */
  certificate?: EmulatorCertificate;
}

export interface RequestRecord {
  method: string;
  /** URL path without the query string. */
  path: string;
  status: number;
}

export interface AksEmulator {
  /** https://127.0.0.1:PORT */
  readonly endpoint: string;
  /** The server certificate in PEM: what clients trust as a CA. */
  readonly caPem: string;
  /** The most recent requests, oldest first (a copy). */
  readonly requests: RequestRecord[];
  close(): Promise<void>;
  /** Replaces the fault settings. */
  setFaults(faults: Faults): void;
  /** How long pool operations started from now on take. */
  setOperationDuration(ms: number): void;
  /** A copy of a cluster's agent pools; empty for an unknown cluster. */
  pools(subscriptionId: string, resourceGroup: string, cluster: string): AgentPoolSnapshot[];
  /** A registered cluster (location, version), or undefined. */
  cluster(subscriptionId: string, resourceGroup: string, cluster: string): ClusterInfo | undefined;
  /** Changes an autoscaled pool's count within [minCount, maxCount], as the cluster autoscaler would. */
  autoscale(pool: PoolRef, count: number): AgentPoolSnapshot;
  addCluster(
    subscriptionId: string,
    resourceGroup: string,
    cluster: string,
    opts?: AddClusterOptions,
  ): ClusterInfo;
  /** Called whenever a cluster's pools change; returns an unsubscribe function. */
  onPoolsChanged(listener: PoolsListener): () => void;
  /** Empties `requests`. */
  clearRequests(): void;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function startAksEmulator(options: AksEmulatorOptions = {}): Promise<AksEmulator> {
  const clock = options.clock ?? realClock;
  const log = options.log ?? (() => {});
  const faults = new FaultInjector(options.faults);
  const state = new AksState({ ...options, clock, log, operationFails: () => faults.operationFails() });
  const certificate = options.certificate ?? (await createEmulatorCertificate());
  const pageSize = options.pageSize ?? 50;
  const logLimit = options.requestLogLimit ?? 1000;
  let requests: RequestRecord[] = [];
  const budgets = new Map<string, { windowStart: number; used: number }>();
  let endpoint = '';

  const operationUrl = (op: OperationRecord, kind: 'operations' | 'operationresults') =>
    `${endpoint}/subscriptions/${op.pool.subscriptionId}/providers/Microsoft.ContainerService/locations/${op.location}/${kind}/${op.id}?api-version=${OPERATION_API_VERSION}`;

  function remaining(subscriptionId: string, kind: CallKind): number {
    const key = `${subscriptionId.toLowerCase()}/${kind}`;
    const now = clock.now();
    let b = budgets.get(key);
    if (!b || now - b.windowStart >= 3_600_000) budgets.set(key, (b = { windowStart: now, used: 0 }));
    b.used++;
    return Math.max(0, HOURLY_LIMITS[kind] - b.used);
  }

  function route(r: Route, method: string, url: URL, body: unknown, req: IncomingMessage): Reply {
    const pre = {
      ...(typeof req.headers['if-match'] === 'string' ? { ifMatch: req.headers['if-match'] } : {}),
      ...(typeof req.headers['if-none-match'] === 'string'
        ? { ifNoneMatch: req.headers['if-none-match'] }
        : {}),
    };
    switch (r.kind) {
      case 'cluster': {
        const c = state.getCluster(r.ref);
        return { status: 200, body: clusterResource(c.info, c.pools) };
      }
      case 'pools': {
        const all = state.listPools(r.ref);
        const token = url.searchParams.get('$skipToken');
        const offset = token === null ? 0 : Number(token);
        if (!Number.isInteger(offset) || offset < 0)
          throw new ArmError(400, 'InvalidParameter', `The $skipToken '${token}' is invalid.`, '$skipToken');
        const page = all.slice(offset, offset + pageSize).map(poolResource);
        let nextLink: string | undefined;
        if (offset + pageSize < all.length) {
          const next = new URL(url.pathname, endpoint);
          next.searchParams.set('api-version', url.searchParams.get('api-version') ?? '');
          next.searchParams.set('$skipToken', String(offset + pageSize));
          nextLink = next.toString();
        }
        return { status: 200, body: { value: page, ...(nextLink ? { nextLink } : {}) } };
      }
      case 'pool': {
        if (method === 'GET') return { status: 200, body: poolResource(state.getPool(r.ref)) };
        if (method === 'PUT') {
          const result = state.putPool(r.ref, body, pre);
          return {
            status: result.created ? 201 : 200,
            body: poolResource(result.pool),
            headers: { 'azure-asyncoperation': operationUrl(result.operation, 'operations') },
          };
        }
        const op = state.deletePool(r.ref, pre);
        if (!op) return { status: 204 };
        return {
          status: 202,
          headers: {
            'azure-asyncoperation': operationUrl(op, 'operations'),
            location: operationUrl(op, 'operationresults'),
          },
        };
      }
      case 'abort': {
        const op = state.abortPool(r.ref);
        // As in the spec's AgentPoolsAbortOperation example, Location names the operation itself.
        const status = operationUrl(op, 'operations');
        return { status: 202, headers: { 'azure-asyncoperation': status, location: status } };
      }
      case 'upgradeProfile': {
        const { info } = state.getCluster(r.ref);
        return { status: 200, body: upgradeProfileResource(info, state.getPool(r.ref).snapshot) };
      }
      case 'operation':
      case 'operationResult': {
        const op = state.operation(r.id);
        if (
          !op ||
          op.pool.subscriptionId.toLowerCase() !== r.subscriptionId.toLowerCase() ||
          op.location.toLowerCase() !== r.location.toLowerCase()
        )
          throw new ArmError(404, 'NotFound', `Operation '${r.id}' was not found.`);
        if (r.kind === 'operation') return { status: 200, body: operationStatusBody(op) };
        return operationResult(op);
      }
    }
  }

  // Location-header polling: 202 while running; 200 with the pool or 204 when done; the error when not.
  function operationResult(op: OperationRecord): Reply {
    if (op.status === 'InProgress')
      return { status: 202, headers: { location: operationUrl(op, 'operationresults') } };
    if (op.status === 'Failed')
      throw new ArmError(
        500,
        op.error?.code ?? 'InternalOperationError',
        op.error?.message ?? 'The operation failed.',
      );
    if (op.status === 'Canceled')
      throw new ArmError(
        409,
        'OperationCanceled',
        `The operation ${op.id} was canceled by an abort request.`,
      );
    if (op.kind === 'create' || op.kind === 'update') {
      try {
        return { status: 200, body: poolResource(state.getPool(op.pool)) };
      } catch {
        return { status: 204 };
      }
    }
    return { status: 204 };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', endpoint);
    const requestId = randomUUID();
    const headers: Record<string, string> = {
      'cache-control': 'no-cache',
      pragma: 'no-cache',
      expires: '-1',
      'x-content-type-options': 'nosniff',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': headerValue(req, 'x-ms-correlation-request-id') ?? randomUUID(),
      'x-ms-routing-request-id': `EASTUS:${routingTime(clock.wallNow())}:${requestId}`,
    };
    let reply: Reply;
    try {
      const raw = await readBody(req);
      const matched = matchRoute(url.pathname);
      const isPoll = matched?.kind === 'operation' || matched?.kind === 'operationResult';
      const latency = faults.latencyFor(isPoll);
      if (latency > 0) await delay(clock, latency);
      reply = dispatch(matched, isPoll, method, url, raw, req, headers);
    } catch (err) {
      reply = errorReply(err, log);
    }
    send(res, reply, headers);
    requests.push({ method, path: url.pathname, status: reply.status });
    if (requests.length > logLimit) requests = requests.slice(-logLimit);
    log(`${method} ${url.pathname} -> ${reply.status}`);
  }

  function dispatch(
    matched: Route | undefined,
    isPoll: boolean,
    method: string,
    url: URL,
    raw: Buffer,
    req: IncomingMessage,
    headers: Record<string, string>,
  ): Reply {
    checkAuthorization(headerValue(req, 'authorization'));
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion)
      throw new ArmError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    if (!API_VERSION_RE.test(apiVersion))
      throw new ArmError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${apiVersion}' is invalid. The supported versions are dates such as '2025-07-01' or '2025-07-02-preview'.`,
      );
    if (!matched)
      throw new ArmError(404, 'NotFound', `The AKS emulator serves no resource at '${url.pathname}'.`);
    const subscriptionId = 'ref' in matched ? matched.ref.subscriptionId : matched.subscriptionId;
    if (!GUID_RE.test(subscriptionId))
      throw new ArmError(
        400,
        'InvalidSubscriptionId',
        `The provided subscription identifier '${subscriptionId}' is malformed or invalid.`,
      );
    if (!ROUTE_METHODS[matched.kind].includes(method))
      throw new ArmError(
        405,
        'MethodNotAllowed',
        `The requested resource does not support http method '${method}'.`,
      );
    const kind: CallKind = method === 'GET' ? 'read' : method === 'DELETE' ? 'delete' : 'write';
    headers[RATE_LIMIT_HEADERS[kind]] = String(remaining(subscriptionId, kind));
    const fault = faults.requestFault({ isPoll, kind, subscriptionId });
    if (fault) throw fault;
    return route(matched, method, url, method === 'PUT' ? parseJson(raw, req) : undefined, req);
  }

  const server = https.createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`emulator: request failed: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  endpoint = `https://${host}:${addr.port}`;
  log(`AKS emulator listening on ${endpoint}`);

  return {
    endpoint,
    caPem: certificate.cert,
    get requests() {
      return [...requests];
    },
    close: () =>
      new Promise<void>((resolve) => {
        state.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    setFaults: (f) => faults.set(f),
    setOperationDuration: (ms) => state.setOperationDuration(ms),
    pools: (subscriptionId, resourceGroup, cluster) =>
      state.pools({ subscriptionId, resourceGroup, cluster }),
    cluster: (subscriptionId, resourceGroup, cluster) =>
      state.clusterInfo({ subscriptionId, resourceGroup, cluster }),
    autoscale: (pool, count) => state.autoscale(pool, count),
    addCluster: (subscriptionId, resourceGroup, cluster, opts) =>
      state.addCluster({ subscriptionId, resourceGroup, cluster }, opts),
    onPoolsChanged: (listener) => state.onPoolsChanged(listener),
    clearRequests: () => {
      requests = [];
    },
  };
}

// Only the shape of the header is checked; the token itself is never logged.
function checkAuthorization(value: string | undefined): void {
  if (value === undefined)
    throw new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      undefined,
      {
        'www-authenticate':
          'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"',
      },
    );
  const m = /^Bearer(?:\s+(.*))?$/i.exec(value.trim());
  if (!m)
    throw new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
    );
  if (!m[1]?.trim()) throw new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
}

function parseJson(raw: Buffer, req: IncomingMessage): unknown {
  const type = headerValue(req, 'content-type') ?? '';
  if (raw.length > 0 && type && !/^application\/(.+\+)?json\b/i.test(type))
    throw new ArmError(
      415,
      'UnsupportedMediaType',
      `The content media type '${type}' is not supported. Only 'application/json' is supported.`,
    );
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (err) {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: '${(err as Error).message}'.`,
    );
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ArmError(413, 'RequestEntityTooLarge', 'The request content is too large.'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function errorReply(err: unknown, log: (msg: string) => void): Reply {
  if (err instanceof ArmError) return { status: err.status, body: err.body(), headers: err.headers };
  log(`emulator: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return {
    status: 500,
    body: { error: { code: 'InternalServerError', message: 'The AKS emulator hit an internal error.' } },
  };
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string>): void {
  const all: Record<string, string> = { ...headers, ...reply.headers };
  let payload = '';
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    all['content-type'] = 'application/json; charset=utf-8';
  }
  all['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, all);
  res.end(payload);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

// 20230309T080828Z, as in x-ms-routing-request-id.
function routingTime(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}
