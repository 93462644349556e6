// Cosmos's ordered repository list over UniverseRepository objects. Cosmos kept a list where position is
// priority (index 0 first); the resources carry `priority` (higher first, ties by name). Adding at an index
// picks a priority that lands the new repository there, raising the ones above it only when no value fits.
// Cosmos names are free text ("Universe", "My Repo"); a name that is not a Kubernetes name becomes one with a
// hash suffix, and the original is kept in an annotation. With no repository declared the operator uses its
// built-in catalog, which the list shows as `builtin`; the first add makes that entry a real object so that,
// as in Cosmos, adding a repository keeps the ones listed before.
import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { BUILTIN_URI, universeRepositorySpecSchema } from '../../resources/universe-repository.ts';
import { BUILTIN_NAME, orderRepositories } from '../../universe/repository-set.ts';
import type { DeclaredRepository } from '../../universe/repository-set.ts';
import {
  CosmosError,
  repoNameOrUriMissing,
  repositoryAlreadyPresent,
  repositoryIndexOutOfBounds,
  repositoryNotPresent,
  unsupportedRepositoryUri,
} from './errors.ts';

/** On a UniverseRepository: its Cosmos name, when that is not its Kubernetes name. */
export const REPOSITORY_NAME_ANNOTATION = 'dcos-operator.dev/repository-name';

export interface RepositoryRecord extends DeclaredRepository {
  /** The name Cosmos clients see. */
  cosmosName: string;
}

export interface CosmosRepository {
  name: string;
  uri: string;
}

const INT32_MAX = 2 ** 31 - 1;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** The repositories that exist (not being deleted, valid spec), in search order. */
export function repositoryRecords(objects: readonly KubernetesObject[]): RepositoryRecord[] {
  const out: RepositoryRecord[] = [];
  for (const o of objects) {
    if (o.metadata?.deletionTimestamp) continue;
    const spec = universeRepositorySpecSchema.safeParse((o as { spec?: unknown }).spec);
    const name = o.metadata?.name ?? '';
    if (!spec.success || !name) continue;
    const cosmosName = o.metadata?.annotations?.[REPOSITORY_NAME_ANNOTATION] || name;
    out.push({ name, cosmosName, uri: spec.data.uri, priority: spec.data.priority });
  }
  return orderRepositories(out) as RepositoryRecord[];
}

const IMPLICIT_BUILTIN: RepositoryRecord = {
  name: BUILTIN_NAME,
  cosmosName: BUILTIN_NAME,
  uri: BUILTIN_URI,
  priority: 0,
};

/** What `repository/list` answers: the declared repositories, or the built-in catalog when there are none. */
export function cosmosRepositories(records: readonly RepositoryRecord[]): CosmosRepository[] {
  const list = records.length ? records : [IMPLICIT_BUILTIN];
  return list.map((r) => ({ name: r.cosmosName, uri: r.uri }));
}

/** The Kubernetes name of a repository Cosmos calls `cosmosName`. */
export function kubernetesNameFor(cosmosName: string): string {
  if (cosmosName.length <= 253 && DNS_SUBDOMAIN.test(cosmosName)) return cosmosName;
  const hash = createHash('sha256').update(cosmosName).digest('hex').slice(0, 8);
  const base = cosmosName
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 200)
    .replace(/[^a-z0-9]+$/, '');
  return `${base || 'repository'}-${hash}`;
}

/** Repository URIs the API accepts: what Cosmos fetched (http, https), and the operator's built-in catalog. */
export function checkRepositoryUri(uri: string): CosmosError | undefined {
  if (uri === BUILTIN_URI) return undefined;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return unsupportedRepositoryUri(uri);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || /\s/.test(uri))
    return unsupportedRepositoryUri(uri);
  return undefined;
}

export interface RepositoryCreate {
  name: string;
  cosmosName: string;
  uri: string;
  priority: number;
}

