// The operator's half of the constraints Kubernetes cannot express (LIKE, UNLIKE, MAX_PER > 1). Their pods
// are created behind the PLACEMENT_GATE scheduling gate; for each gated pod the operator asks
// releaseDecision() whether it can go now and with which node requirements, then writes releasedPod().
// The requirements are computed from the cluster at that moment and never revisited, as Marathon matched
// each offer once: Kubernetes only lets a gated pod gain node requirements, never change them later.
import type { V1NodeSelectorRequirement, V1Pod } from '@kubernetes/client-node';
import type { EnforcedConstraint, NodeView } from './translate/draft.ts';
import { PLACEMENT_GATE } from './translate/placement.ts';

export interface ReleaseInput {
  pod: V1Pod;
  enforced: EnforcedConstraint[];
  /** Every pod of the app, including `pod`. */
  appPods: V1Pod[];
  /** Labels of a node by name; undefined when the node is unknown. */
  nodeLabels: (nodeName: string) => Record<string, string> | undefined;
  nodes: NodeView;
}

export type ReleaseDecision =
  { action: 'wait'; reason: string } | { action: 'release'; requirements: V1NodeSelectorRequirement[] };

function isTerminal(p: V1Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

export function isPlacementGated(p: V1Pod): boolean {
  return (p.spec?.schedulingGates ?? []).some((g) => g.name === PLACEMENT_GATE);
}

function samePod(a: V1Pod, b: V1Pod): boolean {
  if (a.metadata?.uid && b.metadata?.uid) return a.metadata.uid === b.metadata.uid;
  return a.metadata?.namespace === b.metadata?.namespace && a.metadata?.name === b.metadata?.name;
}

/** Java's Pattern.matches(): the whole value must match (evaluated with JavaScript's regex dialect). */
function fullMatch(re: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${re})$`);
  } catch {
    return undefined;
  }
}

const wait = (reason: string): ReleaseDecision => ({ action: 'wait', reason });

export function releaseDecision(input: ReleaseInput): ReleaseDecision {
  const { pod, enforced, nodes } = input;
  const others = input.appPods.filter((p) => !samePod(p, pod) && !isTerminal(p));
  if (enforced.some((e) => e.constraint.operator === 'MAX_PER')) {
    // Counts are exact only when every released pod is on a node: place one pod at a time.
    const unplaced = others.find(
      (p) => !isPlacementGated(p) && !p.spec?.nodeName && !p.metadata?.deletionTimestamp,
    );
    if (unplaced) return wait(`waiting for ${unplaced.metadata?.name ?? 'another pod'} to be placed`);
  }

  const requirements: V1NodeSelectorRequirement[] = [];
  for (const e of enforced) {
    const { field, operator, value = '' } = e.constraint;
    const key = e.labelKey;
    if (operator === 'LIKE' || operator === 'UNLIKE') {
      const re = fullMatch(value);
      if (!re) return wait(`${value} is not a valid regular expression`);
      const matching = nodes.labelValues(key).filter((v) => re.test(v));
      if (operator === 'LIKE') {
        if (matching.length === 0) return wait(`no node has a ${field} value matching ${value}`);
        requirements.push({ key, operator: 'In', values: matching });
      } else if (matching.length > 0) {
        // NotIn also admits nodes without the label, as UNLIKE does in Marathon.
        requirements.push({ key, operator: 'NotIn', values: matching });
      }
    } else if (operator === 'MAX_PER') {
      const max = e.maxPerValue;
      if (!(max >= 1)) return wait(`MAX_PER ${value} allows no instance on any ${field} value`);
      const counts = new Map<string, number>();
      for (const p of others) {
        const nodeName = p.spec?.nodeName;
        const v = nodeName === undefined ? undefined : input.nodeLabels(nodeName)?.[key];
        if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const full = [...counts]
        .filter(([, n]) => n >= max)
        .map(([v]) => v)
        .sort();
      const values = nodes.labelValues(key);
      if (values.length === 0) return wait(`no node has a ${field} value`);
      // Released with no value left, the pod would stay unschedulable even after room frees up.
      if (values.every((v) => full.includes(v))) {
        return wait(`every ${field} value already has ${max} instance${max === 1 ? '' : 's'}`);
      }
      requirements.push({ key, operator: 'Exists' });
      if (full.length > 0) requirements.push({ key, operator: 'NotIn', values: full });
    }
  }
  return { action: 'release', requirements };
}

/**
 * A copy of the gated pod with our gate removed and `requirements` ANDed into its node affinity: appended to
 * every existing node selector term (terms are ORed), or as one new term when there is none.
 */
export function releasedPod(pod: V1Pod, requirements: V1NodeSelectorRequirement[]): V1Pod {
  const copy = structuredClone(pod);
  const spec = copy.spec;
  if (!spec) return copy;
  if (spec.schedulingGates)
    spec.schedulingGates = spec.schedulingGates.filter((g) => g.name !== PLACEMENT_GATE);
  if (requirements.length === 0) return copy;
  const nodeAffinity = ((spec.affinity ??= {}).nodeAffinity ??= {});
  const selector = (nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ??= {
    nodeSelectorTerms: [],
  });
  if (selector.nodeSelectorTerms.length === 0) selector.nodeSelectorTerms.push({ matchExpressions: [] });
  for (const term of selector.nodeSelectorTerms) {
    (term.matchExpressions ??= []).push(...structuredClone(requirements));
  }
  return copy;
}
