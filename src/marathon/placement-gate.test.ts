import assert from 'node:assert/strict';
import type { V1NodeSelectorRequirement, V1Pod } from '@kubernetes/client-node';
import type { Constraint } from './app.ts';
import { isPlacementGated, releaseDecision, releasedPod, type ReleaseDecision } from './placement-gate.ts';
import { nodeView } from './test-app.ts';
import type { EnforcedConstraint } from './translate/draft.ts';
import { PLACEMENT_GATE, constraintLabelKey } from './translate/placement.ts';

const RACK = constraintLabelKey('rack_id');
const HOST = 'kubernetes.io/hostname';
const NODES: Record<string, Record<string, string>> = {
  n1: { [HOST]: 'n1', [RACK]: 'rack-1' },
  n2: { [HOST]: 'n2', [RACK]: 'rack-1' },
  n3: { [HOST]: 'n3', [RACK]: 'rack-2' },
  n4: { [HOST]: 'n4', [RACK]: 'rack-3' },
  n5: { [HOST]: 'n5' },
};
const nodes = nodeView(Object.values(NODES));
const nodeLabels = (name: string) => NODES[name];

function enforced(c: Constraint): EnforcedConstraint {
  const max = c.operator === 'MAX_PER' ? Number(c.value) : 0;
  return { constraint: c, labelKey: constraintLabelKey(c.field), maxPerValue: max };
}

type PodOpts = { node?: string; gated?: boolean; phase?: string; deleting?: boolean };
function pod(name: string, o: PodOpts = {}): V1Pod {
  return {
    metadata: {
      name,
      namespace: 'test',
      uid: `uid-${name}`,
      ...(o.deleting ? { deletionTimestamp: new Date(0) } : {}),
    },
    spec: {
      containers: [{ name: 'app' }],
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.gated ? { schedulingGates: [{ name: PLACEMENT_GATE }] } : {}),
    },
    ...(o.phase ? { status: { phase: o.phase } } : {}),
  };
}

const gated = pod('p0', { gated: true });
function decide(constraints: Constraint[], others: V1Pod[] = []) {
  return releaseDecision({
    pod: gated,
    enforced: constraints.map(enforced),
    appPods: [gated, ...others],
    nodeLabels,
    nodes,
  });
}
const release = (requirements: V1NodeSelectorRequirement[]): ReleaseDecision => ({
  action: 'release',
  requirements,
});

