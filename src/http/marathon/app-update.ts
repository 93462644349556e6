// What a Marathon app write means for the stored definition (the MarathonApp spec), before anything is
// written: reading the body, Marathon's partial-update merge, the rollback form `{"version": ts}`, the
// id rules, validation in Marathon's 422 shape, the version stamp of the write and the deployment lock.
// Pure: the handlers and the writer (app-writer.ts) do the I/O.
import { ApiError, conflict, invalid } from '../api-error.ts';
import type { ErrorDetail } from '../api-error.ts';
import { readAppDefinition } from '../../marathon/definition.ts';
import { resolveId } from '../../marathon/names.ts';

export type Spec = Record<string, unknown>;

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Fields of an AppInfo that are status, not definition. Clients PUT back what they GET (the python
 * client's update_app does); Marathon ignores them there, so they are dropped rather than stored.
 */
const STATUS_FIELDS = [
  'versionInfo',
  'tasksStaged',
  'tasksRunning',
  'tasksHealthy',
  'tasksUnhealthy',
  'deployments',
  'tasks',
  'lastTaskFailure',
  'readinessCheckResults',
  'taskStats',
  'tasksStats',
];

/**
 * Pairs of fields that say the same thing in a legacy and a current form: an update that sets one
 * replaces the other too (Marathon normalizes the update before merging it, so the old form of the
 * stored app does not survive to contradict the new one).
 */
const SAME_MEANING: [string, string][] = [
  ['ports', 'portDefinitions'],
  ['uris', 'fetch'],
  ['ipAddress', 'networks'],
  ['cmd', 'args'],
];

export const VERSION_ONLY_WITH_ID = "The 'version' field may only be combined with the 'id' field.";

/** The body as an app definition object; anything else is Marathon's 422. */
export function bodyObject(body: unknown, path = '/'): Spec {
  if (!isRecord(body)) throw invalid([{ path, errors: ['error.expected.jsobject'] }]);
  return body;
}

/** A group definition (apps, groups or pods inside) sent where one app is expected. */
export function looksLikeGroup(body: Spec): boolean {
  return Array.isArray(body.apps) || Array.isArray(body.groups) || Array.isArray(body.pods);
}

export function invalidGroupBody(): ApiError {
  return invalid([
    { path: '/', errors: ['A group definition (apps, groups or pods) is not an app: use /v2/groups.'] },
  ]);
}

/** The definition as a user writes it under `spec:`: no status fields, no nulls (Marathon reads null as absent). */
export function definitionOf(body: Spec): Spec {
  const out: Spec = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === null || v === undefined || STATUS_FIELDS.includes(k) || k === 'version') continue;
    out[k] = dropNulls(v, 0);
  }
  return out;
}

function dropNulls(v: unknown, depth: number): unknown {
  if (depth > 64 || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x) => dropNulls(x, depth + 1));
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, dropNulls(x, depth + 1)]),
  );
}

/** Marathon's partial update: every field the update has replaces the stored one, the others stay. */
export function mergeUpdate(current: Spec, update: Spec): Spec {
  const out: Spec = { ...current };
  for (const [a, b] of SAME_MEANING) {
    if (a in update && !(b in update)) delete out[b];
    if (b in update && !(a in update)) delete out[a];
  }
  return { ...out, ...update };
}

/**
 * The id a stored spec carries after a write to app `id`: an app whose spec names its id keeps naming it
 * (absolute); one whose id comes from its namespace and name (kubectl, no spec.id) keeps leaving it out.
 */
export function withId(spec: Spec, id: string, current: Spec | undefined): Spec {
  const { id: _given, ...rest } = spec;
  if (current && typeof current.id !== 'string') return rest;
  return { id, ...rest };
}

export type PutPlan = { kind: 'rollback'; version: string } | { kind: 'spec'; spec: Spec };

/**
 * What `PUT /v2/apps/{id}` (or one item of `PUT /v2/apps`) asks for. `{"version": ts}` (with at most the
 * id) is a rollback; otherwise the body merged into the current definition (`partial`, Marathon's
 * default) or replacing it. The URL's id wins over the body's.
 */
export function planPut(
  id: string,
  body: Spec,
  current: Spec | undefined,
  partial: boolean,
  path = '/',
): PutPlan {
  if (body.version !== undefined && body.version !== null) {
    if (Object.keys(body).some((k) => k !== 'id' && k !== 'version'))
      throw invalid([{ path, errors: [VERSION_ONLY_WITH_ID] }]);
    if (typeof body.version !== 'string')
      throw invalid([{ path: join(path, '/version'), errors: ['error.expected.jsstring'] }]);
    return { kind: 'rollback', version: body.version };
  }
  const update = definitionOf(body);
  const merged = partial && current ? mergeUpdate(current, update) : update;
  return { kind: 'spec', spec: withId(merged, id, current) };
}

/** The absolute id of a POSTed definition, which must name one. */
export function postedId(body: Spec): string {
  if (typeof body.id !== 'string' || body.id.trim() === '')
    throw invalid([{ path: '/id', errors: ['error.path.missing'] }]);
  return resolveId(body.id.trim());
}

/** Validation problems of `spec` as the definition of app `id` (empty when it is valid). */
export function problems(id: string, spec: Spec, path = '/'): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (typeof spec.id === 'string' && resolveId(spec.id) !== id)
    details.push({ path: join(path, '/id'), errors: [`The id must be '${id}' (the app being written).`] });
  const read = readAppDefinition(spec, { id });
  if (!read.ok) details.push(...read.details.map((d) => ({ ...d, path: join(path, d.path) })));
  return details;
}

/** `path` prefixed with `prefix` ('/' is the root of either). */
export function join(prefix: string, path: string): string {
  if (prefix === '/' || prefix === '') return path;
  return path === '/' ? prefix : `${prefix}${path}`;
}

/**
 * The version of a write: now, to the millisecond, and later than every version the written apps had
 * (so a burst of writes within one millisecond still yields strictly increasing versions).
 */
export function nextApiVersion(now: Date, previous: readonly (string | undefined)[]): string {
  let at = now.getTime();
  for (const p of previous) {
    const t = p ? Date.parse(p) : Number.NaN;
    if (!Number.isNaN(t) && t >= at) at = t + 1;
  }
  return new Date(at).toISOString();
}

/** Marathon's 409 for a change to an app that deployments still hold (AppLockedException). */
export function lockedError(deploymentIds: readonly string[]): ApiError {
  return conflict(
    "App is locked by one or more deployments. Override with the option '?force=true'. " +
      `View details at '/v2/deployments/${deploymentIds[0] ?? ''}'.`,
    { deployments: deploymentIds.map((id) => ({ id })) },
  );
}

export function alreadyExists(id: string): ApiError {
  return conflict(`An app with id [${id}] already exists.`);
}

export function appNotFound(id: string, version?: string): ApiError {
  return new ApiError(404, {
    message: `App '${id}' does not exist${version ? ` in version ${version}` : ''}`,
  });
}

/** Same instant, whatever the precision the client wrote it with. */
export function sameVersion(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const ta = Date.parse(a);
  return !Number.isNaN(ta) && ta === Date.parse(b);
}
