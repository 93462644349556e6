// The write side of /v2/apps: create, update (partial or whole, single or in bulk, or a rollback to a
// stored version), delete, restart, and task kills (`/v2/apps/{id}/tasks`, `POST /v2/tasks/delete`).
// Every change goes through the writer (app-writer.ts) as a change of MarathonApp resources.
import { badRequest, invalid, notFound } from '../api-error.ts';
import type { ApiRequest, ApiResult } from '../request.ts';
import type { Router } from '../router.ts';
import { RESTARTED_AT_ANNOTATION, resolveId } from '../../marathon/names.ts';
import { appInfo } from './app-info.ts';
import { specAtVersion } from './app-history.ts';
import type { PutPlan, Spec } from './app-update.ts';
import {
  appNotFound,
  bodyObject,
  definitionOf,
  invalidGroupBody,
  looksLikeGroup,
  planPut,
  postedId,
  withId,
} from './app-update.ts';
import type { AppWrite } from './app-writer.ts';
import { appIdOf, deploymentResult, findApp, podsOfApp, writeApps } from './app-writer.ts';
import type { MarathonApiContext } from './context.ts';
import { parseTaskId, podOfInstance, taskIdsOf } from './task-ids.ts';
import type { KillSelection } from './task-kill.ts';
import { killableTasks, killTasks } from './task-kill.ts';

/** The path prefix the client used (Admin Router's), for Location headers. */
function prefixOf(req: ApiRequest): string {
  const url = req.raw.url ?? '';
  for (const p of ['/service/marathon', '/marathon']) if (url === p || url.startsWith(`${p}/`)) return p;
  return '';
}

const appIdParam = (params: Record<string, string>) => resolveId(params.id ?? '');

export function registerAppWriteRoutes(router: Router, ctx: MarathonApiContext): void {
  router.add('POST', /^\/v2\/apps$/, (req) => createApp(ctx, req));
  router.add('PUT', /^\/v2\/apps$/, (req) => updateMany(ctx, req, false));
  router.add('PATCH', /^\/v2\/apps$/, (req) => updateMany(ctx, req, true));
  router.add('POST', /^\/v2\/apps\/(?<id>.+)\/restart$/, (req, params) =>
    restartApp(ctx, req, appIdParam(params)),
  );
  // A task id always has a '.', which keeps `/v2/apps/a/tasks/b` (app /a/tasks/b) apart from task kills.
  router.add('DELETE', /^\/v2\/apps\/(?<id>.+)\/tasks\/(?<taskId>[^/]+\.[^/]+)$/, (req, params) =>
    killOne(ctx, req, appIdParam(params), params.taskId ?? ''),
  );
  router.add('DELETE', /^\/v2\/apps\/(?<id>.+)\/tasks$/, (req, params) =>
    killAppTasks(ctx, req, appIdParam(params)),
  );
  router.add('PUT', /^\/v2\/apps\/(?<id>.+)$/, (req, params) =>
    updateOne(ctx, req, appIdParam(params), false),
  );
  router.add('PATCH', /^\/v2\/apps\/(?<id>.+)$/, (req, params) =>
    updateOne(ctx, req, appIdParam(params), true),
  );
  router.add('DELETE', /^\/v2\/apps\/(?<id>.+)$/, (req, params) => deleteApp(ctx, req, appIdParam(params)));
  router.add('POST', /^\/v2\/tasks\/delete$/, (req) => killByIds(ctx, req));
}

async function createApp(ctx: MarathonApiContext, req: ApiRequest): Promise<ApiResult> {
  const body = bodyObject(await req.json());
  if (looksLikeGroup(body)) throw invalidGroupBody();
  const id = postedId(body);
  const result = await writeApps(
    ctx,
    req,
    [{ id, mode: 'create', spec: () => ({ ...definitionOf(body), id }) }],
    { force: req.flag('force') },
  );
  const written = result.apps[0]!;
  const info = appInfo(written.object, [], new Set(['counts', 'tasks', 'deployments'] as const));
  return {
    status: 201,
    body: { ...info, deployments: [{ id: result.deploymentId }] },
    headers: {
      Location: `${prefixOf(req)}/v2/apps${id}`,
      'Marathon-Deployment-Id': result.deploymentId,
    },
  };
}

/** A rollback's spec, or the update as a function of the current spec. */
async function writeFor(
  ctx: MarathonApiContext,
  id: string,
  body: Spec,
  partial: boolean,
  mode: 'update' | 'upsert',
  path: string,
): Promise<AppWrite> {
  const current = findApp(ctx, id);
  const plan: PutPlan = planPut(id, body, current?.spec as Spec | undefined, partial, path);
  if (plan.kind === 'rollback') {
    if (!current) throw appNotFound(id);
    const stored = await specAtVersion(ctx, current, id, plan.version);
    return {
      id,
      mode: 'update',
      path,
      spec: (cur) => withId(definitionOf(stored), id, cur),
    };
  }
  return {
    id,
    mode,
    path,
    spec: (cur) => (planPut(id, body, cur, partial, path) as Extract<PutPlan, { kind: 'spec' }>).spec,
  };
}

