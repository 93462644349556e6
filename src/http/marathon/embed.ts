// Marathon's `embed` query values for apps (InfoEmbedResolver): what an AppInfo carries besides the app.
// Each value may be written with the `app.`, `apps.` or `group.apps.` prefix; unknown values are ignored,
// as Marathon ignores them.

export type Embed = 'counts' | 'deployments' | 'tasks' | 'readiness' | 'lastTaskFailure' | 'taskStats';
export type EmbedSet = ReadonlySet<Embed>;

const PREFIXES = ['group.apps.', 'apps.', 'app.'];

/** What each value stands for: tasks also embed deployments, `failures` is tasks plus the last failure. */
const MEANING: ReadonlyMap<string, readonly Embed[]> = new Map<string, readonly Embed[]>([
  ['counts', ['counts']],
  ['deployments', ['deployments']],
  ['tasks', ['tasks', 'deployments']],
  ['readiness', ['readiness']],
  ['lastTaskFailure', ['lastTaskFailure']],
  ['failures', ['tasks', 'lastTaskFailure', 'deployments']],
  ['taskStats', ['taskStats']],
]);

/** The embeds the values name (`apps.tasks`, `app.counts`, `group.apps.failures`, ...). */
export function parseEmbed(values: readonly string[]): Set<Embed> {
  const out = new Set<Embed>();
  for (const raw of values) {
    const prefix = PREFIXES.find((p) => raw.startsWith(p));
    if (prefix === undefined) continue;
    for (const e of MEANING.get(raw.slice(prefix.length)) ?? []) out.add(e);
  }
  return out;
}

/** GET /v2/apps: counts and deployments are always embedded. */
export function listEmbed(values: readonly string[]): Set<Embed> {
  return new Set<Embed>([...parseEmbed(values), 'counts', 'deployments']);
}

/** GET /v2/apps/{id} (and `/{group}/*`): counts, tasks, the last failure and deployments always are. */
export function singleEmbed(values: readonly string[]): Set<Embed> {
  return new Set<Embed>([...parseEmbed(values), 'counts', 'tasks', 'lastTaskFailure', 'deployments']);
}
