// One package revision folder's files turned into the index entry Universe's generator made of them.
import type { PackageEntry } from './package-entry.ts';
import { packageEntrySchema, packagingVersionOf, withoutNulls } from './package-entry.ts';
import { issuesText } from '../runtime/errors.ts';

export interface PackageFiles {
  packageJson: string;
  configJson?: string;
  marathonMustache?: string;
  resourceJson?: string;
  commandJson?: string;
}

export type PackageFilesResult = { ok: true; entry: PackageEntry } | { ok: false; message: string };

const FILE_OF_FIELD: Record<string, string> = {
  marathon: 'marathon.json.mustache',
  config: 'config.json',
  resource: 'resource.json',
  command: 'command.json',
};

function parseObject(
  text: string,
  file: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    // A UTF-8 byte order mark is not JSON but some editors write one.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { ok: false, message: `${file}: invalid JSON: ${(err as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, message: `${file}: must be a JSON object` };
  return { ok: true, value: value as Record<string, unknown> };
}

export function entryFromPackageFiles(
  files: PackageFiles,
  releaseVersion: number,
  where: string,
): PackageFilesResult {
  const pkg = parseObject(files.packageJson, `${where}/package.json`);
  if (!pkg.ok) return pkg;
  const candidate: Record<string, unknown> = { ...pkg.value, releaseVersion };
  // Universe's validator reads a missing packagingVersion as 2.0; the index states it.
  candidate.packagingVersion ??= '2.0';
  const optional = [
    ['config', files.configJson],
    ['resource', files.resourceJson],
    ['command', files.commandJson],
  ] as const;
  for (const [field, text] of optional) {
    if (text === undefined) continue;
    const parsed = parseObject(text, `${where}/${FILE_OF_FIELD[field]}`);
    if (!parsed.ok) return parsed;
    candidate[field] = parsed.value;
  }
  if (files.marathonMustache !== undefined)
    candidate.marathon = {
      v2AppMustacheTemplate: Buffer.from(files.marathonMustache, 'utf8').toString('base64'),
    };

  const result = packageEntrySchema.safeParse(candidate);
  if (!result.success) {
    const first = result.error.issues[0]?.path[0];
    const file = (typeof first === 'string' && FILE_OF_FIELD[first]) || 'package.json';
    return { ok: false, message: `${where}/${file}: ${issuesText(result.error, 3)}` };
  }
  const entry = withoutNulls(result.data);
  const packaging = packagingVersionOf(entry);
  if (entry.command && (packaging === '4.0' || packaging === '5.0'))
    return { ok: false, message: `${where}/command.json: not allowed with packagingVersion ${packaging}` };
  return { ok: true, entry };
}
