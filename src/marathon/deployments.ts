// The Marathon deployments of one MarathonApp, as every reader sees them (the REST API's app and
// deployment lists, the event stream): the rollouts the status reports, plus a change the operator has
// not observed yet. A change made through the REST API carries the version it was stamped with
// (REQUESTED_VERSION_ANNOTATION); the operator adopts that version, so the deployment id the API
// answered with (`deploymentId(uid/version)`) is the id the status later shows and the events carry.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { MarathonAppStatus } from '../resources/marathon-app-status.ts';
import { deploymentId } from './status.ts';

/** On a MarathonApp written through the REST API: the Marathon version (ISO timestamp) of that write. */
export const REQUESTED_VERSION_ANNOTATION = 'dcos-operator.dev/requested-version';
/**
 * Beside REQUESTED_VERSION_ANNOTATION when one REST call changed several apps (`PUT /v2/apps` with an
 * array, a group): the one deployment id the call answered with, which each app's deployment of that
 * version carries instead of its own.
 */
export const REQUESTED_DEPLOYMENT_ANNOTATION = 'dcos-operator.dev/requested-deployment';
/**
 * A deployment stopped with `DELETE /v2/deployments/{id}?force=true`: no longer listed, although the
 * rollout (which Kubernetes cannot abandon half-way) goes on.
 */
export const DISMISSED_DEPLOYMENT_ANNOTATION = 'dcos-operator.dev/dismissed-deployment';

export type AppObject = KubernetesObject & { spec?: unknown; status?: MarathonAppStatus };

export interface AppDeployment {
  id: string;
  /** The Marathon version being deployed. */
  version: string;
  /** Whether the operator has not picked the change up yet (no progress figures). */
  pending: boolean;
  desired?: number | undefined;
  updated?: number | undefined;
  ready?: number | undefined;
  progress?: string | undefined;
}

/** The deployment id of version `version` of the app with this uid. */
export function appDeploymentId(uid: string, version: string): string {
  return deploymentId(`${uid}/${version}`);
}

/** The id of the deployment removing the app with this uid (a REST DELETE answers with it). */
export function deletionDeploymentId(uid: string): string {
  return appDeploymentId(uid, 'deleted');
}

/** The version a REST API write asked for, when it is newer than what the status reports. */
export function requestedVersion(app: AppObject): string | undefined {
  const v = app.metadata?.annotations?.[REQUESTED_VERSION_ANNOTATION];
  if (!v || Number.isNaN(Date.parse(v))) return undefined;
  const current = app.status?.version;
  return !current || v > current ? v : undefined;
}

/**
 * Deployments of the app now: in progress per the status, or a change not observed yet; a deployment of
 * a multi-app write carries that write's id, and a force-stopped one is left out.
 */
export function appDeployments(app: AppObject): AppDeployment[] {
  const annotations = app.metadata?.annotations ?? {};
  const shared = annotations[REQUESTED_DEPLOYMENT_ANNOTATION];
  const stamped = annotations[REQUESTED_VERSION_ANNOTATION];
  const dismissed = annotations[DISMISSED_DEPLOYMENT_ANNOTATION];
  return ownDeployments(app)
    .map((d) => (shared && stamped && d.version === stamped ? { ...d, id: shared } : d))
    .filter((d) => d.id !== dismissed);
}

function ownDeployments(app: AppObject): AppDeployment[] {
  const uid = app.metadata?.uid ?? '';
  const status = app.status;
  const generation = app.metadata?.generation ?? 1;
  const observed = status?.observedGeneration;
  const requested = requestedVersion(app);
  const unobserved = observed === undefined || observed < generation || requested !== undefined;
  if (!unobserved)
    return (status?.deployments ?? []).map((d) => ({
      id: d.id,
      version: d.version ?? status?.version ?? '',
      pending: false,
      desired: d.desired,
      updated: d.updated,
      ready: d.ready,
      progress: d.progress,
    }));
  // Not observed yet: the version the write asked for, or (kubectl, no stamp) one named by the
  // generation, which the status replaces once the operator has stamped the change.
  const version =
    requested ??
    (observed === undefined ? String(app.metadata?.creationTimestamp ?? '') : `generation-${generation}`);
  return [
    {
      id: appDeploymentId(uid, requested ?? version),
      version: requested ?? status?.version ?? version,
      pending: true,
    },
  ];
}
