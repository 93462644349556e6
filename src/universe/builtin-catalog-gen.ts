// Writes the built-in catalog (src/universe/catalog/builtin.json) from a folder of Universe packages.
import fs from 'node:fs/promises';
import path from 'node:path';
import { readPackageDirectory } from './package-directory.ts';
import { buildRepositoryIndex } from './repository-index.ts';

/** Writes the index of every package under packagesDir to outFile; returns the number of entries. */
export async function writeBuiltinCatalog(packagesDir: string, outFile: string): Promise<number> {
  const { format, entries, warnings } = await readPackageDirectory(packagesDir);
  if (format !== 'directory') throw new Error(`${packagesDir}: has no package folders`);
  // The built-in catalog ships with the operator: every package in it must load.
  if (warnings.length) throw new Error(`${packagesDir}: ${warnings.join('; ')}`);
  const text = `${JSON.stringify(buildRepositoryIndex(entries), null, 1)}\n`;
  await fs.mkdir(path.dirname(outFile), { recursive: true });
  await fs.writeFile(outFile, text);
  return entries.length;
}
