// `dcos-operator cluster up|down|status`: the local control plane used by the tests and by `run`
// when no cluster is configured.
import type { Command } from 'commander';

export function registerClusterCommand(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('local Kubernetes control plane (etcd, kube-*, kwok)');
  cluster
    .command('up')
    .description('build (once) and start the local control plane with fake kwok nodes')
    .action(async () => {
      const { startDevCluster } = await import('../devcluster/index.ts');
      const dev = await startDevCluster({ log: (line: string) => console.error(line) });
      console.error(`control plane up in ${dev.startedMs} ms`);
      console.log(`export KUBECONFIG=${dev.kubeconfigPath}`);
    });
  cluster
    .command('down')
    .description('stop the local control plane')
    .option('--purge', 'also delete its data')
    .action(async (opts: { purge?: boolean }) => {
      const { stopDevCluster } = await import('../devcluster/index.ts');
      await stopDevCluster({ purge: opts.purge ?? false });
    });
  cluster
    .command('status')
    .description('show which components are running')
    .action(async () => {
      const { devClusterStatus } = await import('../devcluster/index.ts');
      console.log(JSON.stringify(await devClusterStatus(), null, 2));
    });
}
