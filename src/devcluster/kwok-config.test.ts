import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { renderKwokConfig } from './kwok-config.ts';

interface StageDoc {
  kind: string;
  metadata: { name: string };
  spec: {
    resourceRef: { kind: string };
    selector: { matchExpressions: { key: string; operator: string }[] };
    next: { statusTemplate?: string; delete?: boolean };
  };
}

describe('devcluster kwok config', () => {
  const stages = parseAllDocuments(renderKwokConfig()).map((d) => d.toJS() as StageDoc);
  const byName = new Map(stages.map((s) => [s.metadata.name, s]));

  it('renders one Stage document per lifecycle step, uniquely named', () => {
    assert.ok(stages.every((s) => s.kind === 'Stage'));
    assert.equal(byName.size, stages.length);
    assert.deepEqual([...byName.keys()].sort(), [
      'node-heartbeat',
      'node-ready',
      'pod-delete',
      'pod-job-done',
      'pod-running',
    ]);
  });

  it('deletes pods marked for deletion, like a kubelet after graceful shutdown', () => {
    const del = byName.get('pod-delete');
    assert.equal(del?.spec.resourceRef.kind, 'Pod');
    assert.equal(del?.spec.next.delete, true);
    assert.deepEqual(del?.spec.selector.matchExpressions, [
      { key: '.metadata.deletionTimestamp', operator: 'Exists' },
    ]);
  });

  it('only runs pods that are bound and not being deleted', () => {
    const keys = byName
      .get('pod-running')
      ?.spec.selector.matchExpressions.map((e) => `${e.key} ${e.operator}`);
    assert.deepEqual(keys, [
      '.metadata.deletionTimestamp DoesNotExist',
      '.spec.nodeName Exists',
      '.status.podIP DoesNotExist',
    ]);
  });

  it('keeps template actions balanced', () => {
    for (const s of stages) {
      const t = s.spec.next.statusTemplate ?? '';
      const opens = (t.match(/\{\{\s*(if|range|with)\b/g) ?? []).length;
      const ends = (t.match(/\{\{\s*end\s*\}\}/g) ?? []).length;
      assert.equal(opens, ends, s.metadata.name);
    }
  });
});
