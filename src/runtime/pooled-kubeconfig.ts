// client-node 2.x builds a new undici Agent for every request it authenticates, so every API call and
// every watch opens its own TLS connection: a full handshake on both sides per call. Under load that
// was the operator's largest CPU cost and a large share of the API server's. This KubeConfig keeps
// one connection pool per set of TLS credentials and hands it to every request instead.
import { createHash } from 'node:crypto';
import type { RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { DispatcherOptions, RequestContext } from '@kubernetes/client-node';
import { Agent } from 'undici';

type ConnectOptions = Extract<DispatcherOptions, { type: 'agent' }>['connect'];

export class PooledKubeConfig extends KubeConfig {
  private pool: { key: string; agent: Agent } | undefined;

  override async applySecurityAuthentication(ctx: RequestContext): Promise<void> {
    const opts: RequestOptions = {};
    // Headers (bearer token, exec and auth-provider output) and TLS material, re-read every call so
    // rotated tokens and certificates are picked up.
    await this.applyToHTTPSOptions(opts);
    const dispatch = this.createDispatcherOptions(this.getCurrentCluster(), {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      pfx: opts.pfx,
      passphrase: opts.passphrase,
      ...(opts.rejectUnauthorized !== undefined && { rejectUnauthorized: opts.rejectUnauthorized }),
      ...(opts.servername !== undefined && { servername: opts.servername }),
    });
    // Proxies keep client-node's own per-request handling.
    if (dispatch.type === 'proxy' || dispatch.type === 'socks') return super.applySecurityAuthentication(ctx);
    for (const [name, value] of Object.entries(opts.headers ?? {}))
      if (value !== undefined) ctx.setHeaderParam(name, String(value));
    if (opts.auth) ctx.setHeaderParam('Authorization', `Basic ${Buffer.from(opts.auth).toString('base64')}`);
    if (dispatch.type === 'agent') ctx.setDispatcher(this.agentFor(dispatch.connect));
  }

  /** The shared pool for these credentials; a new one (the old one draining) when they change. */
  private agentFor(connect: ConnectOptions): Agent {
    const key = credentialsKey(connect);
    if (this.pool?.key === key) return this.pool.agent;
    const previous = this.pool?.agent;
    this.pool = { key, agent: new Agent({ connect }) };
    // Requests and watches already on the old pool finish there.
    void previous?.close().catch(() => undefined);
    return this.pool.agent;
  }
}

function credentialsKey(connect: ConnectOptions): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(connect).sort()) {
    const value = (connect as Record<string, unknown>)[name];
    hash.update(`${name}=`);
    hash.update(Buffer.isBuffer(value) ? value : JSON.stringify(value ?? null));
    hash.update('\0');
  }
  return hash.digest('hex');
}
