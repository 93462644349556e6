import assert from 'node:assert/strict';
import { groupCount, metricsJson } from './metrics-json.ts';

describe('JSON metrics', () => {
  it("have Marathon 1.7+'s layout", () => {
    const m = metricsJson({
      apps: 3,
      groups: 2,
      deployments: 1,
      instancesRunning: 5,
      instancesStaged: 1,
      instancesQueued: 2,
      eventStreams: 4,
      events: 99,
      uptimeSeconds: 12.4,
    });
    assert.deepEqual(Object.keys(m).sort(), [
      'counters',
      'gauges',
      'histograms',
      'meters',
      'timers',
      'version',
    ]);
    const gauges = m.gauges as Record<string, { value: number }>;
    assert.equal(gauges['marathon.apps.active.gauge']!.value, 3);
    assert.equal(gauges['marathon.uptime.gauge.seconds']!.value, 12);
    assert.equal(
      (m.counters as Record<string, { count: number }>)['marathon.http.event-streams.events.counter']!.count,
      99,
    );
  });

  it('count every group above the apps, the root included', () => {
    assert.equal(groupCount([]), 1);
    assert.equal(groupCount(['/web']), 1);
    assert.equal(groupCount(['/prod/web/api', '/prod/db', '/dev/x']), 4);
  });
});
