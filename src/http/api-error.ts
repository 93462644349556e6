// Errors the REST APIs answer with, in the shape the client's own server sent: Marathon's `{"message",
// "details"?}` bodies, Cosmos's `{"type","message","data"?}`. A handler throws one; the server renders it.

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(
      typeof (body as { message?: unknown })?.message === 'string'
        ? (body as { message: string }).message
        : `HTTP ${status}`,
    );
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export interface ErrorDetail {
  path: string;
  errors: string[];
}

/** Marathon's 422: `{"message":"Object is not valid","details":[{path, errors}]}`. */
export function invalid(details: ErrorDetail[], message = 'Object is not valid'): ApiError {
  return new ApiError(422, { message, details });
}

/** Marathon's 400 for a body that is not JSON at all. */
export function invalidJson(why: string): ApiError {
  return new ApiError(400, { message: 'Invalid JSON', details: [{ path: '/', errors: [why] }] });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, { message });
}

export function notFound(message: string): ApiError {
  return new ApiError(404, { message });
}

export function conflict(message: string, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError(409, { message, ...extra });
}

/** DC/OS's challenge for a missing or bad token (Admin Router and Marathon EE answer the same). */
export function unauthorized(message = 'Authentication required.'): ApiError {
  return new ApiError(401, { message }, { 'WWW-Authenticate': 'acsjwt' });
}

export function forbidden(message: string): ApiError {
  return new ApiError(403, { message });
}
