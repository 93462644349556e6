// `dcos-operator package search|describe`: the catalog questions `dcos package` answered, asked of the
// configured repositories (see repositories.ts).
import type { Command } from 'commander';
import { errorMessage } from '../runtime/errors.ts';
import { marathonTemplateOf, withoutNulls } from '../universe/package-entry.ts';
import { packageKind } from '../universe/package-kind.ts';
import { cliCatalog, collect } from './repositories.ts';
import type { CliCatalog, RepoFlags } from './repositories.ts';

const repoOption = [
  '--repo <dir|file|url>',
  'repository to search (repeatable; default: the configured ones)',
] as const;

function fail(message: string, code = 2): void {
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = code;
}

/** The configured repositories, with their warnings printed; undefined (exit 1) when they cannot be read. */
async function load(flags: RepoFlags): Promise<CliCatalog | undefined> {
  try {
    const loaded = await cliCatalog(flags);
    for (const n of loaded.notes) process.stderr.write(`warning: ${n}\n`);
    return loaded;
  } catch (err) {
    fail(errorMessage(err), 1);
    return undefined;
  }
}

export function registerPackageCommand(program: Command): void {
  const pkg = program.command('package').description('search and describe Universe packages');
  pkg
    .command('search')
    .description('packages whose name, description or tags match QUERY (* is a wildcard); all without QUERY')
    .argument('[query]', 'search text')
    .option(...repoOption, collect)
    .option('--kubeconfig <file>', 'kubeconfig of the cluster whose UniverseRepositories are searched')
    .option('--context <name>', 'kubeconfig context')
    .option('--json', 'print Cosmos’s search response')
    .action(async (query: string | undefined, flags: RepoFlags & { json?: boolean }) => {
      const loaded = await load(flags);
      if (!loaded) return;
      const packages = loaded.catalog.search(query);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ packages }, null, 2)}\n`);
        return;
      }
      const rows = [
        ['NAME', 'VERSION', 'SELECTED', 'FRAMEWORK', 'DESCRIPTION'],
        ...packages.map((p) => [
          p.name,
          p.currentVersion,
          String(p.selected ?? false),
          String(p.framework ?? false),
          oneLine(p.description ?? ''),
        ]),
      ];
      process.stdout.write(table(rows));
    });
  pkg
    .command('describe')
    .description('a package’s details, its versions, and whether it works on Kubernetes')
    .argument('<name>', 'package name')
    .option('--package-version <version>', 'a specific version (default: the newest)')
    .option(...repoOption, collect)
    .option('--kubeconfig <file>', 'kubeconfig of the cluster whose UniverseRepositories are searched')
    .option('--context <name>', 'kubeconfig context')
    .option('--config', 'print the package’s config.json (its options schema) only')
    .option('--app', 'print the package’s marathon.json.mustache only')
    .action(
      async (
        name: string,
        flags: RepoFlags & { packageVersion?: string; config?: boolean; app?: boolean },
      ) => {
        const loaded = await load(flags);
        if (!loaded) return;
        const found = loaded.catalog.resolve(name, flags.packageVersion);
        if (!found.ok)
          return fail(`${found.message} (repositories searched: ${loaded.searched.join(', ') || 'none'})`);
        const { entry, repository } = found;
        if (flags.config) {
          process.stdout.write(`${JSON.stringify(entry.config ?? {}, null, 2)}\n`);
          return;
        }
        if (flags.app) {
          process.stdout.write(marathonTemplateOf(entry) ?? '');
          return;
        }
        const { marathon: _m, config: _c, resource: _r, command: _x, ...fields } = entry;
        const kind = packageKind(entry);
        const out = {
          package: withoutNulls(fields),
          repository,
          versions: loaded.catalog.versions(name),
          kubernetes: { kind: kind.kind, works: kind.works, summary: kind.summary },
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      },
    );
}

function oneLine(s: string, max = 70): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
