import assert from 'node:assert/strict';
import type { V1Probe } from '@kubernetes/client-node';
import type { HealthCheck, NormalizedApp, ReadinessCheck } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import type { Draft } from './draft.ts';
import { emptyDraft } from './draft.ts';
import { applyProbes } from './probes.ts';

/** Marathon's health-check defaults. */
function hc(h: Partial<HealthCheck> = {}): HealthCheck {
  return {
    protocol: 'HTTP',
    path: '/',
    portIndex: 0,
    gracePeriodSeconds: 300,
    intervalSeconds: 60,
    timeoutSeconds: 20,
    maxConsecutiveFailures: 3,
    delaySeconds: 15,
    ignoreHttp1xx: false,
    ipProtocol: 'IPv4',
    ...h,
  };
}

function rc(r: Partial<ReadinessCheck> = {}): ReadinessCheck {
  return {
    name: 'readinessCheck',
    protocol: 'HTTP',
    path: '/ready',
    portName: 'api',
    intervalSeconds: 30,
    timeoutSeconds: 10,
    httpStatusCodesForReady: [200],
    preserveLastResponse: false,
    ...r,
  };
}

/** Two host-mode ports: 'api' on 10000 and 'admin' on 10001. */
function app(overrides: Partial<NormalizedApp>): NormalizedApp {
  return testApp({
    portDefinitions: [
      { port: 10000, protocol: 'tcp', name: 'api', labels: {} },
      { port: 10001, protocol: 'tcp', name: 'admin', labels: {} },
    ],
    ...overrides,
  });
}

function run(a: NormalizedApp): Draft {
  const d = emptyDraft();
  applyProbes(a, testContext(), d);
  return d;
}

function handler(p: V1Probe | undefined): Pick<V1Probe, 'httpGet' | 'tcpSocket' | 'exec'> {
  return { httpGet: p?.httpGet, tcpSocket: p?.tcpSocket, exec: p?.exec };
}

function notes(d: Draft): [string, string][] {
  return d.notes.map((n) => [n.path, n.kind]);
}

