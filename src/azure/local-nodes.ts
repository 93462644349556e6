// Makes the AKS emulator's agent pools real to Kubernetes: after every change to a cluster's pools, the
// Nodes those pools would register (kwok simulates them) are created, updated or deleted to match. Work is
// serialized and coalesced: a burst of pool changes costs one pass per cluster.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { NodeManifest } from '../devcluster/nodes.ts';
import { applyJson } from '../runtime/apply.ts';
import { errorMessage } from '../runtime/errors.ts';
import type { JsonRequester } from '../runtime/kube-client.ts';
import { deleteIfExists } from '../runtime/kube-client.ts';
import type { AgentPoolSnapshot, AksEmulator, ClusterInfo } from './emulator/index.ts';
import { EMULATOR_NODE_LABEL, poolNodeManifests } from './emulator/index.ts';

export interface NodeMaterializerOptions {
  json: JsonRequester;
  log?: (msg: string, meta?: Record<string, unknown>) => void;
}

interface NodeList {
  items: (KubernetesObject & { metadata: { name: string; labels?: Record<string, string> } })[];
}

export class NodeMaterializer {
  private readonly opts: NodeMaterializerOptions;
  private readonly latest = new Map<string, { cluster: ClusterInfo; pools: AgentPoolSnapshot[] }>();
  private running: Promise<void> = Promise.resolve();
  private readonly scheduled = new Set<string>();
  private unsubscribe: (() => void) | undefined;

  constructor(opts: NodeMaterializerOptions) {
    this.opts = opts;
  }

  /** Follows the emulator's pool changes from now on. */
  attach(emulator: Pick<AksEmulator, 'onPoolsChanged'>): void {
    this.unsubscribe = emulator.onPoolsChanged((cluster, pools) => this.changed(cluster, pools));
  }

  changed(cluster: ClusterInfo, pools: AgentPoolSnapshot[]): void {
    const key = `${cluster.subscriptionId}/${cluster.resourceGroup}/${cluster.cluster}`.toLowerCase();
    this.latest.set(key, { cluster, pools });
    if (this.scheduled.has(key)) return;
    this.scheduled.add(key);
    this.running = this.running.then(async () => {
      this.scheduled.delete(key);
      const entry = this.latest.get(key);
      if (!entry) return;
      try {
        await this.sync(entry.cluster, entry.pools);
      } catch (err) {
        this.opts.log?.('could not update emulator nodes', {
          cluster: cluster.cluster,
          error: errorMessage(err),
        });
      }
    });
  }

  /** Resolves when every change seen so far is reflected in Nodes. */
  idle(): Promise<void> {
    return this.running;
  }

  detach(): void {
    this.unsubscribe?.();
  }

  private async sync(cluster: ClusterInfo, pools: AgentPoolSnapshot[]): Promise<void> {
    const { json } = this.opts;
    const wanted = new Map<string, NodeManifest>();
    for (const pool of pools)
      for (const m of poolNodeManifests(cluster, pool)) wanted.set(m.metadata.name, m);
    const selector = `${EMULATOR_NODE_LABEL}=${cluster.cluster}`;
    const existing = await json<NodeList>('GET', '/api/v1/nodes', { query: { labelSelector: selector } });
    for (const node of existing.items) {
      if (wanted.has(node.metadata.name)) continue;
      await deleteIfExists(json, `/api/v1/nodes/${node.metadata.name}`);
    }
    const present = new Set(existing.items.map((n) => n.metadata.name));
    for (const manifest of wanted.values()) {
      // Server-side apply sets metadata and taints; status (capacity) is written once, at creation.
      const { status, ...rest } = manifest;
      const applied = await applyJson(json, rest as KubernetesObject);
      if (!present.has(manifest.metadata.name) && applied) {
        await json('PATCH', `/api/v1/nodes/${manifest.metadata.name}/status`, {
          body: { status },
          contentType: 'application/merge-patch+json',
        });
      }
    }
  }
}
