// The read side of Marathon's /v2/apps and /v2/tasks, served from the operator's caches (plus, for the
// version history, the app's history ConfigMap). Lists keep only the apps of namespaces where the caller
// may list MarathonApps; tasks also need the right to list pods there.
import type { V1ConfigMap, V1Pod } from '@kubernetes/client-node';
import { childBaseName, resolveId } from '../../marathon/names.ts';
import { historyConfigMapName, readHistory } from '../../marathon/versions.ts';
import { getIfExists } from '../../runtime/kube-client.ts';
import { notFound } from '../api-error.ts';
import type { ApiRequest, ApiResult } from '../request.ts';
import type { Router } from '../router.ts';
import type { InfoOptions } from './app-info.ts';
import { canonicalJson, infoFields, normalizedOf, withFields } from './app-info.ts';
import type { AppView } from './app-views.ts';
import { AppViews } from './app-views.ts';
import type { MarathonApiContext } from './context.ts';
import { listableNamespaces, MARATHONAPPS } from './namespace-access.ts';
import type { EmbedSet } from './embed.ts';
import { listEmbed, singleEmbed } from './embed.ts';
import { labelSelectorOrThrow, matchesLabels } from './label-selector.ts';
import type { MarathonTask } from './task-info.ts';
import { isTask, isoTime, taskInfo, tasksText, wantsText } from './task-info.ts';

const PODS = { group: '', resource: 'pods' } as const;

const views = new WeakMap<MarathonApiContext, AppViews>();

/** The memoized app renderings of this API (one per context; other route areas may list apps with it). */
export function appViews(ctx: MarathonApiContext): AppViews {
  let v = views.get(ctx);
  if (!v) {
    v = new AppViews({ apps: ctx.apps, pods: ctx.pods, podsOf: (key) => ctx.podsByApp.get(key) });
    views.set(ctx, v);
  }
  return v;
}

export function registerAppReadRoutes(router: Router, ctx: MarathonApiContext): void {
  // Created now, before the informers start, so it sees their first lists.
  const v = appViews(ctx);
  router
    .add('GET', /^\/v2\/apps$/, (req) => listApps(req, ctx, v))
    .add('GET', /^\/v2\/apps\/(?<id>.+)\/tasks$/, (req, p) => appTasks(req, ctx, v, p.id!))
    .add('GET', /^\/v2\/apps\/(?<id>.+)\/versions\/(?<version>[^/]+)$/, (req, p) =>
      appAtVersion(req, ctx, v, p.id!, p.version!),
    )
    .add('GET', /^\/v2\/apps\/(?<id>.+)\/versions$/, (req, p) => appVersions(req, ctx, v, p.id!))
    .add('GET', /^\/v2\/apps\/(?<id>.+)$/, (req, p) => showApp(req, ctx, v, p.id!))
    .add('GET', /^\/v2\/tasks$/, (req) => allTasks(req, ctx, v));
}

function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

function infoOptions(ctx: MarathonApiContext, showTasks: boolean): InfoOptions {
  return { node: (name) => ctx.nodes.get(name), now: ctx.now(), showTasks };
}

/** An app's AppInfo JSON for these embeds, as UTF-8 (memoized when they are the list's defaults). */
function infoBytes(
  ctx: MarathonApiContext,
  v: AppViews,
  view: AppView,
  embed: EmbedSet,
  showTasks: boolean,
): Buffer {
  if (embed.size === 2 && embed.has('counts') && embed.has('deployments')) return v.listBytes(view);
  return Buffer.from(
    withFields(view.head, infoFields(view.info, v.pods(view), embed, infoOptions(ctx, showTasks))),
  );
}

const COMMA = Buffer.from(',');

/** `{"<field>":[...]}` around the entries, as pieces to send in order (the entries are memoized buffers). */
function jsonArray(field: string, entries: readonly Buffer[]): Buffer[] {
  const chunks: Buffer[] = [Buffer.from(`{"${field}":[`)];
  entries.forEach((e, i) => {
    if (i > 0) chunks.push(COMMA);
    chunks.push(e);
  });
  chunks.push(Buffer.from(']}'));
  return chunks;
}

function json(text: string | Buffer | readonly Buffer[]): ApiResult {
  return { status: 200, json: text };
}

// ---- GET /v2/apps -----------------------------------------------------------------------------------

/**
 * Whole list responses, for lists that depend only on the apps and their counts (no tasks: those also
 * follow nodes and the clock), valid while no app or pod changed. Clients poll the same list; at 10,000
 * apps a response is megabytes. A response is first kept as its pieces; one asked for again is joined into
 * one buffer, which later requests send as is. (Joining every response would allocate megabytes per
 * request while apps change, and that drives the garbage collector into full collections.)
 */
class ListResponses {
  private readonly entries = new Map<string, { generation: number; body: readonly Buffer[] | Buffer }>();
  // Each can be megabytes (7 MB at 10,000 apps): the plain list and one filtered variant.
  private static readonly MAX = 2;

