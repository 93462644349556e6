// Informer factories: plain-JSON list and watch, restart backoff and metrics wired in, managedFields dropped.
import { Watch } from '@kubernetes/client-node';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { Backoff } from '../runtime/backoff.ts';
import { Informer } from '../runtime/informer.ts';
import type { KubeClients } from '../runtime/kube-client.ts';
import type { Logger } from '../runtime/logger.ts';
import type { Metrics } from '../runtime/metrics.ts';

export interface CustomResourceType {
  group: string;
  version: string;
  plural: string;
}

/** Informer for a custom resource: the same plain-JSON list and watch as for built-in kinds. */
export function customResourceInformer(
  clients: KubeClients,
  type: CustomResourceType,
  opts: { namespace?: string | undefined; log: Logger; metrics: Metrics; compact?: boolean },
): Informer<KubernetesObject> {
  return builtinInformer(
    clients,
    { apiPath: `/apis/${type.group}/${type.version}`, plural: type.plural },
    opts,
  );
}

export interface BuiltinResourceType {
  /** '/api/v1' for the core group, '/apis/<group>/<version>' otherwise. */
  apiPath: string;
  plural: string;
}

/** Objects per list page, as client-go's reflector asks for. */
export const LIST_PAGE_SIZE = 500;

/** Drops managedFields: the operator never reads them and they are often half of an object's size. */
export function stripManagedFields<T extends KubernetesObject>(obj: T): T {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** Informer for a built-in resource, as plain JSON (the same shape the watch delivers). */
export function builtinInformer<T extends KubernetesObject = KubernetesObject>(
  clients: KubeClients,
  type: BuiltinResourceType,
  opts: {
    namespace?: string | undefined;
    labelSelector?: string;
    fieldSelector?: string;
    /** Replaces the default (which only drops managedFields). */
    transform?: (obj: T) => T;
    /** Cache as JSON text (see InformerOptions.compact). */
    compact?: boolean;
    log: Logger;
    metrics: Metrics;
  },
): Informer<T> {
  const ns = opts.namespace;
  const path = ns ? `${type.apiPath}/namespaces/${ns}/${type.plural}` : `${type.apiPath}/${type.plural}`;
  const resource = `${type.plural}${type.apiPath === '/api/v1' ? '' : '.' + type.apiPath.split('/')[2]}`;
  return new Informer<T>({
    resource,
    path,
    list: async (continueToken) => {
      const list = await clients.json<KubernetesListObject<T>>('GET', path, {
        query: {
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          limit: LIST_PAGE_SIZE,
          continue: continueToken,
        },
      });
      // List items come without apiVersion and kind (watch events carry them): restore them.
      const kind = list.kind?.replace(/List$/, '');
      list.items = list.items.map((o) => ({ apiVersion: list.apiVersion, kind, ...o }));
      return list;
    },
    watch: new Watch(clients.kc),
    ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
    ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
    transform: opts.transform ?? stripManagedFields,
    ...(opts.compact ? { compact: true } : {}),
    backoff: new Backoff({ baseMs: 500, maxMs: 30_000, jitter: 0.2 }),
    log: opts.log,
    onUp: (up) => opts.metrics.informerUp.set({ resource }, up ? 1 : 0),
    onRestart: () => opts.metrics.informerRestarts.inc({ resource }),
  });
}
