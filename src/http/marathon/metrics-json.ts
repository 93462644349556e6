// GET /metrics with Accept: application/json: Marathon 1.7+'s JSON layout (types/newMetrics.raml: Dropwizard's
// `{version, counters, gauges, histograms, meters, timers}`) under Marathon's metric names, with the values
// the operator knows. Prometheus scrapers get the operator's own metrics in text from the same path.

export interface MarathonFigures {
  apps: number;
  groups: number;
  deployments: number;
  instancesRunning: number;
  instancesStaged: number;
  /** Instances waiting for a node (Marathon: launch overdue). */
  instancesQueued: number;
  eventStreams: number;
  /** Events published since start. */
  events: number;
  uptimeSeconds: number;
}

const gauge = (value: number) => ({ value });
const counter = (count: number) => ({ count });

export function metricsJson(f: MarathonFigures): Record<string, unknown> {
  return {
    version: '4.0.0',
    counters: {
      'marathon.http.event-streams.events.counter': counter(f.events),
    },
    gauges: {
      'marathon.apps.active.gauge': gauge(f.apps),
      'marathon.deployments.active.gauge': gauge(f.deployments),
      'marathon.groups.active.gauge': gauge(f.groups),
      'marathon.http.event-streams.active.gauge': gauge(f.eventStreams),
      'marathon.instances.launch-overdue.gauge': gauge(f.instancesQueued),
      'marathon.instances.running.gauge': gauge(f.instancesRunning),
      'marathon.instances.staged.gauge': gauge(f.instancesStaged),
      'marathon.pods.active.gauge': gauge(0),
      'marathon.uptime.gauge.seconds': gauge(Math.round(f.uptimeSeconds)),
    },
    histograms: {},
    meters: {},
    timers: {},
  };
}

/** Groups of a set of app ids: every ancestor of each id, the root included. */
export function groupCount(appIds: Iterable<string>): number {
  const groups = new Set<string>(['/']);
  for (const id of appIds) {
    const segs = id.split('/').filter(Boolean);
    for (let i = 1; i < segs.length; i++) groups.add(`/${segs.slice(0, i).join('/')}`);
  }
  return groups.size;
}
