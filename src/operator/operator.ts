// Wiring: caches start at once (so /readyz and a fast takeover do not wait for leadership); the
// controllers' workers run only while this replica holds the leader Lease. SIGTERM stops taking
// work, finishes in-flight reconciles within a bound and releases the Lease.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type {
  CoreV1Event,
  V1Deployment,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { AGENT_POOL_NODE_LABEL, DcosClusterReconciler, isNodeReady } from '../controllers/dcos-cluster.ts';
import { appIdOf, appKeyOfPod, MarathonAppReconciler } from '../controllers/marathon-app.ts';
import type { MarathonAppCaches } from '../controllers/marathon-app.ts';
import { APP_SELECTOR_LABEL } from '../marathon/names.ts';
import { CacheIndex } from '../runtime/cache-index.ts';
import { dcosClusterResource } from '../resources/dcos-cluster.ts';
import { marathonAppResource } from '../resources/marathon-app.ts';
import { universePackageResource } from '../resources/universe-package.ts';
import { universeRepositoryResource } from '../resources/universe-repository.ts';
import { UniversePackageReconciler } from '../controllers/universe-package.ts';
import { UniverseRepositoryReconciler } from '../controllers/universe-repository.ts';
import { CatalogViews } from '../universe/repository-set.ts';
import type { OperatorConfig } from '../runtime/config.ts';
import { Controller } from '../runtime/controller.ts';
import { EventRecorder } from '../runtime/events.ts';
import { startHttpServer } from '../http/server.ts';
import type { ApiSource, HttpServer } from '../http/server.ts';
import { KubernetesAuth, NoAuth } from '../http/auth.ts';
import { Router } from '../http/router.ts';
import { AppIndex } from '../http/marathon/app-index.ts';
import { EventHub } from '../http/marathon/event-hub.ts';
import type { MarathonApiContext } from '../http/marathon/context.ts';
import { registerMarathonRoutes } from '../http/marathon/routes.ts';
import { CatalogSource } from '../http/cosmos/catalog-source.ts';
import { registerCosmosRoutes } from '../http/cosmos/routes.ts';
import type { RepositoryContent } from '../universe/repository-set.ts';
import type { Informer } from '../runtime/informer.ts';
import { errorMessage } from '../runtime/errors.ts';
import { createKubeClients } from '../runtime/kube-client.ts';
import type { KubeClients } from '../runtime/kube-client.ts';
import { KubeLeaseClient, LeaderElector } from '../runtime/leader-election.ts';
import type { Logger } from '../runtime/logger.ts';
import { Metrics } from '../runtime/metrics.ts';
import { TokenBucket } from '../runtime/token-bucket.ts';
import { WorkQueue } from '../runtime/workqueue.ts';
import { AzureGateways } from './azure-gateways.ts';
import { builtinContent, loadContent } from './universe-content.ts';
import { builtinInformer, customResourceInformer } from './informers.ts';
import { slimEvent, slimOwned, slimPod, slimWorkload } from './slim.ts';

const MANAGED_BY = 'app.kubernetes.io/managed-by=dcos-operator';

