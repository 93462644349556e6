// Marathon group definitions ({"id": "/g", "apps": [...], "groups": [...], "dependencies": [...]}) expand
// into their apps: ids made absolute against the enclosing group, dependencies resolved (a group's
// dependencies apply to every app inside it), and every child checked to lie under its parent, with
// Marathon's messages and paths.
import type { MarathonErrorDetail, ParseResult } from '../resources/marathon-errors.ts';
import { isChildOf, parentId, resolveId } from './names.ts';

export interface GroupApp {
  /** Absolute app id. */
  id: string;
  /** The app definition as written, with `id` absolute and `dependencies` resolved to absolute ids. */
  definition: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when the JSON looks like a group rather than an app (it has apps or groups, and no command). */
export function isGroupDefinition(v: unknown): v is Record<string, unknown> {
  return (
    isRecord(v) &&
    (Array.isArray(v.apps) || Array.isArray(v.groups)) &&
    v.cmd === undefined &&
    v.args === undefined &&
    v.container === undefined
  );
}

export function expandGroup(input: unknown): ParseResult<GroupApp[]> {
  const details: MarathonErrorDetail[] = [];
  const apps: GroupApp[] = [];
  const fail = (path: string, error: string): void => {
    details.push({ path, errors: [error] });
  };

  const walk = (group: unknown, path: string, parent: string, inherited: string[]): void => {
    if (!isRecord(group)) return fail(path || '/', 'expected a group object');
    const rawId = group.id;
    if (rawId !== undefined && typeof rawId !== 'string') return fail(`${path}/id`, 'expected string');
    const id = resolveId(rawId ?? '/', parent);
    if (path && !isChildOf(id, parent)) return fail(`${path}/id`, `Identifier is not child of '${parent}'`);
    // A group's own relative dependencies resolve against the group itself (Marathon's
    // canonicalPath(group.id)); an app's against the group holding it.
    const deps = [...inherited, ...resolveAll(group.dependencies, id, `${path}/dependencies`, fail)];
    const children = (key: 'apps' | 'groups'): unknown[] => {
      const v = group[key];
      if (v === undefined) return [];
      if (!Array.isArray(v)) {
        fail(`${path}/${key}`, 'expected array');
        return [];
      }
      return v as unknown[];
    };
    children('apps').forEach((app, i) => {
      const at = `${path}/apps(${i})`;
      if (!isRecord(app)) return fail(at, 'expected an app object');
      if (typeof app.id !== 'string' || app.id === '') return fail(`${at}/id`, 'is required');
      const appId = resolveId(app.id, id);
      if (!isChildOf(appId, id)) return fail(`${at}/id`, `Identifier is not child of '${id}'`);
      const own = resolveAll(app.dependencies, parentId(appId), `${at}/dependencies`, fail);
      const dependencies = [...new Set([...deps, ...own])].filter((d) => d !== appId);
      apps.push({
        id: appId,
        definition: { ...app, id: appId, ...(dependencies.length ? { dependencies } : {}) },
      });
    });
    children('groups').forEach((g, i) => walk(g, `${path}/groups(${i})`, id, deps));
  };

  walk(input, '', '/', []);
  const seen = new Map<string, number>();
  apps.forEach((a, i) => {
    if (seen.has(a.id)) fail('/', `An app with id [${a.id}] is defined more than once.`);
    seen.set(a.id, i);
  });
  return details.length ? { ok: false, details } : { ok: true, value: apps };
}

function resolveAll(
  deps: unknown,
  base: string,
  path: string,
  fail: (path: string, error: string) => void,
): string[] {
  if (deps === undefined || deps === null) return [];
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) {
    fail(path, 'expected an array of ids');
    return [];
  }
  return (deps as string[]).map((d) => resolveId(d, base));
}
