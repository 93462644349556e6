// REST paths of the built-in kinds the operator manages, for plain-JSON requests.
import type { KubernetesObject } from '@kubernetes/client-node';

const KINDS: Record<string, { apiPath: string; plural: string }> = {
  'v1/Pod': { apiPath: '/api/v1', plural: 'pods' },
  'v1/Service': { apiPath: '/api/v1', plural: 'services' },
  'v1/ConfigMap': { apiPath: '/api/v1', plural: 'configmaps' },
  'v1/Secret': { apiPath: '/api/v1', plural: 'secrets' },
  'v1/PersistentVolumeClaim': { apiPath: '/api/v1', plural: 'persistentvolumeclaims' },
  'apps/v1/Deployment': { apiPath: '/apis/apps/v1', plural: 'deployments' },
  'apps/v1/StatefulSet': { apiPath: '/apis/apps/v1', plural: 'statefulsets' },
};

/** /apis/apps/v1/namespaces/ns/deployments/name for a namespaced object of a known kind. */
export function objectPath(obj: KubernetesObject): string {
  const kind = KINDS[`${obj.apiVersion}/${obj.kind}`];
  const { namespace, name } = obj.metadata ?? {};
  if (!kind || !namespace || !name) throw new Error(`no REST path for ${obj.apiVersion}/${obj.kind} ${name}`);
  return `${kind.apiPath}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}/${encodeURIComponent(name)}`;
}
