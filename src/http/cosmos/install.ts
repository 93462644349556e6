// install, uninstall and list, backed by UniversePackage resources: install renders the package first (so
// every option or template problem is answered at once, as Cosmos did) and then creates one UniversePackage
// in the API namespace, which the package controller turns into the MarathonApp; uninstall deletes the
// UniversePackages and the apps they own; list reads them with the labels their apps carry.
import type { KubernetesObject } from '@kubernetes/client-node';
import { APP_ID_ANNOTATION, nameForId } from '../../marathon/names.ts';
import { API_GROUP, API_GROUP_VERSION } from '../../resources/group.ts';
import { marathonAppResource } from '../../resources/marathon-app.ts';
import { universePackageResource, universePackageSpecSchema } from '../../resources/universe-package.ts';
import { controllerOf } from '../../runtime/owner.ts';
import { customObjectPath } from '../../runtime/resource-paths.ts';
import { PACKAGE_METADATA_LABEL } from '../../universe/cosmos-labels.ts';
import { planInstall } from '../../universe/install-plan.ts';
import type { CatalogView } from '../../universe/repository-set.ts';
import type { Router } from '../router.ts';
import type { CosmosApiContext } from './context.ts';
import { cosmosEndpoint } from './endpoint.ts';
import { CosmosError, packageAlreadyInstalled } from './errors.ts';
import type { InstalledPackage } from './installed.ts';
import { installedPackage, listInstalled, selectUninstall } from './installed.ts';
import { currentView, planError, resolveEntry } from './lookup.ts';
import { cosmosMediaType } from './media-types.ts';
import { installRequest, listRequest, uninstallRequest } from './requests.ts';
import { decodeMetadataLabel, installedInformation, installResponse, metadataOf } from './responses.ts';
import { waitUntil } from './wait.ts';
import type { Write } from './writes.ts';
import { writeAll } from './writes.ts';

const pkg = (kind: string, version = 1) => cosmosMediaType('package', kind, version);
const RESOURCE = 'universepackages';

function allInstalled(ctx: CosmosApiContext): InstalledPackage[] {
  return ctx.packages.list().flatMap((o) => installedPackage(o) ?? []);
}

function invalidAppId(appId: string): CosmosError {
  return new CosmosError('MarathonBadResponse', 'Object is not valid', {
    details: [
      {
        path: '/id',
        errors: [
          `${appId} is not a valid app id: lower-case letters, digits, '-' and '.' in '/'-separated segments`,
        ],
      },
    ],
  });
}

