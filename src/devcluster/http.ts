// Minimal HTTP(S) client for start-up: health probes and the few API calls made while a cluster comes up
// (ServiceAccount check, node apply). Spawning kubectl for each poll would cost more than the wait itself.
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  body: string;
}

export interface RequestOptions {
  method?: string;
  body?: string;
  contentType?: string;
  /** PEM the server certificate must chain to; without it TLS is not verified (health probes only). */
  caPem?: string;
  token?: string;
  timeoutMs?: number;
}

export function request(url: string, opts: RequestOptions = {}): Promise<HttpResponse> {
  const u = new URL(url);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(opts.body));
  }
  const base = { method: opts.method ?? 'GET', headers, timeout: opts.timeoutMs ?? 5_000 };
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    };
    const req =
      u.protocol === 'https:'
        ? https.request(
            u,
            opts.caPem ? { ...base, ca: opts.caPem } : { ...base, rejectUnauthorized: false },
            onResponse,
          )
        : http.request(u, base, onResponse);
    req.on('timeout', () => req.destroy(new Error(`timeout after ${base.timeout} ms: ${url}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** True when the URL answers 200 within the timeout; false on any error. */
export async function probe(url: string, opts: RequestOptions = {}): Promise<boolean> {
  try {
    const res = await request(url, { timeoutMs: 2_000, ...opts });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function pollUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; onTimeout?: () => Promise<string> },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      const detail = opts.onTimeout ? `\n${await opts.onTimeout()}` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
