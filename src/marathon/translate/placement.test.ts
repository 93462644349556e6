import assert from 'node:assert/strict';
import type { V1NodeSelectorRequirement } from '@kubernetes/client-node';
import type { Constraint, NormalizedApp } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import { emptyDraft, type Draft } from './draft.ts';
import {
  ATTRIBUTE_LABEL_PREFIX,
  PLACEMENT_GATE,
  PUBLIC_AGENT_LABEL,
  applyPlacement,
  constraintLabelKey,
  sanitizeLabelPart,
} from './placement.ts';

const ctx = testContext();
const self = { matchLabels: ctx.selector };
const PRIVATE: V1NodeSelectorRequirement = { key: PUBLIC_AGENT_LABEL, operator: 'NotIn', values: ['true'] };
const RACK = `${ATTRIBUTE_LABEL_PREFIX}rack_id`;
const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const TOLERATION = { key: PUBLIC_AGENT_LABEL, operator: 'Equal', value: 'true', effect: 'NoSchedule' };

function place(overrides: Partial<NormalizedApp>): Draft {
  const d = emptyDraft();
  applyPlacement(testApp(overrides), ctx, d);
  return d;
}

function nodeRequirements(d: Draft): V1NodeSelectorRequirement[] | undefined {
  const terms =
    d.pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  assert.ok(terms === undefined || terms.length === 1, 'one node selector term');
  return terms?.[0]?.matchExpressions;
}