  get(key: string, generation: number): ApiResult | undefined {
    const hit = this.entries.get(key);
    if (hit?.generation !== generation) return undefined;
    if (Array.isArray(hit.body)) hit.body = Buffer.concat(hit.body as readonly Buffer[]);
    return { status: 200, json: hit.body };
  }

  set(key: string, generation: number, body: readonly Buffer[]): void {
    for (const [k, e] of this.entries) if (e.generation !== generation) this.entries.delete(k);
    this.entries.delete(key);
    this.entries.set(key, { generation, body });
    if (this.entries.size > ListResponses.MAX) this.entries.delete(this.entries.keys().next().value!);
  }
}

const listResponses = new WeakMap<AppViews, ListResponses>();

async function listApps(req: ApiRequest, ctx: MarathonApiContext, v: AppViews): Promise<ApiResult> {
  const embed = listEmbed(req.list('embed'));
  const cmd = req.query.get('cmd')?.toLowerCase();
  const idPart = req.query.get('id')?.toLowerCase();
  const label = req.query.get('label');
  const selectors = label === null ? undefined : labelSelectorOrThrow(label);
  const generation = v.generation;
  const keys = ctx.index.ids().map((id) => ({ id, key: ctx.index.get(id)! }));
  const namespaces = keys.map((k) => splitKey(k.key).namespace);
  const visible = await listableNamespaces(req, namespaces);
  const needPods = embed.has('tasks') || embed.has('readiness') || embed.has('taskStats');
  let responses = listResponses.get(v);
  if (!responses) listResponses.set(v, (responses = new ListResponses()));
  const cacheKey = needPods
    ? undefined
    : JSON.stringify([[...visible].sort(), [...embed].sort(), cmd, idPart, label]);
  const cached = cacheKey === undefined ? undefined : responses.get(cacheKey, generation);
  if (cached) return cached;
  const podsVisible = needPods ? await listableNamespaces(req, visible, PODS) : new Set<string>();
  const parts: Buffer[] = [];
  for (const { id, key } of keys) {
    const { namespace } = splitKey(key);
    if (!visible.has(namespace)) continue;
    if (idPart !== undefined && !id.toLowerCase().includes(idPart)) continue;
    const view = v.view(key);
    if (!view) continue;
    if (cmd !== undefined && !view.cmd?.toLowerCase().includes(cmd)) continue;
    if (selectors && !matchesLabels(selectors, view.labels)) continue;
    parts.push(infoBytes(ctx, v, view, embed, podsVisible.has(namespace)));
  }
  const body = jsonArray('apps', parts);
  // Built from what the caches held at `generation` or later (events may have come in while authorizing).
  if (cacheKey !== undefined) responses.set(cacheKey, generation, body);
  return json(body);
}

// ---- GET /v2/apps/{id} ------------------------------------------------------------------------------

/** The app with this id, after the caller was authorized to get it; Marathon's 404 when there is none. */
async function resolveApp(
  req: ApiRequest,
  ctx: MarathonApiContext,
  v: AppViews,
  rawId: string,
): Promise<AppView> {
  const id = resolveId(rawId);
  const key = ctx.index.get(id);
  const view = key === undefined ? undefined : v.view(key);
  if (!view) throw notFound(`App '${id}' does not exist`);
  await req.authorize({ verb: 'get', ...MARATHONAPPS, namespace: view.namespace, name: view.name });
  return view;
}

async function showApp(
  req: ApiRequest,
  ctx: MarathonApiContext,
  v: AppViews,
  rawId: string,
): Promise<ApiResult> {
  const embed = singleEmbed(req.list('embed'));
  if (rawId === '*' || rawId.endsWith('/*')) return groupApps(req, ctx, v, rawId.slice(0, -1), embed);
  const view = await resolveApp(req, ctx, v, rawId);
  const showTasks = await req.may({ verb: 'list', ...PODS, namespace: view.namespace });
  const app = infoBytes(ctx, v, view, embed, showTasks);
  return json([Buffer.from('{"app":'), app, Buffer.from('}')]);
}

/** GET /v2/apps/{group}/*: every app at or below the group, as `{"*": [...]}`. */
async function groupApps(
  req: ApiRequest,
  ctx: MarathonApiContext,
  v: AppViews,
  rawGroup: string,
  embed: EmbedSet,
): Promise<ApiResult> {
  const groupId = resolveId(rawGroup);
  const ids = ctx.index.under(groupId);
  if (ids.length === 0 && groupId !== '/') throw notFound(`Group '${groupId}' does not exist`);
  const keys = ids.map((id) => ctx.index.get(id)!);
  const visible = await listableNamespaces(
    req,
    keys.map((k) => splitKey(k).namespace),
  );
  const podsVisible = await listableNamespaces(req, visible, PODS);
  const parts: Buffer[] = [];
  for (const key of keys) {
    const { namespace } = splitKey(key);
    if (!visible.has(namespace)) continue;
    const view = v.view(key);
    if (view) parts.push(infoBytes(ctx, v, view, embed, podsVisible.has(namespace)));
  }
  return json(jsonArray('*', parts));
}

