// Server-side apply with the operator's single field manager, for objects and for status subresources.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { CustomObjectsApi, KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import type { JsonRequester } from './kube-client.ts';
import { objectPath } from './resource-paths.ts';

export const FIELD_MANAGER = 'dcos-operator';

/** Applies the fields the operator owns. force: a controller takes over fields it is meant to own. */
export function applyObject<T extends KubernetesObject>(
  objects: KubernetesObjectApi,
  desired: T,
  opts: { dryRun?: boolean } = {},
): Promise<T> {
  return objects.patch(
    desired,
    undefined,
    opts.dryRun ? 'All' : undefined,
    FIELD_MANAGER,
    true,
    PatchStrategy.ServerSideApply,
  );
}

export interface CustomResourceRef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Applies status through the status subresource; the body names only what the operator owns. */
export async function applyStatus(
  customObjects: CustomObjectsApi,
  ref: CustomResourceRef,
  status: Record<string, unknown>,
): Promise<KubernetesObject> {
  const body = {
    apiVersion: `${ref.group}/${ref.version}`,
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
    status,
  };
  const options = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
  const { group, version, plural, name, namespace } = ref;
  const params = { group, version, plural, name, body, fieldManager: FIELD_MANAGER, force: true };
  // Cluster-scoped resources (UniverseRepository) have no namespace segment in their path.
  const written = namespace
    ? customObjects.patchNamespacedCustomObjectStatus({ ...params, namespace }, options)
    : customObjects.patchClusterCustomObjectStatus(params, options);
  return (await written) as KubernetesObject;
}

/** Server-side apply of a plain object (no client-side model serialization), force, one field manager. */
export function applyJson<T extends KubernetesObject>(
  json: JsonRequester,
  desired: T,
  opts: {
    dryRun?: boolean;
    /** REST path, for kinds objectPath does not know (custom resources). */ path?: string;
  } = {},
): Promise<T> {
  return json<T>('PATCH', opts.path ?? objectPath(desired), {
    query: { fieldManager: FIELD_MANAGER, force: true, ...(opts.dryRun ? { dryRun: 'All' } : {}) },
    body: desired,
    contentType: 'application/apply-patch+yaml',
  });
}
