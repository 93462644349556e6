// Marathon's /v2/groups. Groups are implicit (group-tree.ts): reads build the tree from the app ids the
// caller may list; writes turn a group change into app writes, made as one Marathon deployment by the app
// writer (group-writes.ts); versions come from the apps' own history (group-history.ts).
//
// Routes (`{id}` may be empty: the root group):
//   GET    /v2/groups[/{id}]                 GroupInfo, with `embed`
//   GET    /v2/groups[/{id}]/apps            every app below the group, as an array of AppInfo
//   GET    /v2/groups[/{id}]/versions        versions of the group, newest first
//   GET    /v2/groups[/{id}]/versions/{ts}   the group as it was at that version
//   POST   /v2/groups[/{id}]                 create (201; 409 when the group exists)
//   PUT    /v2/groups[/{id}]                 create or update, `{"scaleBy": f}`, `{"version": ts}`, dryRun
//   PUT    /v2/groups[/{id}]/versions/{ts}   rollback (marathon-python's rollback_group)
//   PATCH  /v2/groups/{id}                   enforceRole only (no effect here)
//   DELETE /v2/groups[/{id}]                 delete every app below the group
import type { V1Pod } from '@kubernetes/client-node';
import { invalid, notFound } from '../api-error.ts';
import type { ApiRequest, ApiResult } from '../request.ts';
import type { Router } from '../router.ts';
import { infoFields, withFields } from './app-info.ts';
import type { AppViews } from './app-views.ts';
import { appViews } from './apps-read.ts';
import type { MarathonApiContext } from './context.ts';
import type { EmbedSet } from './embed.ts';
import { parseEmbed } from './embed.ts';
import type { AppRef } from './group-access.ts';
import { appsUnder, visibleTo } from './group-access.ts';
import { groupAtVersion, groupVersions } from './group-history.ts';
import { buildGroupTree, groupPath, renderGroup, resolveGroupEmbed } from './group-tree.ts';
import { createGroup, deleteGroup, rollbackGroup, updateGroup } from './group-writes.ts';

const PODS = { group: '', resource: 'pods' } as const;

/** `(?<id>...)` absent or empty is the root group. */
const G = String.raw`^\/v2\/groups(?:\/(?<id>.+?))?`;
const route = (suffix: string) => new RegExp(`${G}${suffix}$`);

export function registerGroupRoutes(router: Router, ctx: MarathonApiContext): void {
  const v = appViews(ctx);
  router
    .add('GET', route(String.raw`\/apps`), (req, p) => listGroupApps(req, ctx, v, p.id))
    .add('GET', route(String.raw`\/versions\/(?<version>[^/]+)`), (req, p) =>
      groupAtVersion(req, ctx, groupPath(p.id ?? '/'), p.version!),
    )
    .add('GET', route(String.raw`\/versions`), (req, p) => groupVersions(req, ctx, groupPath(p.id ?? '/')))
    .add('GET', route(''), (req, p) => showGroup(req, ctx, v, p.id))
    .add('POST', route(''), (req, p) => createGroup(req, ctx, p.id ?? '/'))
    .add('PUT', route(String.raw`\/versions\/(?<version>[^/]+)`), (req, p) =>
      rollbackGroup(req, ctx, groupPath(p.id ?? '/'), p.version!),
    )
    .add('PUT', route(''), (req, p) => updateGroup(req, ctx, p.id ?? '/'))
    .add('PATCH', route(''), (req, p) => patchGroup(req, ctx, p.id))
    .add('DELETE', route(''), (req, p) => deleteGroup(req, ctx, groupPath(p.id ?? '/')));
}

export const groupNotFound = (id: string) => notFound(`Group '${id}' does not exist`);

/** The apps at or below the group that the caller may list, and where it may also see their tasks. */
async function visibleApps(
  req: ApiRequest,
  ctx: MarathonApiContext,
  groupId: string,
  withTasks: boolean,
): Promise<{ apps: Map<string, AppRef>; tasksIn: Set<string> }> {
  const apps = await visibleTo(req, appsUnder(ctx.index, groupId));
  const tasksIn = new Set<string>();
  if (withTasks) {
    const namespaces = [...new Set([...apps.values()].map((a) => a.namespace))];
    const answers = await Promise.all(
      namespaces.map((namespace) => req.may({ verb: 'list', ...PODS, namespace })),
    );
    namespaces.forEach((ns, i) => answers[i] && tasksIn.add(ns));
  }
  return { apps, tasksIn };
}

