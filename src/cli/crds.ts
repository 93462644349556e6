// `dcos-operator crds`: prints the CustomResourceDefinitions generated from the zod schemas, or writes
// them into a folder (`npm run gen:crds` regenerates crds/ and the Helm chart's copy in
// charts/dcos-operator/files/crds/).
import type { Command } from 'commander';
import { renderCrdFiles, writeCrdFiles } from '../resources/render.ts';

export function registerCrdsCommand(program: Command): void {
  program
    .command('crds')
    .description('print the CRDs as YAML, or write one file per CRD with --out and/or --chart-out')
    .option('--out <dir>', 'folder to write the CRD files into')
    .option(
      '--chart-out <dir>',
      'folder to write the Helm chart copy into (the same CRDs, annotated helm.sh/resource-policy: keep)',
    )
    .action(async (opts: { out?: string; chartOut?: string }) => {
      if (opts.out || opts.chartOut) {
        const files = [
          ...(opts.out ? await writeCrdFiles(opts.out) : []),
          ...(opts.chartOut ? await writeCrdFiles(opts.chartOut, undefined, 'chart') : []),
        ];
        for (const f of files) console.error(`wrote ${f}`);
        return;
      }
      process.stdout.write(
        renderCrdFiles()
          .map((f) => f.yaml)
          .join('---\n'),
      );
    });
}
