// Cosmos's error responses: `{"type","message","data"?}` with the package.error media type, status 400
// unless the error says otherwise. Types and messages follow Cosmos's own (rpc/v1 ErrorResponse and the
// error classes); `not_valid` / `not_present` / `json_error` are what it answered for bad headers and bodies.
import type { ApiResult } from '../request.ts';
import { ERROR_MEDIA_TYPE } from './media-types.ts';

export interface CosmosErrorBody {
  type: string;
  message: string;
  data?: Record<string, unknown>;
}

export class CosmosError extends Error {
  override name = 'CosmosError';
  readonly status: number;
  readonly type: string;
  readonly data: Record<string, unknown> | undefined;

  constructor(type: string, message: string, data?: Record<string, unknown>, status = 400) {
    super(message);
    this.type = type;
    this.data = data;
    this.status = status;
  }

  body(): CosmosErrorBody {
    return { type: this.type, message: this.message, ...(this.data ? { data: this.data } : {}) };
  }
}

export function errorResult(err: CosmosError): ApiResult {
  return { status: err.status, text: JSON.stringify(err.body()), contentType: ERROR_MEDIA_TYPE };
}

// Headers and bodies.

export function incompatibleAccept(given: string, offered: readonly string[]): CosmosError {
  return new CosmosError(
    'not_valid',
    `Item header 'Accept' deemed invalid by rule: Media type was [${given}] but should be one of [${offered.join(', ')}]`,
  );
}

export function incompatibleContentType(given: string, expected: string): CosmosError {
  return new CosmosError(
    'not_valid',
    `Item header 'Content-Type' deemed invalid by rule: Media type was ${given}, but should be one of [${expected}]`,
  );
}

export function jsonParseError(reason: string): CosmosError {
  return new CosmosError('json_error', `Json parsing failure '${reason}'`, { type: 'parse', reason });
}

export function jsonDecodeError(reason: string, path: string): CosmosError {
  return new CosmosError('json_error', `Json decoding failure '${reason}' at: ${path}`, {
    type: 'decode',
    reason,
    path,
  });
}

// Packages.

export function packageNotFound(packageName: string, why = ''): CosmosError {
  return new CosmosError('PackageNotFound', `Package [${packageName}] not found${why}`, { packageName });
}

export function versionNotFound(packageName: string, packageVersion: string): CosmosError {
  return new CosmosError(
    'VersionNotFound',
    `Version [${packageVersion}] of package [${packageName}] not found`,
    { packageName, packageVersion },
  );
}

export function packageAlreadyInstalled(detail?: string): CosmosError {
  return new CosmosError(
    'PackageAlreadyInstalled',
    'Package is already installed',
    detail ? { reason: detail } : undefined,
    409,
  );
}

export function packageNotInstalled(packageName: string): CosmosError {
  return new CosmosError('PackageNotInstalled', `Package [${packageName}] is not installed`, { packageName });
}

export function uninstallNonExistentApp(packageName: string, appId: string): CosmosError {
  return new CosmosError(
    'UninstallNonExistentAppForPackage',
    `Package [${packageName}] with id [${appId}] is not installed`,
    { packageName, appId },
  );
}

export function ambiguousAppId(packageName: string, appIds: string[]): CosmosError {
  return new CosmosError(
    'AmbiguousAppId',
    `Multiple apps named [${packageName}] are installed: [${appIds.join(', ')}]`,
    { packageName, appIds },
  );
}

// Repositories.

export function repositoryAlreadyPresent(name: string | undefined, uri: string | undefined): CosmosError {
  const message =
    name !== undefined && uri !== undefined
      ? `Repository name [${name}] and URI [${uri}] are both already present in the list`
      : name !== undefined
        ? `Repository name [${name}] is already present in the list`
        : `Repository URI [${uri}] is already present in the list`;
  return new CosmosError('RepositoryAlreadyPresent', message, {
    ...(name !== undefined ? { name } : {}),
    ...(uri !== undefined ? { uri } : {}),
  });
}

export function repositoryNotPresent(name: string | undefined, uri: string | undefined): CosmosError {
  const message =
    name !== undefined && uri !== undefined
      ? `Neither repository name [${name}] nor URI [${uri}] are present in the list`
      : name !== undefined
        ? `Repository name [${name}] is not present in the list`
        : `Repository URI [${uri}] is not present in the list`;
  return new CosmosError('RepositoryNotPresent', message, {
    ...(name !== undefined ? { name } : {}),
    ...(uri !== undefined ? { uri } : {}),
  });
}

export function repositoryIndexOutOfBounds(attempted: number, max: number): CosmosError {
  return new CosmosError('RepositoryAddIndexOutOfBounds', `Index out of range: ${attempted}`, {
    attempted,
    max,
  });
}

export function repoNameOrUriMissing(): CosmosError {
  return new CosmosError('RepoNameOrUriMissing', 'Must specify either the name or URI of the repository');
}

export function unsupportedRepositoryUri(uri: string): CosmosError {
  return new CosmosError(
    'UnsupportedRepositoryUri',
    `Repository URI [${uri}] uses an unsupported scheme. Only http and https are supported ` +
      '(and `builtin`, the catalog shipped with the operator)',
    { uri },
  );
}

export function repositoryUnreachable(name: string, uri: string, reason: string): CosmosError {
  return new CosmosError(
    'UniverseClientHttpError',
    `Could not access data at URI for repository [${name}]: ${uri}: ${reason}`,
    { name, uri },
  );
}

// Anything else.

/** An API-level refusal (401/403/413 from the HTTP layer) in Cosmos's shape. */
export function fromStatus(status: number, message: string): CosmosError {
  const type =
    status === 401
      ? 'Unauthorized'
      : status === 403
        ? 'Forbidden'
        : status === 413
          ? 'not_valid'
          : 'unhandled_exception';
  return new CosmosError(type, message, undefined, status);
}

export function unhandled(message: string): CosmosError {
  return new CosmosError('unhandled_exception', message, undefined, 500);
}
