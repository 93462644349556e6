// Marathon's system endpoints: /ping, /v2/info, /v2/leader, JSON /metrics, and the launch queue
// (/v2/queue). Everything but /ping needs a caller that may list MarathonApps (cluster-wide or in some
// namespace); the queue shows only the apps of namespaces where it may.
//
// DELETE /v2/leader: Marathon's leader exits and its supervisor restarts it, so another instance wins the
// election. The operator does the same when the API is given a way to stop it (`abdicate`): it answers,
// then shuts down gracefully (in-flight reconciles finish, the Lease is released) and Kubernetes restarts
// the container as a follower. That takes the right to delete Leases cluster-wide, not just to list apps.
// A replica that does not hold the Lease cannot make the leader abdicate (Marathon proxied the call to it).
import type { V1Pod } from '@kubernetes/client-node';
import { ApiError, notFound } from '../api-error.ts';
import type { ApiRequest, ApiResult } from '../request.ts';
import type { Router } from '../router.ts';
import { prefersJson } from '../server.ts';
import { appDeployments } from '../../marathon/deployments.ts';
import type { AppObject } from '../../marathon/deployments.ts';
import { childBaseName, OWNER_APP_ANNOTATION, resolveId } from '../../marathon/names.ts';
import { countTasks, isQueued } from '../../marathon/status.ts';
import { appJson } from './app-info.ts';
import type { MarathonApiContext } from './context.ts';
import { leaderAddress, marathonInfo } from './info.ts';
import type { InfoInput } from './info.ts';
import { groupCount, metricsJson } from './metrics-json.ts';
import { candidateNamespaces, listingAccess, MARATHONAPPS } from './namespace-access.ts';
import type { NamespaceAccess } from './namespace-access.ts';
import { queueItem } from './queue.ts';

/** What DELETE /v2/leader needs beyond the context: a graceful stop of this replica. */
export interface Abdication {
  abdicate?: () => void;
}

const NO_LEADER = 'There is no leader';

export function registerSystemRoutes(router: Router, ctx: MarathonApiContext & Abdication): void {
  router
    .add('GET', /^\/ping$/, (req) => ping(req), 'public')
    .add('GET', /^\/v2\/info$/, async (req) => {
      await access(req, ctx);
      return { status: 200, body: marathonInfo(infoInput(req, ctx)) };
    })
    .add('GET', /^\/v2\/leader$/, async (req) => {
      await access(req, ctx);
      const leader = leaderAddress(infoInput(req, ctx));
      if (!leader) throw notFound(NO_LEADER);
      return { status: 200, body: { leader } };
    })
    .add('DELETE', /^\/v2\/leader$/, (req) => abdicate(req, ctx))
    .add('GET', /^\/metrics$/, async (req) => {
      await access(req, ctx);
      return { status: 200, body: metrics(ctx) };
    })
    .add('GET', /^\/v2\/queue$/, async (req) => {
      const allowed = await access(req, ctx);
      return {
        status: 200,
        body: { queue: queue(ctx, allowed, req.list('embed').includes('lastUnusedOffers')) },
      };
    })
    .add('DELETE', /^\/v2\/queue\/(?<id>.+)\/delay$/, (req, p) => resetDelay(req, ctx, p.id ?? ''));
}

function ping(req: ApiRequest): ApiResult {
  const headers = { 'cache-control': 'must-revalidate,no-cache,no-store' };
  return prefersJson(req.header('accept'))
    ? { status: 200, body: 'pong', headers }
    : { status: 200, text: 'pong', headers };
}

function access(req: ApiRequest, ctx: MarathonApiContext): Promise<NamespaceAccess> {
  return listingAccess(req, candidateNamespaces(ctx.apps.keys(), ctx.settings.apiNamespace));
}

