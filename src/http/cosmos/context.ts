// What the Cosmos API handlers read and write through: the UniversePackage and UniverseRepository caches,
// the catalog, the MarathonApp cache (app ids in use, the labels an install wrote), and the operator's JSON
// client for writes (each call is authorized for its caller first).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { JsonRequester } from '../../runtime/kube-client.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { RepositoryContent } from '../../universe/repository-set.ts';
import type { CatalogSource } from './catalog-source.ts';

type Cache = {
  get(name: string, namespace?: string): KubernetesObject | undefined;
  list(namespace?: string): KubernetesObject[];
};

export interface CosmosApiContext {
  /** UniversePackages (all watched namespaces). */
  packages: Cache;
  /** UniverseRepositories (cluster-scoped). */
  repositories: Cache;
  /** MarathonApps, for the labels an install wrote (list). */
  apps: Pick<Cache, 'get'>;
  /** True when some MarathonApp has this absolute Marathon id. */
  appIdInUse(appId: string): boolean;
  catalog: CatalogSource;
  /** Loads a repository URI (repository/add proves it works first, as Cosmos did). */
  load(uri: string): Promise<RepositoryContent>;
  json: JsonRequester;
  settings: {
    /** Namespace of the UniversePackages `package/install` creates. */
    apiNamespace: string;
    /** How long a write waits for the caches to show it, so the caller's next read does. */
    cacheWaitMs?: number;
  };
  log: Logger;
}
