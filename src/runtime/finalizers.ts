// Finalizers through server-side apply: metadata.finalizers is a set, so applying only our entry
// leaves other owners' finalizers alone, and applying without it removes just ours.
import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { applyObject } from './apply.ts';

export function hasFinalizer(obj: KubernetesObject, finalizer: string): boolean {
  return obj.metadata?.finalizers?.includes(finalizer) ?? false;
}

function finalizerPatch(obj: KubernetesObject, finalizers: string[]): KubernetesObject {
  const { apiVersion, kind } = obj;
  const { name, namespace } = obj.metadata ?? {};
  return { apiVersion, kind, metadata: { name, namespace, finalizers } };
}

export async function addFinalizer(objects: KubernetesObjectApi, obj: KubernetesObject, finalizer: string) {
  if (hasFinalizer(obj, finalizer)) return obj;
  return applyObject(objects, finalizerPatch(obj, [finalizer]));
}

export async function removeFinalizer(
  objects: KubernetesObjectApi,
  obj: KubernetesObject,
  finalizer: string,
) {
  if (!hasFinalizer(obj, finalizer)) return obj;
  return applyObject(objects, finalizerPatch(obj, []));
}
