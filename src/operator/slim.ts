// Slim cache copies: the operator keeps thousands of pods and events in memory but reads only a few of
// their fields. Everything else is dropped before caching (a pod's full spec is fetched when it is needed).
import type {
  CoreV1Event,
  KubernetesObject,
  V1Container,
  V1ContainerStatus,
  V1Pod,
  V1PodCondition,
  V1PodStatus,
} from '@kubernetes/client-node';
import { DEFINITION_ANNOTATION } from '../marathon/names.ts';
import { ownedView } from '../runtime/owned-view.ts';
import { stripManagedFields } from './informers.ts';

/** Deployments and StatefulSets: metadata, replicas, status and the drift record (owned-view.ts). */
export const slimWorkload = <T extends KubernetesObject>(o: T): T =>
  ownedView(o, { specFields: ['replicas'], dropAnnotations: [DEFINITION_ANNOTATION] });

/** Services and PVCs: metadata, status and the drift record. */
export const slimOwned = <T extends KubernetesObject>(o: T): T => ownedView(o);

const slimContainer = (c: V1Container): V1Container => ({ name: c.name, image: c.image });

const slimContainerStatus = (s: V1ContainerStatus): V1ContainerStatus => ({
  name: s.name,
  ready: s.ready,
  restartCount: s.restartCount,
  ...(s.started !== undefined ? { started: s.started } : {}),
  ...(s.state ? { state: s.state } : {}),
  ...(s.lastState && Object.keys(s.lastState).length ? { lastState: s.lastState } : {}),
  image: s.image,
  imageID: '', // never read
});

/** The status fields instances are made of: phase, addresses, conditions and container states. */
function slimPodStatus(status: V1PodStatus): V1PodStatus {
  const keep: (keyof V1PodStatus)[] = ['phase', 'reason', 'message', 'startTime', 'podIP', 'hostIP'];
  const out: V1PodStatus = {};
  for (const k of keep) if (status[k] !== undefined) (out as Record<string, unknown>)[k] = status[k];
  if (status.conditions)
    out.conditions = status.conditions.map(({ lastProbeTime: _probe, ...c }) => c as V1PodCondition);
  if (status.containerStatuses) out.containerStatuses = status.containerStatuses.map(slimContainerStatus);
  if (status.initContainerStatuses)
    out.initContainerStatuses = status.initContainerStatuses.map(slimContainerStatus);
  return out;
}

export function slimPod(pod: V1Pod): V1Pod {
  const p = stripManagedFields(pod);
  const spec = p.spec;
  return {
    ...p,
    ...(spec
      ? {
          spec: {
            containers: spec.containers.map(slimContainer),
            ...(spec.initContainers ? { initContainers: spec.initContainers.map(slimContainer) } : {}),
            ...(spec.nodeName ? { nodeName: spec.nodeName } : {}),
            ...(spec.schedulingGates ? { schedulingGates: spec.schedulingGates } : {}),
          },
        }
      : {}),
    ...(p.status ? { status: slimPodStatus(p.status) } : {}),
  };
}

export function slimEvent(e: CoreV1Event): CoreV1Event {
  return {
    metadata: {
      name: e.metadata.name,
      namespace: e.metadata.namespace,
      uid: e.metadata.uid,
      resourceVersion: e.metadata.resourceVersion,
      creationTimestamp: e.metadata.creationTimestamp,
    },
    involvedObject: e.involvedObject,
    reason: e.reason,
    message: e.message,
    type: e.type,
    count: e.count,
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    eventTime: e.eventTime,
    ...(e.series ? { series: e.series } : {}),
  };
}
