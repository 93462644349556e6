import assert from 'node:assert/strict';
import { appendHistory, historyConfigMap, knownVersion, nextVersion, readHistory } from './versions.ts';

describe('marathon versions', () => {
  const t0 = '2026-01-01T00:00:00.000Z';
  const t1 = '2026-01-02T00:00:00.000Z';

  it('starts a first version at creation', () => {
    const r = nextVersion(undefined, { configHash: 'a', instances: 1 }, t0);
    assert.equal(r.change, 'config');
    assert.deepEqual(r.state, {
      version: t0,
      versionInfo: { lastScalingAt: t0, lastConfigChangeAt: t0 },
      configHash: 'a',
      targetInstances: 1,
    });
  });

  it('moves only lastScalingAt and version when only instances change', () => {
    const first = nextVersion(undefined, { configHash: 'a', instances: 1 }, t0).state;
    const r = nextVersion(first, { configHash: 'a', instances: 3 }, t1);
    assert.equal(r.change, 'scale');
    assert.deepEqual(r.state.versionInfo, { lastScalingAt: t1, lastConfigChangeAt: t0 });
    assert.equal(r.state.version, t1);
  });

  it('moves both on a config change and nothing when nothing changed', () => {
    const first = nextVersion(undefined, { configHash: 'a', instances: 1 }, t0).state;
    assert.deepEqual(nextVersion(first, { configHash: 'a', instances: 1 }, t1), {
      change: 'none',
      state: first,
    });
    const r = nextVersion(first, { configHash: 'b', instances: 1 }, t1);
    assert.equal(r.change, 'config');
    assert.deepEqual(r.state.versionInfo, { lastScalingAt: t1, lastConfigChangeAt: t1 });
  });

  it('continues from the version recorded on the workload while the status lags behind it', () => {
    const first = nextVersion(undefined, { configHash: 'a', instances: 1 }, t0).state;
    const second = nextVersion(first, { configHash: 'b', instances: 1 }, t1).state;
    // No status yet: the workload's record is the version, so the next reconcile changes nothing.
    const fromWorkload = knownVersion(undefined, JSON.stringify(first));
    assert.deepEqual(fromWorkload, first);
    assert.equal(nextVersion(fromWorkload, { configHash: 'a', instances: 1 }, t1).change, 'none');
    // The newer of the two wins.
    assert.deepEqual(knownVersion(first, JSON.stringify(second)), second);
    assert.deepEqual(knownVersion(second, JSON.stringify(first)), second);
    // What this process applied last counts too: the caches may not show it yet.
    assert.deepEqual(knownVersion(undefined, undefined, first), first);
    assert.deepEqual(knownVersion(first, undefined, second), second);
    assert.deepEqual(knownVersion(second, JSON.stringify(first), first), second);
    // Unreadable records are ignored.
    assert.equal(knownVersion(first, '{"version": 3}'), first);
    assert.equal(knownVersion(undefined, 'not json'), undefined);
  });

  it('keeps a bounded, newest-first history that round-trips through a ConfigMap', () => {
    let h = appendHistory([], { version: t0, app: { cmd: 'a' } }, 2);
    h = appendHistory(h, { version: t1, app: { cmd: 'b' } }, 2);
    h = appendHistory(h, { version: '2026-01-03T00:00:00.000Z', app: { cmd: 'c' } }, 2);
    assert.deepEqual(
      h.map((e) => e.version),
      ['2026-01-03T00:00:00.000Z', t1],
    );
    assert.deepEqual(
      appendHistory(h, { version: t1, app: { cmd: 'b' } }, 2).map((e) => e.version),
      [t1, '2026-01-03T00:00:00.000Z'],
    );
    const cm = historyConfigMap('ns', 'web', {}, h);
    assert.equal(cm.metadata?.name, 'web-versions');
    assert.deepEqual(readHistory(cm), h);
    assert.deepEqual(readHistory({ data: { 'versions.json': 'not json' } }), []);
  });

  it('drops the oldest entries when the history grows too large', () => {
    const big = 'x'.repeat(400 * 1024);
    let h = appendHistory([], { version: t0, app: big }, 10);
    h = appendHistory(h, { version: t1, app: big }, 10);
    h = appendHistory(h, { version: '2026-01-03T00:00:00.000Z', app: big }, 10);
    assert.equal(h.length, 2);
  });
});
