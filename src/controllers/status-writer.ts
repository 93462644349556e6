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
  /** Told which status fields a write changes (for debug logs). */
  onWrite: ((obj: KubernetesObject, fields: string[]) => void) | undefined;

  constructor(customObjects: CustomObjectsApi, type: ResourceType, now: () => Date = () => new Date()) {
    this.customObjects = customObjects;
    this.type = type;
    this.now = now;
  }

  /** Returns true when a write was made. */
  async write(
    obj: WithStatus,
    phase: Phase,
    fields: Record<string, unknown> = {},
    extra?: Parameters<typeof kstatus>[4],
  ): Promise<boolean> {
    const current = obj.status ?? {};
    const generation = obj.metadata?.generation ?? 0;
    const desired = { ...fields, ...kstatus(phase, generation, current.conditions, this.now(), extra) };
    // Round-trip through JSON: what the API server stores has no undefined members.
    const normalized = JSON.parse(JSON.stringify(desired)) as Record<string, unknown>;
    const changed = Object.entries(normalized)
      .filter(([k, v]) => !isDeepStrictEqual(current[k], v))
      .map(([k]) => k);
    if (changed.length === 0) return false;
    this.onWrite?.(obj, changed);
    const { name, namespace } = obj.metadata ?? {};
    await applyStatus(
      this.customObjects,
      { ...this.type, name: name ?? '', namespace: namespace ?? '' },
      normalized,
    );
    return true;
  }
}
