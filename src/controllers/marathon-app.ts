// MarathonApp reconciler (walking skeleton): validates the pasted Marathon app definition with
// Marathon's rules and reports the outcome through kstatus conditions. Translation into workloads
// arrives with the MarathonApp issue; until then a valid app is reported as accepted, not running.
import type { CustomObjectsApi, KubernetesObject } from '@kubernetes/client-node';
import { marathonAppResource, parseMarathonAppSpec } from '../resources/marathon-app.ts';
import type { ReconcileResult, Reconciler } from '../runtime/controller.ts';
import { StalledError, splitKey } from '../runtime/controller.ts';
import type { EventRecorder } from '../runtime/events.ts';
import type { Informer } from '../runtime/informer.ts';
import { errorMessage } from '../runtime/errors.ts';
import { StatusWriter } from './status-writer.ts';

type MarathonAppObject = KubernetesObject & { spec?: unknown };

export interface MarathonAppReconcilerDeps {
  cache: Informer<KubernetesObject>;
  customObjects: CustomObjectsApi;
  events: EventRecorder;
  now?: () => Date;
}

export class MarathonAppReconciler implements Reconciler {
  private readonly deps: MarathonAppReconcilerDeps;
  private readonly status: StatusWriter;

  constructor(deps: MarathonAppReconcilerDeps) {
    this.deps = deps;
    this.status = new StatusWriter(deps.customObjects, marathonAppResource, deps.now);
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const obj = this.get(key);
    // Gone, or going: owner references let the garbage collector remove what it created.
    if (!obj || obj.metadata?.deletionTimestamp) return;
    const parsed = parseMarathonAppSpec(obj.spec);
    if (!parsed.ok) {
      const message = parsed.details.map((d) => `${d.path}: ${d.errors.join('; ')}`).join('\n');
      throw new StalledError('InvalidSpec', `invalid Marathon app definition:\n${message}`);
    }
    const wrote = await this.status.write(obj, {
      state: 'ready',
      reason: 'Accepted',
      message: 'The Marathon app definition is valid.',
    });
    if (wrote) void this.deps.events.record(obj, 'Normal', 'Accepted', 'Marathon app definition accepted');
  }

  async onError(key: string, err: unknown, final: boolean, reason: string): Promise<void> {
    const obj = this.get(key);
    if (!obj) return;
    const message = errorMessage(err);
    const wrote = await this.status.write(
      obj,
      final ? { state: 'stalled', reason, message } : { state: 'retrying', reason, message },
    );
    if (wrote) void this.deps.events.record(obj, 'Warning', reason, message);
  }

  private get(key: string): MarathonAppObject | undefined {
    const { namespace, name } = splitKey(key);
    return this.deps.cache.get(name, namespace);
  }
}
