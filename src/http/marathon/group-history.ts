// Versions of an implicit group, backed by the history of its apps. Marathon stamps every group on the
// path of a change with the change's version; here the group's versions are the versions of its apps
// (their current ones and the earlier definitions in their history ConfigMaps), and the group at version
// `ts` is each app as it was defined at `ts`. What this cannot show: apps deleted since `ts` (nothing of a
// deleted app is kept), and apps whose bounded history no longer reaches back to `ts` (then the group is
// "not available in version ts" rather than shown wrongly).
import type { AppObject } from '../../marathon/deployments.ts';
import type { VersionEntry } from '../../marathon/versions.ts';
import { ApiError, notFound } from '../api-error.ts';
import type { ApiRequest, ApiResult } from '../request.ts';
import { canonicalJson, normalizedOf } from './app-info.ts';
import { appHistory } from './app-history.ts';
import type { Spec } from './app-update.ts';
import { isRecord } from './app-update.ts';
import { appViews } from './apps-read.ts';
import type { MarathonApiContext } from './context.ts';
import type { AppRef } from './group-access.ts';
import { appsUnder, visibleTo } from './group-access.ts';
import { buildGroupTree, renderGroup, resolveGroupEmbed } from './group-tree.ts';
import { isoTime } from './task-info.ts';

/** Above this many apps, a group's version list shows only their current versions (one read per app). */
export const HISTORY_READS_MAX = 500;
const READ_CONCURRENCY = 8;

/** What is known of one app's definitions over time. */
export interface KnownDefinitions {
  /** The current definition and the time its configuration dates from (lastConfigChangeAt). */
  current: { version: string; spec: Spec };
  /** Earlier definitions, any order. */
  history: readonly VersionEntry[];
  /** The history is full, so older entries may have been dropped. */
  truncated: boolean;
  /** When the MarathonApp was created (second precision, rounded down). */
  createdAt?: string | undefined;
}

export type DefinitionAt =
  | { kind: 'present'; version: string; spec: Spec; current: boolean }
  | { kind: 'absent' }
  | { kind: 'unknown' };

const time = (v: string | undefined) => (v ? Date.parse(v) : Number.NaN);

