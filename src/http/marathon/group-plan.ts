// What a group change does to each app (create, change, scale, delete, nothing), and the deployment steps
// Marathon would show for it (`dryRun=true`, DeploymentPlan): one step stopping removed apps, one starting
// new ones at 0 instances, then steps in dependency order (an app after everything it depends on; apps of
// the same depth together) scaling new and scale-only apps and restarting changed ones. Pure.
import type { AppDefinition } from './group-update.ts';
import { readAppDefinition } from '../../marathon/definition.ts';

export type AppChangeKind = 'create' | 'update' | 'scale' | 'delete';

export interface AppChange {
  id: string;
  kind: AppChangeKind;
  /** The new definition (not for delete). */
  definition?: AppDefinition;
}

export interface DeploymentStep {
  actions: { action: string; app: string }[];
}

/** The changes turning `current` (id → definition) into `target`; unchanged apps are left out. */
export function planChanges(
  current: ReadonlyMap<string, AppDefinition>,
  target: ReadonlyMap<string, AppDefinition>,
): AppChange[] {
  const out: AppChange[] = [];
  for (const id of [...current.keys()].sort()) if (!target.has(id)) out.push({ id, kind: 'delete' });
  for (const [id, definition] of [...target].sort(([a], [b]) => a.localeCompare(b))) {
    const before = current.get(id);
    if (!before) out.push({ id, kind: 'create', definition });
    else {
      const diff = compare(id, before, definition);
      if (diff !== 'same') out.push({ id, kind: diff, definition });
    }
  }
  return out;
}

/**
 * 'same' when both read to the same app, 'scale' when only the instance count differs, else 'update'.
 * Compared as normalized apps, so a definition written with defaults spelled out equals one without.
 */
function compare(id: string, a: AppDefinition, b: AppDefinition): 'same' | 'scale' | 'update' {
  const na = readAppDefinition(a, { id });
  const nb = readAppDefinition(b, { id });
  const [x, y] = na.ok && nb.ok ? [na.value, nb.value] : [a, b];
  if (canonical(x) === canonical(y)) return 'same';
  const { instances: _i, ...xr } = x as Record<string, unknown>;
  const { instances: _j, ...yr } = y as Record<string, unknown>;
  return canonical(xr) === canonical(yr) ? 'scale' : 'update';
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val).sort(([p], [q]) => p.localeCompare(q)))
      : val,
  );
}

/** Dependencies of an app definition that name apps in `ids` (a dependency on a group means its apps). */
function dependsOn(def: AppDefinition, ids: readonly string[]): string[] {
  const deps = Array.isArray(def.dependencies) ? (def.dependencies as unknown[]) : [];
  return ids.filter((id) => deps.some((d) => typeof d === 'string' && (id === d || id.startsWith(`${d}/`))));
}

/**
 * Depth of each app in the dependency graph of `apps` (0: depends on none of them), or the ids on a cycle
 * when there is one (Marathon rejects those).
 */
export function dependencyDepths(
  apps: ReadonlyMap<string, AppDefinition>,
): { ok: true; depth: Map<string, number> } | { ok: false; cycle: string[] } {
  const ids = [...apps.keys()];
  const edges = new Map(ids.map((id) => [id, dependsOn(apps.get(id)!, ids).filter((d) => d !== id)]));
  const depth = new Map<string, number>();
  const visiting: string[] = [];
  const visit = (id: string): number | string[] => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const at = visiting.indexOf(id);
    if (at >= 0) return visiting.slice(at);
    visiting.push(id);
    let d = 0;
    for (const dep of edges.get(id) ?? []) {
      const r = visit(dep);
      if (Array.isArray(r)) return r;
      d = Math.max(d, r + 1);
    }
    visiting.pop();
    depth.set(id, d);
    return d;
  };
  for (const id of ids) {
    const r = visit(id);
    if (Array.isArray(r)) return { ok: false, cycle: r };
  }
  return { ok: true, depth };
}

/** Marathon's deployment steps for `changes`, ordered by the dependencies among the `target` apps. */
export function deploymentSteps(
  changes: readonly AppChange[],
  target: ReadonlyMap<string, AppDefinition>,
): DeploymentStep[] {
  const depths = dependencyDepths(target);
  const depthOf = (id: string) => (depths.ok ? (depths.depth.get(id) ?? 0) : 0);
  const steps: DeploymentStep[] = [];
  const stops = changes.filter((c) => c.kind === 'delete');
  if (stops.length) steps.push({ actions: stops.map((c) => ({ action: 'StopApplication', app: c.id })) });
  const starts = changes.filter((c) => c.kind === 'create');
  if (starts.length) steps.push({ actions: starts.map((c) => ({ action: 'StartApplication', app: c.id })) });
  const rest = changes.filter((c) => c.kind !== 'delete');
  const levels = [...new Set(rest.map((c) => depthOf(c.id)))].sort((a, b) => a - b);
  for (const level of levels)
    steps.push({
      actions: rest
        .filter((c) => depthOf(c.id) === level)
        .map((c) => ({ action: c.kind === 'update' ? 'RestartApplication' : 'ScaleApplication', app: c.id })),
    });
  return steps;
}
