// Calls that write more than one object (uninstall of every instance, a repository added above others) try
// every write as a server-side dry run first: a refusal of any of them (RBAC, validation, a name taken)
// then fails the call before anything was changed, instead of half way through.
import type { JsonRequester } from '../../runtime/kube-client.ts';

export interface Write {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  contentType?: string;
  /** A DELETE of an object already gone is not a failure. */
  goneIsDone?: boolean;
}

async function send(json: JsonRequester, w: Write, dryRun: boolean): Promise<unknown> {
  try {
    return await json(w.method, w.path, {
      ...(w.body !== undefined ? { body: w.body } : {}),
      ...(w.contentType ? { contentType: w.contentType } : {}),
      ...(dryRun ? { query: { dryRun: 'All' } } : {}),
    });
  } catch (err) {
    if (w.goneIsDone && (err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

/** Dry-runs every write, then makes them in order; the results of the real writes. */
export async function writeAll(json: JsonRequester, writes: readonly Write[]): Promise<unknown[]> {
  for (const w of writes) await send(json, w, true);
  const out: unknown[] = [];
  for (const w of writes) out.push(await send(json, w, false));
  return out;
}
