// Sorts what the Azure SDK throws into what the reconciler does next, as ASO v2's error classifier does:
// wait for a busy pool (409 OperationNotAllowed), honour Retry-After (429), retry transient failures,
// and stop on errors only a spec change can fix (400 InvalidParameter and friends).

export type ArmErrorClass =
  /** Another operation on the pool or cluster is running: try again later. */
  | 'busy'
  /** Throttled by ARM: try again after retryAfterMs. */
  | 'throttled'
  /** A 5xx, a dropped connection, a timeout: retry with backoff. */
  | 'transient'
  /** The request is wrong (400, 412): retrying the same request cannot help. */
  | 'invalid'
  /** 401/403: the identity lacks access; retry slowly, someone must grant it. */
  | 'forbidden'
  /** 404: the resource (or the managed cluster) does not exist. */
  | 'not-found'
  /** An accepted long-running operation ended Failed or Canceled. */
  | 'operation-failed';

export interface ArmError {
  class: ArmErrorClass;
  /** ARM's error code (OperationNotAllowed, InvalidParameter, …) or a stand-in when there is none. */
  code: string;
  message: string;
  statusCode?: number;
  retryAfterMs?: number;
}

interface RestErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  response?: { headers?: { get(name: string): string | undefined }; bodyAsText?: string | null };
}

const LRO_FAILED = /^The long-running operation has failed(?:\. ([^.\s]+)\. ([\s\S]*))?$/;
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** The classification of anything the SDK threw. */
export function classifyArmError(err: unknown): ArmError {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as RestErrorLike;
  const message = e.message ?? String(err);
  const lro = LRO_FAILED.exec(message);
  if (lro)
    return { class: 'operation-failed', code: lro[1] ?? 'OperationFailed', message: lro[2] ?? message };
  if (message === 'Operation was canceled') return { class: 'operation-failed', code: 'Canceled', message };
  const status = e.statusCode;
  const body = armBody(e.response?.bodyAsText);
  const code = body?.code ?? e.code ?? (status ? `Http${status}` : 'NetworkError');
  const text = body?.message ?? message;
  const base = { code, message: text, ...(status ? { statusCode: status } : {}) };
  if (status === 429) return { ...base, class: 'throttled', retryAfterMs: retryAfter(e) ?? 10_000 };
  if (status === 409) return { ...base, class: 'busy', ...withRetryAfter(e) };
  if (status === 401 || status === 403) return { ...base, class: 'forbidden' };
  if (status === 404) return { ...base, class: 'not-found' };
  if (status !== undefined && status >= 500) return { ...base, class: 'transient', ...withRetryAfter(e) };
  if (status !== undefined && status >= 400) return { ...base, class: 'invalid' };
  if (e.code && NETWORK_CODES.has(e.code)) return { ...base, class: 'transient' };
  return { ...base, class: 'transient' };
}

function withRetryAfter(e: RestErrorLike): { retryAfterMs?: number } {
  const ms = retryAfter(e);
  return ms === undefined ? {} : { retryAfterMs: ms };
}

/** Retry-After in seconds or as an HTTP date, or the millisecond variants ARM also sends. */
function retryAfter(e: RestErrorLike): number | undefined {
  const headers = e.response?.headers;
  if (!headers) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers.get(name));
    if (headers.get(name) && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** ARM's error body, wrapped ({error:{code,message}}) or flat ({code,message}). */
function armBody(text: string | null | undefined): { code?: string; message?: string } | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } } & {
      code?: unknown;
      message?: unknown;
    };
    const inner = parsed.error ?? parsed;
    const out: { code?: string; message?: string } = {};
    if (typeof inner.code === 'string') out.code = inner.code;
    if (typeof inner.message === 'string') out.message = inner.message;
    return out;
  } catch {
    return undefined;
  }
}