/** `PUT /v2/apps/{id}` (create or update, `partialUpdate` default true) and `PATCH` (update, partial). */
async function updateOne(
  ctx: MarathonApiContext,
  req: ApiRequest,
  id: string,
  patch: boolean,
): Promise<ApiResult> {
  const body = bodyObject(await req.json());
  const partial = patch || req.flag('partialUpdate', true);
  const write = await writeFor(ctx, id, body, partial, patch ? 'update' : 'upsert', '/');
  const result = await writeApps(ctx, req, [write], { force: req.flag('force') });
  if (!result.apps[0]?.created) return deploymentResult(result);
  return {
    status: 201,
    body: { version: result.version, deploymentId: result.deploymentId },
    headers: { Location: `${prefixOf(req)}/v2/apps${id}`, 'Marathon-Deployment-Id': result.deploymentId },
  };
}

/** `PUT /v2/apps` and `PATCH /v2/apps`: an array of apps, one deployment. */
async function updateMany(ctx: MarathonApiContext, req: ApiRequest, patch: boolean): Promise<ApiResult> {
  const body = await req.json();
  if (!Array.isArray(body)) throw invalid([{ path: '/', errors: ['error.expected.jsarray'] }]);
  const partial = patch || req.flag('partialUpdate', true);
  const writes: AppWrite[] = [];
  for (const [i, item] of body.entries()) {
    const path = `/${i}`;
    const app = bodyObject(item, path);
    if (typeof app.id !== 'string' || app.id.trim() === '')
      throw invalid([{ path: `${path}/id`, errors: ['error.path.missing'] }]);
    writes.push(
      await writeFor(ctx, resolveId(app.id.trim()), app, partial, patch ? 'update' : 'upsert', path),
    );
  }
  return deploymentResult(await writeApps(ctx, req, writes, { force: req.flag('force') }));
}

async function deleteApp(ctx: MarathonApiContext, req: ApiRequest, id: string): Promise<ApiResult> {
  // force defaults to true here (AppsResource.delete), unlike everywhere else.
  const result = await writeApps(ctx, req, [{ id, mode: 'delete' }], {
    force: req.flag('force', true),
  });
  return deploymentResult(result);
}

async function restartApp(ctx: MarathonApiContext, req: ApiRequest, id: string): Promise<ApiResult> {
  const result = await writeApps(
    ctx,
    req,
    [
      {
        id,
        mode: 'update',
        spec: (cur) => ({ ...cur }),
        // The reconciler hashes this into the pod template: every task is replaced under the upgrade strategy.
        annotations: (version) => ({ [RESTARTED_AT_ANNOTATION]: version }),
      },
    ],
    { force: req.flag('force') },
  );
  return deploymentResult(result);
}

function killOptions(req: ApiRequest) {
  return { scale: req.flag('scale'), wipe: req.flag('wipe'), force: req.flag('force') };
}

async function killAppTasks(ctx: MarathonApiContext, req: ApiRequest, id: string): Promise<ApiResult> {
  const app = findApp(ctx, id);
  if (!app) throw appNotFound(id);
  const host = req.query.get('host');
  const pods = killableTasks(ctx, app).filter((p) => !host || p.spec?.nodeName === host);
  const opts = killOptions(req);
  const result = await killTasks(ctx, req, [{ app, pods }], opts);
  if (result.deployment) return deploymentResult(result.deployment);
  return { status: 200, body: { tasks: result.tasks } };
}

async function killOne(
  ctx: MarathonApiContext,
  req: ApiRequest,
  id: string,
  taskId: string,
): Promise<ApiResult> {
  const app = findApp(ctx, id);
  if (!app) throw appNotFound(id);
  const parsed = parseTaskId(taskId);
  const pod = parsed && parsed.appId === id ? podOfInstance(podsOfApp(ctx, app), parsed.instance) : undefined;
  if (!pod) throw notFound(`Task '${taskId}' does not exist`);
  const result = await killTasks(ctx, req, [{ app, pods: [pod] }], killOptions(req));
  if (result.deployment) return deploymentResult(result.deployment);
  return { status: 200, body: { task: result.tasks[0] } };
}

/** `POST /v2/tasks/delete` `{"ids": [...]}`: tasks of any apps; unknown ones are ignored, as Marathon did. */
async function killByIds(ctx: MarathonApiContext, req: ApiRequest): Promise<ApiResult> {
  const ids = taskIdsOf(await req.json());
  if (!ids) throw invalid([{ path: '/ids', errors: ['error.expected.jsarray'] }]);
  const byApp = new Map<string, KillSelection>();
  for (const taskId of ids) {
    const parsed = parseTaskId(taskId);
    if (!parsed) throw badRequest(`Invalid task id '${taskId}'.`);
    const app = findApp(ctx, parsed.appId);
    if (!app) continue;
    const pod = podOfInstance(killableTasks(ctx, app), parsed.instance);
    if (!pod) continue;
    const key = appIdOf(app);
    const sel = byApp.get(key) ?? { app, pods: [] };
    if (!sel.pods.some((p) => p.metadata?.uid === pod.metadata?.uid)) sel.pods.push(pod);
    byApp.set(key, sel);
  }
  const result = await killTasks(ctx, req, [...byApp.values()], killOptions(req));
  if (result.deployment) return deploymentResult(result.deployment);
  return { status: 200, body: { tasks: result.tasks } };
}
