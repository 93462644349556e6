import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { parseSchedulerMessage, queueItem, rejectReasonOf, rejectSummary } from './queue.ts';

const T0 = '2025-03-01T09:00:00.000Z';
const T1 = '2025-03-01T09:05:00.000Z';

function waiting(
  name: string,
  created: string,
  scheduled?: { message: string; at: string },
  gated = false,
): V1Pod {
  return {
    metadata: { name, namespace: 'shop', uid: name, creationTimestamp: new Date(created) },
    spec: {
      containers: [{ name: 'main' }],
      ...(gated ? { schedulingGates: [{ name: 'dcos-operator.dev/placement' }] } : {}),
    },
    status: {
      phase: 'Pending',
      ...(scheduled
        ? {
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: scheduled.message,
                lastTransitionTime: new Date(scheduled.at),
              },
            ],
          }
        : {}),
    },
  };
}

const MESSAGE =
  "0/4 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dcos.io/public: true}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.";

describe('launch queue', () => {
  it("maps the scheduler's predicates onto Marathon's reject reasons", () => {
    assert.equal(rejectReasonOf('Insufficient cpu'), 'InsufficientCpus');
    assert.equal(rejectReasonOf('Insufficient memory'), 'InsufficientMemory');
    assert.equal(rejectReasonOf('Insufficient ephemeral-storage'), 'InsufficientDisk');
    assert.equal(rejectReasonOf('Insufficient nvidia.com/gpu'), 'InsufficientGpus');
    assert.equal(
      rejectReasonOf("node(s) didn't have free ports for the requested pod ports"),
      'InsufficientPorts',
    );
    assert.equal(rejectReasonOf("node(s) didn't match pod anti-affinity rules"), 'UnfulfilledConstraint');
    assert.equal(rejectReasonOf('node(s) had untolerated taint {x: y}'), 'UnfulfilledRole');
    assert.equal(rejectReasonOf('node(s) were unschedulable'), 'AgentMaintenance');
    assert.equal(
      rejectReasonOf('node(s) had volume node affinity conflict'),
      'NoCorrespondingReservationFound',
    );
    assert.equal(rejectReasonOf('Too many pods'), 'DeclinedScarceResources');
  });

  it('parses the FailedScheduling message, preemption post-mortem left out', () => {
    assert.deepEqual(parseSchedulerMessage(MESSAGE), {
      nodes: 4,
      declined: { InsufficientCpus: 1, UnfulfilledRole: 1, UnfulfilledConstraint: 2 },
    });
    assert.equal(parseSchedulerMessage('something else'), undefined);
    assert.deepEqual(parseSchedulerMessage('0/3 nodes are available.'), { nodes: 3, declined: {} });
  });

  it("builds Marathon's funnel: each check processes what the previous ones let through", () => {
    const summary = rejectSummary({
      nodes: 4,
      declined: { InsufficientCpus: 1, UnfulfilledRole: 1, UnfulfilledConstraint: 2 },
    });
    assert.deepEqual(summary.slice(0, 6), [
      { reason: 'UnfulfilledRole', declined: 1, processed: 4 },
      { reason: 'UnfulfilledConstraint', declined: 2, processed: 3 },
      { reason: 'NoCorrespondingReservationFound', declined: 0, processed: 1 },
      { reason: 'AgentMaintenance', declined: 0, processed: 1 },
      { reason: 'InsufficientCpus', declined: 1, processed: 1 },
      { reason: 'InsufficientMemory', declined: 0, processed: 0 },
    ]);
    assert.equal(summary.length, 10);
  });

  it('lists an app whose pods wait for a node, with why, in the fields marathon-python accepts', () => {
    const pods = [
      waiting('a', T1, { message: MESSAGE, at: T1 }),
      waiting('b', T0, { message: '0/4 nodes are available: 4 Insufficient memory.', at: T0 }),
      { ...waiting('c', T0), spec: { containers: [], nodeName: 'agent-1' } }, // placed: not queued
    ];
    const item = queueItem({ id: '/shop/web' }, pods, { nodeCount: 4, embedOffers: false })!;
    // MarathonQueueItem(app, overdue, count, delay, since, processed_offers_summary, last_unused_offers)
    assert.deepEqual(Object.keys(item).sort(), ['app', 'count', 'delay', 'processedOffersSummary', 'since']);
    assert.equal(item.count, 2);
    assert.equal(item.since, T0);
    assert.deepEqual(item.delay, { timeLeftSeconds: 0, overdue: true });
    const s = item.processedOffersSummary as Record<string, unknown> & {
      rejectSummaryLastOffers: { reason: string; declined: number }[];
    };
    assert.equal(s.processedOffersCount, 4);
    assert.equal(s.unusedOffersCount, 4);
    assert.equal(s.lastUnusedOfferAt, T1, 'the newest attempt speaks for the app');
    assert.equal(s.rejectSummaryLastOffers.find((r) => r.reason === 'InsufficientCpus')!.declined, 1);
    assert.deepEqual(
      Object.keys(queueItem({}, pods, { nodeCount: 4, embedOffers: true })!).includes('lastUnusedOffers'),
      true,
    );
  });

  it('explains pods held for placement and says nothing before a scheduling attempt', () => {
    const held = queueItem({}, [waiting('a', T0, undefined, true)], { nodeCount: 3, embedOffers: false })!;
    const s = held.processedOffersSummary as {
      rejectSummaryLastOffers: { reason: string; declined: number }[];
    };
    assert.equal(s.rejectSummaryLastOffers.find((r) => r.reason === 'UnfulfilledConstraint')!.declined, 3);
    const fresh = queueItem({}, [waiting('a', T0)], { nodeCount: 3, embedOffers: false })!;
    assert.deepEqual(fresh.processedOffersSummary, {
      processedOffersCount: 0,
      unusedOffersCount: 0,
      rejectSummaryLastOffers: [],
      rejectSummaryLaunchAttempt: [],
    });
    assert.equal(queueItem({}, [], { nodeCount: 3, embedOffers: false }), undefined);
  });
});
