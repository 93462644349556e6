// Marathon placement → Kubernetes scheduling. Constraints become node affinity, pod (anti-)affinity and
// topology spread (Marathon's Constraints.scala semantics); acceptedResourceRoles picks private or public
// nodes. The constraints Kubernetes cannot express (LIKE, UNLIKE, MAX_PER > 1) are enforced by the
// operator: the pod waits behind a scheduling gate until the operator adds node requirements computed from
// the live cluster (see ../placement-gate.ts).
import type {
  V1Affinity,
  V1NodeSelectorRequirement,
  V1PodAffinityTerm,
  V1TopologySpreadConstraint,
} from '@kubernetes/client-node';
import {
  ATTRIBUTE_LABEL_PREFIX,
  PUBLIC_AGENT_LABEL,
  attributeLabelKey,
  attributeLabelValue,
  sanitizeLabelPart,
} from '../../mesos/agent-labels.ts';
import type { Constraint, NormalizedApp } from '../app.ts';
import { PLACEMENT_GATE } from '../names.ts';
import type { Draft, Note, TranslateContext } from './draft.ts';

export { ATTRIBUTE_LABEL_PREFIX, PLACEMENT_GATE, PUBLIC_AGENT_LABEL, sanitizeLabelPart };

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
const WELL_KNOWN_FIELDS: Readonly<Record<string, string>> = {
  hostname: HOSTNAME_LABEL,
  '@hostname': HOSTNAME_LABEL,
  '@zone': 'topology.kubernetes.io/zone',
  '@region': 'topology.kubernetes.io/region',
};

/** The node label a constraint field is read from. */
export function constraintLabelKey(field: string): string {
  return WELL_KNOWN_FIELDS[field] ?? attributeLabelKey(field);
}

const TAINT_TOLERATION = {
  key: PUBLIC_AGENT_LABEL,
  operator: 'Equal',
  value: 'true',
  effect: 'NoSchedule',
} as const;

