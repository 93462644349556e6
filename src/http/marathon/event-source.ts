// Feeds the event hub from the operator's caches: MarathonApp changes become app and deployment events,
// pod changes task, instance and health events. Nothing is published for what an informer's first list
// loads (that is the state clients read with GET, not news), but the deployments it shows are remembered
// so their ends are reported. After that, every add, update and delete is compared with its previous
// copy, including those a relist after a watch expiry produces.
//
// A deleted app's removal (Marathon's StopApplication deployment) is announced when the MarathonApp goes
// and succeeds once the last of its pods is gone (or after REMOVAL_MAX_AGE_MS, when the API stops listing
// it too).
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { appDeployments, deletionDeploymentId } from '../../marathon/deployments.ts';
import type { AppObject } from '../../marathon/deployments.ts';
import { APP_VERSION_ANNOTATION, OWNER_APP_ANNOTATION } from '../../marathon/names.ts';
import { errorMessage } from '../../runtime/errors.ts';
import type { Logger } from '../../runtime/logger.ts';
import {
  announcedOf,
  appChangeEvents,
  appIdOf,
  appPlan,
  deploymentTransitions,
  endEvent,
  infoEvent,
  isReady,
  stopPlan,
} from './app-events.ts';
import type { Announced, EventPlan } from './app-events.ts';
import { DeploymentLedger } from './deployment-ledger.ts';
import type { EventHub, MarathonEvent } from './event-hub.ts';
import { podEvents } from './pod-events.ts';

/** The part of an informer the source needs. */
export interface WatchedCache<T extends KubernetesObject> {
  on(event: 'add' | 'update' | 'delete', handler: (obj: T, old?: T) => void): void;
  hasSynced(): boolean;
  get(name: string, namespace?: string): T | undefined;
}

/** A removal the REST API recorded (stopping.ts): its deployment id, and which pods are the old app's. */
export interface RecordedRemoval {
  deploymentId: string;
  lastVersion: string;
  deletedAt: number;
}

export interface EventSourceOptions {
  apps: WatchedCache<KubernetesObject>;
  pods: WatchedCache<V1Pod>;
  hub: EventHub;
  now(): Date;
  /** The app's Marathon JSON. */
  renderApp(obj: AppObject): unknown;
  /** Host ports of a pod's task, as its task JSON shows them. */
  taskPorts?(pod: V1Pod, app: AppObject | undefined): number[];
  /** Pods of the MarathonApp `namespace/name` still in the cache. */
  podsOf(namespace: string, name: string): V1Pod[];
  /** The removal of app `appId` as a REST DELETE recorded it, if it did. */
  recordedRemoval?(appId: string): RecordedRemoval | undefined;
  log: Logger;
}

export const REMOVAL_MAX_AGE_MS = 10 * 60_000;

interface Removal {
  id: string;
  namespace: string;
  name: string;
  lastVersion: string;
  deletedAt: number;
  /** Rendered when first needed (nobody may be listening). */
  plan: () => EventPlan;
}

function once<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value;
  };
}

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Whether a pod is one of the removed app's, not of an app re-created under the same name since. */
function ofRemoved(pod: V1Pod, r: Pick<Removal, 'lastVersion' | 'deletedAt'>): boolean {
  const version = pod.metadata?.annotations?.[APP_VERSION_ANNOTATION];
  if (version && r.lastVersion) return version <= r.lastVersion;
  const created = Date.parse(String(pod.metadata?.creationTimestamp ?? ''));
  return Number.isNaN(created) || created <= r.deletedAt;
}

export class MarathonEventSource {
  private readonly opts: EventSourceOptions;
  /** Announced, unfinished deployments per app cache key (only apps that have some). */
  private readonly announced = new Map<string, Announced[]>();
  private readonly ledger = new DeploymentLedger();
  /** Removals under way, by the MarathonApp's cache key. */
  private readonly removals = new Map<string, Removal>();

  constructor(opts: EventSourceOptions) {
    this.opts = opts;
  }

  /** Registers the cache handlers; call before the informers start. */
  start(): this {
    const { apps, pods } = this.opts;
    apps.on('add', (o) => this.guard(() => this.onApp(undefined, o)));
    apps.on('update', (o, old) => this.guard(() => this.onApp(old, o)));
    apps.on('delete', (o) => this.guard(() => this.onApp(o, undefined)));
    pods.on('add', (p) => this.guard(() => this.onPod(undefined, p)));
    pods.on('update', (p, old) => this.guard(() => this.onPod(old, p)));
    pods.on('delete', (p) => this.guard(() => this.onPod(p, undefined)));
    return this;
  }

