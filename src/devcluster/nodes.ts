// Fake nodes for the dev cluster. kwok simulates every Node carrying the annotation below: it keeps the
// node Ready, renews its Lease and runs the pods scheduled onto it. The default set mirrors a small DC/OS
// cluster: private agents spread over three zones and one public agent.

import { PUBLIC_AGENT_LABEL } from '../mesos/agent-labels.ts';

export { PUBLIC_AGENT_LABEL };
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';
/** Marks nodes created by the dev cluster, so they can be listed or cleaned up together. */
export const FAKE_NODE_LABEL = 'dcos-operator.dev/fake-node';

export interface FakeNodeSpec {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taints?: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
  /** Allocatable (and capacity) resources; defaults are generous so placement is never resource-bound. */
  cpu?: string;
  memory?: string;
  pods?: number;
  /** The node's InternalIP; kwok's --node-ip default when absent. */
  internalIP?: string;
}

export const DEFAULT_NODE_RESOURCES = { cpu: '32', memory: '128Gi', pods: 250 } as const;

export interface NodeManifest {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { taints?: FakeNodeSpec['taints'] };
  status: {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    addresses?: { type: string; address: string }[];
  };
}

export function nodeManifest(spec: FakeNodeSpec): NodeManifest {
  const resources = {
    cpu: spec.cpu ?? DEFAULT_NODE_RESOURCES.cpu,
    memory: spec.memory ?? DEFAULT_NODE_RESOURCES.memory,
    pods: String(spec.pods ?? DEFAULT_NODE_RESOURCES.pods),
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      // The labels a kubelet sets itself, which schedulers and topology spread rely on.
      labels: {
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'kwok',
        [FAKE_NODE_LABEL]: 'true',
        ...spec.labels,
      },
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', ...spec.annotations },
    },
    spec: spec.taints?.length ? { taints: spec.taints } : {},
    status: {
      capacity: resources,
      allocatable: resources,
      ...(spec.internalIP
        ? {
            addresses: [
              { type: 'InternalIP', address: spec.internalIP },
              { type: 'Hostname', address: spec.name },
            ],
          }
        : {}),
    },
  };
}

/** Three private agents, one per zone, and a public agent: the shape of a small DC/OS cluster. */
export function defaultNodes(region = 'eastus'): FakeNodeSpec[] {
  const zoned = (i: number) => ({ [REGION_LABEL]: region, [ZONE_LABEL]: `${region}-${i}` });
  return [
    ...[1, 2, 3].map((i) => ({
      name: `private-agent-${i}`,
      labels: zoned(i),
      internalIP: `10.240.0.${10 + i}`,
    })),
    {
      name: 'public-agent-1',
      labels: { ...zoned(1), [PUBLIC_AGENT_LABEL]: 'true' },
      internalIP: '10.240.1.11',
    },
  ];
}
