// Writes a custom resource's status only when it differs from what the cache already shows, so a
// reconcile that changes nothing makes no API write.
import { isDeepStrictEqual } from 'node:util';
import type { CustomObjectsApi, KubernetesObject } from '@kubernetes/client-node';
import { applyStatus } from '../runtime/apply.ts';
import type { Condition, Phase } from '../runtime/conditions.ts';
import { kstatus } from '../runtime/conditions.ts';

export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

type WithStatus = KubernetesObject & { status?: Record<string, unknown> & { conditions?: Condition[] } };

export class StatusWriter {
  private readonly customObjects: CustomObjectsApi;
  private readonly type: ResourceType;
  private readonly now: () => Date;
  /** uid → the status last written, as JSON text (one per app until the cache catches up). */
  private readonly lastWritten = new Map<string, { rv: number; status: string }>();
  /** Told which status fields a write changes (for debug logs). */
  onWrite: ((obj: KubernetesObject, fields: string[]) => void) | undefined;

  constructor(customObjects: CustomObjectsApi, type: ResourceType, now: () => Date = () => new Date()) {
    this.customObjects = customObjects;
    this.type = type;
    this.now = now;
  }

  /**
   * Writes when the status differs from the newest known one and `admit` (a write budget, say) agrees.
   * 'deferred': it differs but was not admitted.
   */
  async write(
    obj: WithStatus,
    phase: Phase,
    fields: Record<string, unknown> = {},
    extra?: Parameters<typeof kstatus>[4],
    admit?: () => boolean,
  ): Promise<'written' | 'unchanged' | 'deferred'> {
    const { normalized, changed } = this.diff(obj, phase, fields, extra);
    if (changed.length === 0) return 'unchanged';
    if (admit && !admit()) return 'deferred';
    this.onWrite?.(obj, changed);
    const { name, namespace, uid } = obj.metadata ?? {};
    const written = await applyStatus(
      this.customObjects,
      { ...this.type, name: name ?? '', namespace: namespace ?? '' },
      normalized,
    );
    if (uid) {
      const rv = Number(written.metadata?.resourceVersion);
      if (Number.isFinite(rv)) this.lastWritten.set(uid, { rv, status: JSON.stringify(normalized) });
    }
    return 'written';
  }

  private diff(
    obj: WithStatus,
    phase: Phase,
    fields: Record<string, unknown>,
    extra: Parameters<typeof kstatus>[4],
  ): { normalized: Record<string, unknown>; changed: string[] } {
    const current = this.newest(obj);
    const generation = obj.metadata?.generation ?? 0;
    const desired = { ...fields, ...kstatus(phase, generation, current.conditions, this.now(), extra) };
    // Round-trip through JSON: what the API server stores has no undefined members.
    const normalized = JSON.parse(JSON.stringify(desired)) as Record<string, unknown>;
    const changed = Object.entries(normalized)
      .filter(([k, v]) => !isDeepStrictEqual(current[k], v))
      .map(([k]) => k);
    return { normalized, changed };
  }

  /** Forgets what was written for an object that is gone. */
  forget(uid: string): void {
    this.lastWritten.delete(uid);
  }

  /**
   * The status to compare with: the cached one, or what this writer last wrote when the cache has not
   * caught up with that write yet (otherwise two quick reconciles would write the same status twice).
   * Reconcilers that keep state in status (operations in flight) read it through here for the same reason.
   */
  newest(obj: WithStatus): Record<string, unknown> & { conditions?: Condition[] } {
    const cached = obj.status ?? {};
    const last = obj.metadata?.uid ? this.lastWritten.get(obj.metadata.uid) : undefined;
    const rv = Number(obj.metadata?.resourceVersion);
    if (!last || !Number.isFinite(rv) || rv >= last.rv) {
      if (last && obj.metadata?.uid) this.lastWritten.delete(obj.metadata.uid);
      return cached;
    }
    return JSON.parse(last.status) as Record<string, unknown> & { conditions?: Condition[] };
  }
}