  /** Deployments announced and not finished (removals included). */
  openDeployments(): number {
    return this.ledger.size;
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.log.error('event derivation failed', { error: errorMessage(err) });
    }
  }

  private timestamp(): string {
    return this.opts.now().toISOString();
  }

  private onApp(old: AppObject | undefined, app: AppObject | undefined): void {
    const subject = app ?? old;
    if (!subject) return;
    const key = keyOf(subject);
    if (!this.opts.apps.hasSynced()) return this.load(key, app);
    const events = app ? this.changed(key, old, app) : this.deleted(key, subject);
    this.publish(events, subject.metadata?.namespace);
    if (!app) this.finishRemovals();
  }

  /** The first list: remember what is open, announce nothing. */
  private load(key: string, app: AppObject | undefined): void {
    for (const a of this.announced.get(key) ?? []) this.ledger.forget(a.id, key);
    this.announced.delete(key);
    if (!app) return;
    const open = announcedOf(appDeployments(app));
    for (const a of open) this.ledger.start(a.id, key);
    if (open.length) this.announced.set(key, open);
  }

  /** Nobody listens: keep the books, build no events (rendering apps is what costs). */
  private get quiet(): boolean {
    return this.opts.hub.size === 0;
  }

  private changed(key: string, old: AppObject | undefined, app: AppObject): MarathonEvent[] {
    const quiet = this.quiet;
    const ts = this.timestamp();
    const appId = appIdOf(app);
    const current = appDeployments(app);
    const version = current[0]?.version || app.status?.version || ts;
    const events = quiet ? [] : appChangeEvents(old, app, version, ts, (o) => this.opts.renderApp(o));
    const t = deploymentTransitions(this.announced.get(key) ?? [], current, isReady(app));
    if (t.announced.length) this.announced.set(key, t.announced);
    else this.announced.delete(key);
    for (const a of t.dropped) this.ledger.forget(a.id, key);
    const target = once(() => [this.opts.renderApp(app)]);
    for (const e of t.ended) {
      const done = this.ledger.end(e.deployment.id, key, e);
      if (done && !quiet)
        events.push(endEvent(done.outcome, appPlan(app, appId, e.deployment, [], target()), ts, done.reason));
    }
    const original = once(() => (old?.status?.version ? [this.opts.renderApp(old)] : []));
    for (const d of t.started)
      if (this.ledger.start(d.id, key) && !quiet)
        events.push(infoEvent(appPlan(app, appId, d, original(), target()), ts));
    return events;
  }

  private deleted(key: string, old: AppObject): MarathonEvent[] {
    const ts = this.timestamp();
    const appId = appIdOf(old);
    const quiet = this.quiet;
    const events: MarathonEvent[] = [];
    for (const a of this.announced.get(key) ?? []) {
      const done = this.ledger.end(a.id, key, { outcome: 'failed', reason: 'the app was deleted' });
      if (done && !quiet) events.push(endEvent('failed', appPlan(old, appId, a, [], []), ts, done.reason));
    }
    this.announced.delete(key);
    const recorded = this.opts.recordedRemoval?.(appId);
    const id = recorded?.deploymentId ?? deletionDeploymentId(old.metadata?.uid ?? '');
    const removal: Removal = {
      id,
      namespace: old.metadata?.namespace ?? '',
      name: old.metadata?.name ?? '',
      lastVersion: recorded?.lastVersion ?? old.status?.version ?? '',
      deletedAt: recorded?.deletedAt ?? this.opts.now().getTime(),
      plan: once(() => stopPlan(id, ts, appId, this.opts.renderApp(old))),
    };
    if (this.ledger.start(removal.id, key) && !quiet) events.push(infoEvent(removal.plan(), ts));
    if (!quiet) events.push(...appChangeEvents(old, undefined, ts, ts, (o) => this.opts.renderApp(o)));
    this.removals.set(key, removal);
    return events;
  }

  /** Removals whose pods are all gone (or that are too old to wait for) end in deployment_success. */
  private finishRemovals(only?: string): void {
    const nowMs = this.opts.now().getTime();
    for (const [key, r] of this.removals) {
      if (only !== undefined && key !== only && nowMs - r.deletedAt <= REMOVAL_MAX_AGE_MS) continue;
      const left = this.opts.podsOf(r.namespace, r.name).some((p) => ofRemoved(p, r));
      if (left && nowMs - r.deletedAt <= REMOVAL_MAX_AGE_MS) continue;
      this.removals.delete(key);
      const done = this.ledger.end(r.id, key, { outcome: 'success' });
      if (done && !this.quiet)
        this.publish([endEvent(done.outcome, r.plan(), this.timestamp(), done.reason)], r.namespace);
    }
  }

  private onPod(old: V1Pod | undefined, pod: V1Pod | undefined): void {
    if (!this.opts.pods.hasSynced()) return;
    const subject = pod ?? old;
    if (!subject) return;
    const namespace = subject.metadata?.namespace;
    const name = subject.metadata?.annotations?.[OWNER_APP_ANNOTATION];
    let app: AppObject | undefined | null = null;
    const appOf = (): AppObject | undefined => {
      if (app === null) app = name ? this.opts.apps.get(name, namespace) : undefined;
      return app;
    };
    const removalsDue = !pod && this.removals.size > 0 && name !== undefined;
    if (!this.quiet) this.publish(this.podEvents(old, pod, appOf), namespace);
    if (removalsDue) this.finishRemovals(`${namespace}/${name}`);
  }

  private podEvents(
    old: V1Pod | undefined,
    pod: V1Pod | undefined,
    appOf: () => AppObject | undefined,
  ): MarathonEvent[] {
    return podEvents(old, pod, {
      timestamp: this.timestamp(),
      hasHealthChecks: () => {
        const checks = (appOf()?.spec as { healthChecks?: unknown } | undefined)?.healthChecks;
        return Array.isArray(checks) && checks.length > 0;
      },
      ...(this.opts.taskPorts ? { ports: (p: V1Pod) => this.opts.taskPorts!(p, appOf()) } : {}),
    });
  }

  private publish(events: MarathonEvent[], namespace: string | undefined): void {
    for (const e of events) this.opts.hub.publish(e, { namespace });
  }
}
