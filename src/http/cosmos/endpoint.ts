// One Cosmos endpoint as a route handler: negotiates the response version from Accept, checks the request
// Content-Type, decodes the body, runs the handler and answers with the negotiated media type; every
// failure, including the HTTP layer's 403 and anything unexpected, becomes a Cosmos error body.
import type { z } from 'zod';
import { errorMessage } from '../../runtime/errors.ts';
import type { Logger } from '../../runtime/logger.ts';
import { ApiError } from '../api-error.ts';
import type { ApiRequest, ApiResult } from '../request.ts';
import type { Handler } from '../router.ts';
import {
  CosmosError,
  errorResult,
  fromStatus,
  incompatibleAccept,
  incompatibleContentType,
  unhandled,
} from './errors.ts';
import { contentTypeMatches, negotiate, versionOf } from './media-types.ts';
import { decodeBody } from './requests.ts';

export interface EndpointSpec<S extends z.ZodType> {
  /** The request media type and body schema; absent for GET endpoints without a body. */
  request?: { type: string; schema: S };
  /** Response media types, preferred (newest) first. */
  responses: readonly string[];
  /** The response body; `version` is the negotiated response version. */
  handle(req: ApiRequest, body: z.output<S>, version: number): unknown;
}

export function cosmosEndpoint<S extends z.ZodType>(spec: EndpointSpec<S>, log: Logger): Handler {
  return async (req: ApiRequest): Promise<ApiResult> => {
    try {
      const accept = req.header('accept');
      const chosen = negotiate(accept, spec.responses);
      if (!chosen) throw incompatibleAccept(accept ?? '', spec.responses);
      let body = undefined as z.output<S>;
      if (spec.request) {
        const contentType = req.header('content-type');
        if (!contentTypeMatches(contentType, spec.request.type))
          throw incompatibleContentType(contentType ?? '', spec.request.type);
        body = decodeBody(await req.text(), spec.request.schema);
      }
      const out = await spec.handle(req, body, versionOf(chosen));
      return { status: 200, text: JSON.stringify(out), contentType: chosen };
    } catch (err) {
      if (err instanceof CosmosError) return errorResult(err);
      if (err instanceof ApiError) return errorResult(fromStatus(err.status, err.message));
      const message = kubernetesMessage(err) ?? errorMessage(err);
      log.error('Cosmos API call failed', { path: req.path, error: message });
      return errorResult(unhandled(message));
    }
  };
}

/** A Kubernetes API failure's own message (its Status body), without the client's request dump. */
function kubernetesMessage(err: unknown): string | undefined {
  const e = err as { code?: unknown; body?: { message?: unknown } } | undefined;
  return typeof e?.code === 'number' && typeof e.body?.message === 'string'
    ? `Kubernetes API answered ${e.code}: ${e.body.message}`
    : undefined;
}
