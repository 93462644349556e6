// Earlier definitions of an app, for rollbacks: a stored version (`PUT /v2/apps/{id}` with
// `{"version": ts}`) and the state before a deployment (`DELETE /v2/deployments/{id}`). The current
// definition is the spec; the one last applied is recorded on the workload (DEFINITION_ANNOTATION, left
// out of the cache); earlier ones are in the history ConfigMap beside the app (versions.ts).
import type { KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import type { AppDeployment, AppObject } from '../../marathon/deployments.ts';
import { REQUESTED_VERSION_ANNOTATION } from '../../marathon/deployments.ts';
import { DEFINITION_ANNOTATION } from '../../marathon/desired.ts';
import { childBaseName } from '../../marathon/names.ts';
import { historyConfigMapName, readHistory } from '../../marathon/versions.ts';
import type { VersionEntry } from '../../marathon/versions.ts';
import { getIfExists } from '../../runtime/kube-client.ts';
import type { Spec } from './app-update.ts';
import { appNotFound, isRecord, sameVersion } from './app-update.ts';
import type { MarathonApiContext } from './context.ts';

/** The stored earlier definitions of the app, newest first. */
export async function appHistory(ctx: MarathonApiContext, app: AppObject): Promise<VersionEntry[]> {
  const namespace = app.metadata?.namespace ?? '';
  const name = historyConfigMapName(childBaseName(app.metadata?.name ?? ''));
  const cm = await getIfExists<V1ConfigMap>(
    ctx.json,
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(name)}`,
  );
  return readHistory(cm);
}

/** The definition last applied to the app's workload, with its version; undefined before the first. */
export async function appliedDefinition(
  ctx: MarathonApiContext,
  app: AppObject,
): Promise<VersionEntry | undefined> {
  const namespace = encodeURIComponent(app.metadata?.namespace ?? '');
  const name = encodeURIComponent(childBaseName(app.metadata?.name ?? ''));
  for (const plural of ['deployments', 'statefulsets']) {
    const w = await getIfExists<KubernetesObject>(
      ctx.json,
      `/apis/apps/v1/namespaces/${namespace}/${plural}/${name}`,
    );
    const raw = w?.metadata?.annotations?.[DEFINITION_ANNOTATION];
    if (!raw) continue;
    try {
      const entry = JSON.parse(raw) as VersionEntry;
      if (typeof entry.version === 'string') return entry;
    } catch {
      // unreadable: as if absent
    }
  }
  return undefined;
}

/** The definition of the app at `version` (the current one, or a stored one); 404 when unknown. */
export async function specAtVersion(
  ctx: MarathonApiContext,
  app: AppObject,
  id: string,
  version: string,
): Promise<Spec> {
  const status = app.status;
  const current = [
    status?.version,
    status?.versionInfo?.lastConfigChangeAt,
    status?.versionInfo?.lastScalingAt,
    app.metadata?.annotations?.[REQUESTED_VERSION_ANNOTATION],
  ];
  if (current.some((v) => sameVersion(v, version)) && isRecord(app.spec)) return app.spec;
  const entry = (await appHistory(ctx, app)).find((e) => sameVersion(e.version, version));
  if (entry && isRecord(entry.app)) return entry.app;
  throw appNotFound(id, version);
}

/**
 * What cancelling deployment `d` of the app brings back: undefined when the deployment created the app
 * (cancelling removes it). A change not applied yet reverts to the applied definition; a config change
 * under way to the definition before it; a scale under way to the instances that run.
 */
export async function specBefore(
  ctx: MarathonApiContext,
  app: AppObject,
  d: AppDeployment,
  kind: 'start' | 'restart' | 'scale' | 'none',
): Promise<Spec | undefined> {
  if (kind === 'start') return undefined;
  const spec = isRecord(app.spec) ? app.spec : {};
  if (d.pending) {
    const applied = await appliedDefinition(ctx, app);
    return applied && isRecord(applied.app) ? applied.app : spec;
  }
  if (kind === 'restart') {
    const previous = (await appHistory(ctx, app)).find((e) => e.version < d.version);
    if (previous && isRecord(previous.app)) return previous.app;
    return spec;
  }
  return { ...spec, instances: app.status?.tasksRunning ?? 0 };
}