// ---- tasks ------------------------------------------------------------------------------------------

function tasksOf(ctx: MarathonApiContext, v: AppViews, view: AppView): MarathonTask[] {
  return v
    .pods(view)
    .filter(isTask)
    .map((p: V1Pod) => taskInfo(p, view.info.source, ctx.nodes.get(p.spec?.nodeName ?? '')))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function appTasks(
  req: ApiRequest,
  ctx: MarathonApiContext,
  v: AppViews,
  rawId: string,
): Promise<ApiResult> {
  const view = await resolveApp(req, ctx, v, rawId);
  await req.authorize({ verb: 'list', ...PODS, namespace: view.namespace });
  const tasks = tasksOf(ctx, v, view);
  if (wantsText(req.header('accept')))
    return { status: 200, text: tasksText([{ source: view.info.source, tasks }]) };
  return json(`{"tasks":${JSON.stringify(tasks)}}`);
}

/** Marathon's `status` filter values and the task states they select; unknown values are ignored. */
const STATUS_STATES: ReadonlyMap<string, string> = new Map([
  ['running', 'TASK_RUNNING'],
  ['staging', 'TASK_STAGING'],
]);

async function allTasks(req: ApiRequest, ctx: MarathonApiContext, v: AppViews): Promise<ApiResult> {
  const states = new Set(
    [...req.list('status'), ...req.list('status[]')].flatMap((s) => STATUS_STATES.get(s.toLowerCase()) ?? []),
  );
  const keys = ctx.index.ids().map((id) => ctx.index.get(id)!);
  const apps = await listableNamespaces(
    req,
    keys.map((k) => splitKey(k).namespace),
  );
  const visible = await listableNamespaces(req, apps, PODS);
  const listed: { source: AppView['info']['source']; tasks: MarathonTask[] }[] = [];
  for (const key of keys) {
    if (!visible.has(splitKey(key).namespace)) continue;
    const view = v.view(key);
    if (!view) continue;
    const tasks = tasksOf(ctx, v, view).filter((t) => states.size === 0 || states.has(t.state));
    listed.push({ source: view.info.source, tasks });
  }
  if (wantsText(req.header('accept'))) return { status: 200, text: tasksText(listed) };
  return json(`{"tasks":${JSON.stringify(listed.flatMap((l) => l.tasks))}}`);
}

// ---- versions ---------------------------------------------------------------------------------------

/** Past definitions of the app, newest first (the history ConfigMap is read, not cached: rarely asked). */
async function history(ctx: MarathonApiContext, view: AppView) {
  const name = historyConfigMapName(childBaseName(view.name));
  const cm = await getIfExists<V1ConfigMap>(
    ctx.json,
    `/api/v1/namespaces/${view.namespace}/configmaps/${name}`,
  );
  return readHistory(cm);
}

function currentVersions(view: AppView): string[] {
  const { lastScalingAt, lastConfigChangeAt } = view.info.versionInfo;
  return [view.version, lastScalingAt, lastConfigChangeAt];
}

async function appVersions(
  req: ApiRequest,
  ctx: MarathonApiContext,
  v: AppViews,
  rawId: string,
): Promise<ApiResult> {
  const view = await resolveApp(req, ctx, v, rawId);
  const all = [...currentVersions(view), ...(await history(ctx, view)).map((e) => e.version)];
  const unique = [...new Set(all.map((t) => isoTime(t) ?? t))].sort().reverse();
  return { status: 200, body: { versions: unique } };
}

async function appAtVersion(
  req: ApiRequest,
  ctx: MarathonApiContext,
  v: AppViews,
  rawId: string,
  version: string,
): Promise<ApiResult> {
  const view = await resolveApp(req, ctx, v, rawId);
  const wanted = isoTime(version);
  const missing = () => notFound(`App '${view.id}' does not exist in version ${wanted ?? version}`);
  if (wanted === undefined) throw missing();
  if (isoTime(view.version) === wanted) return json(`${view.head}}`);
  const same = (t: string) => isoTime(t) === wanted;
  const entry = (await history(ctx, view)).find((e) => same(e.version));
  // Else the current definition at its last config change (only the instance count changed since).
  const spec = entry
    ? entry.app
    : same(view.info.versionInfo.lastConfigChangeAt) || same(view.info.versionInfo.lastScalingAt)
      ? currentSpec(ctx, view)
      : undefined;
  if (spec === undefined) throw missing();
  const record = typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? spec : {};
  const app = normalizedOf({ ...record, id: view.id }, view.id);
  return {
    status: 200,
    body: canonicalJson(app, {
      version: wanted,
      versionInfo: { lastScalingAt: wanted, lastConfigChangeAt: wanted },
    }),
  };
}

function currentSpec(ctx: MarathonApiContext, view: AppView): unknown {
  return (ctx.apps.get(view.name, view.namespace) as { spec?: unknown } | undefined)?.spec;
}
