// The operator's HTTP server: liveness, readiness and Prometheus metrics (no token), and the Marathon and
// Cosmos REST APIs under the paths DC/OS clients use: `/`, `/marathon/` and `/service/marathon/` (Admin
// Router's). Every API call is authenticated (auth.ts); a failure of any kind becomes an error body in the
// client's vocabulary, never a crash.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../runtime/errors.ts';
import type { Logger } from '../runtime/logger.ts';
import { ApiError } from './api-error.ts';
import { parseBindAddress } from './bind-address.ts';
import type { Authenticator, Authorizer } from './auth.ts';
import { ANONYMOUS } from './auth.ts';
import { ApiRequest } from './request.ts';
import type { ApiResult } from './request.ts';
import type { Router } from './router.ts';

export interface HealthSource {
  healthy(): boolean;
  ready(): boolean;
  metrics(): Promise<string>;
}

export interface ApiSource {
  router: Router;
  authenticator: Authenticator;
  authorizer: Authorizer;
}

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

const PREFIXES = ['/service/marathon', '/marathon'];

/** The path a handler sees: Admin Router prefixes and trailing slashes removed (`/marathon/v2/apps/` → `/v2/apps`). */
export function apiPath(rawPath: string): string {
  let p = rawPath;
  for (const prefix of PREFIXES) {
    if (p === prefix || p.startsWith(`${prefix}/`)) {
      p = p.slice(prefix.length) || '/';
      break;
    }
  }
  if (p.length > 1) p = p.replace(/\/+$/, '') || '/';
  return p;
}

/** True when a client asks for JSON rather than text (Marathon's /metrics and /ping answer in either). */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  return (
    types.includes('application/json') &&
    !types.includes('text/plain') &&
    !types.some((t) => t.startsWith('application/openmetrics'))
  );
}

export async function startHttpServer(
  bindAddress: string,
  opts: { health?: HealthSource; api?: ApiSource; log: Logger },
): Promise<HttpServer> {
  const { host, port } = parseBindAddress(bindAddress);
  const server = http.createServer((req, res) => {
    handle(req, res, opts).catch((err: unknown) => {
      opts.log.error('http handler failed', { error: errorMessage(err), path: req.url });
      if (!res.headersSent) send(res, req, { status: 500, body: { message: 'Internal server error.' } });
      else res.destroy();
    });
  });
  // Server-sent event streams stay open: no request timeout, and keep-alive sockets are not capped.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { health?: HealthSource; api?: ApiSource; log: Logger },
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = apiPath(url.pathname);
  const method = req.method ?? 'GET';
  const { health, api } = opts;

  if (health && (method === 'GET' || method === 'HEAD')) {
    if (path === '/healthz' || path === '/livez')
      return send(res, req, health.healthy() ? text(200, 'ok\n') : text(503, 'unhealthy\n'));
    if (path === '/readyz')
      return send(res, req, health.ready() ? text(200, 'ok\n') : text(503, 'caches not synced\n'));
    // Prometheus (and anything that does not insist on JSON) gets the exposition format; Marathon clients,
    // which send Accept: application/json, get Marathon's JSON metrics from the API routes.
    if (path === '/metrics' && !(api && prefersJson(req.headers.accept))) {
      const body = await health.metrics().catch(() => undefined);
      return send(
        res,
        req,
        body === undefined
          ? text(500, 'metrics unavailable\n')
          : { status: 200, text: body, contentType: 'text/plain; version=0.0.4; charset=utf-8' },
      );
    }
  }
  if (!api) return send(res, req, { status: 404, body: { message: `Not found: ${path}` } });

  const found = api.router.match(method, path);
  if (found === undefined) return send(res, req, { status: 404, body: { message: `Not found: ${path}` } });
  if (found === 'method')
    return send(res, req, { status: 405, body: { message: `Method ${method} not allowed on ${path}.` } });
  try {
    const caller =
      found.route.access === 'public'
        ? ANONYMOUS
        : await api.authenticator.authenticate(req.headers.authorization);
    const request = new ApiRequest({
      raw: req,
      res,
      path,
      query: url.searchParams,
      caller,
      authorizer: api.authorizer,
    });
    const result = await found.route.handler(request, found.params);
    send(res, req, result);
  } catch (err) {
    if (err instanceof ApiError)
      return send(res, req, { status: err.status, body: err.body, headers: err.headers });
    opts.log.error('API call failed', { method, path, error: errorMessage(err) });
    const status = (err as { code?: number }).code === 503 ? 503 : 500;
    send(res, req, { status, body: { message: `Internal error: ${errorMessage(err)}` } });
  }
}

const text = (status: number, body: string): ApiResult => ({ status, text: body });

function send(res: ServerResponse, req: IncomingMessage, result: ApiResult): void {
  if ('streamed' in result) return;
  if (res.headersSent) return;
  const headers: Record<string, string> = { ...(result.headers ?? {}) };
  let payload: string | Buffer | readonly Buffer[] | undefined;
  if ('text' in result) {
    headers['content-type'] = result.contentType ?? 'text/plain; charset=utf-8';
    payload = result.text;
  } else if ('json' in result) {
    headers['content-type'] = 'application/json; charset=utf-8';
    payload = result.json;
  } else if (result.body !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(result.body);
  }
  if (Array.isArray(payload)) {
    // Pieces written as they are (one writev), not copied into one more large buffer per response.
    const chunks = payload as readonly Buffer[];
    headers['content-length'] = String(chunks.reduce((n, c) => n + c.length, 0));
    res.writeHead(result.status, headers);
    if (req.method !== 'HEAD') {
      res.cork();
      for (const c of chunks) res.write(c);
    }
    res.end();
    return;
  }
  const single = payload as string | Buffer | undefined;
  if (single !== undefined) headers['content-length'] = String(Buffer.byteLength(single));
  res.writeHead(result.status, headers);
  res.end(req.method === 'HEAD' ? undefined : single);
}
