// Which namespaces' events one `/v2/events` subscriber may see: everything when it may list MarathonApps
// cluster-wide, else the namespaces where it may. Decisions are taken once per namespace (a namespace that
// appears later is checked when its first event arrives) and kept for the life of the stream.
import { forbidden } from '../api-error.ts';
import type { ApiRequest } from '../request.ts';

export const MARATHONAPPS = { group: 'dcos-operator.dev', resource: 'marathonapps' } as const;

/**
 * Of `namespaces`, those where the caller may list `resource` (MarathonApps by default): all of them when
 * it may list cluster-wide, else each namespace asked once. Every list the API answers filters through it.
 */
export async function listableNamespaces(
  req: Pick<ApiRequest, 'may'>,
  namespaces: Iterable<string>,
  resource: { group: string; resource: string } = MARATHONAPPS,
): Promise<Set<string>> {
  const unique = [...new Set(namespaces)];
  if (await req.may({ verb: 'list', ...resource })) return new Set(unique);
  const answers = await Promise.all(
    unique.map((namespace) => req.may({ verb: 'list', ...resource, namespace })),
  );
  return new Set(unique.filter((_, i) => answers[i]));
}

export type NamespaceCheck = (namespace: string | undefined) => Promise<boolean>;

export class NamespaceAccess {
  private readonly check: NamespaceCheck;
  private everywhere = false;
  private readonly decided = new Map<string, boolean>();
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(check: NamespaceCheck) {
    this.check = check;
  }

  /**
   * Decides the caller's access up front: cluster-wide, or per candidate namespace. True when the caller may
   * see something (cluster-wide or at least one candidate).
   */
  async init(candidates: Iterable<string>): Promise<boolean> {
    if (await this.safeCheck(undefined)) {
      this.everywhere = true;
      return true;
    }
    const names = [...new Set(candidates)];
    const answers = await Promise.all(names.map((ns) => this.safeCheck(ns)));
    names.forEach((ns, i) => this.decided.set(ns, answers[i]!));
    return answers.some(Boolean);
  }

  get clusterWide(): boolean {
    return this.everywhere;
  }

  /** The decision for events of this namespace; undefined while it is not known yet (see resolve()). Events
   * about no namespace (the stream's own) are always allowed. */
  allows(namespace: string | undefined): boolean | undefined {
    if (this.everywhere || namespace === undefined) return true;
    return this.decided.get(namespace);
  }

  /** Checks a namespace not decided yet (once, however often it is asked). */
  resolve(namespace: string): Promise<boolean> {
    const known = this.allows(namespace);
    if (known !== undefined) return Promise.resolve(known);
    let p = this.pending.get(namespace);
    if (!p) {
      p = this.safeCheck(namespace).then((ok) => {
        this.decided.set(namespace, ok);
        this.pending.delete(namespace);
        return ok;
      });
      this.pending.set(namespace, p);
    }
    return p;
  }

  private async safeCheck(namespace: string | undefined): Promise<boolean> {
    try {
      return await this.check(namespace);
    } catch {
      return false;
    }
  }
}

/** Namespaces the caller might see events or queue entries of: where apps are, and where the API puts them. */
export function candidateNamespaces(appKeys: Iterable<string>, apiNamespace: string): Set<string> {
  const out = new Set<string>([apiNamespace]);
  for (const key of appKeys) {
    const slash = key.indexOf('/');
    if (slash > 0) out.add(key.slice(0, slash));
  }
  return out;
}

/**
 * The caller's MarathonApp listing rights, decided (cluster-wide, else per candidate namespace); throws
 * Marathon's 403 when it may list them nowhere.
 */
export async function listingAccess(
  req: Pick<ApiRequest, 'may' | 'caller'>,
  candidates: Iterable<string>,
): Promise<NamespaceAccess> {
  const access = new NamespaceAccess((namespace) => req.may({ verb: 'list', ...MARATHONAPPS, namespace }));
  if (!(await access.init(candidates)))
    throw forbidden(`${req.caller.username} may not list marathonapps in any namespace`);
  return access;
}