export interface AddPlan {
  /** Raised first, top down (each step keeps the order), then the creates, in order. */
  patches: { name: string; priority: number }[];
  creates: RepositoryCreate[];
  /** The list as it is once the writes are done. */
  list: CosmosRepository[];
}

/** Where `repository/add {name, uri, index?}` puts the repository, as writes; or the Cosmos error. */
export function planAdd(
  records: readonly RepositoryRecord[],
  req: { name: string; uri: string; index?: number | undefined },
): AddPlan | CosmosError {
  const uriError = checkRepositoryUri(req.uri);
  if (uriError) return uriError;
  const implicit = records.length === 0;
  const current = implicit ? [IMPLICIT_BUILTIN] : [...records];
  const name = kubernetesNameFor(req.name);
  const nameTaken = current.some((r) => r.cosmosName === req.name || r.name === name);
  const uriTaken = current.some((r) => r.uri === req.uri);
  if (nameTaken || uriTaken)
    return repositoryAlreadyPresent(nameTaken ? req.name : undefined, uriTaken ? req.uri : undefined);
  const index = req.index ?? current.length;
  if (!Number.isInteger(index) || index < 0 || index > current.length)
    return repositoryIndexOutOfBounds(index, current.length);

  const fresh = { name, cosmosName: req.name, uri: req.uri };
  const prev = current[index - 1];
  const next = current[index];
  const lands = (priority: number) =>
    orderRepositories([...current, { ...fresh, priority }]).findIndex((r) => r.name === name) === index;
  const candidates = [
    0,
    ...(prev && next ? [Math.floor((prev.priority + next.priority) / 2)] : []),
    ...(prev ? [prev.priority - 1, prev.priority] : []),
    ...(next ? [next.priority + 1, next.priority] : []),
  ].filter((p) => p >= -INT32_MAX && p <= INT32_MAX);
  const fits = candidates.find(lands);
  const patches: AddPlan['patches'] = [];
  let priority: number;
  if (fits !== undefined) priority = fits;
  else if (!prev || !next)
    return new CosmosError('RepositoryAddIndexOutOfBounds', 'No priority left for that position', { index });
  else {
    // No value between prev and next: raise everything above the slot by the same amount (order kept).
    const raise = next.priority + 2 - prev.priority;
    for (const r of current.slice(0, index)) patches.push({ name: r.name, priority: r.priority + raise });
    priority = next.priority + 1;
  }
  const creates = [...(implicit ? [{ ...IMPLICIT_BUILTIN }] : []), { ...fresh, priority }];
  const list = [...current];
  list.splice(index, 0, { ...fresh, priority });
  return { patches, creates, list: list.map((r) => ({ name: r.cosmosName, uri: r.uri })) };
}

export interface DeletePlan {
  target: RepositoryRecord;
  list: CosmosRepository[];
}

/** Which repository `repository/delete {name?, uri?}` removes, and the list after; or the Cosmos error. */
export function planDelete(
  records: readonly RepositoryRecord[],
  req: { name?: string | undefined; uri?: string | undefined },
): DeletePlan | CosmosError {
  if (req.name === undefined && req.uri === undefined) return repoNameOrUriMissing();
  const matches = (r: RepositoryRecord) =>
    (req.name !== undefined && r.cosmosName === req.name) || (req.uri !== undefined && r.uri === req.uri);
  const target = records.find(matches);
  if (!target) {
    if (records.length === 0 && matches(IMPLICIT_BUILTIN))
      return new CosmosError(
        'RepositoryNotDeletable',
        'The built-in catalog is what the operator searches while no repository is configured; add another ' +
          'repository first, then delete [builtin]',
        { name: BUILTIN_NAME, uri: BUILTIN_URI },
      );
    return repositoryNotPresent(req.name, req.uri);
  }
  return { target, list: cosmosRepositories(records.filter((r) => r !== target)) };
}
