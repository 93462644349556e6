// Wiring: caches start at once (so /readyz and a fast takeover do not wait for leadership); the
// controllers' workers run only while this replica holds the leader Lease. SIGTERM stops taking
// work, finishes in-flight reconciles within a bound and releases the Lease.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { MarathonAppReconciler } from '../controllers/marathon-app.ts';
import { marathonAppResource } from '../resources/marathon-app.ts';
import type { OperatorConfig } from '../runtime/config.ts';
import { Controller } from '../runtime/controller.ts';
import { EventRecorder } from '../runtime/events.ts';
import { startHealthServer } from '../runtime/health-server.ts';
import type { HealthServer } from '../runtime/health-server.ts';
import type { Informer } from '../runtime/informer.ts';
import { errorMessage } from '../runtime/errors.ts';
import { createKubeClients } from '../runtime/kube-client.ts';
import type { KubeClients } from '../runtime/kube-client.ts';
import { KubeLeaseClient, LeaderElector } from '../runtime/leader-election.ts';
import type { Logger } from '../runtime/logger.ts';
import { Metrics } from '../runtime/metrics.ts';
import { TokenBucket } from '../runtime/token-bucket.ts';
import { WorkQueue } from '../runtime/workqueue.ts';
import { customResourceInformer } from './informers.ts';

export class Operator {
  readonly metrics = new Metrics();
  private readonly cfg: OperatorConfig;
  private readonly log: Logger;
  private readonly clients: KubeClients;
  private readonly informers: Informer<KubernetesObject>[] = [];
  private readonly controllers: Controller[] = [];
  private elector: LeaderElector | undefined;
  private health: HealthServer | undefined;
  private leading = false;
  private stopping: Promise<void> | undefined;
  /** Resolves when the operator has stopped; the exit code says whether that was graceful. */
  readonly done: Promise<number>;
  private finish!: (code: number) => void;

  constructor(cfg: OperatorConfig, kc: KubeConfig, log: Logger) {
    this.cfg = cfg;
    this.log = log;
    this.done = new Promise((r) => (this.finish = r));
    const limiter = new TokenBucket({ qps: cfg.kubeApiQps, burst: cfg.kubeApiBurst });
    this.clients = createKubeClients(kc, {
      limiter,
      observer: {
        request: (method, code) => this.metrics.apiRequests.inc({ method, code: String(code) }),
        throttled: () => this.metrics.apiThrottled.inc(),
      },
    });
    this.build();
  }

  private build(): void {
    const { cfg, log, metrics, clients } = this;
    const namespace = cfg.watchNamespace || undefined;
    const events = new EventRecorder(clients.core, log, {
      component: 'dcos-operator',
      instance: cfg.identity,
    });

    const apps = customResourceInformer(clients, marathonAppResource, { namespace, log, metrics });
    this.informers.push(apps);
    this.controllers.push(
      new Controller({
        name: 'marathonapp',
        primary: apps,
        queue: this.queue('marathonapp'),
        reconciler: new MarathonAppReconciler({ cache: apps, customObjects: clients.customObjects, events }),
        workers: cfg.workers,
        maxRetries: cfg.maxRetries,
        resyncPeriodMs: cfg.resyncPeriod,
        log: log.child({ controller: 'marathonapp' }),
        metrics,
      }),
    );
  }

  private queue(name: string): WorkQueue<string> {
    const m = this.metrics;
    return new WorkQueue<string>({
      metrics: {
        add: () => m.queueAdds.inc({ name }),
        depth: (n) => m.queueDepth.set({ name }, n),
        retry: () => m.queueRetries.inc({ name }),
      },
    });
  }

  get httpPort(): number | undefined {
    return this.health?.port;
  }

  isLeader(): boolean {
    return this.leading;
  }

  async start(): Promise<void> {
    const { cfg, log } = this;
    if (cfg.httpBindAddress !== '0') {
      this.health = await startHealthServer(cfg.httpBindAddress, {
        healthy: () => !this.stopping,
        ready: () => this.informers.every((i) => i.hasSynced() && i.isUp()),
        metrics: () => this.metrics.text(),
      });
      log.info('serving /healthz, /readyz and /metrics', { port: this.health.port });
    }
    for (const i of this.informers) i.start();
    await Promise.all(this.informers.map((i) => i.waitForSync()));
    log.info('caches synced', { identity: cfg.identity });

    if (!cfg.leaderElect) {
      this.startLeading();
      return;
    }
    const namespace = cfg.leaderElectionNamespace ?? cfg.namespace ?? 'default';
    // Lease traffic bypasses the shared rate limiter so renewals never queue behind reconciles.
    this.elector = new LeaderElector(KubeLeaseClient.fromKubeConfig(this.clients.kc), {
      namespace,
      name: cfg.leaderElectionId,
      identity: cfg.identity,
      leaseDurationMs: cfg.leaseDuration,
      renewDeadlineMs: cfg.renewDeadline,
      retryPeriodMs: cfg.retryPeriod,
      onStartedLeading: () => this.startLeading(),
      onStoppedLeading: () => {
        if (this.stopping) return;
        // Another replica may already be reconciling: stop at once rather than risk two writers.
        log.error('leader Lease lost; exiting so the replica restarts as a follower');
        void this.shutdown('lease lost', 1);
      },
      onNewLeader: (id: string) => log.info('leader is', { leader: id }),
    });
    this.elector.start();
    log.info('waiting for the leader Lease', { lease: `${namespace}/${cfg.leaderElectionId}` });
  }

  private startLeading(): void {
    if (this.stopping) return;
    this.leading = true;
    this.metrics.leader.set({ name: this.cfg.leaderElectionId }, 1);
    this.log.info('started leading: reconciling', { identity: this.cfg.identity });
    for (const c of this.controllers) c.start();
  }

  /** Graceful stop; safe to call more than once. */
  shutdown(why: string, code = 0): Promise<void> {
    this.stopping ??= this.doShutdown(why, code);
    return this.stopping;
  }

  private async doShutdown(why: string, code: number): Promise<void> {
    const { log, cfg } = this;
    log.info('shutting down', { why });
    const drained = await Promise.all(this.controllers.map((c) => c.stop(cfg.shutdownTimeout)));
    if (drained.some((ok) => !ok))
      log.warn('in-flight reconciles did not finish in time', { timeoutMs: cfg.shutdownTimeout });
    this.leading = false;
    this.metrics.leader.set({ name: cfg.leaderElectionId }, 0);
    try {
      await this.elector?.stop();
    } catch (err) {
      log.warn('could not release the leader Lease', { error: errorMessage(err) });
    }
    await Promise.all(this.informers.map((i) => i.stop()));
    await this.health?.close();
    log.info('stopped');
    this.finish(code);
  }
}