/** The app's definition in effect at `ts`: the newest known one not later than `ts`. Pure. */
export function definitionAt(k: KnownDefinitions, ts: string): DefinitionAt {
  const at = time(ts);
  const candidates = [
    { version: k.current.version, spec: k.current.spec, current: true },
    ...k.history
      .filter((e) => isRecord(e.app))
      .map((e) => ({ version: e.version, spec: e.app as Spec, current: false })),
  ].filter((c) => !Number.isNaN(time(c.version)));
  const before = candidates
    .filter((c) => time(c.version) <= at)
    .sort((a, b) => time(b.version) - time(a.version));
  if (before[0]) return { kind: 'present', ...before[0] };
  // Everything known is later than ts: the app did not exist yet, if its whole history is known.
  if (!k.truncated || time(k.createdAt) > at) return { kind: 'absent' };
  return { kind: 'unknown' };
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function objectOf(ctx: MarathonApiContext, ref: AppRef): AppObject | undefined {
  return ctx.apps.get(ref.name, ref.namespace);
}

/** What is known of the app's definitions (reads its history ConfigMap). */
export async function knownDefinitions(
  ctx: MarathonApiContext,
  ref: AppRef,
): Promise<KnownDefinitions | undefined> {
  const obj = objectOf(ctx, ref);
  const view = appViews(ctx).view(`${ref.namespace}/${ref.name}`);
  if (!obj || !view) return undefined;
  const history = await appHistory(ctx, obj);
  return {
    current: { version: view.info.versionInfo.lastConfigChangeAt, spec: isRecord(obj.spec) ? obj.spec : {} },
    history,
    truncated: history.length >= ctx.settings.maxVersions,
    createdAt: isoTime(obj.metadata?.creationTimestamp),
  };
}

/** GET /v2/groups/{id}/versions: every version of the apps in the group, newest first. */
export async function groupVersions(
  req: ApiRequest,
  ctx: MarathonApiContext,
  id: string,
): Promise<ApiResult> {
  const apps = await visibleTo(req, appsUnder(ctx.index, id));
  if (!buildGroupTree(id, apps.keys())) throw notFound(`Group '${id}' does not exist`);
  const views = appViews(ctx);
  const refs = [...apps.values()].filter((r) => r.id !== id);
  const versions = new Set<string>();
  for (const ref of refs) {
    const view = views.view(`${ref.namespace}/${ref.name}`);
    if (!view) continue;
    for (const v of [
      view.version,
      view.info.versionInfo.lastScalingAt,
      view.info.versionInfo.lastConfigChangeAt,
    ])
      versions.add(isoTime(v) ?? v);
  }
  if (refs.length <= HISTORY_READS_MAX) {
    const histories = await mapLimit(refs, READ_CONCURRENCY, async (ref) => {
      const obj = objectOf(ctx, ref);
      return obj ? appHistory(ctx, obj) : [];
    });
    for (const e of histories.flat()) versions.add(isoTime(e.version) ?? e.version);
  }
  return { status: 200, body: [...versions].sort((a, b) => time(b) - time(a)) };
}

/** Each app of the group at `ts`; apps that did not exist then are left out. */
export async function appsAtVersion(
  ctx: MarathonApiContext,
  id: string,
  refs: readonly AppRef[],
  ts: string,
): Promise<
  { ok: true; apps: Map<string, DefinitionAt & { kind: 'present' }> } | { ok: false; unknown: string[] }
> {
  const known = await mapLimit(refs, READ_CONCURRENCY, (ref) => knownDefinitions(ctx, ref));
  const apps = new Map<string, DefinitionAt & { kind: 'present' }>();
  const unknown: string[] = [];
  refs.forEach((ref, i) => {
    const k = known[i];
    if (!k || ref.id === id) return;
    const at = definitionAt(k, ts);
    if (at.kind === 'present') apps.set(ref.id, at);
    else if (at.kind === 'unknown') unknown.push(ref.id);
  });
  return unknown.length ? { ok: false, unknown } : { ok: true, apps };
}

export function notAvailable(id: string, ts: string, unknown: readonly string[]): ApiError {
  return new ApiError(422, {
    message:
      `Group ${id} not available in version ${ts}: the stored history of ${unknown.join(', ')} ` +
      'does not reach back that far.',
  });
}

/** GET /v2/groups/{id}/versions/{ts}: the group as its apps were defined at `ts`. */
export async function groupAtVersion(
  req: ApiRequest,
  ctx: MarathonApiContext,
  id: string,
  rawVersion: string,
): Promise<ApiResult> {
  const ts = isoTime(rawVersion);
  const missing = () => notFound(`Group '${id}' does not exist in version ${ts ?? rawVersion}`);
  if (!ts) throw missing();
  const apps = await visibleTo(req, appsUnder(ctx.index, id));
  const at = await appsAtVersion(ctx, id, [...apps.values()], ts);
  if (!at.ok) throw notAvailable(id, ts, at.unknown);
  const tree = buildGroupTree(id, at.apps.keys());
  if (!tree) throw missing();
  // Each app as defined then, stamped with the version of that definition.
  const json = renderGroup(tree, resolveGroupEmbed([]), {
    app: (appId) => {
      const a = at.apps.get(appId)!;
      const version = isoTime(a.version) ?? a.version;
      return JSON.stringify(
        canonicalJson(normalizedOf({ ...a.spec, id: appId }, appId), {
          version,
          versionInfo: { lastScalingAt: version, lastConfigChangeAt: version },
        }),
      );
    },
    version: (appId) => at.apps.get(appId)?.version,
  });
  return { status: 200, json };
}
