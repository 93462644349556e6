// Marathon ids ↔ Kubernetes names, and the labels and annotations every child object carries.
//
// Id → MarathonApp name (used when an app comes from a group, the CLI or the REST API):
//   the id's segments joined with '-' (/prod/web/api → prod-web-api). When that could be read back in two
//   ways (a segment with '-' or '.' next to another segment: /prod/my-app vs /prod-my/app), or is longer
//   than 63 characters, 8 hex digits of the id's SHA-256 are appended (prod-my-app-3f2a9c1e), so distinct
//   ids never share a name. The original id is kept in the dcos-operator.dev/app-id annotation.
// MarathonApp name → child base name (Deployment/StatefulSet, Service, pod selector):
//   the name itself when it is a DNS-1035 label of at most 47 characters (room for StatefulSet and pod
//   suffixes); otherwise a shortened, prefixed form ending in the name's hash.
import { createHash } from 'node:crypto';

export const APP_ID_ANNOTATION = 'dcos-operator.dev/app-id';
export const RESTARTED_AT_ANNOTATION = 'dcos-operator.dev/restartedAt';
export const APP_SELECTOR_LABEL = 'dcos-operator.dev/app';
/** Children carrying this annotation are applied without an owner reference and outlive the app
 * (external volumes: DC/OS kept them when the app was destroyed). */
export const RETAIN_ANNOTATION = 'dcos-operator.dev/retain';
/** Pod annotation naming the MarathonApp (pods are owned by ReplicaSets, not by the app). */
export const OWNER_APP_ANNOTATION = 'dcos-operator.dev/marathonapp';
/** Workload annotation with the definition as written and its version: the next version's history entry. */
export const DEFINITION_ANNOTATION = 'dcos-operator.dev/definition';
/** Pod annotation with the app version (last config change) the pod was made from. */
export const APP_VERSION_ANNOTATION = 'dcos-operator.dev/app-version';
/**
 * On the workload: the version bookkeeping it was applied with (JSON), so the version survives a status that
 * was not written yet or was lost (a restore without status) instead of being re-stamped and restarting pods.
 */
export const VERSION_STATE_ANNOTATION = 'dcos-operator.dev/version-state';
/** Scheduling gate of pods the operator places itself (LIKE, UNLIKE, MAX_PER > 1). */
export const PLACEMENT_GATE = 'dcos-operator.dev/placement';
export const MANAGED_BY_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/managed-by': 'dcos-operator',
};

const NAME_MAX = 63;
const CHILD_MAX = 47;

function hash8(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/** Splits a path id into segments, resolving '.' and '..' against `base` (default: the root). */
export function resolveId(id: string, base = '/'): string {
  const start = id.startsWith('/') ? [] : base.split('/').filter(Boolean);
  const out = [...start];
  for (const seg of id.split('/').filter(Boolean)) {
    if (seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** The parent group of an absolute id (/prod/web → /prod; /web → /). */
export function parentId(id: string): string {
  const segs = id.split('/').filter(Boolean);
  return `/${segs.slice(0, -1).join('/')}`;
}

/** True when `child` is strictly below `group`. */
export function isChildOf(child: string, group: string): boolean {
  const g = group.replace(/\/+$/, '');
  return child.startsWith(`${g}/`) && child.length > g.length + 1;
}

/** The Marathon id of a MarathonApp that does not set spec.id: /<namespace>/<name>. */
export function defaultAppId(namespace: string, name: string): string {
  return `/${namespace}/${name}`;
}

/** The Marathon id of a MarathonApp: spec.id made absolute, or derived from namespace and name. */
export function appIdFor(spec: unknown, namespace: string, name: string): string {
  const id = (spec as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id ? resolveId(id) : defaultAppId(namespace, name);
}

/** Deterministic, collision-free MarathonApp name for an absolute Marathon id. */
export function nameForId(id: string): string {
  const abs = resolveId(id);
  const segs = abs.split('/').filter(Boolean);
  const plain = segs.join('-');
  const ambiguous =
    segs.some((s) => s.includes('.')) || (segs.length > 1 && segs.some((s) => s.includes('-')));
  if (!ambiguous && plain.length > 0 && plain.length <= NAME_MAX) return plain;
  const base = plain
    .replace(/\./g, '-')
    .slice(0, NAME_MAX - 9)
    .replace(/-+$/, '');
  return `${base || 'app'}-${hash8(abs)}`;
}

/** Base name for the children of the MarathonApp `appName`: a DNS-1035 label of at most 47 characters. */
export function childBaseName(appName: string): string {
  if (appName.length <= CHILD_MAX && /^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(appName)) return appName;
  let slug = appName.replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-');
  if (!/^[a-z]/.test(slug)) slug = `m-${slug}`;
  slug = slug.slice(0, CHILD_MAX - 9).replace(/-+$/, '');
  return `${slug}-${hash8(appName)}`;
}

/** Selector labels of an app's workload, pods and Service. */
export function selectorFor(childName: string): Record<string, string> {
  return { [APP_SELECTOR_LABEL]: childName };
}

/** Marathon's task-id prefix for an app: the id without leading '/', with '/' as '_' (/prod/web → prod_web). */
export function taskIdPrefix(id: string): string {
  return id.replace(/^\/+/, '').replace(/\//g, '_');
}
