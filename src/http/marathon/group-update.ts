// Marathon's GroupUpdate body (PUT/POST /v2/groups): read into absolute ids, then applied to the apps the
// group holds now, giving the apps it holds afterwards. Marathon's rules (GroupApiService, GroupConversion):
//   - `version` set: roll the group back to that version (wins over everything else);
//   - else `scaleBy` set: every app below the group gets ceil(instances * scaleBy);
//   - else a structural update: at each group level, `apps` (when present) replaces the group's own apps,
//     `groups` (when present) replaces its subgroups (a listed existing subgroup is updated by the same
//     rules, a new one created as given, an unlisted one removed with all its apps); an absent field keeps
//     what is there.
// Ids resolve against the enclosing group (`"id": "sleep"` in /g is /g/sleep), and a child outside its
// parent is rejected with Marathon's "Identifier is not child of '/g'". Group dependencies are handed down
// to the apps given inside the group (the group keeps none of its own: it is implicit). Pure.
import type { MarathonErrorDetail, ParseResult } from '../../resources/marathon-errors.ts';
import {
  PATH_ID_MESSAGE,
  PATH_ID_PATTERN,
  RESERVED_LAST_SEGMENT,
  RESERVED_MESSAGE,
} from '../../resources/marathon-path-id.ts';
import { isChildOf, parentId, resolveId } from '../../marathon/names.ts';
import { PODS_UNSUPPORTED } from './pods.ts';

export type AppDefinition = Record<string, unknown>;

export interface UpdateApp {
  /** Absolute id. */
  id: string;
  /** The definition as written, with `id` absolute and `dependencies` absolute (group ones included). */
  definition: AppDefinition;
  /** Where it is in the body (`/groups(0)/apps(1)`), for error paths. */
  path: string;
}

export interface UpdateGroup {
  /** Absolute id. */
  id: string;
  /** Absent: keep the group's own apps. */
  apps?: UpdateApp[];
  /** Absent: keep the subgroups. */
  groups?: UpdateGroup[];
}

export type GroupChange =
  | { kind: 'rollback'; id: string; version: string }
  | { kind: 'scale'; id: string; scaleBy: number }
  | { kind: 'update'; id: string; group: UpdateGroup };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a GroupUpdate sent to the group `base` (the URL's id, '/' for /v2/groups). The body's `id`, when
 * present, resolves against `base` (Marathon's canonicalPath): `{"id":"/prod"}` is /prod wherever it is
 * sent, `{"id":"web"}` sent to /prod is /prod/web.
 */
export function readGroupUpdate(body: unknown, base: string): ParseResult<GroupChange> {
  const details: MarathonErrorDetail[] = [];
  const fail = (path: string, error: string): void => {
    const d = details.find((x) => x.path === path);
    if (d) d.errors.push(error);
    else details.push({ path, errors: [error] });
  };
  if (!isRecord(body)) return { ok: false, details: [{ path: '/', errors: ['expected a group object'] }] };

  // Clients send absent fields as null (marathon-python's create_group: "version": null, "pods": [])
  const id = readId(body.id ?? undefined, base, '/id', fail) ?? resolveId(base);
  if (body.version !== undefined && body.version !== null) {
    if (typeof body.version !== 'string' || Number.isNaN(Date.parse(body.version)))
      fail('/version', 'expected an ISO-8601 timestamp');
    return details.length
      ? { ok: false, details }
      : { ok: true, value: { kind: 'rollback', id, version: body.version as string } };
  }
  if (body.scaleBy !== undefined && body.scaleBy !== null) {
    const f = body.scaleBy;
    if (typeof f !== 'number' || !Number.isFinite(f) || f < 0) fail('/scaleBy', 'expected a number >= 0');
    return details.length
      ? { ok: false, details }
      : { ok: true, value: { kind: 'scale', id, scaleBy: f as number } };
  }

  const seenApps = new Set<string>();
  const groupIds = new Set<string>();
  const walk = (g: Record<string, unknown>, gid: string, path: string, inherited: string[]): UpdateGroup => {
    groupIds.add(gid);
    const deps = [...inherited, ...readDeps(g.dependencies, gid, `${path}/dependencies`, fail)];
    const out: UpdateGroup = { id: gid };
    if (readList(g.pods, `${path}/pods`, fail)?.length) fail(`${path}/pods`, PODS_UNSUPPORTED);
    const apps = readList(g.apps, `${path}/apps`, fail);
    if (apps) {
      out.apps = [];
      apps.forEach((app, i) => {
        const at = `${path}/apps(${i})`;
        if (!isRecord(app)) return fail(at, 'expected an app object');
        if (typeof app.id !== 'string' || app.id === '') return fail(`${at}/id`, 'is required');
        const appId = readId(app.id, gid, `${at}/id`, fail);
        if (!appId) return;
        if (!isChildOf(appId, gid)) return fail(`${at}/id`, `Identifier is not child of '${gid}'`);
        if (seenApps.has(appId))
          return fail(`${at}/id`, `An app with id [${appId}] is defined more than once.`);
        seenApps.add(appId);
        const own = readDeps(app.dependencies, parentId(appId), `${at}/dependencies`, fail);
        const dependencies = [...new Set([...deps, ...own])].filter((d) => d !== appId);
        const definition: AppDefinition = { ...app, id: appId };
        if (dependencies.length) definition.dependencies = dependencies;
        else delete definition.dependencies;
        out.apps!.push({ id: appId, definition, path: at });
      });
    }
    const groups = readList(g.groups, `${path}/groups`, fail);
    if (groups) {
      out.groups = [];
      groups.forEach((child, i) => {
        const at = `${path}/groups(${i})`;
        if (!isRecord(child)) return fail(at, 'expected a group object');
        if (typeof child.id !== 'string' || child.id === '') return fail(`${at}/id`, 'is required');
        const cid = readId(child.id, gid, `${at}/id`, fail);
        if (!cid) return;
        if (!isChildOf(cid, gid)) return fail(`${at}/id`, `Identifier is not child of '${gid}'`);
        if (groupIds.has(cid)) return fail(`${at}/id`, `A group with id [${cid}] is defined more than once.`);
        out.groups!.push(walk(child, cid, at, deps));
      });
    }
    return out;
  };
  const group = walk(body, id, '', []);
  for (const appId of seenApps)
    if (groupIds.has(appId)) fail('/', `Groups and Applications may not have the same identifier: ${appId}`);
  return details.length ? { ok: false, details } : { ok: true, value: { kind: 'update', id, group } };
}

function readId(
  raw: unknown,
  base: string,
  path: string,
  fail: (path: string, error: string) => void,
): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') {
    fail(path, 'expected a string');
    return undefined;
  }
  if (!PATH_ID_PATTERN.test(raw)) {
    fail(path, PATH_ID_MESSAGE);
    return undefined;
  }
  if (RESERVED_LAST_SEGMENT.test(raw) && resolveId(raw, base) !== '/') {
    fail(path, RESERVED_MESSAGE);
    return undefined;
  }
  return resolveId(raw, base);
}

