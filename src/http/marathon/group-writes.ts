// Writes of implicit groups: a group change (create, update, scaleBy, rollback, delete) becomes the app
// writes that turn the apps below the group now into the apps below it afterwards, made by the app writer
// as one Marathon deployment (one version, one deployment id in the header and the body). Everything is
// read and validated before the first write: a bad app anywhere in the body is a 422 and nothing changes.
import { conflict, invalid, notFound } from '../api-error.ts';
import type { ApiRequest, ApiResult } from '../request.ts';
import type { Spec } from './app-update.ts';
import { definitionOf, isRecord, problems, withId } from './app-update.ts';
import type { AppWrite } from './app-writer.ts';
import { deploymentResult, writeApps } from './app-writer.ts';
import type { MarathonApiContext } from './context.ts';
import { appsUnder, visibleTo } from './group-access.ts';
import { MARATHONAPPS } from './namespace-access.ts';
import { appsAtVersion, notAvailable } from './group-history.ts';
import type { AppChange } from './group-plan.ts';
import { dependencyDepths, deploymentSteps, planChanges } from './group-plan.ts';
import { buildGroupTree, groupPath } from './group-tree.ts';
import type { GroupChange } from './group-update.ts';
import { appGroupClashes, appsOf, applyGroupUpdate, readGroupUpdate, scaleGroup } from './group-update.ts';
import { isoTime } from './task-info.ts';

const groupNotFound = (id: string) => notFound(`Group '${id}' does not exist`);

/** The body as a group change; Marathon's 422 when it is not one. */
function readChange(body: unknown, base: string): GroupChange {
  const r = readGroupUpdate(body, base);
  if (!r.ok) throw invalid(r.details);
  return r.value;
}

/** A group id must not be, or lie below, an app (Marathon: groups and apps never share an id). */
function assertNotAnApp(ctx: MarathonApiContext, id: string): void {
  const segs = id.split('/').filter(Boolean);
  for (let i = segs.length; i > 0; i--) {
    const at = `/${segs.slice(0, i).join('/')}`;
    if (ctx.index.get(at)) throw conflict(`An app with the path ${at} already exists.`);
  }
}

/** POST /v2/groups[/{id}]: 201, or 409 when the group (or an app of that id) exists. */
export async function createGroup(
  req: ApiRequest,
  ctx: MarathonApiContext,
  rawBase: string,
): Promise<ApiResult> {
  const change = readChange(await req.json(), groupPath(rawBase));
  const id = change.id;
  if (id === '/' || buildGroupTree(id, ctx.index.under(id)))
    throw conflict(`Group ${id} is already created. Use PUT to change this group.`);
  const result = await applyChange(req, ctx, change, { dryRun: false });
  return withHeader(result, 201, 'Location', `/v2/groups${id === '/' ? '' : id}`);
}

/**
 * PUT /v2/groups[/{id}]: create or update (200). marathon-python's scale_group sends the factor as a
 * query parameter with no body, so `?scaleBy=f` without a body is read as `{"scaleBy": f}`.
 */
export async function updateGroup(
  req: ApiRequest,
  ctx: MarathonApiContext,
  rawBase: string,
): Promise<ApiResult> {
  let body = await req.json();
  const scaleBy = req.query.get('scaleBy');
  if (body === undefined && scaleBy !== null)
    body = { scaleBy: scaleBy.trim() === '' ? scaleBy : Number(scaleBy) };
  const change = readChange(body, groupPath(rawBase));
  return applyChange(req, ctx, change, { dryRun: req.flag('dryRun') });
}

/** PUT /v2/groups/{id}/versions/{ts} (marathon-python's rollback_group): `{"version": ts}` for the group. */
export function rollbackGroup(
  req: ApiRequest,
  ctx: MarathonApiContext,
  id: string,
  version: string,
): Promise<ApiResult> {
  return applyChange(req, ctx, { kind: 'rollback', id, version }, { dryRun: req.flag('dryRun') });
}

/** DELETE /v2/groups[/{id}]: every app below the group is deleted, as one deployment. */
export async function deleteGroup(req: ApiRequest, ctx: MarathonApiContext, id: string): Promise<ApiResult> {
  const apps = appsUnder(ctx.index, id);
  apps.delete(id);
  if (!buildGroupTree(id, apps.keys())) throw groupNotFound(id);
  const writes: AppWrite[] = [...apps.keys()].map((appId) => ({ id: appId, mode: 'delete' }));
  const result = await writeApps(ctx, req, writes, { force: req.flag('force') });
  return deploymentResult(result);
}

function withHeader(result: ApiResult, status: number, name: string, value: string): ApiResult {
  if (!('status' in result) || 'streamed' in result) return result;
  return { ...result, status, headers: { ...result.headers, [name]: value } };
}

