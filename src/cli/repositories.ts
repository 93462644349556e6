// The repositories a CLI command searches: the --repo arguments in the order given; otherwise the cluster's
// UniverseRepositories (as `dcos package` used the cluster's configured repositories) when a cluster is
// configured; otherwise the built-in catalog.
import { CustomObjectsApi } from '@kubernetes/client-node';
import { builtinContent, loadContent } from '../operator/universe-content.ts';
import {
  universeRepositoryResource,
  universeRepositorySpecSchema,
} from '../resources/universe-repository.ts';
import { errorMessage } from '../runtime/errors.ts';
import { hasConfiguredCluster, loadKubeConfig } from '../runtime/kube-client.ts';
import type { DeclaredRepository, RepositoryContent } from '../universe/repository-set.ts';
import { catalogView } from '../universe/repository-set.ts';
import { Catalog } from '../universe/catalog.ts';

export interface RepoFlags {
  repo?: string[];
  kubeconfig?: string;
  context?: string;
}

export interface CliCatalog {
  catalog: Catalog;
  searched: string[];
  notes: string[];
}

/** commander collector for a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export async function cliCatalog(flags: RepoFlags): Promise<CliCatalog> {
  if (flags.repo?.length) {
    const repos: (RepositoryContent & { name: string })[] = [];
    for (const uri of flags.repo) {
      const content = await loadContent(uri).catch((err: unknown) => {
        throw new Error(`cannot load repository ${uri}: ${errorMessage(err)}`);
      });
      repos.push({ name: uri, ...content });
    }
    return { catalog: new Catalog(repos), searched: [...flags.repo], notes: [] };
  }
  if (!hasConfiguredCluster(flags.kubeconfig)) {
    const view = catalogView([], new Map(), builtinContent());
    return { catalog: view.catalog, searched: view.searched, notes: [] };
  }
  const kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  const api = kc.makeApiClient(CustomObjectsApi);
  const { group, version, plural } = universeRepositoryResource;
  const list = (await api.listClusterCustomObject({ group, version, plural })) as {
    items?: { metadata?: { name?: string }; spec?: unknown }[];
  };
  const declared: DeclaredRepository[] = [];
  const loaded = new Map<string, RepositoryContent>();
  const notes: string[] = [];
  for (const item of list.items ?? []) {
    const spec = universeRepositorySpecSchema.safeParse(item.spec);
    const name = item.metadata?.name ?? '';
    if (!spec.success) continue;
    declared.push({ name, uri: spec.data.uri, priority: spec.data.priority });
    try {
      loaded.set(name, await loadContent(spec.data.uri));
    } catch (err) {
      notes.push(`repository ${name} (${spec.data.uri}) cannot be loaded: ${errorMessage(err)}`);
    }
  }
  const view = catalogView(declared, loaded, builtinContent());
  return { catalog: view.catalog, searched: view.searched, notes };
}
