// Informer factory for custom resources, with restart backoff and metrics wired in.
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

export function customResourceInformer(
  clients: KubeClients,
  type: CustomResourceType,
  opts: { namespace?: string; log: Logger; metrics: Metrics },
): Informer<KubernetesObject> {
  const { group, version, plural } = type;
  const resource = `${plural}.${group}`;
  const ns = opts.namespace;
  return new Informer<KubernetesObject>({
    resource,
    path: ns ? `/apis/${group}/${version}/namespaces/${ns}/${plural}` : `/apis/${group}/${version}/${plural}`,
    list: async () =>
      (ns
        ? await clients.customObjects.listNamespacedCustomObject({ group, version, plural, namespace: ns })
        : await clients.customObjects.listClusterCustomObject({
            group,
            version,
            plural,
          })) as KubernetesListObject<KubernetesObject>,
    watch: new Watch(clients.kc),
    backoff: new Backoff({ baseMs: 500, maxMs: 30_000, jitter: 0.2 }),
    log: opts.log,
    onUp: (up) => opts.metrics.informerUp.set({ resource }, up ? 1 : 0),
    onRestart: () => opts.metrics.informerRestarts.inc({ resource }),
  });
}
