// Where a UniverseRepository's content comes from: the catalog built into the operator, or what its URI serves.
import { createHash } from 'node:crypto';
import type { LoadedContent } from '../controllers/universe-repository.ts';
import { builtinRepository } from '../universe/builtin-catalog.ts';
import { loadRepository } from '../universe/fetch-repository.ts';
import { BUILTIN_URI } from '../resources/universe-repository.ts';

let builtin: LoadedContent | undefined;

/** The built-in catalog, read once. */
export function builtinContent(): LoadedContent {
  if (!builtin) {
    const repo = builtinRepository();
    const digest = createHash('sha256').update(JSON.stringify(repo.entries)).digest('hex');
    builtin = { ...repo, uri: BUILTIN_URI, format: 'builtin', digest, warnings: [] };
  }
  return builtin;
}

export async function loadContent(uri: string): Promise<LoadedContent> {
  if (uri === BUILTIN_URI) return builtinContent();
  const repo = await loadRepository(uri, { userAgent: 'dcos-operator' });
  const { entries, summaries, warnings, digest, format } = repo;
  return { uri, entries, summaries, warnings, digest, format };
}
