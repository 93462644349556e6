#!/usr/bin/env node
// dcos-operator: one executable, one subcommand per job.
import { Command, CommanderError } from 'commander';
import { registerClusterCommand } from './cluster.ts';
import { registerCrdsCommand } from './crds.ts';
import { registerPackageCommand } from './package.ts';
import { registerRenderCommand } from './render.ts';
import { registerRunCommand } from './run.ts';
import { VERSION } from '../version.ts';

const program = new Command('dcos-operator')
  .description('Runs DC/OS workloads (Marathon apps, Universe packages, ACS clusters) on Kubernetes')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

registerRunCommand(program);
registerCrdsCommand(program);
registerClusterCommand(program);
registerRenderCommand(program);
registerPackageCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  console.error(`dcos-operator: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