/** The apps below the group now, as definitions with absolute ids (an app at the group's own id excluded). */
function currentApps(ctx: MarathonApiContext, id: string): Map<string, Spec> {
  const out = new Map<string, Spec>();
  for (const [appId, ref] of appsUnder(ctx.index, id)) {
    if (appId === id) continue;
    const obj = ctx.apps.get(ref.name, ref.namespace) as { spec?: unknown } | undefined;
    if (obj) out.set(appId, { ...(isRecord(obj.spec) ? obj.spec : {}), id: appId });
  }
  return out;
}

/** The apps below the group after the change, and where each given app sits in the body. */
async function targetApps(
  req: ApiRequest,
  ctx: MarathonApiContext,
  change: GroupChange,
  current: ReadonlyMap<string, Spec>,
): Promise<{ target: Map<string, Spec>; paths: Map<string, string> }> {
  const paths = new Map<string, string>();
  const exists = change.id === '/' || current.size > 0;
  switch (change.kind) {
    case 'update':
      assertNotAnApp(ctx, change.id);
      for (const a of appsOf(change.group)) paths.set(a.id, a.path);
      return { target: applyGroupUpdate(current, change.group), paths };
    case 'scale':
      if (!exists) throw groupNotFound(change.id);
      return { target: scaleGroup(current, change.scaleBy), paths };
    case 'rollback': {
      const ts = isoTime(change.version);
      if (!exists || !ts) throw groupNotFound(change.id);
      // Only what the caller may see is rolled back; the rest of the group stays as it is.
      const visible = await visibleTo(req, appsUnder(ctx.index, change.id));
      const at = await appsAtVersion(ctx, change.id, [...visible.values()], ts);
      if (!at.ok) throw notAvailable(change.id, ts, at.unknown);
      const target = new Map(current);
      for (const appId of visible.keys()) target.delete(appId);
      for (const [appId, a] of at.apps) target.set(appId, { ...a.spec, id: appId });
      return { target, paths };
    }
  }
}

/** What the app writer checks before writing, for a dry run: each verb once per namespace touched. */
async function authorizeChanges(req: ApiRequest, ctx: MarathonApiContext, changes: readonly AppChange[]) {
  const checks = new Map<string, { verb: 'create' | 'update' | 'delete'; namespace: string }>();
  for (const c of changes) {
    const key = ctx.index.get(c.id);
    const namespace = key ? key.slice(0, key.indexOf('/')) : ctx.settings.apiNamespace;
    const verb = c.kind === 'delete' ? 'delete' : c.kind === 'create' ? 'create' : 'update';
    checks.set(`${verb} ${namespace}`, { verb, namespace });
  }
  for (const c of checks.values()) await req.authorize({ ...c, ...MARATHONAPPS });
}

/** The app write of one planned change. */
function writeOf(c: AppChange, change: GroupChange, paths: ReadonlyMap<string, string>): AppWrite {
  if (c.kind === 'delete') return { id: c.id, mode: 'delete' };
  const path = paths.get(c.id);
  const base = { id: c.id, ...(path ? { path } : {}) };
  if (change.kind === 'scale') {
    // from the fresh spec, should the app change between the read and the write
    const f = change.scaleBy;
    return {
      ...base,
      mode: 'update',
      spec: (cur) => {
        const n = typeof cur?.instances === 'number' ? cur.instances : 1;
        return { ...cur, instances: Math.ceil(n * f) };
      },
    };
  }
  const def = definitionOf(c.definition ?? {});
  return { ...base, mode: c.kind === 'create' ? 'create' : 'update', spec: (cur) => withId(def, c.id, cur) };
}

async function applyChange(
  req: ApiRequest,
  ctx: MarathonApiContext,
  change: GroupChange,
  opts: { dryRun: boolean },
): Promise<ApiResult> {
  const current = currentApps(ctx, change.id);
  const { target, paths } = await targetApps(req, ctx, change, current);
  const clashes = appGroupClashes(target.keys());
  if (clashes.length)
    throw invalid([
      {
        path: '/',
        errors: [`Groups and Applications may not have the same identifier: ${clashes.join(', ')}`],
      },
    ]);
  const depths = dependencyDepths(target);
  if (!depths.ok)
    throw invalid([
      { path: '/', errors: [`Dependency graph has cyclic dependencies: ${depths.cycle.join(' -> ')}`] },
    ]);
  const changes = planChanges(current, target);
  if (opts.dryRun) {
    const details = changes.flatMap((c) =>
      c.kind === 'delete' || !c.definition
        ? []
        : problems(c.id, withId(definitionOf(c.definition), c.id, current.get(c.id)), paths.get(c.id) ?? '/'),
    );
    if (details.length) throw invalid(details);
    await authorizeChanges(req, ctx, changes);
    return { status: 200, body: { steps: deploymentSteps(changes, target) } };
  }
  const writes = changes.map((c) => writeOf(c, change, paths));
  const result = await writeApps(ctx, req, writes, { force: req.flag('force') });
  return deploymentResult(result);
}