describe('translate probes', () => {
  const protocols: {
    check: Partial<HealthCheck>;
    expected: Pick<V1Probe, 'httpGet' | 'tcpSocket' | 'exec'>;
  }[] = [
    {
      check: { protocol: 'HTTP', path: '/health' },
      expected: { httpGet: { path: '/health', port: 10000, scheme: 'HTTP' } },
    },
    { check: { protocol: 'MESOS_HTTP' }, expected: { httpGet: { path: '/', port: 10000, scheme: 'HTTP' } } },
    { check: { protocol: 'HTTPS' }, expected: { httpGet: { path: '/', port: 10000, scheme: 'HTTPS' } } },
    {
      check: { protocol: 'MESOS_HTTPS' },
      expected: { httpGet: { path: '/', port: 10000, scheme: 'HTTPS' } },
    },
    { check: { protocol: 'TCP' }, expected: { tcpSocket: { port: 10000 } } },
    { check: { protocol: 'MESOS_TCP' }, expected: { tcpSocket: { port: 10000 } } },
    {
      check: { protocol: 'COMMAND', command: 'curl -f localhost:$PORT0' },
      expected: { exec: { command: ['/bin/sh', '-c', 'curl -f localhost:$PORT0'] } },
    },
  ];
  for (const c of protocols) {
    it(`maps ${c.check.protocol} checks`, () => {
      const d = run(app({ healthChecks: [hc(c.check)] }));
      const expected = { httpGet: undefined, tcpSocket: undefined, exec: undefined, ...c.expected };
      assert.deepEqual(handler(d.container.livenessProbe), expected);
      assert.deepEqual(handler(d.container.readinessProbe), expected);
      assert.deepEqual(d.notes, []);
    });
  }

  it('takes the port from portIndex, or the literal port when given', () => {
    const bridge = testApp({
      networks: [{ mode: 'container/bridge', labels: {} }],
      portDefinitions: [],
      portMappings: [
        { containerPort: 80, hostPort: 0, servicePort: 10000, protocol: 'tcp', labels: {} },
        { containerPort: 9090, hostPort: 31000, servicePort: 10001, protocol: 'tcp', labels: {} },
      ],
    });
    const byIndex = run({ ...bridge, healthChecks: [hc({ protocol: 'TCP', portIndex: 1 })] });
    assert.deepEqual(byIndex.container.livenessProbe?.tcpSocket, { port: 9090 });
    const literal = run({
      ...bridge,
      healthChecks: [hc({ protocol: 'TCP', port: 8081, portIndex: undefined })],
    });
    assert.deepEqual(literal.container.livenessProbe?.tcpSocket, { port: 8081 });
  });

  it('reports a check whose port index names no port and attaches nothing', () => {
    const d = run(app({ healthChecks: [hc({ portIndex: 5 })] }));
    assert.equal(d.container.livenessProbe, undefined);
    assert.equal(d.container.readinessProbe, undefined);
    assert.deepEqual(notes(d), [['/healthChecks(0)', 'ignored']]);
  });

  it('attaches no liveness probe for a Marathon-run check with maxConsecutiveFailures 0', () => {
    const d = run(app({ healthChecks: [hc({ protocol: 'HTTP', maxConsecutiveFailures: 0 })] }));
    assert.equal(d.container.livenessProbe, undefined);
    assert.equal(d.container.startupProbe, undefined);
    assert.deepEqual(d.container.readinessProbe, {
      httpGet: { path: '/', port: 10000, scheme: 'HTTP' },
      periodSeconds: 60,
      timeoutSeconds: 20,
      successThreshold: 1,
      failureThreshold: 1,
    });
  });

  for (const protocol of ['MESOS_HTTP', 'MESOS_TCP', 'COMMAND'] as const) {
    it(`kills at the first failure for a Mesos-run ${protocol} check with maxConsecutiveFailures 0`, () => {
      const d = run(
        app({
          healthChecks: [hc({ protocol, command: 'true', maxConsecutiveFailures: 0, gracePeriodSeconds: 0 })],
        }),
      );
      assert.equal(d.container.livenessProbe?.failureThreshold, 1);
      assert.equal(d.container.livenessProbe?.initialDelaySeconds, 15);
    });
  }

  const grace: {
    title: string;
    check: Partial<HealthCheck>;
    liveness: V1Probe;
    startup?: V1Probe;
  }[] = [
    {
      title: 'Marathon-run: ceil(grace / interval) more failures before the first success',
      check: { gracePeriodSeconds: 300, intervalSeconds: 60, maxConsecutiveFailures: 3 },
      liveness: { periodSeconds: 60, timeoutSeconds: 20, failureThreshold: 3 },
      startup: { periodSeconds: 60, timeoutSeconds: 20, failureThreshold: 8 },
    },
    {
      title: 'Marathon-run, grace not a multiple of the interval',
      check: { gracePeriodSeconds: 10, intervalSeconds: 3, timeoutSeconds: 2, maxConsecutiveFailures: 2 },
      liveness: { periodSeconds: 3, timeoutSeconds: 2, failureThreshold: 2 },
      startup: { periodSeconds: 3, timeoutSeconds: 2, failureThreshold: 6 },
    },
    {
      title: 'Mesos-run: the grace period includes delaySeconds',
      check: { protocol: 'MESOS_HTTP', gracePeriodSeconds: 300, delaySeconds: 15, intervalSeconds: 60 },
      liveness: { periodSeconds: 60, timeoutSeconds: 20, failureThreshold: 3 },
      startup: { initialDelaySeconds: 15, periodSeconds: 60, timeoutSeconds: 20, failureThreshold: 8 },
    },
    {
      title: 'Mesos-run, grace within the delay: no startup probe',
      check: { protocol: 'MESOS_TCP', gracePeriodSeconds: 10, delaySeconds: 15, intervalSeconds: 5 },
      liveness: { initialDelaySeconds: 15, periodSeconds: 5, timeoutSeconds: 20, failureThreshold: 3 },
    },
    {
      title: 'no grace period: no startup probe',
      check: { protocol: 'TCP', gracePeriodSeconds: 0, intervalSeconds: 5, timeoutSeconds: 1 },
      liveness: { periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 },
    },
  ];
  for (const c of grace) {
    it(`turns the grace period into a startup probe: ${c.title}`, () => {
      const d = run(app({ healthChecks: [hc(c.check)] }));
      const h = handler(d.container.livenessProbe);
      const strip = (p: V1Probe | undefined): V1Probe | undefined =>
        p &&
        Object.fromEntries(Object.entries(p).filter(([k]) => !['httpGet', 'tcpSocket', 'exec'].includes(k)));
      assert.deepEqual(strip(d.container.livenessProbe), c.liveness);
      assert.deepEqual(strip(d.container.startupProbe), c.startup);
      if (c.startup) assert.deepEqual(handler(d.container.startupProbe), h);
    });
  }

  it('uses the readiness check for readiness and the health check for liveness', () => {
    const d = run(
      app({ healthChecks: [hc()], readinessChecks: [rc({ portName: 'admin', protocol: 'HTTPS' })] }),
    );
    assert.deepEqual(d.container.readinessProbe, {
      httpGet: { path: '/ready', port: 10001, scheme: 'HTTPS' },
      periodSeconds: 30,
      timeoutSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.deepEqual(d.container.livenessProbe?.httpGet, { path: '/', port: 10000, scheme: 'HTTP' });
    assert.deepEqual(notes(d), [
      ['/readinessChecks(0)', 'approximated'],
      ['/healthChecks(0)', 'approximated'],
    ]);
  });

  it('reports a non-killing health check that the readiness check displaces', () => {
    // The readiness-and-health-app fixture.
    const d = run(app({ healthChecks: [hc({ maxConsecutiveFailures: 0 })], readinessChecks: [rc()] }));
    assert.equal(d.container.livenessProbe, undefined);
    assert.equal(d.container.readinessProbe?.httpGet?.port, 10000);
    assert.deepEqual(notes(d), [
      ['/readinessChecks(0)', 'approximated'],
      ['/healthChecks(0)', 'approximated'],
    ]);
    assert.match(
      d.notes[1]?.message ?? '',
      /^not probed: .*\(liveness: none, readiness: \/readinessChecks\(0\)\)$/,
    );
  });

  it('reports readiness details Kubernetes cannot express', () => {
    const d = run(
      app({
        readinessChecks: [
          rc({ httpStatusCodesForReady: [200, 204, 503], preserveLastResponse: true }),
          rc({ name: 'second' }),
        ],
      }),
    );
    assert.deepEqual(notes(d), [
      ['/readinessChecks(0)/httpStatusCodesForReady', 'approximated'],
      ['/readinessChecks(0)/preserveLastResponse', 'ignored'],
      ['/readinessChecks(0)', 'approximated'],
      ['/readinessChecks(1)', 'approximated'],
    ]);
    assert.match(d.notes[0]?.message ?? '', /not 503$/);
  });

  it('attaches no readiness probe when the port name is unknown', () => {
    const d = run(app({ readinessChecks: [rc({ portName: 'nope' })] }));
    assert.equal(d.container.readinessProbe, undefined);
    assert.deepEqual(notes(d), [['/readinessChecks(0)/portName', 'ignored']]);
  });

  it('probes the first checks only and names the others', () => {
    const d = run(
      app({
        healthChecks: [
          hc({ maxConsecutiveFailures: 0, path: '/a' }),
          hc({ protocol: 'TCP', portIndex: 1 }),
          hc({ path: '/c' }),
        ],
      }),
    );
    assert.equal(d.container.readinessProbe?.httpGet?.path, '/a');
    assert.deepEqual(d.container.livenessProbe?.tcpSocket, { port: 10001 });
    assert.deepEqual(notes(d), [
      ['/healthChecks(1)', 'approximated'],
      ['/healthChecks(2)', 'approximated'],
    ]);
    assert.match(d.notes[0]?.message ?? '', /^restarts the instance/);
    assert.match(
      d.notes[1]?.message ?? '',
      /\(liveness: \/healthChecks\(1\), readiness: \/healthChecks\(0\)\)$/,
    );
  });

  it('reports health-check fields Kubernetes cannot honour, once per check', () => {
    const d = run(
      app({
        healthChecks: [
          hc({
            protocol: 'MESOS_HTTP',
            ignoreHttp1xx: true,
            ipProtocol: 'IPv6',
            intervalSeconds: 0,
            timeoutSeconds: 0,
          }),
        ],
      }),
    );
    assert.deepEqual(notes(d), [
      ['/healthChecks(0)/ignoreHttp1xx', 'approximated'],
      ['/healthChecks(0)/ipProtocol', 'approximated'],
      ['/healthChecks(0)/intervalSeconds', 'approximated'],
      ['/healthChecks(0)/timeoutSeconds', 'approximated'],
    ]);
    assert.equal(d.container.livenessProbe?.periodSeconds, 1);
    assert.equal(d.container.readinessProbe?.timeoutSeconds, 1);
  });

  it('reports the informational check as ignored', () => {
    const d = run(app({ check: { http: { portIndex: 0, path: '/' }, intervalSeconds: 60 } }));
    assert.deepEqual(notes(d), [['/check', 'ignored']]);
    assert.equal(d.container.readinessProbe, undefined);
  });

  it('attaches nothing without checks', () => {
    const d = run(app({}));
    assert.equal(d.container.livenessProbe, undefined);
    assert.equal(d.container.readinessProbe, undefined);
    assert.equal(d.container.startupProbe, undefined);
    assert.deepEqual(d.notes, []);
  });
});
