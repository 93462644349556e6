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
const CLUSTER_KINDS: Record<string, { apiPath: string; plural: string }> = {
  'v1/Node': { apiPath: '/api/v1', plural: 'nodes' },
};

/** /apis/apps/v1/namespaces/ns/deployments/name for an object of a known kind (/api/v1/nodes/name for nodes). */
export function objectPath(obj: KubernetesObject): string {
  const { namespace, name } = obj.metadata ?? {};
  const cluster = CLUSTER_KINDS[`${obj.apiVersion}/${obj.kind}`];
  if (cluster && name) return `${cluster.apiPath}/${cluster.plural}/${encodeURIComponent(name)}`;
  const kind = KINDS[`${obj.apiVersion}/${obj.kind}`];
  if (!kind || !namespace || !name) throw new Error(`no REST path for ${obj.apiVersion}/${obj.kind} ${name}`);
  return `${kind.apiPath}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}/${encodeURIComponent(name)}`;
}

/** /apis/<group>/<version>/namespaces/<ns>/<plural>/<name> of a custom resource (no namespace: cluster-scoped). */
export function customObjectPath(
  type: { group: string; version: string; plural: string },
  namespace: string,
  name: string,
): string {
  if (!namespace) return `/apis/${type.group}/${type.version}/${type.plural}/${encodeURIComponent(name)}`;
  return `/apis/${type.group}/${type.version}/namespaces/${encodeURIComponent(namespace)}/${type.plural}/${encodeURIComponent(name)}`;
}
