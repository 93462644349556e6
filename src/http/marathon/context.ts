// What the Marathon API handlers read and write through: the operator's caches (reads never reach the
// API server), its JSON client for writes (MarathonApp resources stay the single source of truth), the
// event hub, and settings.
import type { KubernetesObject, V1Deployment, V1Node, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { CacheIndex } from '../../runtime/cache-index.ts';
import type { Informer } from '../../runtime/informer.ts';
import type { JsonRequester } from '../../runtime/kube-client.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { AppIndex } from './app-index.ts';
import type { EventHub } from './event-hub.ts';

export interface MarathonApiSettings {
  /** Namespace of the MarathonApps the API creates (apps created with kubectl live where they were made). */
  apiNamespace: string;
  /** Image of command-only apps (shown nowhere in the API; Marathon had none). */
  defaultImage: string;
  /** Versions kept per app (the history ConfigMap's bound). */
  maxVersions: number;
  /** This replica's identity (/v2/info, /v2/leader). */
  identity: string;
  /** host:port clients reach the API at, as /v2/leader reports the leader. */
  advertisedAddress: string;
}

export interface MarathonApiContext {
  /** MarathonApps (all watched namespaces). */
  apps: Informer<KubernetesObject>;
  /** Marathon id → MarathonApp cache key. */
  index: AppIndex;
  pods: Informer<V1Pod>;
  /** Pods by `namespace/<app selector value>` (childBaseName of the MarathonApp). */
  podsByApp: CacheIndex<V1Pod>;
  deployments: Informer<V1Deployment>;
  statefulSets: Informer<V1StatefulSet>;
  nodes: Informer<V1Node>;
  /** Writes, as the operator (each call was authorized for its caller first). */
  json: JsonRequester;
  events: EventHub;
  settings: MarathonApiSettings;
  /** Identity of the replica holding the leader Lease, if known. */
  leader(): string | undefined;
  /** Stops this replica gracefully, releasing the leader Lease (DELETE /v2/leader); it restarts as a follower. */
  abdicate?: () => void;
  now(): Date;
  log: Logger;
}
