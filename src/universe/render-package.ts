// `render package`: from a package in a catalog to the MarathonApp the operator would create for it and the
// Kubernetes objects that app becomes. The same planInstall the UniversePackage controller runs.
import type { KubernetesObject } from '@kubernetes/client-node';
import { readAppDefinition } from '../marathon/definition.ts';
import { desiredObjects } from '../marathon/desired.ts';
import { APP_ID_ANNOTATION, nameForId } from '../marathon/names.ts';
import { API_GROUP_VERSION } from '../resources/group.ts';
import type { Catalog } from './catalog.ts';
import { installErrorLines, planInstall } from './install-plan.ts';
import type { InstallPlan } from './install-plan.ts';
import type { RenderingMode } from './render-template.ts';

export type PackageEmit = 'app' | 'children' | 'all';

export interface RenderPackageRequest {
  catalog: Catalog;
  /** Repository names searched, for the not-found message. */
  searched: readonly string[];
  packageName: string;
  packageVersion?: string;
  options?: Record<string, unknown>;
  serviceName?: string;
  rendering?: RenderingMode;
  namespace: string;
  emit: PackageEmit;
  defaultImage: string;
  fetchImage: string;
  version: string;
}

export type RenderPackageResult =
  | { ok: true; objects: KubernetesObject[]; plan: InstallPlan; warnings: string[] }
  | { ok: false; errors: string[] };

export function renderPackage(req: RenderPackageRequest): RenderPackageResult {
  const found = req.catalog.resolve(req.packageName, req.packageVersion);
  if (!found.ok)
    return {
      ok: false,
      errors: [`${found.message} (repositories searched: ${req.searched.join(', ') || 'none'})`],
    };
  const plan = planInstall({
    entry: found.entry,
    source: found.repository.uri,
    options: req.options ?? {},
    ...(req.serviceName ? { serviceName: req.serviceName } : {}),
    rendering: req.rendering ?? 'modern',
  });
  if (!plan.ok) return { ok: false, errors: installErrorLines(plan) };
  const warnings = plan.kind.works
    ? []
    : [`${plan.kind.summary}; the operator does not deploy it by default`];
  const name = nameForId(plan.appId);
  const objects: KubernetesObject[] = [];
  if (req.emit !== 'children')
    objects.push({
      apiVersion: API_GROUP_VERSION,
      kind: 'MarathonApp',
      metadata: { name, namespace: req.namespace, annotations: { [APP_ID_ANNOTATION]: plan.appId } },
      spec: plan.app,
    } as KubernetesObject);
  if (req.emit !== 'app') {
    // planInstall already checked the app; this read cannot fail.
    const read = readAppDefinition(plan.app, { id: plan.appId });
    if (!read.ok)
      return { ok: false, errors: read.details.map((d) => `app ${d.path}: ${d.errors.join('; ')}`) };
    objects.push(
      ...desiredObjects({
        namespace: req.namespace,
        name,
        app: read.value,
        version: req.version,
        dependenciesReady: true,
        defaultImage: req.defaultImage,
        fetchImage: req.fetchImage,
      }).objects,
    );
  }
  return { ok: true, objects, plan, warnings };
}