export function registerInstallRoutes(router: Router, ctx: CosmosApiContext): void {
  const waitMs = ctx.settings.cacheWaitMs ?? 5000;

  router.add(
    'POST',
    /^\/package\/install$/,
    cosmosEndpoint(
      {
        request: { type: pkg('install-request'), schema: installRequest },
        responses: [pkg('install-response', 2), pkg('install-response', 1)],
        handle: async (req, body, version) => {
          const namespace = ctx.settings.apiNamespace;
          await req.authorize({ verb: 'create', group: API_GROUP, resource: RESOURCE, namespace });
          if (
            body.appId !== undefined &&
            !universePackageSpecSchema.shape.serviceName.safeParse(body.appId).success
          )
            throw invalidAppId(body.appId);
          const { entry, repository } = resolveEntry(
            await currentView(ctx),
            body.packageName,
            body.packageVersion,
          );
          const serviceName = body.appId ? { serviceName: body.appId } : {};
          const plan = planInstall({
            entry,
            source: repository.uri,
            options: body.options ?? {},
            ...serviceName,
          });
          if (!plan.ok) {
            // A package that only installs a CLI: nothing runs on the cluster (v2 answers without appId).
            if (plan.type === 'ServiceMarathonTemplateNotFound' && version === 2)
              return installResponse(version, { entry });
            throw planError(plan, entry);
          }
          if (!plan.kind.works)
            throw new CosmosError(
              'MesosFrameworkRequired',
              `${plan.kind.summary}. The package API does not deploy it; a UniversePackage with ` +
                'spec.runFrameworkScheduler: true runs the scheduler app anyway',
              { packageName: entry.name, packageVersion: entry.version, kind: plan.kind.kind },
            );
          const taken = ctx.appIdInUse(plan.appId) || allInstalled(ctx).some((p) => p.appId === plan.appId);
          if (taken) throw packageAlreadyInstalled(`app id ${plan.appId} is in use`);

          const name = nameForId(plan.appId);
          const object = {
            apiVersion: API_GROUP_VERSION,
            kind: universePackageResource.kind,
            metadata: { name, namespace, annotations: { [APP_ID_ANNOTATION]: plan.appId } },
            spec: {
              packageName: entry.name,
              packageVersion: entry.version,
              ...(body.options ? { options: body.options } : {}),
              ...serviceName,
            },
          };
          let created: KubernetesObject;
          try {
            const { group, version: v, plural } = universePackageResource;
            created = await ctx.json<KubernetesObject>(
              'POST',
              `/apis/${group}/${v}/namespaces/${encodeURIComponent(namespace)}/${plural}`,
              { body: object },
            );
          } catch (err) {
            if ((err as { code?: number }).code === 409)
              throw packageAlreadyInstalled(`UniversePackage ${namespace}/${name} exists`);
            throw err;
          }
          const uid = created.metadata?.uid;
          await waitUntil(() => ctx.packages.get(name, namespace)?.metadata?.uid === uid, waitMs);
          return installResponse(version, { entry, appId: plan.appId });
        },
      },
      ctx.log,
    ),
  );

  router.add(
    'POST',
    /^\/package\/uninstall$/,
    cosmosEndpoint(
      {
        request: { type: pkg('uninstall-request'), schema: uninstallRequest },
        responses: [pkg('uninstall-response')],
        handle: async (req, body) => {
          const targets = selectUninstall(allInstalled(ctx), body);
          if (targets instanceof CosmosError) throw targets;
          // Every namespace is authorized before anything is deleted: all or nothing.
          for (const namespace of new Set(targets.map((t) => t.namespace)))
            await req.authorize({ verb: 'delete', group: API_GROUP, resource: RESOURCE, namespace });
          // The packages first (so nothing re-creates their apps), then their apps at once, as Cosmos
          // deleted the Marathon app, rather than when the garbage collector gets to them.
          const deletion = (path: string, uid: string): Write => ({
            method: 'DELETE',
            path,
            body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid } },
            goneIsDone: true,
          });
          const apps = targets.flatMap((t) => {
            const app = t.marathonApp ? ctx.apps.get(t.marathonApp, t.namespace) : undefined;
            return app && controllerOf(app)?.uid === t.uid ? [{ t, app }] : [];
          });
          await writeAll(ctx.json, [
            ...targets.map((t) =>
              deletion(customObjectPath(universePackageResource, t.namespace, t.name), t.uid),
            ),
            ...apps.map(({ t, app }) =>
              deletion(
                customObjectPath(marathonAppResource, t.namespace, app.metadata?.name ?? ''),
                app.metadata?.uid ?? '',
              ),
            ),
          ]);
          await waitUntil(
            () => targets.every((t) => ctx.packages.get(t.name, t.namespace)?.metadata?.uid !== t.uid),
            waitMs,
          );
          const view = await currentView(ctx);
          return {
            results: targets.map((t) => {
              const found = view.catalog.resolve(t.packageName, t.packageVersion);
              const notes = found.ok ? found.entry.postUninstallNotes : undefined;
              return {
                packageName: t.packageName,
                ...(t.appId ? { appId: t.appId } : {}),
                ...(t.packageVersion ? { packageVersion: t.packageVersion } : {}),
                ...(notes ? { postUninstallNotes: notes } : {}),
              };
            }),
          };
        },
      },
      ctx.log,
    ),
  );

  router.add(
    'POST',
    /^\/package\/list$/,
    cosmosEndpoint(
      {
        request: { type: pkg('list-request'), schema: listRequest },
        responses: [pkg('list-response')],
        handle: async (req, body) => {
          const installed = allInstalled(ctx);
          const readable = new Set<string>();
          for (const namespace of new Set(installed.map((p) => p.namespace)))
            if (await req.may({ verb: 'list', group: API_GROUP, resource: RESOURCE, namespace }))
              readable.add(namespace);
          const listed = listInstalled(
            installed.filter((p) => readable.has(p.namespace)),
            body,
          );
          let view: CatalogView | undefined;
          const packages = [];
          for (const p of listed) {
            let metadata = decodeMetadataLabel(appLabels(ctx, p)?.[PACKAGE_METADATA_LABEL]);
            if (!metadata) {
              view ??= await currentView(ctx);
              const found = view.catalog.resolve(p.packageName, p.packageVersion);
              metadata = found.ok
                ? metadataOf(found.entry)
                : { name: p.packageName, version: p.packageVersion ?? '' };
            }
            packages.push({ appId: p.appId, packageInformation: installedInformation(metadata) });
          }
          return { packages };
        },
      },
      ctx.log,
    ),
  );
}

/** The labels of the MarathonApp an install created (what Cosmos read list answers from). */
function appLabels(ctx: CosmosApiContext, p: InstalledPackage): Record<string, string> | undefined {
  if (!p.marathonApp) return undefined;
  const app = ctx.apps.get(p.marathonApp, p.namespace) as { spec?: { labels?: unknown } } | undefined;
  const labels = app?.spec?.labels;
  return labels && typeof labels === 'object' ? (labels as Record<string, string>) : undefined;
}
