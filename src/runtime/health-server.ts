// /healthz (the process is alive and its watches are running), /readyz (every cache has synced; not
// tied to leadership, or rollouts of a 2-replica Deployment would deadlock) and Prometheus /metrics.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthSource {
  healthy(): boolean;
  ready(): boolean;
  metrics(): Promise<string>;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(bindAddress: string, source: HealthSource): Promise<HealthServer> {
  const { host, port } = parseBindAddress(bindAddress);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed\n');
    if (path === '/healthz' || path === '/livez')
      return source.healthy() ? reply(200, 'ok\n') : reply(503, 'unhealthy\n');
    if (path === '/readyz') return source.ready() ? reply(200, 'ok\n') : reply(503, 'caches not synced\n');
    if (path === '/metrics') {
      source.metrics().then(
        (text) => reply(200, text, 'text/plain; version=0.0.4; charset=utf-8'),
        () => reply(500, 'metrics unavailable\n'),
      );
      return;
    }
    reply(404, 'not found\n');
  });
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

export function parseBindAddress(addr: string): { host: string | undefined; port: number } {
  const i = addr.lastIndexOf(':');
  const host = addr.slice(0, i).replace(/^\[|\]$/g, '');
  return { host: host === '' ? undefined : host, port: Number(addr.slice(i + 1)) };
}
