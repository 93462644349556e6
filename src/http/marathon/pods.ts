// Marathon's /v2/pods while no MarathonPod resource exists: every read answers truthfully that there are
// no pods, and every write says plainly that pods are not supported yet.
//
// HEAD /v2/pods answers 200 because the dcos CLI and go-marathon probe it to learn whether this Marathon
// knows pods at all (a 404 there reads as "Marathon older than 1.4"), and clients then go on to list them.
import { ApiError, notFound } from '../api-error.ts';
import type { Router } from '../router.ts';
import type { MarathonApiContext } from './context.ts';
import { resolveId } from '../../marathon/names.ts';

export const PODS_UNSUPPORTED =
  'Pods are not supported yet by dcos-operator: run each container of the pod as a Marathon app ' +
  '(POST /v2/apps or a MarathonApp resource).';

/**
 * The answer to any pod write. 422 rather than 501: every Marathon client treats a 5xx as a sick server
 * (go-marathon marks the member down and tries the next one, marathon-python retries elsewhere), which
 * would hide the message behind retries; a 422 is shown to the user once, with Marathon's error body
 * (`message` plus `details`), exactly like a definition Marathon refuses.
 */
function unsupported(): ApiError {
  return new ApiError(422, {
    message: PODS_UNSUPPORTED,
    details: [{ path: '/', errors: [PODS_UNSUPPORTED] }],
  });
}

const podMissing = (raw: string) => notFound(`Pod '${resolveId(raw)}' does not exist`);

export function registerPodRoutes(router: Router, _ctx: MarathonApiContext): void {
  router.add('HEAD', /^\/v2\/pods$/, () => ({ status: 200 }));
  router.add('GET', /^\/v2\/pods$/, () => ({ status: 200, body: [] }));
  router.add('GET', /^\/v2\/pods\/::status$/, () => ({ status: 200, body: [] }));
  // `{id}::status`, `{id}::versions[/{v}]`, `{id}::instances[/{i}]` and `{id}`: no pod has any of these
  router.add(
    ['GET', 'DELETE'],
    /^\/v2\/pods\/(?<id>.+?)::(?:status|versions|instances)(?:\/.*)?$/,
    (_req, p) => {
      throw podMissing(p.id!);
    },
  );
  router.add(['GET', 'DELETE'], /^\/v2\/pods\/(?<id>.+)$/, (_req, p) => {
    throw podMissing(p.id!);
  });
  router.add(['POST', 'PUT', 'PATCH'], /^\/v2\/pods(?:\/.*)?$/, () => {
    throw unsupported();
  });
}
