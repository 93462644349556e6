// Applies the generated CRDs and waits until the API server serves them.
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import { crdObjects } from '../resources/render.ts';
import { applyObject } from '../runtime/apply.ts';
import type { Logger } from '../runtime/logger.ts';

export async function installCrds(kc: KubeConfig, log: Logger, timeoutMs = 60_000): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const crds = crdObjects() as KubernetesObject[];
  for (const crd of crds) await applyObject(objects, crd);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    for (;;) {
      const live = await ext.readCustomResourceDefinition({ name });
      if (live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} not established after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  log.info('CRDs installed', { crds: crds.map((c) => c.metadata?.name) });
}
