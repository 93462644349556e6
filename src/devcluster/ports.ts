// Free loopback ports, for a dev cluster that must not collide with another one on the same machine.
import net from 'node:net';
import type { DevClusterPorts } from './config.ts';

/** Asks the kernel for `count` distinct free ports; all are held open until every one is known. */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const KEYS = [
  'etcdClient',
  'etcdPeer',
  'apiserver',
  'controllerManager',
  'scheduler',
  'kwok',
] as const satisfies readonly (keyof DevClusterPorts)[];

export async function freePorts(): Promise<DevClusterPorts> {
  const ports = await freeLoopbackPorts(KEYS.length);
  return Object.fromEntries(KEYS.map((k, i) => [k, ports[i]])) as unknown as DevClusterPorts;
}
