// One API request as handlers see it: path (prefix stripped), query, the caller, a lazily parsed JSON body,
// and authorization checks against Kubernetes RBAC. Handlers return an ApiResult or throw an ApiError.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, forbidden, invalidJson } from './api-error.ts';
import type { Authorizer, Caller, ResourceAttributes } from './auth.ts';

export type ApiResult =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { status: number; text: string; contentType?: string; headers?: Record<string, string> }
  /**
   * A JSON body serialized already, as text, UTF-8, or UTF-8 pieces sent in order (large lists assembled
   * from memoized parts).
   */
  | { status: number; json: string | Buffer | readonly Buffer[]; headers?: Record<string, string> }
  /** The handler wrote the response itself (server-sent events). */
  | { streamed: true };

/** Bodies above this are refused (Marathon's own limit for app definitions is 1 MiB by default). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly raw: IncomingMessage;
  readonly res: ServerResponse;
  readonly caller: Caller;
  private readonly authorizer: Authorizer;
  private bodyText: Promise<string> | undefined;

  constructor(opts: {
    raw: IncomingMessage;
    res: ServerResponse;
    path: string;
    query: URLSearchParams;
    caller: Caller;
    authorizer: Authorizer;
  }) {
    this.raw = opts.raw;
    this.res = opts.res;
    this.method = opts.raw.method ?? 'GET';
    this.path = opts.path;
    this.query = opts.query;
    this.caller = opts.caller;
    this.authorizer = opts.authorizer;
  }

  header(name: string): string | undefined {
    const v = this.raw.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  /** A boolean query parameter as Marathon reads them (`force=true`, `force`, `force=1`). */
  flag(name: string, fallback = false): boolean {
    const v = this.query.get(name)?.trim().toLowerCase();
    if (v === undefined) return fallback;
    // marathon-python sends Python's spelling (force=True).
    return v === '' || v === 'true' || v === '1';
  }

  /** All values of a repeatable parameter, also split on commas (`embed=a&embed=b`, `embed=a,b`). */
  list(name: string): string[] {
    return this.query
      .getAll(name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  }

  text(): Promise<string> {
    this.bodyText ??= readBody(this.raw);
    return this.bodyText;
  }

  /** The body parsed as JSON; not JSON at all → Marathon's 400 "Invalid JSON". An empty body is undefined. */
  async json(): Promise<unknown> {
    const text = await this.text();
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw invalidJson((err as Error).message);
    }
  }

  /** Throws 403 unless the caller may do `verb` on the resource (Kubernetes RBAC, SubjectAccessReview). */
  async authorize(attrs: ResourceAttributes): Promise<void> {
    if (!(await this.authorizer.allowed(this.caller, attrs)))
      throw forbidden(
        `${this.caller.username} may not ${attrs.verb} ${attrs.resource}` +
          (attrs.namespace ? ` in namespace ${attrs.namespace}` : ''),
      );
  }

  /** Whether the caller may (no exception): lists keep only what the caller may read. */
  may(attrs: ResourceAttributes): Promise<boolean> {
    return this.authorizer.allowed(this.caller, attrs);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, { message: `Request body larger than ${MAX_BODY_BYTES} bytes.` }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
