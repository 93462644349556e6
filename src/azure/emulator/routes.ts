// Maps a request path onto the ARM resources the emulator serves. Literal segments match case-insensitively,
// as in ARM; names keep the caller's casing.
import type { ClusterRef, PoolRef } from './model.ts';

export type Route =
  | { kind: 'cluster'; ref: ClusterRef }
  | { kind: 'pools'; ref: ClusterRef }
  | { kind: 'pool'; ref: PoolRef }
  | { kind: 'abort'; ref: PoolRef }
  | { kind: 'upgradeProfile'; ref: PoolRef }
  | { kind: 'operation'; subscriptionId: string; location: string; id: string }
  | { kind: 'operationResult'; subscriptionId: string; location: string; id: string };

export const ROUTE_METHODS: Record<Route['kind'], string[]> = {
  cluster: ['GET'],
  pools: ['GET'],
  pool: ['GET', 'PUT', 'DELETE'],
  abort: ['POST'],
  upgradeProfile: ['GET'],
  operation: ['GET'],
  operationResult: ['GET'],
};

const PROVIDER = 'microsoft.containerservice';

/** The route for a URL path (no query string), or undefined when the emulator serves nothing there. */
export function matchRoute(pathname: string): Route | undefined {
  let parts: string[];
  try {
    parts = pathname.replace(/\/+$/, '').split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const is = (i: number, literal: string) => parts[i]?.toLowerCase() === literal;
  if (!is(0, 'subscriptions') || !parts[1]) return undefined;
  const subscriptionId = parts[1];

  // /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/{loc}/operations|operationresults/{id}
  if (
    is(2, 'providers') &&
    is(3, PROVIDER) &&
    is(4, 'locations') &&
    parts[5] &&
    parts[7] &&
    parts.length === 8
  ) {
    const location = parts[5];
    const id = parts[7];
    if (is(6, 'operations')) return { kind: 'operation', subscriptionId, location, id };
    if (is(6, 'operationresults')) return { kind: 'operationResult', subscriptionId, location, id };
    return undefined;
  }

  // /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{cluster}/…
  if (!is(2, 'resourcegroups') || !parts[3] || !is(4, 'providers') || !is(5, PROVIDER)) return undefined;
  if (!is(6, 'managedclusters') || !parts[7]) return undefined;
  const ref: ClusterRef = { subscriptionId, resourceGroup: parts[3], cluster: parts[7] };
  const rest = parts.slice(8);
  if (rest.length === 0) return { kind: 'cluster', ref };
  if (rest[0]?.toLowerCase() !== 'agentpools') return undefined;
  if (rest.length === 1) return { kind: 'pools', ref };
  const pool: PoolRef = { ...ref, pool: rest[1] ?? '' };
  if (!pool.pool) return undefined;
  if (rest.length === 2) return { kind: 'pool', ref: pool };
  if (rest.length === 3 && rest[2]?.toLowerCase() === 'abort') return { kind: 'abort', ref: pool };
  if (
    rest.length === 4 &&
    rest[2]?.toLowerCase() === 'upgradeprofiles' &&
    rest[3]?.toLowerCase() === 'default'
  )
    return { kind: 'upgradeProfile', ref: pool };
  return undefined;
}
