// Marathon deployments as `GET /v2/deployments` shows them (fixture responses/deployments.json): each
// app's deployment (appDeployments) becomes the actions Marathon's plan would have for it, and the apps
// of one deployment id (a multi-app write) are merged into one plan: a step stopping removed apps, a
// step starting new ones, then the step scaling and restarting. Pure.
import type { AppDeployment, AppObject } from '../../marathon/deployments.ts';
import { readAppDefinition } from '../../marathon/definition.ts';
import { configHash } from '../../marathon/desired.ts';
import { RESTARTED_AT_ANNOTATION } from '../../marathon/names.ts';

export type DeploymentAction =
  'StartApplication' | 'ScaleApplication' | 'RestartApplication' | 'StopApplication';

/** Plan phases, in the order Marathon runs them. */
export const STOP = 0;
export const START = 1;
export const MAIN = 2;
type Phase = typeof STOP | typeof START | typeof MAIN;

/** One app's share of a deployment. */
export interface DeploymentPart {
  id: string;
  version: string;
  appId: string;
  actions: { phase: Phase; action: DeploymentAction }[];
  /** The phase the app is in now. */
  current: Phase;
}

export interface MarathonDeployment {
  id: string;
  version: string;
  affectedApps: string[];
  affectedPods: string[];
  steps: { actions: { action: DeploymentAction; app: string }[] }[];
  currentActions: { action: DeploymentAction; app: string; readinessCheckResults: unknown[] }[];
  currentStep: number;
  totalSteps: number;
}

/** What a deployment does to the app: start it (new: Marathon's plan starts it, then scales it), restart
 * it (new config) or scale it. */
export function deploymentKind(
  app: AppObject,
  appId: string,
  d: AppDeployment,
): 'start' | 'restart' | 'scale' | 'none' {
  const status = app.status;
  if (!status?.version) return 'start';
  if (d.pending) {
    // Not observed yet: what changed since the version the status reports.
    const read = readAppDefinition(app.spec ?? {}, { id: appId });
    if (!read.ok) return 'restart';
    const restartedAt = app.metadata?.annotations?.[RESTARTED_AT_ANNOTATION];
    if (status.configHash !== configHash(read.value, restartedAt)) return 'restart';
    return status.targetInstances !== read.value.instances ? 'scale' : 'none';
  }
  if (status.versionInfo?.lastConfigChangeAt !== d.version) return 'scale';
  // A config version of the spec as created (generation 1) that no restart made: the app's first.
  const first =
    (app.metadata?.generation ?? 1) === 1 && !app.metadata?.annotations?.[RESTARTED_AT_ANNOTATION];
  return first ? 'start' : 'restart';
}

/** One app's deployment as plan actions. */
export function appPart(app: AppObject, appId: string, d: AppDeployment): DeploymentPart {
  const base = { id: d.id, version: d.version, appId };
  switch (deploymentKind(app, appId, d)) {
    case 'start':
      return {
        ...base,
        actions: [
          { phase: START, action: 'StartApplication' },
          { phase: MAIN, action: 'ScaleApplication' },
        ],
        // The operator has not created the workload yet while the change is unobserved.
        current: d.pending ? START : MAIN,
      };
    case 'restart':
      return { ...base, actions: [{ phase: MAIN, action: 'RestartApplication' }], current: MAIN };
    case 'scale':
      return { ...base, actions: [{ phase: MAIN, action: 'ScaleApplication' }], current: MAIN };
    default:
      // A write that changed nothing: a deployment without steps, done as soon as it is recorded.
      return { ...base, actions: [], current: MAIN };
  }
}

/** An app being removed. */
export function stopPart(id: string, version: string, appId: string): DeploymentPart {
  return { id, version, appId, actions: [{ phase: STOP, action: 'StopApplication' }], current: STOP };
}

/** The parts merged per deployment id, oldest deployment first. */
export function marathonDeployments(parts: readonly DeploymentPart[]): MarathonDeployment[] {
  const byId = new Map<string, DeploymentPart[]>();
  for (const p of parts) {
    const list = byId.get(p.id);
    if (list) list.push(p);
    else byId.set(p.id, [p]);
  }
  const out = [...byId.values()].map(merge);
  return out.sort((a, b) =>
    a.version === b.version ? a.id.localeCompare(b.id) : a.version < b.version ? -1 : 1,
  );
}

function merge(parts: DeploymentPart[]): MarathonDeployment {
  const sorted = [...parts].sort((a, b) => a.appId.localeCompare(b.appId));
  const phases = ([STOP, START, MAIN] as Phase[]).filter((ph) =>
    sorted.some((p) => p.actions.some((a) => a.phase === ph)),
  );
  const steps = phases.map((ph) => ({
    actions: sorted.flatMap((p) =>
      p.actions.filter((a) => a.phase === ph).map((a) => ({ action: a.action, app: p.appId })),
    ),
  }));
  // The plan is at the earliest phase some app is still in.
  const active = sorted.filter((p) => p.actions.length > 0);
  const now = active.length ? Math.min(...active.map((p) => p.current)) : undefined;
  const index = now === undefined ? -1 : phases.indexOf(now as Phase);
  const currentActions =
    index < 0
      ? []
      : sorted.flatMap((p) =>
          p.current === now
            ? p.actions
                .filter((a) => a.phase === now)
                .map((a) => ({ action: a.action, app: p.appId, readinessCheckResults: [] }))
            : [],
        );
  return {
    id: sorted[0]!.id,
    version: sorted.map((p) => p.version).reduce((a, b) => (b > a ? b : a)),
    affectedApps: [...new Set(sorted.map((p) => p.appId))],
    affectedPods: [],
    steps,
    currentActions,
    currentStep: index + 1,
    totalSteps: steps.length,
  };
}