function readList(
  v: unknown,
  path: string,
  fail: (path: string, error: string) => void,
): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    fail(path, 'expected an array');
    return undefined;
  }
  return v as unknown[];
}

function readDeps(
  v: unknown,
  base: string,
  path: string,
  fail: (path: string, error: string) => void,
): string[] {
  const list = readList(v, path, fail);
  if (!list) return [];
  if (list.some((d) => typeof d !== 'string' || !PATH_ID_PATTERN.test(d))) {
    fail(path, 'expected an array of ids');
    return [];
  }
  return (list as string[]).map((d) => resolveId(d, base));
}

/**
 * The apps below the group after a structural update, from the apps below it now (`current`: id →
 * definition, every id under `group.id`).
 */
export function applyGroupUpdate(
  current: ReadonlyMap<string, AppDefinition>,
  group: UpdateGroup,
): Map<string, AppDefinition> {
  const out = new Map<string, AppDefinition>();
  const own = (id: string) => parentId(id) === group.id;
  if (group.apps) for (const a of group.apps) out.set(a.id, a.definition);
  else for (const [id, def] of current) if (own(id)) out.set(id, def);
  if (group.groups) {
    for (const child of group.groups) {
      const inside = new Map([...current].filter(([id]) => isChildOf(id, child.id)));
      for (const [id, def] of applyGroupUpdate(inside, child)) out.set(id, def);
    }
  } else for (const [id, def] of current) if (!own(id) && !out.has(id)) out.set(id, def);
  return out;
}

/** Every app below the group with ceil(instances * factor) instances (an app without `instances` has 1). */
export function scaleGroup(
  current: ReadonlyMap<string, AppDefinition>,
  factor: number,
): Map<string, AppDefinition> {
  const out = new Map<string, AppDefinition>();
  for (const [id, def] of current) {
    const instances = typeof def.instances === 'number' ? def.instances : 1;
    out.set(id, { ...def, instances: Math.ceil(instances * factor) });
  }
  return out;
}

/** Every app given in the update, at any depth. */
export function appsOf(group: UpdateGroup): UpdateApp[] {
  return [...(group.apps ?? []), ...(group.groups ?? []).flatMap(appsOf)];
}

/** Ids that are both an app and a group (an app with apps below it), which Marathon forbids. */
export function appGroupClashes(ids: Iterable<string>): string[] {
  const all = [...ids];
  const set = new Set(all);
  return all.filter((id) => all.some((other) => other !== id && isChildOf(other, id)) && set.has(id)).sort();
}