/** One app's JSON text: the memoized definition, plus the AppInfo fields asked for. */
function appText(ctx: MarathonApiContext, v: AppViews, ref: AppRef, embed: EmbedSet, tasksIn: Set<string>) {
  const view = v.view(`${ref.namespace}/${ref.name}`);
  if (!view) return undefined;
  if (embed.size === 0) return { view, text: `${view.head}}` };
  const pods: V1Pod[] = v.pods(view);
  const fields = infoFields(view.info, pods, embed, {
    node: (name) => ctx.nodes.get(name),
    now: ctx.now(),
    showTasks: tasksIn.has(ref.namespace),
  });
  return { view, text: withFields(view.head, fields) };
}

const needsTasks = (embedValues: readonly string[]) => {
  const e = parseEmbed(embedValues);
  return e.has('tasks') || e.has('readiness') || e.has('taskStats');
};

async function showGroup(
  req: ApiRequest,
  ctx: MarathonApiContext,
  v: AppViews,
  rawId: string | undefined,
): Promise<ApiResult> {
  const id = groupPath(rawId ?? '/');
  const embed = resolveGroupEmbed(req.list('embed'));
  const { apps, tasksIn } = await visibleApps(req, ctx, id, embed.apps && needsTasks(embed.appEmbed));
  const tree = buildGroupTree(id, apps.keys());
  if (!tree) throw groupNotFound(id);
  const texts = new Map<string, { text: string; version: string }>();
  const appEmbed = parseEmbed(embed.apps ? embed.appEmbed : []);
  for (const [appId, ref] of apps) {
    const r = appText(ctx, v, ref, appEmbed, tasksIn);
    if (r) texts.set(appId, { text: r.text, version: r.view.version });
  }
  const json = renderGroup(tree, embed, {
    app: (appId) => texts.get(appId)?.text ?? 'null',
    version: (appId) => texts.get(appId)?.version,
  });
  return { status: 200, json };
}

/** Marathon's `{id}/apps`: the apps at every depth below the group; none (not 404) for an unknown group. */
async function listGroupApps(
  req: ApiRequest,
  ctx: MarathonApiContext,
  v: AppViews,
  rawId: string | undefined,
): Promise<ApiResult> {
  const id = groupPath(rawId ?? '/');
  const embed = resolveGroupEmbed(req.list('embed'));
  const { apps, tasksIn } = await visibleApps(req, ctx, id, needsTasks(embed.appEmbed));
  const parts: string[] = [];
  const appEmbed = parseEmbed(embed.appEmbed);
  for (const [appId, ref] of apps) {
    if (appId === id) continue; // an app with the group's own id is not in the group
    const r = appText(ctx, v, ref, appEmbed, tasksIn);
    if (r) parts.push(r.text);
  }
  return { status: 200, json: `[${parts.join(',')}]` };
}

/**
 * PATCH sets `enforceRole` of a top-level group in Marathon. Roles have no Kubernetes counterpart and
 * implicit groups keep no settings, so a valid patch of an existing group is accepted and changes nothing.
 */
async function patchGroup(
  req: ApiRequest,
  ctx: MarathonApiContext,
  rawId: string | undefined,
): Promise<ApiResult> {
  const id = groupPath(rawId ?? '/');
  const body = await req.json();
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid([{ path: '/', errors: ['error.expected.jsobject'] }]);
  const enforceRole = (body as Record<string, unknown>).enforceRole;
  if (enforceRole !== undefined && enforceRole !== null && typeof enforceRole !== 'boolean')
    throw invalid([{ path: '/enforceRole', errors: ['error.expected.jsboolean'] }]);
  if (id.split('/').filter(Boolean).length !== 1)
    throw invalid([{ path: '/', errors: ['Path needs to be top-level'] }]);
  const { apps } = await visibleApps(req, ctx, id, false);
  if (!buildGroupTree(id, apps.keys())) throw groupNotFound(id);
  return { status: 200 };
}
