// Writes of Marathon apps as MarathonApp resources, the single source of truth: create (POST), replace the
// spec in place (PUT with the cached resourceVersion, redone on a 409 conflict) and delete. One call is
// one Marathon deployment: everything is validated, authorized and checked against the deployment lock
// before the first write; every written app is stamped with the same new version (and, when there are
// several, with the one deployment id the call answers with); the call returns once the informer cache
// shows the writes, so a read right after sees them; each app written is announced as api_post_event.
//
// Used by the app routes (apps-write.ts), task kills with scale, deployment rollbacks and groups.
import type { V1Pod } from '@kubernetes/client-node';
import { conflict, invalid } from '../api-error.ts';
import type { ErrorDetail, ApiError } from '../api-error.ts';
import type { ApiRequest, ApiResult } from '../request.ts';
import {
  appDeploymentId,
  appDeployments,
  deletionDeploymentId,
  REQUESTED_DEPLOYMENT_ANNOTATION,
  REQUESTED_VERSION_ANNOTATION,
} from '../../marathon/deployments.ts';
import type { AppObject } from '../../marathon/deployments.ts';
import { APP_ID_ANNOTATION, appIdFor, childBaseName, nameForId } from '../../marathon/names.ts';
import { deploymentId } from '../../marathon/status.ts';
import { errorMessage } from '../../runtime/errors.ts';
import { getIfExists } from '../../runtime/kube-client.ts';
import { customObjectPath } from '../../runtime/resource-paths.ts';
import { appJson } from './app-info.ts';
import type { Spec } from './app-update.ts';
import { alreadyExists, appNotFound, join, lockedError, nextApiVersion, problems } from './app-update.ts';
import type { MarathonApiContext } from './context.ts';
import { stoppingApps } from './stopping.ts';
import { marathonAppResource } from '../../resources/marathon-app.ts';

export const MARATHON_APPS = marathonAppResource;
const API_VERSION = `${MARATHON_APPS.group}/${MARATHON_APPS.version}`;
/** Field manager of the API's writes (managedFields tell them from kubectl's and GitOps'). */
export const FIELD_MANAGER = 'dcos-operator-marathon-api';
/** How long a write waits for the informer cache to show it (read-your-writes). */
const CACHE_WAIT_MS = 2_000;
const CONFLICT_RETRIES = 5;

export interface AppWrite {
  /** Absolute Marathon id. */
  id: string;
  /** create: must not exist (409); update: must exist (404); upsert: either; delete: must exist (404). */
  mode: 'create' | 'update' | 'upsert' | 'delete';
  /**
   * The new spec from the current one (undefined when the app does not exist yet). Called again with the
   * fresh spec when a concurrent change made the write conflict. May throw an ApiError. Not for delete.
   */
  spec?: (current: Spec | undefined) => Spec;
  /** Further annotations to set (a string) or remove (null), given the write's version (restart). */
  annotations?: (version: string) => Record<string, string | null>;
  /** Prefix of this write's 422 detail paths (`/0` for the first app of an array body). */
  path?: string;
  /** Where a new app goes (default: the API namespace, named after its id); for bringing one back. */
  place?: { namespace: string; name: string };
}

export interface WriteOptions {
  /** Override the deployment lock (Marathon's `force=true`). */
  force: boolean;
}

export interface WrittenApp {
  id: string;
  /** The object as the API server returned it (for a delete: as it was). */
  object: AppObject;
  created: boolean;
  deleted: boolean;
}

export interface WriteResult {
  /** The Marathon version of the change. */
  version: string;
  deploymentId: string;
  apps: WrittenApp[];
}

interface Planned {
  write: AppWrite;
  current: AppObject | undefined;
  spec: Spec | undefined;
  namespace: string;
  name: string;
}

