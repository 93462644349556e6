// Pod-level duties the workload controllers cannot do for a Marathon app: releasing scheduling-gated pods
// once the operator has narrowed their node affinity to honour LIKE/UNLIKE/MAX_PER, and ranking pods with
// pod-deletion-cost so scale-down kills the oldest first (killSelection OLDEST_FIRST). Pure: returns writes.
import type { V1Node, V1NodeSelectorRequirement, V1Pod } from '@kubernetes/client-node';
import type { NormalizedApp } from '../marathon/app.ts';
import { releaseDecision, releasedPod } from '../marathon/placement-gate.ts';
export { releasedPod };
import type { EnforcedConstraint } from '../marathon/translate/draft.ts';
import { nodeViewOf } from '../marathon/translate/draft.ts';
import { PLACEMENT_GATE } from '../marathon/translate/placement.ts';

export const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

export type PodWrite =
  /** Release a gated pod: re-read it (caches hold slim copies), add the requirements, drop the gate. */
  | {
      kind: 'release';
      pod: V1Pod;
      requirements: V1NodeSelectorRequirement[];
      annotations?: Record<string, string>;
    }
  | { kind: 'patch'; pod: V1Pod; patch: { metadata: { annotations: Record<string, string> } } };

export interface PodUpdateInput {
  app: NormalizedApp;
  pods: V1Pod[];
  enforced: EnforcedConstraint[];
  kind: 'Deployment' | 'StatefulSet';
  nodes: V1Node[];
}

const byAge = (a: V1Pod, b: V1Pod): number =>
  String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')) ||
  String(a.metadata?.name).localeCompare(String(b.metadata?.name));

const isGated = (p: V1Pod): boolean => (p.spec?.schedulingGates ?? []).some((g) => g.name === PLACEMENT_GATE);

export function podUpdates(input: PodUpdateInput): { writes: PodWrite[]; waiting?: string } {
  const writes: PodWrite[] = [];
  let waiting: string | undefined;
  const live = input.pods.filter((p) => !p.metadata?.deletionTimestamp);

  // Gated pods, oldest first; each release is seen by the next decision (MAX_PER counts stay exact).
  const local = [...live];
  const nodeLabels = new Map(input.nodes.map((n) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}]));
  const nodes = nodeViewOf(input.nodes.map((n) => n.metadata?.labels ?? {}));
  for (const pod of live.filter(isGated).sort(byAge)) {
    const decision = input.enforced.length
      ? releaseDecision({
          pod,
          enforced: input.enforced,
          appPods: local,
          nodeLabels: (n) => nodeLabels.get(n),
          nodes,
        })
      : { action: 'release' as const, requirements: [] };
    if (decision.action === 'wait') {
      waiting = decision.reason;
      break;
    }
    writes.push({ kind: 'release', pod, requirements: decision.requirements });
    local[local.indexOf(pod)] = releasedPod(pod, decision.requirements);
  }

  // OLDEST_FIRST: the oldest pod gets the lowest cost; new pods (no annotation, cost 0) go last.
  if (input.app.killSelection === 'OLDEST_FIRST' && input.kind === 'Deployment') {
    const ranked = [...live].sort(byAge);
    ranked.forEach((pod, i) => {
      const cost = String(i - ranked.length);
      if (pod.metadata?.annotations?.[DELETION_COST_ANNOTATION] === cost) return;
      if (writes.some((w) => w.pod.metadata?.name === pod.metadata?.name)) {
        const w = writes.find((x) => x.pod.metadata?.name === pod.metadata?.name);
        if (w?.kind === 'release') w.annotations = { [DELETION_COST_ANNOTATION]: cost };
        return;
      }
      writes.push({
        kind: 'patch',
        pod,
        patch: { metadata: { annotations: { [DELETION_COST_ANNOTATION]: cost } } },
      });
    });
  }
  return waiting === undefined ? { writes } : { writes, waiting };
}