describe('placement gate', () => {
  it('resolves LIKE and UNLIKE against live node label values (table)', () => {
    const table: [Constraint, ReturnType<typeof decide>][] = [
      [
        { field: 'rack_id', operator: 'LIKE', value: 'rack-[12]' },
        release([{ key: RACK, operator: 'In', values: ['rack-1', 'rack-2'] }]),
      ],
      // Java's matches(): the whole value, not a substring.
      [
        { field: 'rack_id', operator: 'LIKE', value: 'rack' },
        { action: 'wait', reason: 'no node has a rack_id value matching rack' },
      ],
      [
        { field: 'rack_id', operator: 'LIKE', value: 'rack-1|rack-3' },
        release([{ key: RACK, operator: 'In', values: ['rack-1', 'rack-3'] }]),
      ],
      [
        { field: 'hostname', operator: 'LIKE', value: 'n[1-2]' },
        release([{ key: HOST, operator: 'In', values: ['n1', 'n2'] }]),
      ],
      [
        { field: 'rack_id', operator: 'UNLIKE', value: 'rack-1' },
        release([{ key: RACK, operator: 'NotIn', values: ['rack-1'] }]),
      ],
      [{ field: 'rack_id', operator: 'UNLIKE', value: 'nomatch' }, release([])],
      [
        { field: 'rack_id', operator: 'LIKE', value: '(' },
        { action: 'wait', reason: '( is not a valid regular expression' },
      ],
    ];
    for (const [c, expected] of table) assert.deepEqual(decide([c]), expected, JSON.stringify(c));
  });

  it('caps MAX_PER by counting bound, live pods per label value (table)', () => {
    const max2 = { field: 'rack_id', operator: 'MAX_PER', value: '2' } as const;
    const table: [string, Constraint, V1Pod[], ReturnType<typeof decide>][] = [
      ['no pods yet', max2, [], release([{ key: RACK, operator: 'Exists' }])],
      [
        'rack-1 full',
        max2,
        [pod('a', { node: 'n1' }), pod('b', { node: 'n2' }), pod('c', { node: 'n3' })],
        release([
          { key: RACK, operator: 'Exists' },
          { key: RACK, operator: 'NotIn', values: ['rack-1'] },
        ]),
      ],
      [
        'terminal pods and unlabelled nodes do not count',
        max2,
        [pod('a', { node: 'n1' }), pod('b', { node: 'n2', phase: 'Failed' }), pod('c', { node: 'n5' })],
        release([{ key: RACK, operator: 'Exists' }]),
      ],
      [
        'gated pods do not count',
        max2,
        [pod('a', { node: 'n1' }), pod('b', { gated: true }), pod('c', { gated: true })],
        release([{ key: RACK, operator: 'Exists' }]),
      ],
      [
        'every value full',
        { field: 'rack_id', operator: 'MAX_PER', value: '1' },
        [pod('a', { node: 'n1' }), pod('b', { node: 'n3' }), pod('c', { node: 'n4' })],
        { action: 'wait', reason: 'every rack_id value already has 1 instance' },
      ],
      [
        'hostname',
        { field: 'hostname', operator: 'MAX_PER', value: '2' },
        [pod('a', { node: 'n1' }), pod('b', { node: 'n1' }), pod('c', { node: 'n2' })],
        release([
          { key: HOST, operator: 'Exists' },
          { key: HOST, operator: 'NotIn', values: ['n1'] },
        ]),
      ],
      [
        'zero',
        { field: 'rack_id', operator: 'MAX_PER', value: '0' },
        [],
        { action: 'wait', reason: 'MAX_PER 0 allows no instance on any rack_id value' },
      ],
      [
        'no labelled node',
        { field: 'gpu', operator: 'MAX_PER', value: '2' },
        [],
        { action: 'wait', reason: 'no node has a gpu value' },
      ],
    ];
    for (const [name, c, others, expected] of table) assert.deepEqual(decide([c], others), expected, name);
  });

  it('releases MAX_PER pods one at a time', () => {
    const max2 = [{ field: 'rack_id', operator: 'MAX_PER', value: '2' } as const];
    assert.deepEqual(decide(max2, [pod('a', { node: 'n1' }), pod('b')]), {
      action: 'wait',
      reason: 'waiting for b to be placed',
    });
    // A released pod that is terminal or being deleted will never be placed: do not wait for it.
    assert.equal(decide(max2, [pod('b', { phase: 'Failed' })]).action, 'release');
    assert.equal(decide(max2, [pod('b', { deleting: true })]).action, 'release');
    // Without MAX_PER nothing is counted, so nothing needs to wait.
    assert.equal(decide([{ field: 'rack_id', operator: 'LIKE', value: '.*' }], [pod('b')]).action, 'release');
  });

  it('ANDs the requirements of several constraints', () => {
    assert.deepEqual(
      decide(
        [
          { field: 'rack_id', operator: 'LIKE', value: 'rack-.*' },
          { field: 'hostname', operator: 'UNLIKE', value: 'n3' },
          { field: 'rack_id', operator: 'MAX_PER', value: '2' },
        ],
        [pod('a', { node: 'n1' }), pod('b', { node: 'n2' })],
      ),
      release([
        { key: RACK, operator: 'In', values: ['rack-1', 'rack-2', 'rack-3'] },
        { key: HOST, operator: 'NotIn', values: ['n3'] },
        { key: RACK, operator: 'Exists' },
        { key: RACK, operator: 'NotIn', values: ['rack-1'] },
      ]),
    );
    assert.deepEqual(decide([]), release([]));
  });

  it('releasedPod removes only our gate and appends requirements to every term', () => {
    const req: V1NodeSelectorRequirement[] = [{ key: RACK, operator: 'In', values: ['rack-1'] }];
    const original = pod('p', { gated: true });
    original.spec!.schedulingGates!.push({ name: 'other/gate' });
    original.spec!.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { matchFields: [] }],
        },
      },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] },
    };
    const before = structuredClone(original);
    const out = releasedPod(original, req);
    assert.deepEqual(original, before, 'input untouched');
    assert.deepEqual(out.spec?.schedulingGates, [{ name: 'other/gate' }]);
    assert.equal(isPlacementGated(out), false);
    assert.deepEqual(
      out.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
      [
        { matchExpressions: [{ key: 'a', operator: 'Exists' }, ...req] },
        { matchFields: [], matchExpressions: req },
      ],
    );
    assert.deepEqual(out.spec?.affinity?.podAntiAffinity, before.spec?.affinity?.podAntiAffinity);
  });

  it('releasedPod adds one term when there is none, and none for no requirements', () => {
    const req: V1NodeSelectorRequirement[] = [{ key: HOST, operator: 'NotIn', values: ['n1'] }];
    assert.deepEqual(releasedPod(gated, req).spec?.affinity, {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: req }] },
      },
    });
    const none = releasedPod(gated, []);
    assert.equal(none.spec?.affinity, undefined);
    assert.deepEqual(none.spec?.schedulingGates, []);
  });
});
