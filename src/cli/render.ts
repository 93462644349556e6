// `dcos-operator render app FILE|-`: the migration preview. Prints, as multi-document YAML, exactly what the
// operator would apply for a Marathon app JSON, a group JSON or MarathonApp YAML. Invalid input exits 2
// with Marathon's error body on stderr.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { renderCluster } from '../cluster/render-cluster.ts';
import { renderApps } from '../marathon/render.ts';
import { PROVIDERS } from '../resources/dcos-cluster.ts';
import type { Provider } from '../resources/dcos-cluster.ts';
import type { Emit } from '../marathon/render.ts';
import { configSchema } from '../runtime/config.ts';
import { RENDERING_MODES } from '../resources/universe-package.ts';
import { errorMessage } from '../runtime/errors.ts';
import { renderPackage } from '../universe/render-package.ts';
import type { PackageEmit } from '../universe/render-package.ts';
import type { RenderingMode } from '../universe/render-template.ts';
import { cliCatalog, collect } from './repositories.ts';
import type { RepoFlags } from './repositories.ts';

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
  render
    .command('package')
    .description(
      'render a Universe package as Cosmos did: the MarathonApp the operator would create and the objects it becomes',
    )
    .argument('<name>', 'package name')
    .option('--package-version <version>', 'package version (default: the newest)')
    .option('--options <file>', 'options JSON, as `dcos package install --options` (- for stdin)')
    .option('--repo <dir|file|url>', 'repository (repeatable; default: the configured ones)', collect)
    .option('--kubeconfig <file>', 'kubeconfig of the cluster whose UniverseRepositories are searched')
    .option('--context <name>', 'kubeconfig context')
    .option('--service-name <name>', 'service name of a multi-instance install (the app id)')
    .option('--rendering <mode>', 'modern (DC/OS 1.10+) or legacy (DC/OS ≤ 1.9) template rendering', 'modern')
    .option('-n, --namespace <ns>', 'namespace of the MarathonApp', 'default')
    .option('--emit <what>', 'app (the MarathonApp), children (what it becomes) or all', 'all')
    .option('--default-image <image>', 'image for command-only apps', defaults.defaultImage)
    .option('--fetch-image <image>', 'image of the artifact fetcher', defaults.fetchImage)
    .action(renderPackageCommand);
  render
    .command('cluster')
    .description(
      'render an ACS or acs-engine cluster definition (JSON) or a DcosCluster (YAML): the DcosCluster and ' +
        'the agent pool bodies the operator would PUT',
    )
    .argument('<file>', 'input file, or - for stdin')
    .option('--name <name>', 'DcosCluster name (default: from the file name)')
    .option('-n, --namespace <ns>', 'DcosCluster namespace', 'default')
    .option('--provider <provider>', 'aks or local', 'local')
    .option('--subscription <id>', 'Azure subscription id of the AKS cluster')
    .option('--resource-group <name>', 'resource group of the AKS cluster')
    .option('--aks-cluster <name>', 'AKS managed cluster name')
    .option(
      '--emit <what>',
      'cluster (the DcosCluster, for kubectl apply), pools (the PUT bodies) or all',
      'all',
    )
    .action(async (file: string, opts: ClusterFlags) => {
      if (!['cluster', 'pools', 'all'].includes(opts.emit)) {
        process.stderr.write('--emit must be cluster, pools or all\n');
        process.exitCode = 2;
        return;
      }
      if (!(PROVIDERS as readonly string[]).includes(opts.provider)) {
        process.stderr.write(`--provider must be one of ${PROVIDERS.join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      const result = renderCluster(await readInput(file), {
        name: opts.name ?? nameFromFile(file),
        namespace: opts.namespace,
        provider: opts.provider as Provider,
        ...(opts.subscription ? { subscriptionId: opts.subscription } : {}),
        ...(opts.resourceGroup ? { resourceGroup: opts.resourceGroup } : {}),
        ...(opts.aksCluster ? { managedClusterName: opts.aksCluster } : {}),
      });
      if (!result.ok) {
        for (const e of result.errors)
          process.stderr.write(`error: ${e.path ? `${e.path}: ` : ''}${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      const yaml = (o: unknown) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false });
      const docs = [
        ...(opts.emit === 'pools' ? [] : [yaml(result.cluster)]),
        ...(opts.emit === 'cluster'
          ? []
          : result.requests.map((r) => `# PUT <managed cluster>/${r.path}\n${yaml(r.body)}`)),
      ];
      process.stdout.write(docs.join('---\n'));
    });
}

interface PackageFlags extends RepoFlags {
  packageVersion?: string;
  options?: string;
  serviceName?: string;
  rendering: string;
  namespace: string;
  emit: string;
  defaultImage: string;
  fetchImage: string;
}

async function renderPackageCommand(name: string, opts: PackageFlags): Promise<void> {
  const fail = (lines: string[], code = 2) => {
    for (const l of lines) process.stderr.write(`error: ${l}\n`);
    process.exitCode = code;
  };
  if (!['app', 'children', 'all'].includes(opts.emit)) return fail(['--emit must be app, children or all']);
  if (!(RENDERING_MODES as readonly string[]).includes(opts.rendering))
    return fail([`--rendering must be one of ${RENDERING_MODES.join(', ')}`]);
  let options: Record<string, unknown> = {};
  if (opts.options) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readInput(opts.options));
    } catch (err) {
      return fail([`--options ${opts.options}: ${errorMessage(err)}`]);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return fail([`--options ${opts.options}: the options must be a JSON object`]);
    options = parsed as Record<string, unknown>;
  }
  let loaded;
  try {
    loaded = await cliCatalog(opts);
  } catch (err) {
    return fail([errorMessage(err)], 1);
  }
  for (const n of loaded.notes) process.stderr.write(`warning: ${n}\n`);
  const result = renderPackage({
    catalog: loaded.catalog,
    searched: loaded.searched,
    packageName: name,
    ...(opts.packageVersion ? { packageVersion: opts.packageVersion } : {}),
    options,
    ...(opts.serviceName ? { serviceName: opts.serviceName } : {}),
    rendering: opts.rendering as RenderingMode,
    namespace: opts.namespace,
    emit: opts.emit as PackageEmit,
    defaultImage: opts.defaultImage,
    fetchImage: opts.fetchImage,
    version: new Date().toISOString(),
  });
  if (!result.ok) return fail(result.errors);
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(
    result.objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n'),
  );
}

interface ClusterFlags {
  emit: string;
  name?: string;
  namespace: string;
  provider: string;
  subscription?: string;
  resourceGroup?: string;
  aksCluster?: string;
}

/** A DNS-label name from the input file's name (`v20170701-dcos.json` → v20170701-dcos). */
function nameFromFile(file: string): string {
  const base = file === '-' ? '' : (file.split('/').pop() ?? '').replace(/\.(json|ya?ml)$/i, '');
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'dcos';
}