function infoInput(req: ApiRequest, ctx: MarathonApiContext): InfoInput {
  return {
    identity: ctx.settings.identity,
    leader: ctx.leader(),
    advertisedAddress: ctx.settings.advertisedAddress,
    requestHost: req.header('host'),
    apiNamespace: ctx.settings.apiNamespace,
    maxVersions: ctx.settings.maxVersions,
  };
}

async function abdicate(req: ApiRequest, ctx: MarathonApiContext & Abdication): Promise<ApiResult> {
  await req.authorize({ verb: 'delete', group: 'coordination.k8s.io', resource: 'leases' });
  const leader = ctx.leader();
  if (!leader) throw notFound(NO_LEADER);
  if (leader !== ctx.settings.identity)
    throw new ApiError(503, {
      message: `This replica is not the leader; send DELETE /v2/leader to ${leaderAddress(infoInput(req, ctx))}.`,
    });
  const stop = ctx.abdicate;
  if (!stop)
    throw new ApiError(503, { message: 'This replica cannot abdicate: it was started without a way to.' });
  // Answer first: the graceful stop closes the server.
  req.res.once('finish', () => setImmediate(() => stop()));
  return { status: 200, body: { message: 'Leadership abdicated' } };
}

function metrics(ctx: MarathonApiContext): Record<string, unknown> {
  const pods = ctx.pods.list();
  const counts = countTasks(pods, { healthChecks: 0 });
  const queued = pods.filter(isQueued).length;
  const deployments = new Set<string>();
  for (const app of ctx.apps.list() as AppObject[])
    for (const d of appDeployments(app)) deployments.add(d.id);
  return metricsJson({
    apps: ctx.apps.keys().length,
    groups: groupCount(ctx.index.ids()),
    deployments: deployments.size,
    instancesRunning: counts.tasksRunning,
    instancesStaged: Math.max(0, counts.tasksStaged - queued),
    instancesQueued: queued,
    eventStreams: ctx.events.size,
    events: ctx.events.count,
    uptimeSeconds: process.uptime(),
  });
}

function queue(ctx: MarathonApiContext, allowed: NamespaceAccess, embedOffers: boolean): unknown[] {
  const byApp = new Map<string, { namespace: string; name: string; pods: V1Pod[] }>();
  for (const pod of ctx.pods.list()) {
    if (!isQueued(pod)) continue;
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.annotations?.[OWNER_APP_ANNOTATION];
    if (!name || allowed.allows(namespace) !== true) continue;
    const key = `${namespace}/${name}`;
    const entry = byApp.get(key);
    if (entry) entry.pods.push(pod);
    else byApp.set(key, { namespace, name, pods: [pod] });
  }
  const nodeCount = ctx.nodes.keys().length;
  const items: { id: string; item: Record<string, unknown> }[] = [];
  for (const { namespace, name, pods } of byApp.values()) {
    const app = ctx.apps.get(name, namespace);
    if (!app) continue;
    const json = appJson(app);
    const item = queueItem(json, pods, { nodeCount, embedOffers });
    if (item) items.push({ id: String(json.id), item });
  }
  return items.sort((a, b) => a.id.localeCompare(b.id)).map((i) => i.item);
}

async function resetDelay(req: ApiRequest, ctx: MarathonApiContext, rawId: string): Promise<ApiResult> {
  const id = resolveId(rawId);
  const missing = () => notFound(`Application ${id} not found in tasks queue.`);
  const key = ctx.index.get(id);
  if (!key) throw missing();
  const slash = key.indexOf('/');
  const namespace = key.slice(0, slash);
  const name = key.slice(slash + 1);
  // Marathon checks UpdateRunSpec on the app.
  await req.authorize({ verb: 'update', ...MARATHONAPPS, namespace, name });
  const waiting = ctx.podsByApp.get(`${namespace}/${childBaseName(name)}`).some(isQueued);
  if (!waiting) throw missing();
  // Pods waiting for a node are retried on every cluster change, never backed off: nothing to reset.
  return { status: 204 };
}