describe('translate placement', () => {
  it('maps constraint fields to node labels', () => {
    const table: [string, string][] = [
      ['hostname', HOST],
      ['@hostname', HOST],
      ['@zone', ZONE],
      ['@region', 'topology.kubernetes.io/region'],
      ['rack_id', RACK],
      ['rack id/1', `${ATTRIBUTE_LABEL_PREFIX}rack-id-1`],
      ['@other', `${ATTRIBUTE_LABEL_PREFIX}other`],
    ];
    for (const [field, key] of table) assert.equal(constraintLabelKey(field), key, field);
    const long = constraintLabelKey('a'.repeat(80));
    assert.match(long.slice(ATTRIBUTE_LABEL_PREFIX.length), /^a{54}-[0-9a-f]{8}$/);
    assert.match(sanitizeLabelPart('///'), /^[0-9a-f]{8}$/);
  });

  it('translates every operator (table)', () => {
    type Row = {
      c: Constraint;
      node: V1NodeSelectorRequirement[];
      anti?: string[];
      affinity?: string[];
      spread?: { topologyKey: string; minDomains?: number };
      enforced?: number;
    };
    const table: Row[] = [
      { c: { field: 'hostname', operator: 'UNIQUE' }, node: [], anti: [HOST] },
      {
        c: { field: 'rack_id', operator: 'UNIQUE' },
        node: [{ key: RACK, operator: 'Exists' }],
        anti: [RACK],
      },
      {
        c: { field: 'rack_id', operator: 'CLUSTER', value: 'rack-1' },
        node: [{ key: RACK, operator: 'In', values: ['rack-1'] }],
      },
      {
        c: { field: 'hostname', operator: 'CLUSTER', value: 'a1' },
        node: [{ key: HOST, operator: 'In', values: ['a1'] }],
      },
      {
        c: { field: '@zone', operator: 'CLUSTER' },
        node: [{ key: ZONE, operator: 'Exists' }],
        affinity: [ZONE],
      },
      {
        c: { field: '@zone', operator: 'IS', value: 'eu-1' },
        node: [{ key: ZONE, operator: 'In', values: ['eu-1'] }],
      },
      {
        c: { field: '@zone', operator: 'GROUP_BY', value: '3' },
        node: [{ key: ZONE, operator: 'Exists' }],
        spread: { topologyKey: ZONE, minDomains: 3 },
      },
      {
        c: { field: '@zone', operator: 'GROUP_BY' },
        node: [{ key: ZONE, operator: 'Exists' }],
        spread: { topologyKey: ZONE },
      },
      {
        c: { field: '@zone', operator: 'GROUP_BY', value: '1' },
        node: [{ key: ZONE, operator: 'Exists' }],
        spread: { topologyKey: ZONE },
      },
      { c: { field: 'hostname', operator: 'MAX_PER', value: '1' }, node: [], anti: [HOST] },
      {
        c: { field: 'rack_id', operator: 'MAX_PER', value: '2' },
        node: [{ key: RACK, operator: 'Exists' }],
        enforced: 2,
      },
      {
        c: { field: 'rack_id', operator: 'LIKE', value: 'rack-[12]' },
        node: [{ key: RACK, operator: 'Exists' }],
        enforced: 0,
      },
      { c: { field: 'hostname', operator: 'LIKE', value: 'srv2.*' }, node: [], enforced: 0 },
      { c: { field: 'rack_id', operator: 'UNLIKE', value: 'rack-1' }, node: [], enforced: 0 },
    ];
    for (const row of table) {
      const msg = JSON.stringify(row.c);
      const d = place({ constraints: [row.c] });
      assert.deepEqual(nodeRequirements(d), [...row.node, PRIVATE], msg);
      const aff = d.pod.affinity;
      assert.deepEqual(
        aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
        row.anti?.map((topologyKey) => ({ labelSelector: self, topologyKey })),
        msg,
      );
      assert.deepEqual(
        aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
        row.affinity?.map((topologyKey) => ({ labelSelector: self, topologyKey })),
        msg,
      );
      assert.deepEqual(
        d.pod.topologySpreadConstraints,
        row.spread && [
          { maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: self, ...row.spread },
        ],
        msg,
      );
      if (row.enforced === undefined) {
        assert.deepEqual(d.enforced, [], msg);
        assert.equal(d.pod.schedulingGates, undefined, msg);
        assert.equal(d.notes.filter((n) => n.kind === 'enforced').length, 0, msg);
      } else {
        assert.deepEqual(
          d.enforced,
          [{ constraint: row.c, labelKey: constraintLabelKey(row.c.field), maxPerValue: row.enforced }],
          msg,
        );
        assert.deepEqual(d.pod.schedulingGates, [{ name: PLACEMENT_GATE }], msg);
        assert.deepEqual(
          d.notes.map((n) => [n.path, n.kind]),
          [['/constraints(0)', 'enforced']],
          msg,
        );
      }
    }
  });

  it('notes GROUP_BY as approximated and leaves exact operators without notes', () => {
    assert.deepEqual(place({ constraints: [{ field: 'hostname', operator: 'UNIQUE' }] }).notes, []);
    const d = place({ constraints: [{ field: '@zone', operator: 'GROUP_BY', value: '2' }] });
    assert.deepEqual(
      d.notes.map((n) => [n.path, n.kind]),
      [['/constraints(0)', 'approximated']],
    );
  });

  it('combines all constraints into one node selector term, without repeats', () => {
    const d = place({
      constraints: [
        { field: 'rack_id', operator: 'UNIQUE' },
        { field: 'hostname', operator: 'UNIQUE' },
        { field: 'hostname', operator: 'MAX_PER', value: '1' },
        { field: 'rack_id', operator: 'IS', value: 'r1' },
        { field: '@zone', operator: 'LIKE', value: 'a.*' },
        { field: '@zone', operator: 'UNLIKE', value: 'ab' },
        { field: 'rack_id', operator: 'MAX_PER', value: '3' },
      ],
    });
    assert.deepEqual(nodeRequirements(d), [
      { key: RACK, operator: 'In', values: ['r1'] },
      { key: ZONE, operator: 'Exists' },
      PRIVATE,
    ]);
    assert.deepEqual(
      d.pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.map(
        (t) => t.topologyKey,
      ),
      [RACK, HOST],
    );
    assert.equal(d.enforced.length, 3);
    assert.deepEqual(d.pod.schedulingGates, [{ name: PLACEMENT_GATE }]);
  });

  it('adds its requirements to every existing node selector term', () => {
    const d = emptyDraft();
    d.pod.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { matchFields: [] }],
        },
      },
    };
    applyPlacement(testApp({ constraints: [{ field: '@zone', operator: 'IS', value: 'z' }] }), ctx, d);
    const added = [{ key: ZONE, operator: 'In', values: ['z'] }, PRIVATE];
    assert.deepEqual(
      d.pod.affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
      [
        { matchExpressions: [{ key: 'a', operator: 'Exists' }, ...added] },
        { matchFields: [], matchExpressions: added },
      ],
    );
  });

  it('sanitizes invalid attribute names and values, with a note', () => {
    const d = place({ constraints: [{ field: 'rack id', operator: 'CLUSTER', value: 'us/east 1' }] });
    assert.deepEqual(nodeRequirements(d), [
      { key: `${ATTRIBUTE_LABEL_PREFIX}rack-id`, operator: 'In', values: ['us-east-1'] },
      PRIVATE,
    ]);
    assert.deepEqual(
      d.notes.map((n) => [n.path, n.kind]),
      [
        ['/constraints(0)', 'approximated'],
        ['/constraints(0)', 'approximated'],
      ],
    );
    assert.deepEqual(nodeRequirements(place({ constraints: [{ field: 'a', operator: 'IS', value: '' }] })), [
      { key: `${ATTRIBUTE_LABEL_PREFIX}a`, operator: 'In', values: [''] },
      PRIVATE,
    ]);
  });

  it('maps acceptedResourceRoles to public or private nodes (table)', () => {
    const PUBLIC: V1NodeSelectorRequirement = { key: PUBLIC_AGENT_LABEL, operator: 'In', values: ['true'] };
    const table: [string[] | undefined, V1NodeSelectorRequirement[] | undefined, boolean, number][] = [
      [undefined, [PRIVATE], false, 0],
      [['*'], [PRIVATE], false, 0],
      [['slave_public'], [PUBLIC], true, 0],
      [['*', 'slave_public'], undefined, true, 0],
      [['slave_public', '*'], undefined, true, 0],
      [['mesos_role'], [PRIVATE], false, 1],
      [['slave_public', 'mesos_role'], undefined, true, 1],
    ];
    for (const [roles, node, tolerates, notes] of table) {
      const d = place(roles ? { acceptedResourceRoles: roles } : {});
      const msg = JSON.stringify(roles);
      assert.deepEqual(nodeRequirements(d), node, msg);
      assert.deepEqual(d.pod.tolerations, tolerates ? [TOLERATION] : undefined, msg);
      assert.equal(d.notes.length, notes, msg);
      assert.ok(
        d.notes.every((n) => n.kind === 'approximated' && /^\/acceptedResourceRoles\(\d\)$/.test(n.path)),
      );
    }
    assert.equal(place({ acceptedResourceRoles: ['*', 'slave_public'] }).pod.affinity, undefined);
  });

  it('notes a Mesos role other than * and slave_public as ignored', () => {
    assert.deepEqual(place({ role: '*' }).notes, []);
    assert.deepEqual(place({ role: 'slave_public' }).notes, []);
    assert.deepEqual(
      place({ role: 'dev' }).notes.map((n) => [n.path, n.kind]),
      [['/role', 'ignored']],
    );
  });

  it('translates the stuck_sleep fixture (hostname UNIQUE)', () => {
    const d = place({ instances: 10, constraints: [{ field: 'hostname', operator: 'UNIQUE' }] });
    assert.deepEqual(d.pod.affinity, {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [PRIVATE] }],
        },
      },
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: self, topologyKey: HOST }],
      },
    });
    assert.deepEqual(d.notes, []);
  });
});
