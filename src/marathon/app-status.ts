// The MarathonApp status for one observation: Marathon's counts and deployment list, kstatus phase with a
// message that answers "why is my app waiting?", and the Degraded condition listing approximated fields.
import type { CoreV1Event, V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { MarathonAppStatus } from '../resources/marathon-app-status.ts';
import type { Condition, Phase } from '../runtime/conditions.ts';
import type { NormalizedApp } from './app.ts';
import type { DependencyState } from './dependencies.ts';
import {
  countTasks,
  deploymentId,
  hasWaitingProblem,
  lastTaskFailure,
  rolloutState,
  whyWaiting,
} from './status.ts';
import type { Note } from './translate/draft.ts';
import { appliedVersion } from './versions.ts';
import type { VersionState } from './versions.ts';
import { VERSION_STATE_ANNOTATION } from './names.ts';

export interface AppStatusInput {
  app: NormalizedApp;
  appUid: string;
  version: VersionState;
  pods: V1Pod[];
  events: CoreV1Event[];
  workload: V1Deployment | V1StatefulSet | undefined;
  /** Replicas the workload is asked for (0 while held for dependencies). */
  desiredReplicas: number;
  dependencies: DependencyState;
  dependenciesHeld: boolean;
  notes: Note[];
  /** Why the operator has not released a gated pod yet. */
  placementWait?: string | undefined;
  previous: MarathonAppStatus | undefined;
  selector: Record<string, string>;
}

export const DEGRADED = 'Degraded';
const MAX_NOTES = 200;

export function appStatus(input: AppStatusInput): {
  phase: Phase;
  fields: Record<string, unknown>;
  extraConditions: Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>[];
  /** A rollout is held by something to explain (a problem, the placement gate), not just starting. */
  held: boolean;
} {
  const { app, pods, events, version } = input;
  const counts = countTasks(pods, { healthChecks: app.healthChecks.length });
  const rollout = rolloutState(input.workload, pods);
  // A workload in the cache that does not show this version yet (the apply of a new version is not
  // observed yet) says nothing about this version's rollout: its "complete" is the previous one's.
  const applied = appliedVersion(input.workload?.metadata?.annotations?.[VERSION_STATE_ANNOTATION]);
  const rolloutComplete = rollout.complete && (applied === undefined || applied === version.version);
  const desired = app.instances;
  const healthy = app.healthChecks.length === 0 || counts.tasksHealthy >= desired;
  // The workload's status and the pods arrive through different watches; once a version was reported
  // deployed, a lagging workload status does not flip it back while the pods still bear it out.
  const prev = input.previous;
  const wasDeployed =
    prev?.version === version.version &&
    prev.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  // As Marathon's: a deployment is over once the instances it replaced or scaled away are gone, not when
  // they are asked to stop (a pod being deleted is TASK_KILLING until it is).
  const killing = pods.some((p) => p.metadata?.deletionTimestamp);
  const deployed =
    !input.dependenciesHeld &&
    input.workload !== undefined &&
    (rolloutComplete || wasDeployed) &&
    counts.instances === desired &&
    counts.tasksRunning >= desired &&
    healthy &&
    !killing;

  const failure = lastTaskFailure(app.id, pods, events) ?? input.previous?.lastTaskFailure;
  const deployments = deployed
    ? []
    : [
        {
          id: deploymentId(`${input.appUid}/${version.version}`),
          version: version.version,
          desired,
          updated: rollout.updated,
          ready: rollout.ready,
          progress: truncate(rollout.message, 1024),
        },
      ];

  let phase: Phase;
  let held = false;
  if (input.dependenciesHeld) {
    phase = {
      state: 'progressing',
      reason: 'WaitingForDependencies',
      message: `Not started: waiting for ${input.dependencies.waitingFor.join(', ')}.`,
    };
  } else if (deployed) {
    phase = {
      state: 'ready',
      reason: desired === 0 ? 'Suspended' : 'Deployed',
      message:
        desired === 0
          ? 'Suspended: 0 instances.'
          : `${counts.tasksRunning}/${desired} instances running` +
            (app.healthChecks.length ? `, ${counts.tasksHealthy} healthy.` : '.'),
    };
  } else {
    const why = [input.placementWait, whyWaiting(pods, events)].filter(Boolean).join('; ');
    held = input.placementWait !== undefined || hasWaitingProblem(pods, events);
    const progress = `${counts.tasksRunning}/${desired} instances running; ${rollout.message}`;
    phase = {
      state: 'progressing',
      reason: input.workload ? 'Deploying' : 'Creating',
      message: why ? `${progress}. Waiting: ${why}` : progress,
    };
  }

  const approximated = input.notes.filter((n) => n.kind === 'approximated');
  const extraConditions = [
    approximated.length
      ? {
          type: DEGRADED,
          status: 'True' as const,
          reason: 'SemanticsApproximated',
          message: truncate(approximated.map((n) => `${n.path}: ${n.message}`).join('\n'), 4096),
        }
      : {
          type: DEGRADED,
          status: 'False' as const,
          reason: 'NotApproximated',
          message:
            'Every field of the definition has an exact Kubernetes form or is enforced by the operator.',
        },
  ];

  const fields: Record<string, unknown> = {
    appId: app.id,
    ...counts,
    selector: Object.entries(input.selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    version: version.version,
    versionInfo: version.versionInfo,
    configHash: version.configHash,
    targetInstances: version.targetInstances,
    deployments,
    ...(failure ? { lastTaskFailure: failure } : {}),
    notes: input.notes.slice(0, MAX_NOTES).map((n) => ({ ...n, message: truncate(n.message, 2048) })),
  };
  return { phase, fields, extraConditions, held };
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
