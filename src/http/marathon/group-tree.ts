// Marathon groups without a store of their own: as in Marathon, where the root group holds every app, the
// tree is derived from the app ids (/prod/web/api sits in /prod/web, which sits in /prod). A group exists
// while some app lies below it; the root always exists. Pure: the caller supplies the ids and renders apps.
import { resolveId } from '../../marathon/names.ts';

export interface GroupNode {
  /** Absolute group id ('/' for the root). */
  id: string;
  /** Ids of the apps directly in this group, sorted. */
  apps: string[];
  /** Child groups, sorted by id. */
  groups: GroupNode[];
}

/** `/v2/groups/{id}`'s id as Marathon reads it: absolute, normalized, no trailing slash. */
export function groupPath(raw: string): string {
  return resolveId(raw);
}

const segments = (id: string): string[] => id.split('/').filter(Boolean);

/**
 * The group `groupId` built from every app id at or below it (`AppIndex.under`), or undefined when no app
 * lies strictly below it (no such group; the root always exists, possibly empty).
 */
export function buildGroupTree(groupId: string, appIds: Iterable<string>): GroupNode | undefined {
  const base = segments(groupPath(groupId));
  const below: string[][] = [];
  for (const id of appIds) {
    const segs = segments(id);
    if (segs.length > base.length && base.every((s, i) => segs[i] === s)) below.push(segs);
  }
  if (below.length === 0 && base.length > 0) return undefined;
  return node(base, below);
}

function node(base: string[], below: string[][]): GroupNode {
  const apps: string[] = [];
  const children = new Map<string, string[][]>();
  for (const segs of below) {
    if (segs.length === base.length + 1) apps.push(`/${segs.join('/')}`);
    else {
      const child = segs[base.length]!;
      const list = children.get(child) ?? [];
      list.push(segs);
      children.set(child, list);
    }
  }
  return {
    id: `/${base.join('/')}`,
    apps: [...new Set(apps)].sort(),
    groups: [...children.keys()].sort().map((c) => node([...base, c], children.get(c)!)),
  };
}

/** Every app id in the group and its subgroups. */
export function appsIn(group: GroupNode): string[] {
  return [...group.apps, ...group.groups.flatMap(appsIn)];
}

/** The group `id` inside `group` (itself included), if present. */
export function findGroup(group: GroupNode, id: string): GroupNode | undefined {
  if (group.id === id) return group;
  for (const g of group.groups) if (id === g.id || id.startsWith(`${g.id}/`)) return findGroup(g, id);
  return undefined;
}

/** What `embed` asks of a group body (Marathon's InfoEmbedResolver for groups). */
export interface GroupEmbed {
  apps: boolean;
  groups: boolean;
  pods: boolean;
  /** The `group.apps.*` values: what each embedded app carries beyond its definition. */
  appEmbed: string[];
}

/** No `embed` at all means apps, pods and groups (Marathon's default, kept for old clients). */
export function resolveGroupEmbed(values: readonly string[]): GroupEmbed {
  if (values.length === 0) return { apps: true, groups: true, pods: true, appEmbed: [] };
  return {
    apps: values.includes('group.apps'),
    groups: values.includes('group.groups'),
    pods: values.includes('group.pods'),
    // Marathon splits on this prefix: `apps.tasks` on a group URL is an unknown group embed, ignored
    appEmbed: values.filter((v) => v.startsWith('group.apps.')),
  };
}

export interface GroupRenderer {
  /** The app's JSON text as the group shows it (the app, with the AppInfo fields embed asks for). */
  app: (id: string) => string;
  /** The app's Marathon version (ISO timestamp), if known. */
  version: (id: string) => string | undefined;
}

/**
 * Marathon's GroupInfo as JSON text: id, dependencies and version always; apps, groups and pods as
 * embedded. Text, because the apps come as memoized JSON text and the root group may hold thousands.
 */
export function renderGroup(group: GroupNode, embed: GroupEmbed, r: GroupRenderer): string {
  const version = groupVersion(group, r.version);
  const parts = [`"id":${JSON.stringify(group.id)}`];
  if (embed.apps) parts.push(`"apps":[${group.apps.map((id) => r.app(id)).join(',')}]`);
  if (embed.groups) parts.push(`"groups":[${group.groups.map((g) => renderGroup(g, embed, r)).join(',')}]`);
  // MarathonPods do not exist yet: no group holds any
  if (embed.pods) parts.push('"pods":[]');
  // Group dependencies are written onto the apps inside (they order those apps); the group keeps none.
  parts.push('"dependencies":[]');
  if (version) parts.push(`"version":${JSON.stringify(version)}`);
  return `{${parts.join(',')}}`;
}

/**
 * A group's version: when something in it last changed, i.e. the newest version of the apps in it
 * (Marathon stamps every group on the path of a change with the change's version).
 */
export function groupVersion(
  group: GroupNode,
  versionOf: (id: string) => string | undefined,
): string | undefined {
  let newest: string | undefined;
  for (const id of appsIn(group)) {
    const v = versionOf(id);
    if (v && (!newest || Date.parse(v) > Date.parse(newest))) newest = v;
  }
  return newest;
}
