// One agentPools gateway per DcosCluster provider, made on first use. `aks` talks to Azure Resource Manager
// with Azure's credential chain; `local` talks to an AKS emulator: the one at --local-aks-endpoint, or one
// started inside the operator whose pools become kwok Nodes of the operator's own cluster.
import { readFile } from 'node:fs/promises';
import { AgentPoolsGateway } from '../azure/agent-pools.ts';
import { azureCredential, emulatorCredential } from '../azure/arm-client.ts';
import type { ArmConnection } from '../azure/arm-client.ts';
import type { AksEmulator } from '../azure/emulator/index.ts';
import { NodeMaterializer } from '../azure/local-nodes.ts';
import type { Provider } from '../resources/dcos-cluster.ts';
import type { OperatorConfig } from '../runtime/config.ts';
import { errorMessage } from '../runtime/errors.ts';
import type { JsonRequester } from '../runtime/kube-client.ts';
import type { Logger } from '../runtime/logger.ts';
import type { Metrics } from '../runtime/metrics.ts';

export class AzureGateways {
  private readonly cfg: OperatorConfig;
  private readonly json: JsonRequester;
  private readonly log: Logger;
  private readonly metrics: Metrics;
  private readonly made = new Map<Provider, Promise<AgentPoolsGateway>>();
  private emulator: AksEmulator | undefined;
  private nodes: NodeMaterializer | undefined;

  constructor(cfg: OperatorConfig, json: JsonRequester, log: Logger, metrics: Metrics) {
    this.cfg = cfg;
    this.json = json;
    this.log = log;
    this.metrics = metrics;
  }

  get(provider: Provider): Promise<AgentPoolsGateway> {
    let gateway = this.made.get(provider);
    if (!gateway) {
      gateway = this.make(provider);
      // A failed start (say, an unreadable CA file) is retried by the next reconcile.
      gateway.catch(() => this.made.delete(provider));
      this.made.set(provider, gateway);
    }
    return gateway;
  }

  private async make(provider: Provider): Promise<AgentPoolsGateway> {
    const conn = provider === 'aks' ? await this.azure() : await this.local();
    return new AgentPoolsGateway(conn, {
      writesPerSecond: this.cfg.armWritesPerSecond,
      pollIntervalMs: this.cfg.armPollInterval,
      observe: (verb, outcome) => this.metrics.armRequests.inc({ provider, verb, outcome }),
    });
  }

  private async azure(): Promise<ArmConnection> {
    return { endpoint: this.cfg.armEndpoint, credential: await azureCredential() };
  }

  private async local(): Promise<ArmConnection> {
    const { cfg } = this;
    if (cfg.localAksEndpoint) {
      const caPem = cfg.localAksCaFile ? await readFile(cfg.localAksCaFile, 'utf8') : undefined;
      return { endpoint: cfg.localAksEndpoint, credential: emulatorCredential, ...(caPem ? { caPem } : {}) };
    }
    const { startAksEmulator } = await import('../azure/emulator/index.ts');
    const log = this.log.child({ component: 'aks-emulator' });
    this.emulator = await startAksEmulator({
      operationDurationMs: cfg.localAksOperationDuration,
      log: (msg: string) => log.debug(msg),
    });
    this.nodes = new NodeMaterializer({
      json: this.json,
      log: (msg, meta) => log.warn(msg, meta),
    });
    this.nodes.attach(this.emulator);
    log.info('started the built-in AKS emulator', { endpoint: this.emulator.endpoint });
    return { endpoint: this.emulator.endpoint, credential: emulatorCredential, caPem: this.emulator.caPem };
  }

  async close(): Promise<void> {
    this.nodes?.detach();
    await this.nodes?.idle();
    await this.emulator?.close().catch((err: unknown) => {
      this.log.warn('could not stop the AKS emulator', { error: errorMessage(err) });
    });
  }
}
