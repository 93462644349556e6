// Catalog questions: search, describe, list-versions, render (nothing is deployed), and /capabilities. Reading the catalog
// needs `list universerepositories` (it is what the repositories serve).
import { API_GROUP } from '../../resources/group.ts';
import { planInstall } from '../../universe/install-plan.ts';
import type { ApiRequest } from '../request.ts';
import type { Router } from '../router.ts';
import type { CosmosApiContext } from './context.ts';
import { cosmosEndpoint } from './endpoint.ts';
import { currentView, planError, resolveEntry } from './lookup.ts';
import { cosmosMediaType } from './media-types.ts';
import { describeRequest, listVersionsRequest, renderRequest, searchRequest } from './requests.ts';
import { packageNotFound } from './errors.ts';
import { describeV2, describeV3 } from './responses.ts';

export const readCatalog = (req: ApiRequest): Promise<void> =>
  req.authorize({ verb: 'list', group: API_GROUP, resource: 'universerepositories' });

const pkg = (kind: string, version = 1) => cosmosMediaType('package', kind, version);

export function registerPackageRoutes(router: Router, ctx: CosmosApiContext): void {
  router.add(
    'GET',
    /^\/capabilities$/,
    cosmosEndpoint(
      {
        responses: ['application/vnd.dcos.capabilities+json;charset=utf-8;version=v1'],
        // Only what is served: no SERVICE_MANAGEMENT (service/describe, service/update) or LOGGING.
        handle: () => ({ capabilities: [{ name: 'PACKAGE_MANAGEMENT' }] }),
      },
      ctx.log,
    ),
  );

  router.add(
    'POST',
    /^\/package\/search$/,
    cosmosEndpoint(
      {
        request: { type: pkg('search-request'), schema: searchRequest },
        responses: [pkg('search-response')],
        handle: async (req, body) => {
          await readCatalog(req);
          const view = await currentView(ctx);
          return { packages: view.catalog.search(body.query) };
        },
      },
      ctx.log,
    ),
  );

  router.add(
    'POST',
    /^\/package\/describe$/,
    cosmosEndpoint(
      {
        request: { type: pkg('describe-request'), schema: describeRequest },
        responses: [pkg('describe-response', 3), pkg('describe-response', 2)],
        handle: async (req, body, version) => {
          await readCatalog(req);
          const { entry } = resolveEntry(await currentView(ctx), body.packageName, body.packageVersion);
          return version === 3 ? describeV3(entry) : describeV2(entry);
        },
      },
      ctx.log,
    ),
  );

  router.add(
    'POST',
    /^\/package\/list-versions$/,
    cosmosEndpoint(
      {
        request: { type: pkg('list-versions-request'), schema: listVersionsRequest },
        responses: [pkg('list-versions-response')],
        handle: async (req, body) => {
          await readCatalog(req);
          const results = (await currentView(ctx)).catalog.versions(body.packageName);
          if (Object.keys(results).length === 0) throw packageNotFound(body.packageName);
          return { results };
        },
      },
      ctx.log,
    ),
  );

  router.add(
    'POST',
    /^\/package\/render$/,
    cosmosEndpoint(
      {
        request: { type: pkg('render-request'), schema: renderRequest },
        responses: [pkg('render-response')],
        handle: async (req, body) => {
          await readCatalog(req);
          const { entry, repository } = resolveEntry(
            await currentView(ctx),
            body.packageName,
            body.packageVersion,
          );
          const plan = planInstall({
            entry,
            source: repository.uri,
            options: body.options ?? {},
            ...(body.appId ? { serviceName: body.appId } : {}),
          });
          if (!plan.ok) throw planError(plan, entry);
          return { marathonJson: plan.app };
        },
      },
      ctx.log,
    ),
  );
}
