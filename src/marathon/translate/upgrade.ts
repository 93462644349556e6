// upgradeStrategy → the workload's update strategy, with Marathon's rolling-restart arithmetic
// (TaskReplaceActor.computeRestartStrategy): it keeps at least minHealthy instances and runs at most
// maxCapacity during a restart, which is a Deployment's maxUnavailable/maxSurge.
import type { NormalizedApp } from '../app.ts';
import type { Draft, TranslateContext } from './draft.ts';

export interface RollingParameters {
  /** Instances Marathon keeps healthy during a restart. */
  minHealthy: number;
  /** Instances (old + new) Marathon runs at most during a restart. */
  maxCapacity: number;
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * n × fraction as the decimal the user wrote: 10 × 0.7 is 7.000000000000001 in binary floating point, which
 * would make ceil() give 8 instead of 7.
 */
function times(n: number, fraction: number): number {
  const x = n * fraction;
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 ? r : x;
}

export function rollingParameters(
  instances: number,
  minimumHealthCapacity: number,
  maximumOverCapacity: number,
  resident: boolean,
): RollingParameters {
  const minHealthy = Math.ceil(times(instances, minimumHealthCapacity));
  let maxCapacity = instances + Math.floor(times(instances, maximumOverCapacity));
  let maxUnavailable = instances - minHealthy;
  // Nothing could be stopped or started (Kubernetes rejects maxSurge = maxUnavailable = 0 for the same
  // reason): Marathon goes one below minHealthy for resident apps, otherwise one above maxCapacity.
  if (minHealthy === maxCapacity) {
    if (resident) maxUnavailable += 1;
    else maxCapacity += 1;
  }
  return { minHealthy, maxCapacity, maxSurge: maxCapacity - instances, maxUnavailable };
}

export function applyUpgradeStrategy(app: NormalizedApp, _ctx: TranslateContext, d: Draft): void {
  const { minimumHealthCapacity: minHC, maximumOverCapacity: maxOC } = app.upgradeStrategy;
  if (d.kind === 'StatefulSet') {
    // A StatefulSet replaces one pod at a time: it stops one and waits until its successor is ready.
    d.statefulSetUpdateStrategy = { type: 'RollingUpdate' };
    const p = rollingParameters(app.instances, minHC, maxOC, true);
    if (app.instances > 0 && (p.maxSurge !== 0 || p.maxUnavailable !== 1)) {
      d.notes.push({
        path: '/upgradeStrategy',
        kind: 'approximated',
        message:
          `the StatefulSet replaces one pod at a time; Marathon would have stopped up to ${p.maxUnavailable} at once` +
          (p.maxSurge > 0 ? ` and started up to ${p.maxSurge} extra` : ''),
      });
    }
    return;
  }
  if (minHC === 0 && maxOC === 0) {
    // Marathon kills every instance before starting new ones.
    d.deploymentStrategy = { type: 'Recreate' };
    return;
  }
  const p = rollingParameters(app.instances, minHC, maxOC, false);
  d.deploymentStrategy = {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: p.maxSurge, maxUnavailable: p.maxUnavailable },
  };
}
