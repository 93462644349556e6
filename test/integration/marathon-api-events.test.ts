// The Marathon API's event stream and system endpoints against the test control plane: an app created with
// kubectl is followed on /v2/events from deployment_info through each task's TASK_RUNNING to a
// deployment_success carrying the id the API reported; event_type filters; ping, info, leader, JSON metrics;
// an app that cannot be scheduled waits in /v2/queue with the reasons.
import assert from 'node:assert/strict';
import { appDeployments } from '../../src/marathon/deployments.ts';
import type { AppObject } from '../../src/marathon/deployments.ts';
import { kubectl, kubectlJson, useNamespace, waitFor } from './helpers.ts';
import type { OperatorProcess } from './operator-process.ts';
import { startApiOperator } from './api-operator.ts';

interface SseEvent {
  type: string;
  data: Record<string, unknown> & { eventType: string };
}

/** A /v2/events subscriber reading in the background. */
class EventReader {
  readonly events: SseEvent[] = [];
  readonly ended: Promise<void>;
  private readonly abort = new AbortController();

  constructor(url: string) {
    this.ended = this.read(url).catch((err: unknown) => {
      if (!this.abort.signal.aborted) throw err;
    });
  }

  private async read(url: string): Promise<void> {
    const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: this.abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (chunk.done) return;
      buf += decoder.decode(chunk.value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const type = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (type && data) this.events.push({ type, data: JSON.parse(data) as SseEvent['data'] });
      }
    }
  }

  of(type: string): SseEvent['data'][] {
    return this.events.filter((e) => e.type === type).map((e) => e.data);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.ended;
  }
}

interface AppObj {
  metadata: { uid: string; name: string };
  status?: {
    version?: string;
    deployments?: { id: string }[];
    conditions?: { type: string; status: string }[];
  };
}

const marathonApp = (ns: string, name: string, spec: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: 'dcos-operator.dev/v1alpha1',
    kind: 'MarathonApp',
    metadata: { name, namespace: ns },
    spec,
  });

