// kwok's configuration for the dev cluster. The kwok binary ships no lifecycle of its own: without Stage
// objects it refuses to start. These stages give fake nodes and pods a kubelet-like life:
//   node-ready      a new node turns Ready (conditions, nodeInfo, an address)
//   node-heartbeat  Ready nodes refresh their conditions every minute or so (Leases are renewed by kwok)
//   pod-running     a pod bound to a node turns Running and Ready, with a pod IP
//   pod-job-done    a Running pod owned by a Job completes after a second, so Jobs finish
//   pod-delete      a pod marked for deletion is removed (what the kubelet does after graceful shutdown)
// Templates are Go text/template with kwok's helpers (Now, Quote, NodeIPWith, PodIPWith, NodeConditions)
// and sprig; they render the new `status` of the object.
import { stringify } from 'yaml';

interface MatchExpression {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

interface Stage {
  apiVersion: 'kwok.x-k8s.io/v1alpha1';
  kind: 'Stage';
  metadata: { name: string };
  spec: {
    resourceRef: { apiGroup: 'v1'; kind: 'Node' | 'Pod' };
    selector: { matchExpressions: MatchExpression[] };
    delay?: { durationMilliseconds: number; jitterDurationMilliseconds?: number };
    next: { statusTemplate?: string; delete?: boolean };
  };
}

const READY_STATUS = '.status.conditions.[] | select( .type == "Ready" ) | .status';

const nodeConditions = `{{ $now := Now }}
conditions:
{{ range NodeConditions }}
- type: {{ .type | Quote }}
  status: {{ .status | Quote }}
  reason: {{ .reason | Quote }}
  message: {{ .message | Quote }}
  lastHeartbeatTime: {{ $now | Quote }}
  lastTransitionTime: {{ or $.metadata.creationTimestamp $now | Quote }}
{{ end }}`;

const nodeReady = `${nodeConditions}
{{ if not .status.addresses }}
addresses:
- type: InternalIP
  address: {{ NodeIP | Quote }}
- type: Hostname
  address: {{ .metadata.name | Quote }}
{{ end }}
nodeInfo:
{{ $info := .status.nodeInfo }}
  architecture: {{ or $info.architecture "amd64" | Quote }}
  operatingSystem: {{ or $info.operatingSystem "linux" | Quote }}
  kubeletVersion: {{ or $info.kubeletVersion "kwok" | Quote }}
  kubeProxyVersion: {{ or $info.kubeProxyVersion "kwok" | Quote }}
  containerRuntimeVersion: {{ or $info.containerRuntimeVersion "kwok" | Quote }}
  kernelVersion: {{ or $info.kernelVersion "kwok" | Quote }}
  osImage: {{ or $info.osImage "kwok" | Quote }}
  machineID: {{ or $info.machineID "" | Quote }}
  systemUUID: {{ or $info.systemUUID "" | Quote }}
  bootID: {{ or $info.bootID "" | Quote }}
phase: Running`;

const podRunning = `{{ $now := Now }}
phase: Running
startTime: {{ $now | Quote }}
hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
podIP: {{ PodIPWith .spec.nodeName (or .spec.hostNetwork false) .metadata.uid .metadata.name .metadata.namespace | Quote }}
conditions:
{{ range list "PodReadyToStartContainers" "PodScheduled" "Initialized" "ContainersReady" "Ready" }}
- type: {{ . }}
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
{{ end }}
{{ with .spec.initContainers }}
initContainerStatuses:
{{ range . }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  imageID: ""
  restartCount: 0
{{ if eq (or .restartPolicy "") "Always" }}
  ready: true
  started: true
  state:
    running:
      startedAt: {{ $now | Quote }}
{{ else }}
  ready: true
  state:
    terminated:
      exitCode: 0
      reason: Completed
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
{{ end }}
{{ end }}
{{ end }}
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  imageID: ""
  restartCount: 0
  ready: true
  started: true
  state:
    running:
      startedAt: {{ $now | Quote }}
{{ end }}`;

const podSucceeded = `{{ $now := Now }}
phase: Succeeded
conditions:
{{ range list "ContainersReady" "Ready" }}
- type: {{ . }}
  status: "False"
  reason: PodCompleted
  lastTransitionTime: {{ $now | Quote }}
{{ end }}
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  imageID: ""
  restartCount: 0
  ready: false
  started: false
  state:
    terminated:
      exitCode: 0
      reason: Completed
      finishedAt: {{ $now | Quote }}
{{ end }}`;

function stage(
  name: string,
  kind: 'Node' | 'Pod',
  matchExpressions: MatchExpression[],
  next: Stage['spec']['next'],
  delay?: Stage['spec']['delay'],
): Stage {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name },
    spec: {
      resourceRef: { apiGroup: 'v1', kind },
      selector: { matchExpressions },
      ...(delay ? { delay } : {}),
      next,
    },
  };
}

const notDeleting: MatchExpression = { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' };

export function kwokStages(): Stage[] {
  return [
    stage('node-ready', 'Node', [{ key: READY_STATUS, operator: 'NotIn', values: ['True'] }], {
      statusTemplate: nodeReady,
    }),
    stage(
      'node-heartbeat',
      'Node',
      [
        { key: '.status.phase', operator: 'In', values: ['Running'] },
        { key: READY_STATUS, operator: 'In', values: ['True'] },
      ],
      { statusTemplate: nodeConditions },
      { durationMilliseconds: 60_000, jitterDurationMilliseconds: 70_000 },
    ),
    stage(
      'pod-running',
      'Pod',
      [
        notDeleting,
        { key: '.spec.nodeName', operator: 'Exists' },
        { key: '.status.podIP', operator: 'DoesNotExist' },
      ],
      { statusTemplate: podRunning },
    ),
    stage(
      'pod-job-done',
      'Pod',
      [
        notDeleting,
        { key: '.metadata.ownerReferences.[].kind', operator: 'In', values: ['Job'] },
        { key: '.status.phase', operator: 'In', values: ['Running'] },
      ],
      { statusTemplate: podSucceeded },
      { durationMilliseconds: 1_000 },
    ),
    stage('pod-delete', 'Pod', [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }], {
      delete: true,
    }),
  ];
}

/** The file passed to kwok with --config: one YAML document per stage. */
export function renderKwokConfig(stages: Stage[] = kwokStages()): string {
  return stages.map((s) => stringify(s)).join('---\n');
}
