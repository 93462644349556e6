// A Universe checkout (or any tree of package folders) on disk read as a repository. A package folder is a
// directory named by a non-negative integer (the revision) holding package.json, inside a folder named after
// the package: repo/packages/<L>/<name>/<rev>/ in Universe, <name>/<rev>/ or <L>/<name>/<rev>/ elsewhere.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PackageEntry } from './package-entry.ts';
import type { PackageFiles } from './package-files.ts';
import { entryFromPackageFiles } from './package-files.ts';
import type { PackageSummary } from './repository-index.ts';
import { parseRepositoryIndex, summarizeEntries } from './repository-index.ts';

export interface PackageDirectoryContent {
  /** 'directory' for package folders, or the format of the meta/index.json used instead. */
  format: 'directory' | 'v3' | 'v4' | 'v5' | 'v2-summary';
  entries: PackageEntry[];
  warnings: string[];
  summaries: PackageSummary[];
}

const MAX_DEPTH = 6;
const REVISION = /^\d+$/;
const OPTIONAL_FILES = {
  configJson: 'config.json',
  marathonMustache: 'marathon.json.mustache',
  resourceJson: 'resource.json',
  commandJson: 'command.json',
} as const;

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function isFile(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined))?.isFile() ?? false;
}

/** Package folders under root, in sorted path order. */
async function findPackageFolders(root: string): Promise<string[]> {
  const found: string[] = [];
  const skip = new Set([path.join(root, 'repo', 'meta'), path.join(root, 'meta')]);
  const walk = async (dir: string, depth: number): Promise<void> => {
    const children = (await fs.readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
    for (const name of children) {
      const child = path.join(dir, name);
      if (skip.has(child)) continue;
      if (REVISION.test(name) && (await isFile(path.join(child, 'package.json')))) found.push(child);
      else if (depth < MAX_DEPTH) await walk(child, depth + 1);
    }
  };
  await walk(root, 1);
  return found;
}

async function readPackageFolder(folder: string): Promise<{ entry?: PackageEntry; warning?: string }> {
  const releaseVersion = Number(path.basename(folder));
  if (!Number.isSafeInteger(releaseVersion))
    return { warning: `${folder}: revision folder name is too large` };
  const files: PackageFiles = { packageJson: await fs.readFile(path.join(folder, 'package.json'), 'utf8') };
  for (const [key, file] of Object.entries(OPTIONAL_FILES)) {
    const text = await readIfPresent(path.join(folder, file));
    if (text !== undefined) files[key as keyof typeof OPTIONAL_FILES] = text;
  }
  const result = entryFromPackageFiles(files, releaseVersion, folder);
  if (!result.ok) return { warning: result.message };
  const parent = path.basename(path.dirname(folder));
  if (result.entry.name !== parent)
    return {
      warning: `${folder}: package.json name "${result.entry.name}" does not match its folder name "${parent}"`,
    };
  return { entry: result.entry };
}

export async function readPackageDirectory(dir: string): Promise<PackageDirectoryContent> {
  const root = path.resolve(dir);
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new Error(`${dir}: not a directory`);

  const folders = await findPackageFolders(root);
  if (folders.length) {
    const entries: PackageEntry[] = [];
    const warnings: string[] = [];
    const seen = new Map<string, string>();
    for (const folder of folders) {
      const { entry, warning } = await readPackageFolder(folder);
      if (warning) warnings.push(warning);
      if (!entry) continue;
      const key = `${entry.name}/${entry.releaseVersion}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        warnings.push(
          `${folder}: skipped, ${entry.name} revision ${entry.releaseVersion} is also in ${earlier}`,
        );
        continue;
      }
      seen.set(key, folder);
      entries.push(entry);
    }
    if (!entries.length)
      throw new Error(
        `${dir}: none of its ${folders.length} package folders could be read: ${warnings.join('; ')}`,
      );
    entries.sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.releaseVersion - b.releaseVersion,
    );
    return { format: 'directory', entries, warnings, summaries: summarizeEntries(entries) };
  }

  for (const candidate of [
    path.join(root, 'repo', 'meta', 'index.json'),
    path.join(root, 'meta', 'index.json'),
  ]) {
    const text = await readIfPresent(candidate);
    if (text === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new Error(`${candidate}: invalid JSON: ${(err as Error).message}`, { cause: err });
    }
    const parsed = parseRepositoryIndex(json, candidate);
    if (!parsed.ok) throw new Error(parsed.message);
    const { format, entries, summaries, warnings } = parsed;
    return { format, entries, summaries, warnings };
  }
  throw new Error(
    `${dir}: no Universe packages found (no <name>/<revision>/package.json folders within ${MAX_DEPTH} levels, ` +
      'and no repo/meta/index.json or meta/index.json)',
  );
}
