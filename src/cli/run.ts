// `dcos-operator run`: the operator against the current kubeconfig context, in-cluster config, or —
// when no cluster is configured at all — a local control plane it starts itself (the dev default).
import type { Command } from 'commander';
import { Operator } from '../operator/operator.ts';
import { installCrds } from '../operator/install-crds.ts';
import { VERSION } from '../version.ts';
import { BOOLEAN_SETTINGS, ConfigError, configSchema, flagName, loadConfig } from '../runtime/config.ts';
import type { ConfigKey } from '../runtime/config.ts';
import { hasConfiguredCluster, loadKubeConfig } from '../runtime/kube-client.ts';
import { createLogger } from '../runtime/logger.ts';

export function registerRunCommand(program: Command): void {
  const cmd = program
    .command('run')
    .description('run the operator (all settings also read DCOS_OPERATOR_* variables)');
  for (const [key, schema] of Object.entries(configSchema.shape)) {
    cmd.option(
      `${flagName(key)} ${BOOLEAN_SETTINGS.has(key) ? '[bool]' : '<value>'}`,
      schema.description ?? '',
    );
  }
  cmd.action(async (flags: Partial<Record<ConfigKey, unknown>>) => {
    let cfg;
    try {
      cfg = loadConfig(flags);
    } catch (err) {
      if (err instanceof ConfigError) {
        console.error(err.message);
        process.exit(2);
      }
      throw err;
    }
    const log = createLogger({ level: cfg.logLevel, format: cfg.logFormat });
    log.info('dcos-operator starting', { version: VERSION, node: process.version });
    let kubeconfig = cfg.kubeconfig;
    let installCrdsNow = cfg.installCrds;
    if (!hasConfiguredCluster(cfg.kubeconfig)) {
      log.info('no Kubernetes cluster configured: starting the local control plane (first start builds it)');
      const { startDevCluster } = await import('../devcluster/index.ts');
      const dev = await startDevCluster({ log: (line: string) => log.info(line) });
      log.info('local control plane up', { kubeconfig: dev.kubeconfigPath, startedMs: dev.startedMs });
      kubeconfig = dev.kubeconfigPath;
      installCrdsNow = true;
    }
    const kc = loadKubeConfig({ kubeconfig, context: cfg.context });
    if (installCrdsNow) await installCrds(kc, log);
    const operator = new Operator(cfg, kc, log);
    // SIGHUP: requeue every object now (what the periodic resync does), e.g. to measure a no-op pass.
    process.on('SIGHUP', () => operator.resyncAll());
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      process.once(sig, () => void operator.shutdown(`signal ${sig}`));
    }
    await operator.start();
    process.exit(await operator.done);
  });
}
