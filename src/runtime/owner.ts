// Owner references: children carry one controller reference to the custom resource that made them,
// so kube-controller-manager's garbage collector deletes them with it.
import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';

export function controllerRef(owner: KubernetesObject): V1OwnerReference {
  const { apiVersion, kind } = owner;
  const { name, uid } = owner.metadata ?? {};
  if (!apiVersion || !kind || !name || !uid)
    throw new Error('owner needs apiVersion, kind, metadata.name and uid');
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}

export function controllerOf(obj: KubernetesObject): V1OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** True when obj is controlled by owner, or by nobody (so it may be adopted). */
export function mayControl(obj: KubernetesObject, owner: KubernetesObject): boolean {
  const ref = controllerOf(obj);
  return ref === undefined || ref.uid === owner.metadata?.uid;
}
