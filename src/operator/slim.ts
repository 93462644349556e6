// Slim cache copies: the operator keeps thousands of pods and events in memory but reads only a few of
// their fields. Everything else is dropped before caching (a pod's full spec is fetched when it is needed).
import type { CoreV1Event, V1Container, V1Pod } from '@kubernetes/client-node';
import { stripManagedFields } from './informers.ts';

const slimContainer = (c: V1Container): V1Container => ({ name: c.name, image: c.image });

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