export class Operator {
  readonly metrics = new Metrics();
  private readonly cfg: OperatorConfig;
  private readonly log: Logger;
  private readonly clients: KubeClients;
  private readonly informers: Pick<
    Informer<KubernetesObject>,
    'start' | 'stop' | 'waitForSync' | 'hasSynced' | 'isUp'
  >[] = [];
  private readonly controllers: Controller[] = [];
  private readonly gateways: AzureGateways;
  private elector: LeaderElector | undefined;
  private health: HttpServer | undefined;
  private api: ApiSource | undefined;
  /** What the Cosmos API reads: the Universe caches and the content the repository controller loaded. */
  private universe:
    | {
        packages: Informer<KubernetesObject>;
        repositories: Informer<KubernetesObject>;
        contents: () => ReadonlyMap<string, RepositoryContent>;
        builtin: RepositoryContent;
      }
    | undefined;
  /** Marathon's event bus (/v2/events) in this replica. */
  readonly events = new EventHub();
  private leaderIdentity: string | undefined;
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
    this.gateways = new AzureGateways(cfg, this.clients.json, log, this.metrics);
    this.build();
  }

  private build(): void {
    const { cfg, log, metrics, clients } = this;
    const namespace = cfg.watchNamespace || undefined;
    const events = new EventRecorder(clients.core, log, {
      component: 'dcos-operator',
      instance: cfg.identity,
    });

    // Everything but nodes is cached as JSON text (a third of the memory of parsed objects): each is
    // read a few times per reconcile at most. Nodes are read whole by every placement decision.
    const apps = customResourceInformer(clients, marathonAppResource, {
      namespace,
      log,
      metrics,
      compact: true,
    });
    const managed = { namespace, log, metrics, labelSelector: MANAGED_BY, compact: true };
    const core = '/api/v1';
    const nodes = builtinInformer<V1Node>(clients, { apiPath: core, plural: 'nodes' }, { log, metrics });
    const appsV1 = '/apis/apps/v1';
    const caches: MarathonAppCaches = {
      apps,
      deployments: builtinInformer<V1Deployment>(
        clients,
        { apiPath: appsV1, plural: 'deployments' },
        { ...managed, transform: slimWorkload },
      ),
      statefulSets: builtinInformer<V1StatefulSet>(
        clients,
        { apiPath: appsV1, plural: 'statefulsets' },
        { ...managed, transform: slimWorkload },
      ),
      services: builtinInformer<V1Service>(
        clients,
        { apiPath: core, plural: 'services' },
        { ...managed, transform: slimOwned },
      ),
      pvcs: builtinInformer<V1PersistentVolumeClaim>(
        clients,
        { apiPath: core, plural: 'persistentvolumeclaims' },
        { ...managed, transform: slimOwned },
      ),
      nodes,
      podsByApp: undefined as unknown as MarathonAppCaches['podsByApp'],
      eventsByPod: undefined as unknown as MarathonAppCaches['eventsByPod'],
    };
    const pods = builtinInformer<V1Pod>(
      clients,
      { apiPath: core, plural: 'pods' },
      { namespace, log, metrics, labelSelector: APP_SELECTOR_LABEL, transform: slimPod, compact: true },
    );
    // Warning events about pods answer "why is my app waiting?" (failing probes, pulls, kills).
    const podEvents = builtinInformer<CoreV1Event>(
      clients,
      { apiPath: core, plural: 'events' },
      {
        namespace,
        log,
        metrics,
        fieldSelector: 'type=Warning,involvedObject.kind=Pod',
        transform: slimEvent,
        compact: true,
      },
    );
    caches.podsByApp = new CacheIndex<V1Pod>(pods, (p) => {
      const app = p.metadata?.labels?.[APP_SELECTOR_LABEL];
      return app ? `${p.metadata?.namespace}/${app}` : undefined;
    });
    caches.eventsByPod = new CacheIndex<CoreV1Event>(
      podEvents,
      (e) => `${e.involvedObject.namespace ?? e.metadata?.namespace}/${e.involvedObject.name}`,
    );
    this.informers.push(
      apps,
      caches.deployments,
      caches.statefulSets,
      caches.services,
      caches.pvcs,
      caches.nodes,
      pods,
      podEvents,
    );

    const queue = this.queue('marathonapp');
    const reconciler = new MarathonAppReconciler({
      caches,
      json: clients.json,
      customObjects: clients.customObjects,
      events,
      settings: { defaultImage: cfg.defaultImage, fetchImage: cfg.fetchImage, maxVersions: cfg.maxVersions },
      log: log.child({ controller: 'marathonapp' }),
    });
    const controller = new Controller({
      name: 'marathonapp',
      primary: apps,
      queue,
      reconciler,
      workers: cfg.workers,
      maxRetries: cfg.maxRetries,
      resyncPeriodMs: cfg.resyncPeriod,
      childEventDelayMs: cfg.childEventDelay,
      log: log.child({ controller: 'marathonapp' }),
      metrics,
    });
    for (const owned of [caches.deployments, caches.statefulSets, caches.services, caches.pvcs])
      controller.watchOwned(owned, marathonAppResource.kind);
    // Pods belong to ReplicaSets and StatefulSets; their annotation names the app.
    const podToApp = (p: V1Pod) => {
      const key = appKeyOfPod(p);
      if (key) controller.enqueueSecondary(key);
    };
    pods.on('add', podToApp);
    pods.on('update', podToApp);
    pods.on('delete', podToApp);
    podEvents.on('add', (e) => {
      const pod = pods.get(e.involvedObject.name ?? '', e.involvedObject.namespace);
      if (pod) podToApp(pod);
    });
    // Apps waiting for a dependency move when it does (its status changes, not its generation).
    const toDependents = (a: KubernetesObject) => {
      for (const key of reconciler.dependentsOf(appIdOf(a))) queue.add(key);
    };
    apps.on('add', (a) => reconciler.observeApp(a));
    apps.on('update', (a) => reconciler.observeApp(a));
    apps.on('delete', (a) => reconciler.observeApp(a, true));
    apps.on('add', toDependents);
    apps.on('update', toDependents);
    apps.on('delete', toDependents);
    // Gated pods are placed against the live nodes: a node change may let one go.
    const nodeChanged = () => {
      for (const key of reconciler.appsPlacedByOperator()) queue.add(key);
    };
    caches.nodes.on('add', nodeChanged);
    caches.nodes.on('update', (n, old) => {
      if (JSON.stringify(n.metadata?.labels) !== JSON.stringify(old?.metadata?.labels)) nodeChanged();
    });
    caches.nodes.on('delete', nodeChanged);
    this.controllers.push(controller);
    this.buildDcosClusters(nodes, events);
    this.buildUniverse(apps, events);
    if (cfg.api) this.buildApi({ ...caches, pods });
  }

  /** The Marathon (and Cosmos) REST APIs, served from the caches above on the HTTP server. */
  private buildApi(caches: MarathonAppCaches & { pods: Informer<V1Pod> }): void {
    const { cfg, log, clients } = this;
    const ctx: MarathonApiContext = {
      apps: caches.apps,
      index: new AppIndex(caches.apps),
      pods: caches.pods,
      podsByApp: caches.podsByApp,
      deployments: caches.deployments,
      statefulSets: caches.statefulSets,
      nodes: caches.nodes,
      json: clients.json,
      events: this.events,
      settings: {
        apiNamespace: cfg.apiNamespace,
        defaultImage: cfg.defaultImage,
        maxVersions: cfg.maxVersions,
        identity: cfg.identity,
        advertisedAddress: cfg.httpBindAddress,
      },
      leader: () => (this.leading ? cfg.identity : this.leaderIdentity),
      abdicate: () => void this.shutdown('leadership abdicated (DELETE /v2/leader)', 0),
      now: () => new Date(),
      log: log.child({ component: 'api' }),
    };
    const auth = cfg.apiAuth === 'none' ? new NoAuth() : new KubernetesAuth({ json: clients.json });
    const router = registerMarathonRoutes(new Router(), ctx);
    const universe = this.universe!;
    registerCosmosRoutes(router, {
      packages: universe.packages,
      repositories: universe.repositories,
      apps: caches.apps,
      appIdInUse: (id) => ctx.index.get(id) !== undefined,
      catalog: new CatalogSource({
        contents: universe.contents,
        builtin: universe.builtin,
        load: loadContent,
        refreshMs: cfg.universeRefreshPeriod,
        retryMs: cfg.universeRetry,
      }),
      load: loadContent,
      json: clients.json,
      settings: { apiNamespace: cfg.apiNamespace },
      log: log.child({ component: 'cosmos-api' }),
    });
    this.api = {
      router,
      authenticator: auth,
      authorizer: auth,
    };
  }

  /**
   * UniverseRepository → loaded catalogs (kept in memory); UniversePackage → one owned MarathonApp. A repository
   * whose content changes requeues every package (one may now resolve, or resolve differently).
   */
  private buildUniverse(apps: Informer<KubernetesObject>, events: EventRecorder): void {
    const { cfg, log, metrics, clients } = this;
    const repositories = customResourceInformer(clients, universeRepositoryResource, { log, metrics });
    const packages = customResourceInformer(clients, universePackageResource, {
      namespace: cfg.watchNamespace || undefined,
      log,
      metrics,
    });
    this.informers.push(repositories, packages);
    let packagesController: Controller | undefined = undefined;
    const repoReconciler = new UniverseRepositoryReconciler({
      repositories,
      load: loadContent,
      customObjects: clients.customObjects,
      events,
      settings: { refreshMs: cfg.universeRefreshPeriod, retryMs: cfg.universeRetry },
      onChanged: () => packagesController?.resyncNow(),
      log: log.child({ controller: 'universerepository' }),
    });
    const repoController = new Controller({
      name: 'universerepository',
      primary: repositories,
      queue: this.queue('universerepository'),
      reconciler: repoReconciler,
      workers: Math.min(cfg.workers, 2),
      maxRetries: cfg.maxRetries,
      resyncPeriodMs: cfg.resyncPeriod,
      childEventDelayMs: cfg.childEventDelay,
      log: log.child({ controller: 'universerepository' }),
      metrics,
    });
    const builtin = builtinContent();
    const views = new CatalogViews();
    const reconciler = new UniversePackageReconciler({
      packages,
      apps,
      catalog: (only) => views.view(repoReconciler.declared(), repoReconciler.contents(), builtin, only),
      json: clients.json,
      customObjects: clients.customObjects,
      events,
      settings: { pendingRetryMs: cfg.universeRetry },
      log: log.child({ controller: 'universepackage' }),
    });
    packagesController = new Controller({
      name: 'universepackage',
      primary: packages,
      queue: this.queue('universepackage'),
      reconciler,
      workers: Math.min(cfg.workers, 4),
      maxRetries: cfg.maxRetries,
      resyncPeriodMs: cfg.resyncPeriod,
      childEventDelayMs: cfg.childEventDelay,
      log: log.child({ controller: 'universepackage' }),
      metrics,
    });
    packagesController.watchOwned(apps, universePackageResource.kind);
    // A repository added, removed or re-prioritized changes what every package resolves to.
    const reposChanged = () => packagesController?.resyncNow();
    repositories.on('add', reposChanged);
    repositories.on('update', reposChanged);
    repositories.on('delete', reposChanged);
    this.controllers.push(repoController, packagesController);
    this.universe = { packages, repositories, contents: () => repoReconciler.contents(), builtin };
  }

  /** DcosCluster → AKS agent pools; Node changes of a pool update its cluster's Ready node counts. */
  private buildDcosClusters(nodes: Informer<V1Node>, events: EventRecorder): void {
    const { cfg, log, metrics, clients } = this;
    const clusters = customResourceInformer(clients, dcosClusterResource, {
      namespace: cfg.watchNamespace || undefined,
      log,
      metrics,
    });
    this.informers.push(clusters);
    const queue = this.queue('dcoscluster');
    const reconciler = new DcosClusterReconciler({
      clusters,
      nodes,
      gateway: (provider) => this.gateways.get(provider),
      objects: clients.objects,
      json: clients.json,
      customObjects: clients.customObjects,
      events,
      settings: {
        pollIntervalMs: cfg.armPollInterval,
        busyRetryMs: cfg.armBusyRetry,
        failedRetryMs: cfg.armFailedRetry,
        resyncMs: cfg.armResyncPeriod,
        azureDefaults: {
          subscriptionId: cfg.azureSubscriptionId,
          resourceGroup: cfg.azureResourceGroup,
          managedClusterName: cfg.azureManagedClusterName,
        },
      },
      log: log.child({ controller: 'dcoscluster' }),
    });
    const controller = new Controller({
      name: 'dcoscluster',
      primary: clusters,
      queue,
      reconciler,
      workers: Math.min(cfg.workers, 2),
      maxRetries: cfg.maxRetries,
      resyncPeriodMs: cfg.resyncPeriod,
      childEventDelayMs: cfg.childEventDelay,
      log: log.child({ controller: 'dcoscluster' }),
      metrics,
    });
    const poolNodeChanged = (n: V1Node, old?: V1Node) => {
      if (!n.metadata?.labels?.[AGENT_POOL_NODE_LABEL] && !old?.metadata?.labels?.[AGENT_POOL_NODE_LABEL])
        return;
      if (old && isNodeReady(old) === isNodeReady(n)) return;
      controller.resyncNow();
    };
    nodes.on('add', poolNodeChanged);
    nodes.on('update', poolNodeChanged);
    nodes.on('delete', poolNodeChanged);
    this.controllers.push(controller);
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

  /** Requeues every primary object of every controller (a periodic resync, now). */
  resyncAll(): void {
    this.log.info('full resync requested');
    for (const c of this.controllers) c.resyncNow();
  }

  isLeader(): boolean {
    return this.leading;
  }

  async start(): Promise<void> {
    const { cfg, log } = this;
    if (cfg.httpBindAddress !== '0') {
      this.health = await startHttpServer(cfg.httpBindAddress, {
        health: {
          healthy: () => !this.stopping,
          ready: () => this.informers.every((i) => i.hasSynced() && i.isUp()),
          metrics: () => this.metrics.text(),
        },
        ...(this.api ? { api: this.api } : {}),
        log,
      });
      log.info(
        this.api
          ? `serving /healthz, /readyz, /metrics and the Marathon and Cosmos APIs (auth: ${cfg.apiAuth})`
          : 'serving /healthz, /readyz and /metrics',
        { port: this.health.port },
      );
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
      onNewLeader: (id: string) => {
        this.leaderIdentity = id;
        log.info('leader is', { leader: id });
      },
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
    await this.gateways.close();
    this.events.close();
    await this.health?.close();
    log.info('stopped');
    this.finish(code);
  }
}
