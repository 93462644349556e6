// GET /v2/queue entries (types/queue.raml, fixture responses/queue.json): the app instances waiting to be
// launched, which on Kubernetes are the app's pods not yet bound to a node. Why they wait is told the way
// Marathon told it, as offers declined per reason: the scheduler's "0/N nodes are available: …" message
// becomes a funnel of N nodes ("offers") through Marathon's reject reasons. Pure.
import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { PLACEMENT_GATE } from '../../marathon/names.ts';
import { isQueued } from '../../marathon/status.ts';
import { isoTime } from './task-info.ts';

/** Marathon's offer-matching reasons, in the order its matcher applied them (NoOfferMatchReason). */
export const REJECT_REASONS = [
  'UnfulfilledRole',
  'UnfulfilledConstraint',
  'NoCorrespondingReservationFound',
  'AgentMaintenance',
  'InsufficientCpus',
  'InsufficientMemory',
  'InsufficientDisk',
  'InsufficientGpus',
  'InsufficientPorts',
  'DeclinedScarceResources',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

export interface DeclinedOfferStep {
  reason: RejectReason;
  declined: number;
  processed: number;
}

/** A scheduler predicate's text → the Marathon reason closest to it (first match wins). */
const PREDICATES: [RegExp, RejectReason][] = [
  [/taint/i, 'UnfulfilledRole'],
  [/volume|persistentvolumeclaim/i, 'NoCorrespondingReservationFound'],
  [/unschedulable/i, 'AgentMaintenance'],
  [/affinity|selector|topology spread|didn't match/i, 'UnfulfilledConstraint'],
  [/insufficient cpu/i, 'InsufficientCpus'],
  [/insufficient memory/i, 'InsufficientMemory'],
  [/insufficient ephemeral-storage/i, 'InsufficientDisk'],
  [/insufficient .*gpu/i, 'InsufficientGpus'],
  [/free ports|host ?port/i, 'InsufficientPorts'],
];

export function rejectReasonOf(predicate: string): RejectReason {
  return PREDICATES.find(([re]) => re.test(predicate))?.[1] ?? 'DeclinedScarceResources';
}

export interface SchedulingVerdict {
  /** Nodes considered. */
  nodes: number;
  /** Nodes declined per reason (a node may count under several). */
  declined: Partial<Record<RejectReason, number>>;
}

/** Parses kube-scheduler's FailedScheduling text: `0/4 nodes are available: 1 Insufficient cpu, 3 node(s)
 * didn't match Pod's node affinity/selector. preemption: …`. */
export function parseSchedulerMessage(message: string | undefined): SchedulingVerdict | undefined {
  const m = /(\d+)\/(\d+) nodes are available(?::\s*(.*)|\.?)$/s.exec(message ?? '');
  if (!m) return undefined;
  const body = (m[3] ?? '').replace(/\s*preemption:.*$/s, '').replace(/\.\s*$/, '');
  const declined: Partial<Record<RejectReason, number>> = {};
  for (const part of body.split(/,\s*(?=\d+\s)/)) {
    const p = /^(\d+)\s+(.+)$/.exec(part.trim());
    if (!p) continue;
    const reason = rejectReasonOf(p[2]!);
    declined[reason] = (declined[reason] ?? 0) + Number(p[1]);
  }
  return { nodes: Number(m[2]), declined };
}

/** Marathon's rejectSummary: offers processed by each reason's check in turn, and how many it declined. */
export function rejectSummary(verdict: SchedulingVerdict): DeclinedOfferStep[] {
  let processed = verdict.nodes;
  return REJECT_REASONS.map((reason) => {
    const declined = Math.min(processed, verdict.declined[reason] ?? 0);
    const step = { reason, declined, processed };
    processed -= declined;
    return step;
  });
}

function scheduled(pod: V1Pod): V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
}

/** Why a waiting pod waits, in scheduling terms; undefined while nothing has been tried yet. */
export function podVerdict(pod: V1Pod, nodeCount: number): SchedulingVerdict | undefined {
  if ((pod.spec?.schedulingGates ?? []).some((g) => g.name === PLACEMENT_GATE))
    // the operator holds it until a node satisfies the app's constraints
    return { nodes: nodeCount, declined: { UnfulfilledConstraint: nodeCount } };
  const c = scheduled(pod);
  if (c?.status !== 'False' || c.reason === 'SchedulingGated') return undefined;
  return parseSchedulerMessage(c.message) ?? { nodes: nodeCount, declined: {} };
}

export interface QueueOptions {
  /** Nodes in the cluster (offers a scheduling attempt goes through when the message does not say). */
  nodeCount: number;
  /** `embed=lastUnusedOffers`. */
  embedOffers: boolean;
}

/** The queue entry of one app, from all of its pods (only those waiting for a node count); undefined when
 * none waits. */
export function queueItem(
  app: unknown,
  pods: readonly V1Pod[],
  opts: QueueOptions,
): Record<string, unknown> | undefined {
  const waiting = pods.filter(isQueued);
  if (waiting.length === 0) return undefined;
  const since = waiting
    .map((p) => isoTime(p.metadata?.creationTimestamp))
    .filter((t): t is string => t !== undefined)
    .sort()[0];
  // The most recent scheduling attempt speaks for the app (its pods share one template).
  let newest: { pod: V1Pod; at: string } | undefined;
  for (const pod of waiting) {
    const at = isoTime(scheduled(pod)?.lastTransitionTime) ?? '';
    if (!newest || at > newest.at) newest = { pod, at };
  }
  const verdict = newest && podVerdict(newest.pod, opts.nodeCount);
  const summary = verdict ? rejectSummary(verdict) : [];
  return {
    app,
    count: waiting.length,
    // Kubernetes retries unschedulable pods on every cluster change: never backed off, always overdue
    delay: { timeLeftSeconds: 0, overdue: true },
    since: since ?? new Date(0).toISOString(),
    processedOffersSummary: {
      processedOffersCount: verdict?.nodes ?? 0,
      unusedOffersCount: verdict?.nodes ?? 0,
      ...(verdict && newest?.at ? { lastUnusedOfferAt: newest.at } : {}),
      rejectSummaryLastOffers: summary,
      rejectSummaryLaunchAttempt: summary.map((s) => ({ ...s })),
    },
    // Per-node verdicts are not recorded by the scheduler: no individual offers to show.
    ...(opts.embedOffers ? { lastUnusedOffers: [] } : {}),
  };
}