describe('Marathon API events', function () {
  this.timeout(180_000);
  const ns = useNamespace({ scope: 'suite', prefix: 'mevents' });
  let op: OperatorProcess;
  let base: string;

  before(async () => {
    op = await startApiOperator(ns(), { apiNamespace: false });
    base = `http://127.0.0.1:${op.port}`;
  });
  after(async () => {
    await op.stop('SIGTERM');
  });

  it('answers ping, info, leader and JSON metrics', async () => {
    const ping = await fetch(`${base}/ping`);
    assert.equal(await ping.text(), 'pong');
    assert.equal(
      await (await fetch(`${base}/ping`, { headers: { accept: 'application/json' } })).text(),
      '"pong"',
    );
    const info = (await (await fetch(`${base}/service/marathon/v2/info`)).json()) as Record<string, unknown>;
    assert.equal(info.name, 'marathon');
    assert.match(String(info.version), /^1\.\d+\.\d+$/);
    assert.equal(info.elected, true);
    assert.equal(info.leader, `127.0.0.1:${op.port}`);
    assert.deepEqual(await (await fetch(`${base}/v2/leader`)).json(), { leader: `127.0.0.1:${op.port}` });
    const metrics = (await (
      await fetch(`${base}/metrics`, { headers: { accept: 'application/json' } })
    ).json()) as {
      gauges: Record<string, { value: number }>;
    };
    assert.equal(typeof metrics.gauges['marathon.apps.active.gauge']?.value, 'number');
    // Prometheus still gets the operator's own metrics in text
    assert.match(await (await fetch(`${base}/metrics`)).text(), /# TYPE/);
  });

  it('streams an app from deployment_info to deployment_success with the id the API reported', async () => {
    const refused = await fetch(`${base}/v2/events`, { headers: { accept: 'application/json' } });
    assert.equal(refused.status, 405);
    const all = new EventReader(`${base}/v2/events`);
    const onlyEnds = new EventReader(
      `${base}/v2/events?event_type=deployment_success&event_type=deployment_failed`,
    );
    try {
      await waitFor(() => all.of('event_stream_attached').length === 1, { message: 'event_stream_attached' });
      assert.equal(all.events[0]!.type, 'event_stream_attached');
      assert.equal(all.events[0]!.data.remoteAddress, '127.0.0.1');

      await kubectl(['apply', '-f', '-'], {
        input: marathonApp(ns(), 'web', { cmd: 'sleep 1000', cpus: 0.1, mem: 32, instances: 2 }),
      });
      const appId = `/${ns()}/web`;
      // The id every API reader sees while the rollout runs (appDeployments of the cached object: a
      // stand-in until the operator writes a status, then the status's), up to the app being Ready.
      let reported: string | undefined;
      const a = await waitFor(
        async () => {
          const o = await kubectlJson<AppObj>(['get', 'marathonapp', 'web', '-n', ns(), '-o', 'json']);
          reported = appDeployments(o as AppObject)[0]?.id ?? reported;
          return o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? o : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 100, message: 'the app Ready' },
      );
      assert.ok(reported, 'a deployment was listed before the app was Ready');
      const success = await waitFor(() => all.of('deployment_success').find((e) => e.id === reported), {
        message: `deployment_success ${reported} among ${JSON.stringify(all.events.map((e) => e.type))}`,
      });
      assert.equal((success.plan as { id: string }).id, reported);

      const infos = all.of('deployment_info');
      const info = infos.find((e) => (e.plan as { id: string }).id === reported);
      assert.ok(info, `deployment_info ${reported} among ${JSON.stringify(infos.map((e) => e.plan))}`);
      const plan = info.plan as {
        steps: { actions: { action: string; app: string }[] }[];
        original: unknown;
        target: unknown;
      };
      assert.ok(plan.original && plan.target, 'full plans by default');
      assert.deepEqual(
        plan.steps.flatMap((s) => s.actions),
        [
          { action: 'StartApplication', app: appId },
          { action: 'ScaleApplication', app: appId },
        ],
      );
      const order = all.events.map((e) => e.type);
      assert.ok(order.indexOf('deployment_info') < order.lastIndexOf('deployment_success'));

      const running = all
        .of('status_update_event')
        .filter((e) => e.appId === appId && e.taskStatus === 'TASK_RUNNING');
      assert.equal(new Set(running.map((e) => e.taskId)).size, 2, 'TASK_RUNNING for each instance');
      for (const e of running) {
        assert.match(String(e.taskId), new RegExp(`^${ns()}_web\\.instance-[0-9a-f-]+\\._app\\.1$`));
        assert.ok(String(e.host));
        assert.equal(e.version, a.status!.version);
        assert.match(String(e.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      const runningAt = Math.max(...running.map((e) => all.events.findIndex((x) => x.data === e)));
      assert.ok(runningAt < all.events.findIndex((x) => x.data === success), 'tasks run before success');
      assert.ok(all.of('api_post_event').some((e) => e.uri === `/v2/apps${appId}`));

      // the filtered stream got exactly what it asked for
      await waitFor(() => onlyEnds.events.length >= 1, { message: 'the filtered stream' });
      assert.deepEqual(
        onlyEnds.events.map((e) => e.type),
        ['deployment_success'],
      );
      assert.equal(onlyEnds.events[0]!.data.id, reported);

      // removal: the app terminates, its stop deployment is announced
      await kubectl(['delete', 'marathonapp', 'web', '-n', ns(), '--wait=false']);
      await waitFor(() => all.of('app_terminated_event').some((e) => e.appId === appId), {
        message: 'app_terminated_event',
      });
      assert.ok(
        all
          .of('deployment_info')
          .some((e) =>
            (e.plan as { steps: { actions: { action: string }[] }[] }).steps.some((s) =>
              s.actions.some((x) => x.action === 'StopApplication'),
            ),
          ),
      );
      const known = new Set([
        'event_stream_attached',
        'api_post_event',
        'group_change_success',
        'deployment_info',
        'deployment_success',
        'deployment_failed',
        'status_update_event',
        'instance_changed_event',
        'health_status_changed_event',
        'app_terminated_event',
      ]);
      for (const e of all.events) {
        assert.ok(known.has(e.type), e.type);
        assert.equal(e.data.eventType, e.type);
      }
    } finally {
      await all.stop();
      await onlyEnds.stop();
    }
  });

  it('lists an app whose pods cannot be scheduled in /v2/queue, with the reasons', async () => {
    await kubectl(['apply', '-f', '-'], {
      input: marathonApp(ns(), 'huge', { cmd: 'sleep 1000', cpus: 5000, mem: 32, instances: 2 }),
    });
    const appId = `/${ns()}/huge`;
    interface Item {
      app: { id: string };
      count: number;
      delay: { timeLeftSeconds: number; overdue: boolean };
      processedOffersSummary: {
        processedOffersCount: number;
        rejectSummaryLastOffers: { reason: string; declined: number; processed: number }[];
      };
    }
    const item = await waitFor(
      async () => {
        const q = (await (await fetch(`${base}/v2/queue`)).json()) as { queue: Item[] };
        const it = q.queue.find((i) => i.app.id === appId);
        return it && it.count === 2 && it.processedOffersSummary.processedOffersCount > 0 ? it : undefined;
      },
      { timeoutMs: 60_000, message: `${appId} in the queue` },
    );
    assert.deepEqual(item.delay, { timeLeftSeconds: 0, overdue: true });
    const declined = item.processedOffersSummary.rejectSummaryLastOffers.filter((r) => r.declined > 0);
    assert.ok(
      declined.some((r) => r.reason === 'InsufficientCpus'),
      JSON.stringify(item.processedOffersSummary),
    );
    const total = declined.reduce((n, r) => n + r.declined, 0);
    assert.equal(total, item.processedOffersSummary.processedOffersCount, 'every node declined for a reason');
    assert.equal((await fetch(`${base}/v2/queue${appId}/delay`, { method: 'DELETE' })).status, 204);
    const missing = await fetch(`${base}/v2/queue/${ns()}/nothing/delay`, { method: 'DELETE' });
    assert.equal(missing.status, 404);
  });
});
