// The mutable draft the per-concern translators fill in, and the context they read. Each translator is a
// pure function (app, ctx, draft) => void; assemble.ts runs them in order and turns the draft into objects.
import type {
  KubernetesObject,
  V1Container,
  V1DeploymentStrategy,
  V1PersistentVolumeClaim,
  V1PodSpec,
  V1ServicePort,
  V1StatefulSetUpdateStrategy,
} from '@kubernetes/client-node';
import type { Constraint } from '../app.ts';

/** Read-only view of the cluster's nodes, for constraints that depend on live label values (LIKE/UNLIKE). */
export interface NodeView {
  /** Distinct values of a node label across the current nodes (sorted). */
  labelValues(key: string): string[];
}

/** A NodeView over the label maps of the current nodes. */
export function nodeViewOf(labelSets: readonly Record<string, string>[]): NodeView {
  return {
    labelValues: (key) =>
      [...new Set(labelSets.flatMap((l) => (l[key] === undefined ? [] : [l[key]])))].sort(),
  };
}

export interface TranslateContext {
  /** Namespace of the MarathonApp; every child lives there. */
  namespace: string;
  /** metadata.name of the MarathonApp. */
  appName: string;
  /** Base name of the children (Deployment/StatefulSet, Service): a DNS-1035 label of at most 47 characters. */
  name: string;
  /** Selector labels shared by the workload, its pods and the Service. */
  selector: Record<string, string>;
  /** MARATHON_APP_VERSION: the app's last config change, ISO-8601. */
  version: string;
  /** Image for command-only apps (Marathon ran them on the agent's OS). */
  defaultImage: string;
  /** Image of the init container that fetches `fetch`/`uris` artifacts (needs sh, wget, tar, unzip). */
  fetchImage: string;
  nodes: NodeView;
  /** False while an app it depends on is not yet healthy: the workload is held at 0 replicas. */
  dependenciesReady: boolean;
}

export type NoteKind =
  /** Kubernetes has no exact equivalent; what was done instead is in the message. */
  | 'approximated'
  /** The field has no Kubernetes meaning; it is kept in the spec and has no effect. */
  | 'ignored'
  /** The operator itself enforces the semantics (no native Kubernetes field does). */
  | 'enforced';

/** A translation remark about one field, reported in status: nothing is dropped silently. */
export interface Note {
  /** Marathon-style path: /healthChecks(1), /container/docker/parameters(0). */
  path: string;
  kind: NoteKind;
  message: string;
}

/** A constraint Kubernetes cannot express exactly, which the operator enforces when it releases pods. */
export interface EnforcedConstraint {
  constraint: Constraint;
  /** The node label the constraint's field maps to. */
  labelKey: string;
  /** MAX_PER's limit. */
  maxPerValue: number;
}

export interface Draft {
  /** The app's container, named "app". */
  container: V1Container & { env: NonNullable<V1Container['env']> };
  initContainers: V1Container[];
  /** Pod spec fields other than containers/initContainers (volumes, affinity, tolerations, ...). */
  pod: Omit<V1PodSpec, 'containers' | 'initContainers'> & { volumes: NonNullable<V1PodSpec['volumes']> };
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  /** Ports of the app's Service; empty → a headless Service without ports. */
  servicePorts: V1ServicePort[];
  serviceAnnotations: Record<string, string>;
  /** Deployment unless the app has persistent volumes (resident) → StatefulSet. */
  kind: 'Deployment' | 'StatefulSet';
  replicas: number;
  deploymentStrategy?: V1DeploymentStrategy;
  statefulSetUpdateStrategy?: V1StatefulSetUpdateStrategy;
  volumeClaimTemplates: V1PersistentVolumeClaim[];
  /** Objects beside the workload and Service (for example PVCs of external volumes). */
  extraObjects: KubernetesObject[];
  /** Scheduling gates the operator removes itself once it has placed the pod within the constraints. */
  enforced: EnforcedConstraint[];
  notes: Note[];
}

export const MAIN_CONTAINER = 'app';
export const SANDBOX_VOLUME = 'mesos-sandbox';

export function emptyDraft(): Draft {
  return {
    container: { name: MAIN_CONTAINER, env: [] },
    initContainers: [],
    pod: { volumes: [] },
    podLabels: {},
    podAnnotations: {},
    servicePorts: [],
    serviceAnnotations: {},
    kind: 'Deployment',
    replicas: 1,
    volumeClaimTemplates: [],
    extraObjects: [],
    enforced: [],
    notes: [],
  };
}