/** The cached MarathonApp serving Marathon id `id`. */
export function findApp(ctx: MarathonApiContext, id: string): AppObject | undefined {
  const key = ctx.index.get(id);
  if (!key) return undefined;
  const slash = key.indexOf('/');
  return ctx.apps.get(key.slice(slash + 1), key.slice(0, slash));
}

export function appIdOf(obj: AppObject): string {
  return appIdFor(obj.spec, obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
}

const podsOf = (ctx: MarathonApiContext) => (key: string) => ctx.podsByApp.get(key);

/** Deployment ids holding any of these apps: their running deployments, or their removal under way. */
export function lockingDeployments(ctx: MarathonApiContext, ids: readonly string[]): string[] {
  const out = new Set<string>();
  const stopping = stoppingApps(ctx);
  const now = ctx.now().getTime();
  for (const id of ids) {
    const app = findApp(ctx, id);
    if (app) for (const d of appDeployments(app)) out.add(d.id);
    const stop = stopping.get(id, podsOf(ctx), now);
    if (stop) out.add(stop.deploymentId);
  }
  return [...out];
}

/** Marathon's 409 unless `force`, when a deployment holds one of the apps. */
export function assertUnlocked(ctx: MarathonApiContext, ids: readonly string[], force: boolean): void {
  if (force) return;
  const locking = lockingDeployments(ctx, ids);
  if (locking.length) throw lockedError(locking);
}

/** The DeploymentResult answer: `{version, deploymentId}` and the Marathon-Deployment-Id header. */
export function deploymentResult(r: Pick<WriteResult, 'version' | 'deploymentId'>, status = 200): ApiResult {
  return {
    status,
    body: { version: r.version, deploymentId: r.deploymentId },
    headers: { 'Marathon-Deployment-Id': r.deploymentId },
  };
}

/** Writes the apps as one Marathon deployment (see the top of this file). */
export async function writeApps(
  ctx: MarathonApiContext,
  req: ApiRequest,
  writes: readonly AppWrite[],
  opts: WriteOptions,
): Promise<WriteResult> {
  // 1. Resolve and validate everything before writing anything.
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  const planned: Planned[] = [];
  for (const write of writes) {
    if (seen.has(write.id)) {
      details.push({ path: write.path ?? '/', errors: [`App '${write.id}' appears more than once.`] });
      continue;
    }
    seen.add(write.id);
    const current = findApp(ctx, write.id);
    if (write.mode === 'create' && current) throw alreadyExists(write.id);
    if ((write.mode === 'update' || write.mode === 'delete') && !current) throw appNotFound(write.id);
    const spec = write.mode === 'delete' ? undefined : specFor(write, current);
    if (spec) details.push(...problems(write.id, spec, write.path ?? '/'));
    planned.push({
      write,
      current,
      spec,
      namespace: current?.metadata?.namespace ?? write.place?.namespace ?? ctx.settings.apiNamespace,
      name: current?.metadata?.name ?? write.place?.name ?? nameForId(write.id),
    });
  }
  if (details.length) throw invalid(details);

  // 2. Authorize each verb once per namespace.
  const checks = new Map<string, { verb: 'create' | 'update' | 'delete'; namespace: string }>();
  for (const p of planned) {
    const verb = p.write.mode === 'delete' ? 'delete' : p.current ? 'update' : 'create';
    checks.set(`${verb} ${p.namespace}`, { verb, namespace: p.namespace });
  }
  for (const c of checks.values())
    await req.authorize({ ...c, group: MARATHON_APPS.group, resource: MARATHON_APPS.plural });

  // 3. The deployment lock; with force, a removal under way is cancelled by re-creating the app.
  const ids = planned.map((p) => p.write.id);
  assertUnlocked(ctx, ids, opts.force);
  const stopping = stoppingApps(ctx);
  const stops = planned.map((p) => stopping.get(p.write.id, podsOf(ctx), ctx.now().getTime()));

  // 4. One version (later than every version of the apps) and, for several apps, one deployment id.
  const version = nextApiVersion(ctx.now(), [
    ...planned.flatMap((p) => [
      p.current?.metadata?.annotations?.[REQUESTED_VERSION_ANNOTATION],
      p.current?.status?.version,
    ]),
    ...stops.map((s) => s?.version),
  ]);
  const shared =
    planned.length === 1 ? undefined : deploymentId(`api/${version}/${[...ids].sort().join(',')}`);

  // 5. Write.
  const written: WrittenApp[] = [];
  for (const p of planned) {
    if (p.write.mode === 'delete') written.push(await deleteApp(ctx, p, version, shared));
    else {
      written.push(await putApp(ctx, p, version, shared));
      stopping.remove(p.write.id);
    }
  }

  // 6. Read-your-writes, then the events.
  const deadline = Date.now() + CACHE_WAIT_MS;
  await Promise.all(written.map((w) => awaitCache(ctx, w, deadline)));
  const clientIp = req.raw.socket?.remoteAddress ?? '';
  for (const w of written) {
    if (w.deleted) continue;
    try {
      ctx.events.publish(
        {
          eventType: 'api_post_event',
          timestamp: ctx.now().toISOString(),
          clientIp,
          uri: req.path,
          appDefinition: appJson(w.object),
        },
        { namespace: w.object.metadata?.namespace },
      );
    } catch (err) {
      // The write is done: a failed announcement must not turn it into an error.
      ctx.log.warn('api_post_event not published', { app: w.id, error: errorMessage(err) });
    }
  }
  const only = written.length === 1 ? written[0] : undefined;
  const id =
    shared ??
    (only
      ? only.deleted
        ? deletionDeploymentId(only.object.metadata?.uid ?? '')
        : appDeploymentId(only.object.metadata?.uid ?? '', version)
      : deploymentId(`api/${version}`));
  return { version, deploymentId: id, apps: written };
}

function specFor(write: AppWrite, current: AppObject | undefined): Spec {
  if (!write.spec) throw new Error(`write of ${write.id} has no spec`);
  return write.spec(current?.spec as Spec | undefined);
}

function stamps(p: Planned, version: string, shared: string | undefined): Record<string, string | null> {
  return {
    [REQUESTED_VERSION_ANNOTATION]: version,
    [REQUESTED_DEPLOYMENT_ANNOTATION]: shared ?? null,
    ...p.write.annotations?.(version),
  };
}

function withAnnotations(
  base: Record<string, string> | undefined,
  changes: Record<string, string | null>,
): Record<string, string> {
  const out = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

const collectionPath = (namespace: string) =>
  `/apis/${API_VERSION}/namespaces/${encodeURIComponent(namespace)}/${MARATHON_APPS.plural}`;
const objectPath = (namespace: string, name: string) => customObjectPath(MARATHON_APPS, namespace, name);
const codeOf = (err: unknown) => (err as { code?: number }).code;

async function putApp(
  ctx: MarathonApiContext,
  p: Planned,
  version: string,
  shared: string | undefined,
): Promise<WrittenApp> {
  const { write } = p;
  const annotations = stamps(p, version, shared);
  let spec = p.spec!;
  let current: AppObject;
  if (p.current) current = p.current;
  else {
    const made = await createApp(ctx, p, spec, annotations);
    if ('created' in made) return made;
    current = made;
    spec = checked(write, current);
  }
  for (let attempt = 0; ; attempt++) {
    const path = objectPath(p.namespace, current.metadata?.name ?? p.name);
    const { status: _status, ...rest } = current;
    const body = {
      ...rest,
      apiVersion: API_VERSION,
      kind: 'MarathonApp',
      metadata: {
        ...current.metadata,
        annotations: withAnnotations(current.metadata?.annotations, annotations),
      },
      spec,
    };
    try {
      const updated = await ctx.json<AppObject>('PUT', path, {
        query: { fieldManager: FIELD_MANAGER },
        body,
      });
      return { id: write.id, object: updated, created: false, deleted: false };
    } catch (err) {
      if (codeOf(err) === 404) throw appNotFound(write.id);
      if (codeOf(err) === 422) throw serverInvalid(err, write.path);
      if (codeOf(err) !== 409 || attempt >= CONFLICT_RETRIES) throw err;
      // Changed since the cache showed it: apply the same change to the fresh copy.
      const fresh: AppObject | undefined = await getIfExists<AppObject>(ctx.json, path);
      if (!fresh || fresh.metadata?.uid !== current.metadata?.uid) throw appNotFound(write.id);
      current = fresh;
      spec = checked(write, fresh);
    }
  }
}

/** Creates the app; the existing object instead when an upsert finds it was created meanwhile. */
async function createApp(
  ctx: MarathonApiContext,
  p: Planned,
  spec: Spec,
  annotations: Record<string, string | null>,
): Promise<WrittenApp | AppObject> {
  const { write } = p;
  const body = {
    apiVersion: API_VERSION,
    kind: 'MarathonApp',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      annotations: withAnnotations({ [APP_ID_ANNOTATION]: write.id }, annotations),
    },
    spec,
  };
  try {
    const created = await ctx.json<AppObject>('POST', collectionPath(p.namespace), {
      query: { fieldManager: FIELD_MANAGER },
      body,
    });
    return { id: write.id, object: created, created: true, deleted: false };
  } catch (err) {
    if (codeOf(err) === 422) throw serverInvalid(err, write.path);
    if (codeOf(err) !== 409) throw err;
    // Created meanwhile, or the name is another app's.
    const existing = await getIfExists<AppObject>(ctx.json, objectPath(p.namespace, p.name));
    if (!existing) throw err;
    if (appIdOf(existing) !== write.id)
      throw conflict(
        `Cannot create app '${write.id}': MarathonApp ${p.namespace}/${p.name} exists for app '${appIdOf(existing)}'.`,
      );
    if (write.mode === 'create') throw alreadyExists(write.id);
    return existing;
  }
}

/** The write's spec against a fresh copy, validated again. */
function checked(write: AppWrite, current: AppObject): Spec {
  const spec = specFor(write, current);
  const details = problems(write.id, spec, write.path ?? '/');
  if (details.length) throw invalid(details);
  return spec;
}

async function deleteApp(
  ctx: MarathonApiContext,
  p: Planned,
  version: string,
  shared: string | undefined,
): Promise<WrittenApp> {
  const current = p.current!;
  const uid = current.metadata?.uid ?? '';
  const status = current.status;
  const lastVersion = [
    status?.versionInfo?.lastConfigChangeAt,
    status?.version,
    current.metadata?.annotations?.[REQUESTED_VERSION_ANNOTATION],
  ]
    .filter((v): v is string => !!v)
    .reduce((a, b) => (b > a ? b : a), '');
  // Recorded before the DELETE: the informer's delete event (which the event stream turns into the
  // removal's deployment) may arrive before the call returns, and must find this removal's id.
  const stopping = stoppingApps(ctx);
  stopping.add({
    deploymentId: shared ?? deletionDeploymentId(uid),
    version,
    appId: p.write.id,
    namespace: p.namespace,
    name: p.name,
    podsKey: `${p.namespace}/${childBaseName(p.name)}`,
    lastVersion: lastVersion || version,
    deletedAt: ctx.now().getTime(),
    spec: current.spec,
  });
  try {
    await ctx.json('DELETE', objectPath(p.namespace, p.name), {
      body: {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: 'Background',
        preconditions: { uid },
      },
    });
  } catch (err) {
    // Gone already, or replaced by another object of the same name (the uid precondition failed).
    if (codeOf(err) !== 404 && codeOf(err) !== 409) {
      stopping.remove(p.write.id);
      throw err;
    }
  }
  return { id: p.write.id, object: current, created: false, deleted: true };
}

/** The API server's 422 (its schema check) in Marathon's shape. */
function serverInvalid(err: unknown, prefix = '/'): ApiError {
  const body = (
    err as { body?: { message?: string; details?: { causes?: { field?: string; message?: string }[] } } }
  ).body;
  const causes = body?.details?.causes ?? [];
  const details = causes.length
    ? causes.map((c) => ({ path: join(prefix, fieldPath(c.field)), errors: [c.message ?? 'invalid'] }))
    : [{ path: prefix || '/', errors: [body?.message ?? 'rejected by the API server'] }];
  return invalid(details);
}

/** `spec.container.volumes[0].hostPath` → `/container/volumes(0)/hostPath`. */
function fieldPath(field: string | undefined): string {
  const f = (field ?? '').replace(/^spec\.?/, '');
  if (!f) return '/';
  return `/${f.replace(/\[(\d+)\]/g, '($1)').replace(/\./g, '/')}`;
}

/**
 * Sets (string) or removes (null) annotations of an app without making it a new Marathon version (a
 * force-stopped deployment is recorded so). Redone on a conflict; returns once the cache shows it.
 */
export async function annotateApp(
  ctx: MarathonApiContext,
  app: AppObject,
  changes: Record<string, string | null>,
): Promise<AppObject> {
  const namespace = app.metadata?.namespace ?? '';
  const name = app.metadata?.name ?? '';
  const path = objectPath(namespace, name);
  let current = app;
  for (let attempt = 0; ; attempt++) {
    const { status: _status, ...rest } = current;
    const body = {
      ...rest,
      metadata: { ...current.metadata, annotations: withAnnotations(current.metadata?.annotations, changes) },
    };
    try {
      const updated = await ctx.json<AppObject>('PUT', path, {
        query: { fieldManager: FIELD_MANAGER },
        body,
      });
      await awaitCache(
        ctx,
        { id: appIdOf(updated), object: updated, created: false, deleted: false },
        Date.now() + CACHE_WAIT_MS,
      );
      return updated;
    } catch (err) {
      if (codeOf(err) === 404) throw appNotFound(appIdOf(app));
      if (codeOf(err) !== 409 || attempt >= CONFLICT_RETRIES) throw err;
      const fresh = await getIfExists<AppObject>(ctx.json, path);
      if (!fresh || fresh.metadata?.uid !== app.metadata?.uid) throw appNotFound(appIdOf(app));
      current = fresh;
    }
  }
}

/** Whether the cache's resourceVersion is the written one or later (they are etcd revisions in practice). */
export function resourceVersionAtLeast(cached: string | undefined, written: string | undefined): boolean {
  if (!cached || !written) return false;
  if (/^\d+$/.test(cached) && /^\d+$/.test(written)) return BigInt(cached) >= BigInt(written);
  return cached === written;
}

async function awaitCache(ctx: MarathonApiContext, w: WrittenApp, deadline: number): Promise<void> {
  const { namespace = '', name = '', uid, resourceVersion } = w.object.metadata ?? {};
  const visible = () => {
    const cached = ctx.apps.get(name, namespace);
    if (w.deleted) return cached?.metadata?.uid !== uid;
    return (
      cached?.metadata?.uid === uid &&
      resourceVersionAtLeast(cached?.metadata?.resourceVersion, resourceVersion)
    );
  };
  await until(visible, deadline);
}

/** Polls `done` until it holds or the deadline passes (a slow watch delays the answer, never fails it). */
export async function until(done: () => boolean, deadline: number): Promise<boolean> {
  for (;;) {
    if (done()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Pods of the app (`namespace/<child base name>` in podsByApp). */
export function podsOfApp(ctx: MarathonApiContext, app: AppObject): V1Pod[] {
  return ctx.podsByApp.get(`${app.metadata?.namespace ?? ''}/${childBaseName(app.metadata?.name ?? '')}`);
}
