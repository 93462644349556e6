// Where a UniverseRepository's content comes from: the catalog built into the operator, or what its URI serves.
import type { LoadedContent } from '../controllers/universe-repository.ts';
import { builtinRepository } from '../universe/builtin-catalog.ts';
import { loadRepository } from '../universe/fetch-repository.ts';
import { contentDigest } from '../universe/repository-index.ts';
import { BUILTIN_URI } from '../resources/universe-repository.ts';

let builtin: LoadedContent | undefined;

/** The built-in catalog, read once. */
export function builtinContent(): LoadedContent {
  if (!builtin) {
    const repo = builtinRepository();
    const digest = contentDigest(repo.entries, repo.summaries);
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
