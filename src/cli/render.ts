// `dcos-operator render app FILE|-`: the migration preview. Prints, as multi-document YAML, exactly what the
// operator would apply for a Marathon app JSON, a group JSON or MarathonApp YAML. Invalid input exits 2
// with Marathon's error body on stderr.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { renderApps } from '../marathon/render.ts';
import type { Emit } from '../marathon/render.ts';
import { configSchema } from '../runtime/config.ts';

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerRenderCommand(program: Command): void {
  const render = program.command('render').description('print what the operator would apply');
  const defaults = configSchema.parse({});
  render
    .command('app')
    .description('render a Marathon app JSON, a group JSON or MarathonApp YAML (FILE, or - for stdin)')
    .argument('<file>', 'input file, or - for stdin')
    .option('-n, --namespace <ns>', 'namespace for apps read from JSON', 'default')
    .option(
      '--emit <what>',
      'children (what the operator applies), app (the MarathonApp resources) or all',
      'children',
    )
    .option('--default-image <image>', 'image for command-only apps', defaults.defaultImage)
    .option('--fetch-image <image>', 'image of the artifact fetcher', defaults.fetchImage)
    .action(
      async (
        file: string,
        opts: { namespace: string; emit: string; defaultImage: string; fetchImage: string },
      ) => {
        if (!['children', 'app', 'all'].includes(opts.emit)) {
          process.stderr.write(`--emit must be children, app or all\n`);
          process.exitCode = 2;
          return;
        }
        const result = renderApps(await readInput(file), {
          namespace: opts.namespace,
          emit: opts.emit as Emit,
          defaultImage: opts.defaultImage,
          fetchImage: opts.fetchImage,
          version: new Date().toISOString(),
        });
        if (!result.ok) {
          process.stderr.write(`${JSON.stringify(result.body, null, 2)}\n`);
          process.exitCode = 2;
          return;
        }
        process.stdout.write(
          result.objects
            .map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }))
            .join('---\n'),
        );
      },
    );
}
