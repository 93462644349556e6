// MarathonApp reconciler: a thin loop over the pure pieces in src/marathon. Each pass reads the app from
// the cache, turns its definition into the desired children, applies only what differs from the cache
// (a no-op pass writes nothing), releases pods the operator places itself, and writes Marathon-style status.
import type {
  CoreV1Event,
  CustomObjectsApi,
  KubernetesObject,
  V1ConfigMap,
  V1Deployment,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { NormalizedApp } from '../marathon/app.ts';
import { readAppDefinition } from '../marathon/definition.ts';
import {
  configHash,
  DEFINITION_ANNOTATION,
  desiredObjects,
  OWNER_APP_ANNOTATION,
} from '../marathon/desired.ts';
import type { Desired, DesiredInput } from '../marathon/desired.ts';
import type { VersionEntry, VersionState } from '../marathon/versions.ts';
import {
  childBaseName,
  appIdFor,
  MANAGED_BY_LABELS,
  RESTARTED_AT_ANNOTATION,
  RETAIN_ANNOTATION,
  VERSION_STATE_ANNOTATION,
} from '../marathon/names.ts';
import { marathonAppResource } from '../resources/marathon-app.ts';
import type { MarathonAppStatus } from '../resources/marathon-app-status.ts';
import { applyJson } from '../runtime/apply.ts';
import type { CacheIndex } from '../runtime/cache-index.ts';
import type { ReconcileResult, Reconciler } from '../runtime/controller.ts';
import { keyOf, StalledError, splitKey } from '../runtime/controller.ts';
import { driftVerdict, firstDifference, needsApply } from '../runtime/drift.ts';
import { errorMessage } from '../runtime/errors.ts';
import type { EventRecorder } from '../runtime/events.ts';
import type { Informer } from '../runtime/informer.ts';
import type { JsonRequester } from '../runtime/kube-client.ts';
import { getIfExists } from '../runtime/kube-client.ts';
import type { Logger } from '../runtime/logger.ts';
import { controllerOf, controllerRef } from '../runtime/owner.ts';
import { APPLIED_DIGEST_ANNOTATION, liveDigest, withAppliedDigest } from '../runtime/owned-view.ts';
import { objectPath } from '../runtime/resource-paths.ts';
import {
  appendHistory,
  historyConfigMap,
  historyConfigMapName,
  knownVersion,
  nextVersion,
  readHistory,
  requestedStamp,
} from '../marathon/versions.ts';
import { appDeploymentId, REQUESTED_VERSION_ANNOTATION } from '../marathon/deployments.ts';
import { dependencyState } from '../marathon/dependencies.ts';
import { appStatus } from '../marathon/app-status.ts';
import { podUpdates, releasedPod } from './marathon-app-pods.ts';
import { Lru } from '../runtime/lru.ts';
import { TokenBucket } from '../runtime/token-bucket.ts';
import { StatusWriter } from './status-writer.ts';

type AppObject = KubernetesObject & { spec?: unknown; status?: MarathonAppStatus };

export interface MarathonAppCaches {
  apps: Informer<KubernetesObject>;
  deployments: Informer<V1Deployment>;
  statefulSets: Informer<V1StatefulSet>;
  services: Informer<V1Service>;
  pvcs: Informer<V1PersistentVolumeClaim>;
  nodes: Informer<V1Node>;
  /** Pods by `namespace/<selector value>`. */
  podsByApp: CacheIndex<V1Pod>;
  /** Warning events by `namespace/<pod name>`. */
  eventsByPod: CacheIndex<CoreV1Event>;
}

export interface MarathonAppSettings {
  defaultImage: string;
  fetchImage: string;
  maxVersions: number;
}

export interface MarathonAppReconcilerDeps {
  caches: MarathonAppCaches;
  json: JsonRequester;
  customObjects: CustomObjectsApi;
  events: EventRecorder;
  settings: MarathonAppSettings;
  log: Logger;
  now?: () => Date;
}

/**
 * Rollout progress is written at most this often per app; a rollout that ends sooner (most do) writes
 * its status once, at the end.
 */
const PROGRESS_INTERVAL_MS = 5_000;
/**
 * Apps whose read and translation are kept between reconciles. Recomputing costs CPU only; beyond this
 * many apps the least recently reconciled are dropped, so memory does not grow with the app count.
 */
const MEMO_ENTRIES = 1_024;
/** Children other managers also write, remembered as compared (each entry is under 100 bytes). */
const VERIFIED_ENTRIES = 16_384;
/** Shared budget of rollout-progress status writes across all apps (see reconcileApp, step 5). */
const PROGRESS_WRITES_PER_SECOND = 2;
const PROGRESS_WRITES_BURST = 10;
/** When the budget is spent, look again after this long. */
const PROGRESS_DEFERRED_MS = 10_000;

/** A rollout under way with nothing to explain: instances are being created and started. */
function isRolloutProgress(s: ReturnType<typeof appStatus>): boolean {
  return (
    s.phase.state === 'progressing' &&
    (s.phase.reason === 'Deploying' || s.phase.reason === 'Creating') &&
    !s.held
  );
}

function createdAt(obj: KubernetesObject): number {
  const t = obj.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}

/** The Marathon id of a MarathonApp object (spec.id, else derived from namespace and name). */
export function appIdOf(obj: KubernetesObject & { spec?: unknown }): string {
  return appIdFor(obj.spec, obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
}

export class MarathonAppReconciler implements Reconciler {
  private readonly deps: MarathonAppReconcilerDeps;
  private readonly status: StatusWriter;
  private readonly now: () => Date;
  /** dependency id → keys of apps that wait for it, and the reverse. */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly dependsOn = new Map<string, string[]>();
  private readonly uids = new Map<string, string>();
  /** Cache key → Marathon app id of every MarathonApp (dependencies name ids, not objects). */
  private readonly appIds = new Map<string, string>();
  /**
   * Per app uid: the version bookkeeping last applied to its children. A reconcile that runs before the
   * caches show that apply continues from it instead of starting a new version (a needless rollout).
   */
  private readonly appliedVersions = new Map<string, VersionState>();
  /** When each app's status was last written (uid → ms). */
  private readonly progressWrittenAt = new Map<string, number>();
  /** Per app uid: the last read and translation, with the inputs they were made from. */
  private readonly memo = new Lru<
    string,
    {
      readKey: string;
      read: ReturnType<typeof readAppDefinition>;
      hash?: string;
      hashRestart?: string;
      desiredKey?: string;
      desired?: Desired;
    }
  >(MEMO_ENTRIES);
  /** Child uid → the `${applied} ${live}` digests a full comparison found in sync (owned-view.ts). */
  private readonly verified = new Lru<string, string>(VERIFIED_ENTRIES);
  /** Desired child → what is applied for it (stamp()); dropped with the memoized translation. */
  private readonly stamped = new WeakMap<KubernetesObject, { ownerUid: string; stamped: KubernetesObject }>();
  /** Keys of apps whose pods the operator places itself (gated pods). */
  private readonly placed = new Set<string>();
  private readonly progressBudget = new TokenBucket({
    qps: PROGRESS_WRITES_PER_SECOND,
    burst: PROGRESS_WRITES_BURST,
  });

  constructor(deps: MarathonAppReconcilerDeps) {
    this.deps = deps;
    this.now = deps.now ?? (() => new Date());
    this.status = new StatusWriter(deps.customObjects, marathonAppResource, this.now);
    this.status.onWrite = (obj, fields) =>
      deps.log.debug('writing status', {
        app: obj.metadata?.name,
        namespace: obj.metadata?.namespace,
        fields,
      });
  }

  /** Apps that depend on `appId` (or on a group containing it). */
  dependentsOf(appId: string): string[] {
    const out = new Set<string>();
    const segs = appId.split('/').filter(Boolean);
    for (let i = segs.length; i >= 0; i--) {
      for (const k of this.dependents.get(`/${segs.slice(0, i).join('/')}`) ?? []) out.add(k);
    }
    return [...out];
  }

  /** Apps with pods the operator releases itself; requeued when nodes change. */
  appsPlacedByOperator(): string[] {
    return [...this.placed];
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    try {
      return await this.reconcileApp(key);
    } catch (err) {
      // The namespace is being deleted (and the app with it): nothing to do, nothing to report.
      if ((err as { code?: number }).code === 403 && /being terminated/.test(errorMessage(err))) return;
      throw err;
    }
  }

  private async reconcileApp(key: string): Promise<ReconcileResult> {
    const obj = this.get(key);
    if (!obj || obj.metadata?.deletionTimestamp) {
      this.forget(key);
      // Gone, or going: owner references let the garbage collector remove what it created.
      return;
    }
    const namespace = obj.metadata?.namespace ?? '';
    const name = obj.metadata?.name ?? '';
    const id = appIdOf(obj);
    const read = this.read(obj, id);
    if (!read.ok) {
      const message = read.details.map((d) => `${d.path}: ${d.errors.join('; ')}`).join('\n');
      throw new StalledError('InvalidSpec', `invalid Marathon app definition:\n${message}`);
    }
    const app = read.value;
    this.track(key, app);
    if (obj.metadata?.uid) this.uids.set(key, obj.metadata.uid);

    // 1. Version bookkeeping: from the status, or from the workload when the status has not caught up
    // (progress is written lazily, step 5); the workload records the version it was applied with.
    const workloadNow =
      this.deps.caches.deployments.get(childBaseName(name), namespace) ??
      this.deps.caches.statefulSets.get(childBaseName(name), namespace);
    const ownWorkload =
      workloadNow && controllerOf(workloadNow)?.uid === obj.metadata?.uid ? workloadNow : undefined;
    const restartedAt = obj.metadata?.annotations?.[RESTARTED_AT_ANNOTATION];
    const now = this.now().toISOString();
    // A change made through the REST API carries the version the API answered with: adopted, so the
    // deployment id the client holds is the one the status and the events show.
    const requested = requestedStamp(obj.metadata?.annotations?.[REQUESTED_VERSION_ANNOTATION], now);
    const { state: version, change } = nextVersion(
      knownVersion(
        obj.status,
        ownWorkload?.metadata?.annotations?.[VERSION_STATE_ANNOTATION],
        this.appliedVersions.get(obj.metadata?.uid ?? ''),
      ),
      { configHash: this.hashOf(obj, app, restartedAt), instances: app.instances },
      now,
      requested,
    );

    // 2. Dependencies: an app does not start before the apps it depends on are healthy.
    const deps = dependencyState(app.dependencies, (depId) => this.appsUnder(depId));
    const started = (workloadNow?.spec?.replicas ?? 0) > 0;
    const dependenciesReady = deps.ready || started;

    const desired = this.desired(obj, {
      namespace,
      name,
      app,
      version: version.versionInfo.lastConfigChangeAt,
      versionState: version,
      restartedAt,
      dependenciesReady,
      defaultImage: this.deps.settings.defaultImage,
      fetchImage: this.deps.settings.fetchImage,
      definition: obj.spec,
    });
    if (desired.translation.draft.enforced.length) this.placed.add(key);
    else this.placed.delete(key);

    // On creation there is nothing to protect: status is written once, at the end.
    const updating = obj.status?.version !== undefined;
    if (change !== 'none' && updating) {
      const { conditions: _c, observedGeneration: _g, ...kept } = obj.status ?? {};
      // The new deployment is listed from this write on (the REST API and event stream read it here),
      // until the final status of this version reports it done.
      const deployment = {
        id: appDeploymentId(obj.metadata?.uid ?? '', version.version),
        version: version.version,
        desired: app.instances,
        progress: 'Deploying a new version.',
      };
      await this.status.write(
        obj,
        { state: 'progressing', reason: 'Deploying', message: 'Deploying a new version.' },
        { ...kept, ...version, appId: app.id, deployments: [deployment] },
      );
      if (change === 'config')
        void this.deps.events.record(obj, 'Normal', 'Deploying', `Deploying version ${version.version}`);
    }

    // 3. Children: apply what differs from the cache; remove the workload kind the app no longer uses.
    const owner = controllerRef(obj);
    const objects: KubernetesObject[] = [...desired.objects];
    if (change === 'config' && updating && workloadNow) {
      // The cache leaves the (large) definition annotation out: read it from the server.
      const previous = await this.previousDefinition(workloadNow);
      if (previous) objects.push(await this.history(namespace, desired.childName, previous));
    }
    await Promise.all(objects.map((child) => this.applyChild(child, owner, obj)));
    if (obj.metadata?.uid) this.appliedVersions.set(obj.metadata.uid, version);
    await this.pruneWorkload(
      desired.translation.workload.kind ?? 'Deployment',
      namespace,
      desired.childName,
      owner.uid,
    );

    // 4. Pods: release gated pods within their constraints, rank pods for OLDEST_FIRST scale-down.
    const pods = this.deps.caches.podsByApp.get(`${namespace}/${desired.childName}`);
    const updates = podUpdates({
      app,
      pods,
      enforced: desired.translation.draft.enforced,
      kind: desired.translation.workload.kind === 'StatefulSet' ? 'StatefulSet' : 'Deployment',
      nodes: this.deps.caches.nodes.list(),
    });
    for (const w of updates.writes) {
      const ref = { ...w.pod, apiVersion: 'v1', kind: 'Pod' };
      if (w.kind === 'release') {
        const fresh = await this.deps.json<V1Pod>('GET', objectPath(ref));
        const released = releasedPod(fresh, w.requirements);
        if (w.annotations)
          released.metadata = {
            ...released.metadata,
            annotations: { ...released.metadata?.annotations, ...w.annotations },
          };
        await this.deps.json('PUT', objectPath(ref), { body: released });
      } else {
        await this.deps.json('PATCH', objectPath(ref), {
          body: w.patch,
          contentType: 'application/merge-patch+json',
        });
      }
    }

    // 5. Status.
    const workload =
      desired.translation.workload.kind === 'StatefulSet'
        ? this.deps.caches.statefulSets.get(desired.childName, namespace)
        : this.deps.caches.deployments.get(desired.childName, namespace);
    const events = pods.flatMap((p) => this.deps.caches.eventsByPod.get(`${namespace}/${p.metadata?.name}`));
    const s = appStatus({
      app,
      appUid: obj.metadata?.uid ?? '',
      version,
      pods,
      events,
      workload,
      desiredReplicas: desired.translation.workload.spec?.replicas ?? app.instances,
      dependencies: deps,
      dependenciesHeld: !dependenciesReady,
      notes: desired.translation.notes,
      placementWait: updates.waiting,
      previous: obj.status,
      selector: desired.selector,
    });
    const uid = obj.metadata?.uid ?? '';
    const progress = isRolloutProgress(s);
    if (progress) {
      // While instances come up every pod event changes a count. Progress is informational: written at
      // most every PROGRESS_INTERVAL_MS per app and within a shared budget, so a thousand apps rolling
      // at once leave the API server to the work itself. End states and waiting reasons go at once;
      // until the first write the CRD's status default reads as "not observed yet" (kstatus InProgress).
      const since = this.now().getTime() - (this.progressWrittenAt.get(uid) ?? createdAt(obj));
      if (since < PROGRESS_INTERVAL_MS) return { requeueAfterMs: PROGRESS_INTERVAL_MS - since };
    }
    const admit = progress ? () => this.progressBudget.tryTake() : undefined;
    const outcome = await this.status.write(obj, s.phase, s.fields, s.extraConditions, admit);
    if (outcome === 'deferred') return { requeueAfterMs: PROGRESS_DEFERRED_MS };
    if (outcome === 'written') this.progressWrittenAt.set(uid, this.now().getTime());
    return updates.waiting ? { requeueAfterMs: 5_000 } : undefined;
  }

  /** Reading and translating are pure and cost CPU: done once per generation, not on every pod event. */
  private read(obj: AppObject, id: string): ReturnType<typeof readAppDefinition> {
    const memoKey = `${obj.metadata?.generation}/${id}`;
    const hit = this.memo.get(obj.metadata?.uid ?? '');
    if (hit?.readKey === memoKey) return hit.read;
    const read = readAppDefinition(obj.spec ?? {}, { id });
    this.memo.set(obj.metadata?.uid ?? '', { readKey: memoKey, read });
    return read;
  }

  private hashOf(obj: AppObject, app: NormalizedApp, restartedAt: string | undefined): string {
    const entry = this.memo.get(obj.metadata?.uid ?? '');
    if (entry?.hash && entry.hashRestart === (restartedAt ?? '')) return entry.hash;
    const hash = configHash(app, restartedAt);
    if (entry) Object.assign(entry, { hash, hashRestart: restartedAt ?? '' });
    return hash;
  }

  private desired(obj: AppObject, input: DesiredInput): Desired {
    const entry = this.memo.get(obj.metadata?.uid ?? '');
    const memoKey = [
      obj.metadata?.generation,
      input.version,
      JSON.stringify(input.versionState ?? null),
      input.restartedAt ?? '',
      input.dependenciesReady,
      this.deps.settings.defaultImage,
      this.deps.settings.fetchImage,
    ].join('/');
    if (entry?.desiredKey === memoKey && entry.desired) return entry.desired;
    const desired = desiredObjects(input);
    if (entry) Object.assign(entry, { desiredKey: memoKey, desired });
    return desired;
  }

  async onError(key: string, err: unknown, final: boolean, reason: string): Promise<void> {
    const obj = this.get(key);
    if (!obj) return;
    const message = errorMessage(err);
    const wrote = await this.status.write(
      obj,
      final ? { state: 'stalled', reason, message } : { state: 'retrying', reason, message },
    );
    if (wrote === 'written') void this.deps.events.record(obj, 'Warning', reason, message);
  }

  /** The definition the workload was last applied with. */
  private async previousDefinition(workload: KubernetesObject): Promise<string | undefined> {
    const cached = workload.metadata?.annotations?.[DEFINITION_ANNOTATION];
    if (cached !== undefined) return cached;
    const live = await getIfExists<KubernetesObject>(this.deps.json, objectPath(workload));
    return live?.metadata?.annotations?.[DEFINITION_ANNOTATION];
  }

  /** The previous versions plus the one being replaced. Read on demand: it changes only with the definition. */
  private async history(namespace: string, childName: string, previous: string): Promise<V1ConfigMap> {
    const path = `/api/v1/namespaces/${namespace}/configmaps/${historyConfigMapName(childName)}`;
    const current = await getIfExists<V1ConfigMap>(this.deps.json, path);
    const existing = readHistory(current);
    let entry: VersionEntry | undefined;
    try {
      entry = JSON.parse(previous) as VersionEntry;
    } catch {
      entry = undefined;
    }
    const entries =
      entry && typeof entry.version === 'string'
        ? appendHistory(existing, entry, this.deps.settings.maxVersions)
        : existing;
    return historyConfigMap(namespace, childName, { ...MANAGED_BY_LABELS }, entries);
  }

  /**
   * The object to apply for a desired child, stamped with its digest. Desired children are memoized per
   * app version (see desired()), so the digest (a sorted serialization of the whole object) is computed
   * once per child and owner rather than on every pod event.
   */
  private stamp(child: KubernetesObject, owner: ReturnType<typeof controllerRef>): KubernetesObject {
    const hit = this.stamped.get(child);
    if (hit?.ownerUid === owner.uid) return hit.stamped;
    const retain = child.metadata?.annotations?.[RETAIN_ANNOTATION] === 'true';
    const stamped = withAppliedDigest({
      ...child,
      metadata: {
        ...child.metadata,
        labels: { ...MANAGED_BY_LABELS, ...child.metadata?.labels },
        ...(retain ? {} : { ownerReferences: [owner] }),
      },
    });
    this.stamped.set(child, { ownerUid: owner.uid, stamped });
    return stamped;
  }

  private async applyChild(child: KubernetesObject, owner: ReturnType<typeof controllerRef>, app: AppObject) {
    const retain = child.metadata?.annotations?.[RETAIN_ANNOTATION] === 'true';
    const stamped = this.stamp(child, owner);
    const cached = this.cached(stamped);
    if (cached) {
      const ref = controllerOf(cached);
      if (ref && ref.uid !== owner.uid && !retain)
        throw new StalledError(
          'NameConflict',
          `${stamped.kind} ${stamped.metadata?.name} already exists and belongs to ${ref.kind} ${ref.name}`,
        );
    }
    const key = cached?.metadata?.uid ?? '';
    const verdict = driftVerdict(stamped, cached, this.verified.get(key));
    if (verdict === 'in-sync') return;
    let difference = cached ? 'applied by an older version or changed' : 'absent';
    if (verdict === 'verify') {
      // Another manager wrote a path we set: compare with the object in full.
      const live = await getIfExists<KubernetesObject>(this.deps.json, objectPath(stamped));
      if (live && !needsApply(stamped, live)) {
        this.verified.set(
          key,
          `${stamped.metadata?.annotations?.[APPLIED_DIGEST_ANNOTATION]} ${liveDigest(live)}`,
        );
        return;
      }
      difference = live ? (firstDifference(live, stamped) ?? '') : 'absent';
    }
    this.deps.log.debug('applying child', {
      app: app.metadata?.name,
      kind: stamped.kind,
      name: stamped.metadata?.name,
      difference,
    });
    await applyJson(this.deps.json, stamped);
  }

  private cached(obj: KubernetesObject): KubernetesObject | undefined {
    const { name = '', namespace } = obj.metadata ?? {};
    const c = this.deps.caches;
    switch (obj.kind) {
      case 'Deployment':
        return c.deployments.get(name, namespace);
      case 'StatefulSet':
        return c.statefulSets.get(name, namespace);
      case 'Service':
        return c.services.get(name, namespace);
      case 'PersistentVolumeClaim':
        return c.pvcs.get(name, namespace);
      default:
        return undefined;
    }
  }

  /** A resident app moves from a Deployment to a StatefulSet (or back): the other one goes. */
  private async pruneWorkload(kind: string, namespace: string, name: string, uid: string): Promise<void> {
    const other =
      kind === 'StatefulSet'
        ? this.deps.caches.deployments.get(name, namespace)
        : this.deps.caches.statefulSets.get(name, namespace);
    if (!other || controllerOf(other)?.uid !== uid) return;
    await this.deps.json('DELETE', objectPath({ ...other, apiVersion: 'apps/v1' }), {
      query: { propagationPolicy: 'Background' },
    });
  }

  /** Keeps the app-id index current; wired to the MarathonApp informer's events. */
  observeApp(obj: KubernetesObject, gone = false): void {
    const key = keyOf(obj);
    if (gone) this.appIds.delete(key);
    else this.appIds.set(key, appIdOf(obj));
  }

  private appsUnder(depId: string): AppObject[] {
    const prefix = `${depId}/`;
    const out: AppObject[] = [];
    for (const [key, id] of this.appIds) {
      if (id !== depId && !id.startsWith(prefix)) continue;
      const app = this.get(key);
      if (app) out.push(app);
    }
    return out;
  }

  private track(key: string, app: NormalizedApp): void {
    this.forgetDependencies(key);
    if (app.dependencies.length) this.dependsOn.set(key, app.dependencies);
    for (const d of app.dependencies) {
      let set = this.dependents.get(d);
      if (!set) this.dependents.set(d, (set = new Set()));
      set.add(key);
    }
  }

  private forget(key: string): void {
    const uid = this.uids.get(key);
    if (uid) {
      this.memo.delete(uid);
      this.status.forget(uid);
      this.progressWrittenAt.delete(uid);
      this.appliedVersions.delete(uid);
      this.uids.delete(key);
    }
    this.forgetDependencies(key);
    this.placed.delete(key);
  }

  private forgetDependencies(key: string): void {
    for (const d of this.dependsOn.get(key) ?? []) {
      const set = this.dependents.get(d);
      set?.delete(key);
      if (set?.size === 0) this.dependents.delete(d);
    }
    this.dependsOn.delete(key);
  }

  private get(key: string): AppObject | undefined {
    const { namespace, name } = splitKey(key);
    return this.deps.caches.apps.get(name, namespace);
  }
}

/** The pod annotation naming the MarathonApp, for mapping pod events back to their app. */
export function appKeyOfPod(pod: KubernetesObject): string | undefined {
  const name = pod.metadata?.annotations?.[OWNER_APP_ANNOTATION];
  return name ? `${pod.metadata?.namespace}/${name}` : undefined;
}
