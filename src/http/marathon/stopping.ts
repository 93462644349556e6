// Apps deleted through the API whose instances are still going: Marathon's StopApplication deployment.
// A deleted MarathonApp leaves the caches at once (no finalizer), while the garbage collector removes its
// pods in the background; until the last of them is gone the removal is listed in /v2/deployments and
// holds the deployment lock on its id, as Marathon's did. Kept in this replica's memory: it outlives no
// restart, and is bounded in age and number.
import type { V1Pod } from '@kubernetes/client-node';
import { APP_VERSION_ANNOTATION } from '../../marathon/names.ts';

export interface StoppingApp {
  deploymentId: string;
  /** The version of the removal. */
  version: string;
  appId: string;
  namespace: string;
  /** The MarathonApp's name (a re-created app gets the same one). */
  name: string;
  /** Cache key of its pods in podsByApp. */
  podsKey: string;
  /** The newest version the app's pods can run: pods of a re-created app run later ones. */
  lastVersion: string;
  deletedAt: number;
  /** The definition it had, for a rollback (`DELETE /v2/deployments/{id}`) that brings it back. */
  spec: unknown;
}

const MAX_AGE_MS = 10 * 60_000;
const MAX_ENTRIES = 10_000;

export class StoppingApps {
  private readonly entries = new Map<string, StoppingApp>();

  add(entry: StoppingApp): void {
    this.entries.delete(entry.appId);
    this.entries.set(entry.appId, entry);
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Removals still under way (their pods exist); finished and expired ones are forgotten here. */
  list(podsOf: (key: string) => readonly V1Pod[], nowMs: number): StoppingApp[] {
    const out: StoppingApp[] = [];
    for (const [appId, e] of this.entries) {
      if (nowMs - e.deletedAt > MAX_AGE_MS || !podsOf(e.podsKey).some((p) => belongsTo(p, e))) {
        this.entries.delete(appId);
        continue;
      }
      out.push(e);
    }
    return out;
  }

  get(appId: string, podsOf: (key: string) => readonly V1Pod[], nowMs: number): StoppingApp | undefined {
    return this.list(podsOf, nowMs).find((e) => e.appId === appId);
  }

  /** Forgets the removal of `appId` (re-created with force, or stopped with force). */
  remove(appId: string): void {
    this.entries.delete(appId);
  }
}

/** Whether a pod is one of the removed app's (not of an app re-created under the same name since). */
export function belongsTo(pod: V1Pod, e: Pick<StoppingApp, 'lastVersion' | 'deletedAt'>): boolean {
  const version = pod.metadata?.annotations?.[APP_VERSION_ANNOTATION];
  if (version) return version <= e.lastVersion;
  const created = Date.parse(String(pod.metadata?.creationTimestamp ?? ''));
  return Number.isNaN(created) || created <= e.deletedAt;
}

const registry = new WeakMap<object, StoppingApps>();

/** The tracker of one API (keyed by its context object). */
export function stoppingApps(ctx: object): StoppingApps {
  let s = registry.get(ctx);
  if (!s) registry.set(ctx, (s = new StoppingApps()));
  return s;
}