export function applyPlacement(app: NormalizedApp, ctx: TranslateContext, d: Draft): void {
  const required: V1NodeSelectorRequirement[] = [];
  const antiAffinityKeys = new Set<string>();
  const affinityKeys = new Set<string>();
  const spread: V1TopologySpreadConstraint[] = [];
  let gated = false;
  const note = (path: string, kind: Note['kind'], message: string) => d.notes.push({ path, kind, message });

  app.constraints.forEach((c, i) => {
    const path = `/constraints(${i})`;
    const key = constraintLabelKey(c.field);
    if (!(c.field in WELL_KNOWN_FIELDS) && key !== ATTRIBUTE_LABEL_PREFIX + c.field) {
      note(
        path,
        'approximated',
        `attribute ${c.field} is not a valid label name: read from node label ${key}`,
      );
    }
    // Marathon only lets UNLIKE match an agent that lacks the attribute; every node has a hostname.
    if (c.operator !== 'UNLIKE' && key !== HOSTNAME_LABEL) required.push({ key, operator: 'Exists' });
    const value = c.value ?? '';
    const inValue = () => {
      const v = attributeLabelValue(value);
      if (v !== value)
        note(path, 'approximated', `value ${value} is not a valid label value: matched as ${v}`);
      required.push({ key, operator: 'In', values: [v] });
    };
    switch (c.operator) {
      case 'UNIQUE':
        antiAffinityKeys.add(key);
        break;
      case 'CLUSTER':
        // Without a value, Kubernetes lets the first pod go anywhere and the others follow it, as Marathon does.
        if (value === '') affinityKeys.add(key);
        else inValue();
        break;
      case 'IS':
        inValue();
        break;
      case 'GROUP_BY': {
        const domains = Number.parseInt(value, 10);
        spread.push({
          maxSkew: 1,
          topologyKey: key,
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { ...ctx.selector } },
          ...(domains > 1 ? { minDomains: domains } : {}),
        });
        note(
          path,
          'approximated',
          `pods are spread evenly (maxSkew 1) over every ${key} value that has eligible nodes; ` +
            'Marathon balanced only over the values its instances already used',
        );
        break;
      }
      case 'MAX_PER': {
        const max = Number.parseInt(value, 10);
        if (max === 1) {
          antiAffinityKeys.add(key);
          break;
        }
        d.enforced.push({ constraint: c, labelKey: key, maxPerValue: max });
        gated = true;
        note(path, 'enforced', enforcedMessage(c, key));
        break;
      }
      case 'LIKE':
      case 'UNLIKE':
        d.enforced.push({ constraint: c, labelKey: key, maxPerValue: 0 });
        gated = true;
        note(path, 'enforced', enforcedMessage(c, key));
        break;
    }
  });

  placeByRoles(app, required, d);
  if (app.role !== undefined && app.role !== '*' && app.role !== 'slave_public') {
    note('/role', 'ignored', `Mesos role ${app.role} has no Kubernetes equivalent; it has no effect`);
  }

  const affinity: V1Affinity = d.pod.affinity ?? {};
  const nodeReqs = dedupe(required);
  if (nodeReqs.length > 0) {
    const nodeAffinity = (affinity.nodeAffinity ??= {});
    const selector = (nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ??= {
      nodeSelectorTerms: [],
    });
    // Terms are ORed and expressions ANDed: every term must carry every requirement.
    if (selector.nodeSelectorTerms.length === 0) selector.nodeSelectorTerms.push({ matchExpressions: [] });
    for (const term of selector.nodeSelectorTerms) (term.matchExpressions ??= []).push(...nodeReqs);
  }
  const selfTerm = (topologyKey: string): V1PodAffinityTerm => ({
    labelSelector: { matchLabels: { ...ctx.selector } },
    topologyKey,
  });
  if (antiAffinityKeys.size > 0) {
    const anti = (affinity.podAntiAffinity ??= {});
    (anti.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(...[...antiAffinityKeys].map(selfTerm));
  }
  if (affinityKeys.size > 0) {
    const aff = (affinity.podAffinity ??= {});
    (aff.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(...[...affinityKeys].map(selfTerm));
  }
  if (Object.keys(affinity).length > 0) d.pod.affinity = affinity;
  if (spread.length > 0) (d.pod.topologySpreadConstraints ??= []).push(...spread);
  if (gated) {
    const gates = (d.pod.schedulingGates ??= []);
    if (!gates.some((g) => g.name === PLACEMENT_GATE)) gates.push({ name: PLACEMENT_GATE });
  }
}

function enforcedMessage(c: Constraint, key: string): string {
  const named = JSON.stringify([c.field, c.operator, ...(c.value === undefined ? [] : [c.value])]);
  const hold = `${named}: Kubernetes has no equivalent: the operator holds each pod at a scheduling gate and releases it`;
  switch (c.operator) {
    case 'LIKE':
      return `${hold} to the nodes whose ${key} fully matches ${c.value ?? ''} at that moment`;
    case 'UNLIKE':
      return `${hold} away from the nodes whose ${key} fully matches ${c.value ?? ''} at that moment`;
    default:
      return `${hold} to ${key} values that have fewer than ${c.value ?? ''} instances, one pod at a time`;
  }
}

/**
 * Mesos public agents offer only the slave_public role. Without slave_public an app may not run there;
 * with only slave_public it must; with both it may run anywhere. Other (reserved) roles count as '*'.
 */
function placeByRoles(app: NormalizedApp, required: V1NodeSelectorRequirement[], d: Draft): void {
  const roles = app.acceptedResourceRoles ?? [];
  roles.forEach((role, i) => {
    if (role !== '*' && role !== 'slave_public') {
      d.notes.push({
        path: `/acceptedResourceRoles(${i})`,
        kind: 'approximated',
        message: `Mesos role ${role} has no Kubernetes equivalent: treated as '*' (any private node)`,
      });
    }
  });
  const publicNodes = roles.includes('slave_public');
  const privateNodes = !publicNodes || roles.some((r) => r !== 'slave_public');
  if (!publicNodes) {
    required.push({ key: PUBLIC_AGENT_LABEL, operator: 'NotIn', values: ['true'] });
    return;
  }
  if (!privateNodes) required.push({ key: PUBLIC_AGENT_LABEL, operator: 'In', values: ['true'] });
  (d.pod.tolerations ??= []).push({ ...TAINT_TOLERATION });
}

/** Drops repeated requirements, and Exists where an In on the same key already implies it. */
function dedupe(reqs: V1NodeSelectorRequirement[]): V1NodeSelectorRequirement[] {
  const seen = new Set<string>();
  const hasIn = new Set(reqs.filter((r) => r.operator === 'In').map((r) => r.key));
  return reqs.filter((r) => {
    const id = JSON.stringify([r.key, r.operator, r.values ?? []]);
    if (seen.has(id) || (r.operator === 'Exists' && hasIn.has(r.key))) return false;
    seen.add(id);
    return true;
  });
}
