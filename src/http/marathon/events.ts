// GET /v2/events: Marathon's event stream (server-sent events), fed from the operator's caches. The stream
// starts with the subscriber's own `event_stream_attached`, honours `event_type` and `plan-format=light`,
// carries only the events of apps in namespaces where the caller may list MarathonApps, and stays open until
// the client goes (or falls too far behind).
import { ApiError } from '../api-error.ts';
import type { ApiRequest, ApiResult } from '../request.ts';
import type { Router } from '../router.ts';
import type { AppObject } from '../../marathon/deployments.ts';
import { appIdFor, childBaseName } from '../../marathon/names.ts';
import { appJson, normalizedOf } from './app-info.ts';
import type { MarathonApiContext } from './context.ts';
import { MarathonEventSource } from './event-source.ts';
import { DEFAULT_STREAM_LIMITS, EventStream } from './event-stream.ts';
import type { EventStreamLimits } from './event-stream.ts';
import { candidateNamespaces, listingAccess } from './namespace-access.ts';
import { acceptsEventStream, streamOptions } from './sse.ts';
import { stoppingApps } from './stopping.ts';
import { taskSourceOf } from './task-info.ts';

export interface EventRouteOptions {
  limits?: Partial<EventStreamLimits>;
}

const podsKey = (namespace: string, name: string) => `${namespace}/${childBaseName(name)}`;

/** Registers the route and subscribes the event source to the caches (once, before they start). */
export function registerEventRoutes(
  router: Router,
  ctx: MarathonApiContext,
  opts: EventRouteOptions = {},
): void {
  const limits = { ...DEFAULT_STREAM_LIMITS, ...opts.limits };
  new MarathonEventSource({
    apps: ctx.apps,
    pods: ctx.pods,
    hub: ctx.events,
    now: () => ctx.now(),
    renderApp: (obj) => appJson(obj),
    taskPorts: (_pod, app) => (app ? taskSourceOf(normalizedOf(app.spec, appIdOf(app))).ports : []),
    podsOf: (namespace, name) => ctx.podsByApp.get(podsKey(namespace, name)),
    recordedRemoval: (appId) =>
      stoppingApps(ctx).get(appId, (key) => ctx.podsByApp.get(key), ctx.now().getTime()),
    log: ctx.log,
  }).start();
  router.add('GET', /^\/v2\/events$/, (req) => attach(req, ctx, limits));
}

function appIdOf(app: AppObject): string {
  return appIdFor(app.spec, app.metadata?.namespace ?? '', app.metadata?.name ?? '');
}

async function attach(
  req: ApiRequest,
  ctx: MarathonApiContext,
  limits: EventStreamLimits,
): Promise<ApiResult> {
  // Marathon's servlet serves the stream only to clients that accept it; anything else is a 405.
  if (!acceptsEventStream(req.header('accept')))
    throw new ApiError(405, {
      message: 'HTTP method GET is not supported by this URL: /v2/events needs Accept: text/event-stream',
    });
  const access = await listingAccess(req, candidateNamespaces(ctx.apps.keys(), ctx.settings.apiNamespace));
  const options = streamOptions(req.list('event_type'), req.query.get('plan-format'));
  const res = req.res;
  const headers = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-store',
    // nginx and similar proxies would otherwise hold events back in their buffers
    'x-accel-buffering': 'no',
  };
  if (req.method === 'HEAD') {
    res.writeHead(200, headers);
    res.end();
    return { streamed: true };
  }
  res.writeHead(200, headers);
  res.flushHeaders();
  req.raw.socket.setNoDelay(true);
  req.raw.socket.setTimeout(0);
  const stream = new EventStream(res, options, access, limits);
  res.on('close', () => stream.detach());
  stream.attach(ctx.events, {
    remoteAddress: req.raw.socket.remoteAddress ?? '',
    eventType: 'event_stream_attached',
    timestamp: ctx.now().toISOString(),
  });
  return { streamed: true };
}
