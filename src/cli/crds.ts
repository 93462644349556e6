// `dcos-operator crds`: prints the CustomResourceDefinitions generated from the zod schemas, or writes
// them into a folder (`npm run gen:crds` regenerates crds/).
import type { Command } from 'commander';
import { renderCrdFiles, writeCrdFiles } from '../resources/render.ts';

export function registerCrdsCommand(program: Command): void {
  program
    .command('crds')
    .description('print the CRDs as YAML, or write one file per CRD with --out')
    .option('--out <dir>', 'folder to write the CRD files into')
    .action(async (opts: { out?: string }) => {
      if (opts.out) {
        const files = await writeCrdFiles(opts.out);
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
