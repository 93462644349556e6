// /v2/deployments: the deployments under way (every app's, see deployment-view.ts, plus removals whose
// instances are still going), and cancelling one: without force a revert deployment restores what was
// there before; with `force=true` it is just no longer listed (202), Kubernetes finishing the rollout.
import { ApiError, notFound } from '../api-error.ts';
import type { ApiRequest, ApiResult } from '../request.ts';
import type { Router } from '../router.ts';
import { appDeployments, DISMISSED_DEPLOYMENT_ANNOTATION } from '../../marathon/deployments.ts';
import type { AppDeployment, AppObject } from '../../marathon/deployments.ts';
import { specBefore } from './app-history.ts';
import { listableNamespaces } from './namespace-access.ts';
import type { AppWrite } from './app-writer.ts';
import { annotateApp, appIdOf, deploymentResult, MARATHON_APPS, writeApps } from './app-writer.ts';
import type { MarathonApiContext } from './context.ts';
import type { DeploymentPart } from './deployment-view.ts';
import { appPart, deploymentKind, marathonDeployments, stopPart } from './deployment-view.ts';
import type { StoppingApp } from './stopping.ts';
import { stoppingApps } from './stopping.ts';

export function registerDeploymentRoutes(router: Router, ctx: MarathonApiContext): void {
  router.add('GET', /^\/v2\/deployments$/, (req) => listDeployments(ctx, req));
  router.add('DELETE', /^\/v2\/deployments\/(?<id>[^/]+)$/, (req, params) =>
    cancelDeployment(ctx, req, params.id ?? ''),
  );
}

interface Found {
  apps: { app: AppObject; deployment: AppDeployment }[];
  stops: StoppingApp[];
}

function current(ctx: MarathonApiContext): Found {
  const apps: Found['apps'] = [];
  for (const app of ctx.apps.list() as AppObject[])
    for (const deployment of appDeployments(app)) apps.push({ app, deployment });
  const stops = stoppingApps(ctx).list((key) => ctx.podsByApp.get(key), ctx.now().getTime());
  return { apps, stops };
}

async function listDeployments(ctx: MarathonApiContext, req: ApiRequest): Promise<ApiResult> {
  const { apps, stops } = current(ctx);
  const may = await listableNamespaces(req, [
    ...apps.map((a) => a.app.metadata?.namespace ?? ''),
    ...stops.map((s) => s.namespace),
  ]);
  const parts: DeploymentPart[] = [];
  for (const { app, deployment } of apps)
    if (may.has(app.metadata?.namespace ?? '')) parts.push(appPart(app, appIdOf(app), deployment));
  for (const s of stops) if (may.has(s.namespace)) parts.push(stopPart(s.deploymentId, s.version, s.appId));
  return { status: 200, body: marathonDeployments(parts) };
}

async function cancelDeployment(ctx: MarathonApiContext, req: ApiRequest, id: string): Promise<ApiResult> {
  const found = current(ctx);
  const apps = found.apps.filter((a) => a.deployment.id === id);
  const stops = found.stops.filter((s) => s.deploymentId === id);
  if (apps.length === 0 && stops.length === 0) throw notFound(`DeploymentPlan ${id} does not exist`);
  const namespaces = new Set([
    ...apps.map((a) => a.app.metadata?.namespace ?? ''),
    ...stops.map((s) => s.namespace),
  ]);
  for (const namespace of namespaces)
    await req.authorize({
      verb: 'update',
      group: MARATHON_APPS.group,
      resource: MARATHON_APPS.plural,
      namespace,
    });

  if (req.flag('force')) {
    for (const { app } of apps) await annotateApp(ctx, app, { [DISMISSED_DEPLOYMENT_ANNOTATION]: id });
    for (const s of stops) stoppingApps(ctx).remove(s.appId);
    return { status: 202 };
  }

  // Revert: every app of the deployment back to what it was before it, as one new deployment.
  const writes: AppWrite[] = [];
  for (const { app, deployment } of apps) {
    const appId = appIdOf(app);
    const before = await specBefore(ctx, app, deployment, deploymentKind(app, appId, deployment));
    writes.push(before ? { id: appId, mode: 'update', spec: () => before } : { id: appId, mode: 'delete' });
  }
  for (const s of stops) {
    if (typeof s.spec !== 'object' || s.spec === null)
      throw new ApiError(409, { message: `The removal of '${s.appId}' cannot be reverted.` });
    const spec = s.spec as Record<string, unknown>;
    writes.push({
      id: s.appId,
      mode: 'upsert',
      spec: () => spec,
      place: { namespace: s.namespace, name: s.name },
    });
  }
  // The deployment being reverted holds these apps: the revert replaces it, as Marathon's did.
  return deploymentResult(await writeApps(ctx, req, writes, { force: true }));
}
