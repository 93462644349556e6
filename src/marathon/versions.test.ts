import assert from 'node:assert/strict';
import {
  appendHistory,
  historyConfigMap,
  knownVersion,
  nextVersion,
  readHistory,
  requestedStamp,
} from './versions.ts';

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

  describe('a version stamped by a REST API write', () => {
    const api = '2026-01-01T12:00:00.123Z';

    it('is the version of the change it came with (creation, scale, config change)', () => {
      const created = nextVersion(undefined, { configHash: 'a', instances: 1 }, t1, api);
      assert.equal(created.change, 'config');
      assert.deepEqual(created.state.versionInfo, { lastScalingAt: api, lastConfigChangeAt: api });
      assert.equal(created.state.version, api);
      const first = nextVersion(undefined, { configHash: 'a', instances: 1 }, t0).state;
      const scaled = nextVersion(first, { configHash: 'a', instances: 4 }, t1, api);
      assert.equal(scaled.change, 'scale');
      assert.deepEqual(scaled.state.versionInfo, { lastScalingAt: api, lastConfigChangeAt: t0 });
      const changed = nextVersion(first, { configHash: 'b', instances: 1 }, t1, api);
      assert.equal(changed.state.version, api);
      assert.equal(changed.state.versionInfo.lastConfigChangeAt, api);
    });

    it('moves only the version when the write changed nothing: no rollout', () => {
      const first = nextVersion(undefined, { configHash: 'a', instances: 2 }, t0).state;
      const r = nextVersion(first, { configHash: 'a', instances: 2 }, t1, api);
      assert.equal(r.change, 'none');
      assert.equal(r.state.version, api);
      assert.deepEqual(r.state.versionInfo, first.versionInfo);
      assert.equal(r.state.configHash, 'a');
      // Once recorded, the same stamp is not adopted again: the next observation changes nothing.
      assert.deepEqual(nextVersion(r.state, { configHash: 'a', instances: 2 }, t1, api), {
        change: 'none',
        state: r.state,
      });
    });

    it('is ignored when not newer than the known version (a later kubectl change)', () => {
      const first = nextVersion(undefined, { configHash: 'a', instances: 1 }, t1).state;
      const r = nextVersion(first, { configHash: 'b', instances: 1 }, '2026-01-03T00:00:00.000Z', api);
      assert.equal(r.state.version, '2026-01-03T00:00:00.000Z');
      assert.deepEqual(nextVersion(first, { configHash: 'a', instances: 1 }, t1, api).state, first);
    });

    it('is read from the annotation only when well formed and not in the future', () => {
      const now = '2026-01-01T12:00:01.000Z';
      assert.equal(requestedStamp(api, now), api);
      assert.equal(requestedStamp(undefined, now), undefined);
      assert.equal(requestedStamp('2026-01-01T12:00:00Z', now), undefined);
      assert.equal(requestedStamp('yesterday', now), undefined);
      assert.equal(requestedStamp('2027-01-01T00:00:00.000Z', now), undefined);
      // A little clock skew between the replica that wrote and the one reconciling is fine.
      assert.equal(requestedStamp('2026-01-01T12:00:30.000Z', now), '2026-01-01T12:00:30.000Z');
    });
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
