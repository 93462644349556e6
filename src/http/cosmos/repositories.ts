// repository/list, add and delete over UniverseRepository resources (cluster-scoped): list needs
// `list universerepositories`, add `create` (and `patch` when repositories above the new one must be raised),
// delete `delete`. Add first loads the URI, as Cosmos fetched a repository before accepting it, so a
// repository that does not work is refused before anything is written.
import { API_GROUP, API_GROUP_VERSION } from '../../resources/group.ts';
import { universeRepositoryResource } from '../../resources/universe-repository.ts';
import { errorMessage } from '../../runtime/errors.ts';
import { customObjectPath } from '../../runtime/resource-paths.ts';
import type { RepositoryContent } from '../../universe/repository-set.ts';
import type { Router } from '../router.ts';
import type { CosmosApiContext } from './context.ts';
import { cosmosEndpoint } from './endpoint.ts';
import { CosmosError, repositoryAlreadyPresent, repositoryUnreachable } from './errors.ts';
import { cosmosMediaType } from './media-types.ts';
import { readCatalog } from './packages.ts';
import {
  cosmosRepositories,
  planAdd,
  planDelete,
  REPOSITORY_NAME_ANNOTATION,
  repositoryRecords,
} from './repository-list.ts';
import { repositoryAddRequest, repositoryDeleteRequest, repositoryListRequest } from './requests.ts';
import { waitUntil } from './wait.ts';
import type { Write } from './writes.ts';
import { writeAll } from './writes.ts';

const repo = (kind: string) => cosmosMediaType('package', `repository.${kind}`, 1);
const RESOURCE = 'universerepositories';
const priorityOf = (o: unknown) => (o as { spec?: { priority?: number } } | undefined)?.spec?.priority ?? 0;

export function registerRepositoryRoutes(router: Router, ctx: CosmosApiContext): void {
  const waitMs = ctx.settings.cacheWaitMs ?? 5000;
  const records = () => repositoryRecords(ctx.repositories.list());
  const { group, version } = universeRepositoryResource;
  const collection = `/apis/${group}/${version}/${universeRepositoryResource.plural}`;

  router.add(
    'POST',
    /^\/package\/repository\/list$/,
    cosmosEndpoint(
      {
        request: { type: repo('list-request'), schema: repositoryListRequest },
        responses: [repo('list-response')],
        handle: async (req) => {
          await readCatalog(req);
          return { repositories: cosmosRepositories(records()) };
        },
      },
      ctx.log,
    ),
  );

  router.add(
    'POST',
    /^\/package\/repository\/add$/,
    cosmosEndpoint(
      {
        request: { type: repo('add-request'), schema: repositoryAddRequest },
        responses: [repo('add-response')],
        handle: async (req, body) => {
          await req.authorize({ verb: 'create', group: API_GROUP, resource: RESOURCE });
          const plan = planAdd(records(), body);
          if (plan instanceof CosmosError) throw plan;
          if (plan.patches.length)
            await req.authorize({ verb: 'patch', group: API_GROUP, resource: RESOURCE });
          let content: RepositoryContent;
          try {
            content = await ctx.load(body.uri);
          } catch (err) {
            throw repositoryUnreachable(body.name, body.uri, errorMessage(err));
          }
          const writes: Write[] = [
            ...plan.patches.map((p) => ({
              method: 'PATCH' as const,
              path: customObjectPath(universeRepositoryResource, '', p.name),
              body: { spec: { priority: p.priority } },
              contentType: 'application/merge-patch+json',
            })),
            ...plan.creates.map((c) => ({
              method: 'POST' as const,
              path: collection,
              body: {
                apiVersion: API_GROUP_VERSION,
                kind: universeRepositoryResource.kind,
                metadata: {
                  name: c.name,
                  ...(c.cosmosName !== c.name
                    ? { annotations: { [REPOSITORY_NAME_ANNOTATION]: c.cosmosName } }
                    : {}),
                },
                spec: { uri: c.uri, priority: c.priority },
              },
            })),
          ];
          try {
            await writeAll(ctx.json, writes);
          } catch (err) {
            // A repository of that (Kubernetes) name appeared since the list was read.
            if ((err as { code?: number }).code === 409) throw repositoryAlreadyPresent(body.name, undefined);
            throw err;
          }
          ctx.catalog.remember(plan.creates.at(-1)!.name, content);
          await waitUntil(
            () =>
              plan.creates.every((c) => ctx.repositories.get(c.name) !== undefined) &&
              plan.patches.every((p) => priorityOf(ctx.repositories.get(p.name)) === p.priority),
            waitMs,
          );
          return { repositories: plan.list };
        },
      },
      ctx.log,
    ),
  );

  router.add(
    'POST',
    /^\/package\/repository\/delete$/,
    cosmosEndpoint(
      {
        request: { type: repo('delete-request'), schema: repositoryDeleteRequest },
        responses: [repo('delete-response')],
        handle: async (req, body) => {
          await req.authorize({ verb: 'delete', group: API_GROUP, resource: RESOURCE });
          const plan = planDelete(records(), body);
          if (plan instanceof CosmosError) throw plan;
          try {
            await ctx.json('DELETE', customObjectPath(universeRepositoryResource, '', plan.target.name));
          } catch (err) {
            if ((err as { code?: number }).code !== 404) throw err;
          }
          await waitUntil(() => ctx.repositories.get(plan.target.name) === undefined, waitMs);
          return { repositories: plan.list };
        },
      },
      ctx.log,
    ),
  );
}
