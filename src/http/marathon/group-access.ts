// Which apps of a group a caller may see: the MarathonApps in namespaces where it may list them (checked
// once cluster-wide, then per namespace, within one request), as Marathon filters a group by ViewGroup/
// ViewRunSpec. The group endpoints' reads and writes both go through here.
import type { ApiRequest } from '../request.ts';
import type { AppIndex } from './app-index.ts';
import { listableNamespaces } from './namespace-access.ts';

export interface AppRef {
  id: string;
  namespace: string;
  name: string;
}

/** The app id → MarathonApp reference of every app at or below `groupId` (all of them, visible or not). */
export function appsUnder(index: AppIndex, groupId: string): Map<string, AppRef> {
  const out = new Map<string, AppRef>();
  for (const id of index.under(groupId)) {
    const key = index.get(id);
    if (!key) continue;
    const slash = key.indexOf('/');
    out.set(id, { id, namespace: key.slice(0, slash), name: key.slice(slash + 1) });
  }
  return out;
}

/** The subset of `apps` in namespaces where the caller may list MarathonApps. */
export async function visibleTo(
  req: ApiRequest,
  apps: ReadonlyMap<string, AppRef>,
): Promise<Map<string, AppRef>> {
  const allowed = await listableNamespaces(
    req,
    [...apps.values()].map((a) => a.namespace),
  );
  return new Map([...apps].filter(([, a]) => allowed.has(a.namespace)));
}
