// Marathon `dependencies`: an app does not start before every app it depends on (or every app inside a
// group it depends on) is deployed and healthy. Pure: the caller looks the ids up.
import type { KubernetesObject } from '@kubernetes/client-node';

type AppLike = KubernetesObject & {
  status?: { observedGeneration?: number; conditions?: { type: string; status: string }[] };
};

export interface DependencyState {
  ready: boolean;
  /** Human-readable reasons, one per unmet dependency. */
  waitingFor: string[];
}

/** True when the app's Ready condition holds for its current generation. */
export function isAppReady(app: AppLike): boolean {
  const ready = app.status?.conditions?.find((c) => c.type === 'Ready');
  return (
    ready?.status === 'True' && (app.status?.observedGeneration ?? -1) >= (app.metadata?.generation ?? 0)
  );
}

export function dependencyState(ids: readonly string[], lookup: (id: string) => AppLike[]): DependencyState {
  const waitingFor: string[] = [];
  for (const id of ids) {
    const apps = lookup(id);
    if (apps.length === 0) waitingFor.push(`${id} (no such app)`);
    else if (!apps.every(isAppReady)) waitingFor.push(`${id} (not healthy yet)`);
  }
  return { ready: waitingFor.length === 0, waitingFor };
}
