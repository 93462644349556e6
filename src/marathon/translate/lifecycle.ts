// Task lifecycle: the kill grace period, which instances go first when scaling down, the launch back-off and
// the resident task-lost behaviour.
import type { NormalizedApp } from '../app.ts';
import type { Draft, TranslateContext } from './draft.ts';

const BACKOFF_DEFAULTS = { backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300 } as const;

export function applyLifecycle(app: NormalizedApp, _ctx: TranslateContext, d: Draft): void {
  if (app.taskKillGracePeriodSeconds !== undefined) {
    d.pod.terminationGracePeriodSeconds = app.taskKillGracePeriodSeconds;
  }

  if (app.killSelection === 'OLDEST_FIRST') {
    d.notes.push(
      d.kind === 'StatefulSet'
        ? {
            path: '/killSelection',
            kind: 'approximated',
            message: 'a StatefulSet always removes the pod with the highest ordinal first',
          }
        : {
            path: '/killSelection',
            kind: 'enforced',
            message:
              'the operator ranks pods with controller.kubernetes.io/pod-deletion-cost so the oldest go first',
          },
    );
  }

  const changed = (Object.keys(BACKOFF_DEFAULTS) as (keyof typeof BACKOFF_DEFAULTS)[]).filter(
    (k) => app[k] !== BACKOFF_DEFAULTS[k],
  );
  const first = changed[0];
  if (first !== undefined) {
    d.notes.push({
      path: `/${first}`,
      kind: 'approximated',
      message:
        `${changed.map((k) => `${k} ${app[k]}`).join(', ')} not applied: the kubelet restarts a failing ` +
        'container after 10 s, doubling up to 5 min',
    });
  }

  if (app.residency?.taskLostBehavior === 'RELAUNCH_AFTER_TIMEOUT') {
    d.notes.push({
      path: '/residency/taskLostBehavior',
      kind: 'approximated',
      message:
        'the StatefulSet keeps the pod bound to its volumes and waits for them; it never relaunches elsewhere',
    });
  }
}
