// Marathon's app and deployment events from one MarathonApp change (the cache's old and new copy). Pure.
//
// Deployments are the ones every API reader sees (appDeployments): one appearing is `deployment_info`; one
// disappearing ends in `deployment_success` (the app is Ready) or `deployment_failed` (it is not, or a
// newer deployment replaced it), carrying the same id. A change the operator has not observed yet shows
// as a pending deployment that hides the status's list (deployments.ts). While anything is pending, an
// announced deployment that is hidden is not finished: the decision waits until the change is observed,
// when it either reappears or has been replaced. A pending deployment of a kubectl change (its id is named
// after the generation) is replaced by the status's once observed: that is a rename, not an end, so it
// gets no final event.
import { REQUESTED_VERSION_ANNOTATION } from '../../marathon/deployments.ts';
import type { AppDeployment, AppObject } from '../../marathon/deployments.ts';
import { appIdFor, parentId } from '../../marathon/names.ts';
import { appPart, marathonDeployments, stopPart } from './deployment-view.ts';
import type { DeploymentPart } from './deployment-view.ts';
import type { MarathonEvent } from './event-hub.ts';

/** A deployment announced with deployment_info and not finished yet. */
export interface Announced {
  id: string;
  version: string;
  pending: boolean;
}

export interface Ending {
  deployment: Announced;
  outcome: 'success' | 'failed';
  reason?: string;
}

type Step = { actions: { action: string; app: string }[] };

/** Marathon's DeploymentPlan JSON (`{id, version, original, target, steps}`) and the step doing the work. */
export interface EventPlan {
  plan: Record<string, unknown>;
  currentStep: Step;
}

export function appIdOf(obj: AppObject): string {
  return appIdFor(obj.spec, obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
}

export function isReady(app: AppObject): boolean {
  return app.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function rootGroup(apps: unknown[], version: string): Record<string, unknown> {
  return { id: '/', apps, groups: [], pods: [], dependencies: [], version };
}

/**
 * The plan of one app's part in a deployment, with the steps `GET /v2/deployments` shows for it. Only the
 * apps concerned are in `original` and `target` (Marathon put its whole root group there).
 */
export function eventPlan(part: DeploymentPart, original: unknown[], target: unknown[]): EventPlan {
  const view = marathonDeployments([part])[0]!;
  const steps: Step[] = view.steps.map((s) => ({ actions: s.actions.map((a) => ({ ...a })) }));
  const current = steps[Math.max(0, view.currentStep - 1)] ?? { actions: [] };
  return {
    plan: {
      id: part.id,
      version: part.version,
      original: rootGroup(original, part.version),
      target: rootGroup(target, part.version),
      steps,
    },
    currentStep: current,
  };
}

export function infoEvent(p: EventPlan, timestamp: string): MarathonEvent {
  return { plan: p.plan, currentStep: p.currentStep, eventType: 'deployment_info', timestamp };
}

export function endEvent(
  outcome: 'success' | 'failed',
  p: EventPlan,
  timestamp: string,
  reason?: string,
): MarathonEvent {
  return {
    id: p.plan.id,
    plan: p.plan,
    ...(outcome === 'failed' && reason ? { reason } : {}),
    eventType: outcome === 'success' ? 'deployment_success' : 'deployment_failed',
    timestamp,
  };
}

/** The plan of an app's removal. */
export function stopPlan(id: string, version: string, appId: string, rendered: unknown): EventPlan {
  return eventPlan(stopPart(id, version, appId), [rendered], []);
}

/** The plan of an app's deployment, as the app is now. */
export function appPlan(
  app: AppObject,
  appId: string,
  d: AppDeployment | Announced,
  original: unknown[],
  target: unknown[],
): EventPlan {
  return eventPlan(appPart(app, appId, { ...d }), original, target);
}

/** The deployment bookkeeping of one change: what starts, what ends and how, what stays announced. */
export function deploymentTransitions(
  announced: readonly Announced[],
  current: readonly AppDeployment[],
  ready: boolean,
): { started: AppDeployment[]; ended: Ending[]; dropped: Announced[]; announced: Announced[] } {
  const known = new Set(announced.map((a) => a.id));
  const now = new Set(current.map((d) => d.id));
  const unobserved = current.some((d) => d.pending);
  const started = current.filter((d) => !known.has(d.id));
  const next: Announced[] = current.map((d) => ({ id: d.id, version: d.version, pending: d.pending }));
  const ended: Ending[] = [];
  const dropped: Announced[] = [];
  for (const a of announced) {
    if (now.has(a.id)) continue;
    if (unobserved) {
      // Hidden behind a change not observed yet: decided once it is. A pending one replaced by a newer
      // unobserved change never existed beyond it.
      if (!a.pending) next.push(a);
      else dropped.push(a);
      continue;
    }
    if (current.length > 0) {
      if (!a.pending)
        ended.push({
          deployment: a,
          outcome: 'failed',
          reason: `superseded by deployment ${current[0]!.id}`,
        });
      else dropped.push(a);
      continue;
    }
    ended.push(
      ready
        ? { deployment: a, outcome: 'success' }
        : { deployment: a, outcome: 'failed', reason: 'the app is not ready' },
    );
  }
  return { started, ended, dropped, announced: next };
}

/** The deployments of an app when the stream starts tracking it (an informer's first list). */
export function announcedOf(current: readonly AppDeployment[]): Announced[] {
  return current.map((d) => ({ id: d.id, version: d.version, pending: d.pending }));
}

function specChanged(old: AppObject | undefined, app: AppObject): boolean {
  if (!old) return true;
  return (
    (old.metadata?.generation ?? 0) !== (app.metadata?.generation ?? 0) ||
    JSON.stringify(old.spec) !== JSON.stringify(app.spec)
  );
}

/** A change a REST write made: it stamps the version it answered with (the writer publishes its own
 * api_post_event, with the client's address). */
function writtenThroughApi(old: AppObject | undefined, app: AppObject): boolean {
  const stamp = app.metadata?.annotations?.[REQUESTED_VERSION_ANNOTATION];
  return stamp !== undefined && stamp !== old?.metadata?.annotations?.[REQUESTED_VERSION_ANNOTATION];
}

/**
 * The non-deployment events of a MarathonApp change: a created or changed definition is an
 * `api_post_event` (marathon-lb reloads on it; a kubectl change has no client address; a REST write
 * announces its own) and a `group_change_success` of its group; a removal is an `app_terminated_event`
 * and a `group_change_success`.
 */
export function appChangeEvents(
  old: AppObject | undefined,
  app: AppObject | undefined,
  version: string,
  timestamp: string,
  renderApp: (obj: AppObject) => unknown,
): MarathonEvent[] {
  if (!app) {
    if (!old) return [];
    const appId = appIdOf(old);
    return [
      { appId, eventType: 'app_terminated_event', timestamp },
      { groupId: parentId(appId), version: timestamp, eventType: 'group_change_success', timestamp },
    ];
  }
  if (!specChanged(old, app)) return [];
  const appId = appIdOf(app);
  const group: MarathonEvent = {
    groupId: parentId(appId),
    version,
    eventType: 'group_change_success',
    timestamp,
  };
  if (writtenThroughApi(old, app)) return [group];
  return [
    {
      clientIp: '',
      uri: `/v2/apps${appId}`,
      appDefinition: renderApp(app),
      eventType: 'api_post_event',
      timestamp,
    },
    group,
  ];
}
