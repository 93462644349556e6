// Marathon health and readiness checks → the app container's probes.
//
// A container has one liveness and one readiness probe, so:
// - liveness: the first health check that kills (maxConsecutiveFailures > 0, or a Mesos-run check — MESOS_*
//   or COMMAND — whose 0 means "kill at the first failure"). Its grace period becomes a startupProbe with the
//   same handler, which tolerates the grace period's failures until the first success (then liveness runs);
// - readiness: readinessChecks[0]; without one, the first health check, which must pass every time
//   (Marathon counts an instance healthy only while its last check passed; health gates deployments).
// Every other check, and every detail Kubernetes cannot express, is reported in a note.
import type { V1Probe } from '@kubernetes/client-node';
import type { HealthCheck, HealthCheckProtocol, NormalizedApp, ReadinessCheck } from '../app.ts';
import type { Draft, TranslateContext } from './draft.ts';
import type { ResolvedPort } from './ports.ts';
import { resolvePorts } from './ports.ts';

type Handler = Pick<V1Probe, 'httpGet' | 'tcpSocket' | 'exec'>;

/** Run by the Mesos agent next to the task (the others are run by Marathon from the scheduler). */
function isMesosRun(protocol: HealthCheckProtocol): boolean {
  return protocol === 'COMMAND' || protocol.startsWith('MESOS_');
}

function kills(hc: HealthCheck): boolean {
  return hc.maxConsecutiveFailures > 0 || isMesosRun(hc.protocol);
}

function handlerFor(hc: HealthCheck, ports: ResolvedPort[]): Handler | string {
  if (hc.protocol === 'COMMAND') {
    return hc.command ? { exec: { command: ['/bin/sh', '-c', hc.command] } } : 'it has no command';
  }
  const port = hc.port ?? ports[hc.portIndex ?? 0]?.containerPort;
  if (port === undefined) return `port index ${hc.portIndex ?? 0} names no port of the app`;
  switch (hc.protocol) {
    case 'HTTP':
    case 'MESOS_HTTP':
      return { httpGet: { path: hc.path, port, scheme: 'HTTP' } };
    case 'HTTPS':
    case 'MESOS_HTTPS':
      return { httpGet: { path: hc.path, port, scheme: 'HTTPS' } };
    default:
      return { tcpSocket: { port } };
  }
}

/** Kubernetes probes need periodSeconds and timeoutSeconds ≥ 1; Marathon accepts 0. */
function seconds(v: number): number {
  return Math.max(1, v);
}

function timingNotes(interval: number, timeout: number, path: string, d: Draft): void {
  if (interval < 1) {
    d.notes.push({ path: `${path}/intervalSeconds`, kind: 'approximated', message: 'probed every second' });
  }
  if (timeout < 1) {
    d.notes.push({
      path: `${path}/timeoutSeconds`,
      kind: 'approximated',
      message: 'a 1 second timeout is used',
    });
  }
}

/** Notes on health-check fields of a probed check that Kubernetes cannot honour. */
function fieldNotes(hc: HealthCheck, path: string, d: Draft): void {
  if (hc.ignoreHttp1xx && hc.protocol.includes('HTTP')) {
    d.notes.push({
      path: `${path}/ignoreHttp1xx`,
      kind: 'approximated',
      message: '1xx answers are not ignored: only a final 200–399 answer passes',
    });
  }
  if (hc.ipProtocol === 'IPv6') {
    d.notes.push({
      path: `${path}/ipProtocol`,
      kind: 'approximated',
      message: "probes connect to the pod's primary IP, whatever its family",
    });
  }
}

function readinessFromCheck(rc: ReadinessCheck, ports: ResolvedPort[], d: Draft): V1Probe | undefined {
  const path = '/readinessChecks(0)';
  const port = ports.find((p) => p.marathonName === rc.portName);
  if (!port) {
    d.notes.push({
      path: `${path}/portName`,
      kind: 'ignored',
      message: `no port is named "${rc.portName}"; no readiness probe`,
    });
    return undefined;
  }
  const outside = rc.httpStatusCodesForReady.filter((c) => c < 200 || c > 399);
  if (outside.length > 0) {
    d.notes.push({
      path: `${path}/httpStatusCodesForReady`,
      kind: 'approximated',
      message: `Kubernetes counts only 200–399 as ready, not ${outside.join(', ')}`,
    });
  }
  if (rc.preserveLastResponse) {
    d.notes.push({
      path: `${path}/preserveLastResponse`,
      kind: 'ignored',
      message: 'Kubernetes does not keep probe responses',
    });
  }
  timingNotes(rc.intervalSeconds, rc.timeoutSeconds, path, d);
  d.notes.push({
    path,
    kind: 'approximated',
    message:
      'Kubernetes keeps probing after the rollout: 3 failures in a row take the instance out of the Service',
  });
  return {
    httpGet: { path: rc.path, port: port.containerPort, scheme: rc.protocol },
    periodSeconds: seconds(rc.intervalSeconds),
    timeoutSeconds: seconds(rc.timeoutSeconds),
    successThreshold: 1,
    failureThreshold: 3,
  };
}

export function applyProbes(app: NormalizedApp, _ctx: TranslateContext, d: Draft): void {
  const ports = resolvePorts(app);
  const checks = app.healthChecks;
  const hcPath = (i: number): string => `/healthChecks(${i})`;

  const handlers = checks.map((hc, i) => {
    const h = handlerFor(hc, ports);
    if (typeof h !== 'string') return h;
    d.notes.push({ path: hcPath(i), kind: 'ignored', message: `not probed: ${h}` });
    return undefined;
  });
  const usable = (i: number): boolean => handlers[i] !== undefined;
  const live = checks.findIndex((hc, i) => usable(i) && kills(hc));
  const rc = app.readinessChecks[0];
  const ready = rc ? -1 : checks.findIndex((_hc, i) => usable(i));
  for (const i of new Set([live, ready])) {
    const hc = checks[i];
    if (!hc) continue;
    fieldNotes(hc, hcPath(i), d);
    timingNotes(hc.intervalSeconds, hc.timeoutSeconds, hcPath(i), d);
  }
  const probeBase = (i: number) => {
    const hc = checks[i]!;
    const handler = handlers[i]!;
    return {
      hc,
      handler,
      periodSeconds: seconds(hc.intervalSeconds),
      timeoutSeconds: seconds(hc.timeoutSeconds),
    };
  };

  if (live >= 0) {
    const { hc, handler, periodSeconds, timeoutSeconds } = probeBase(live);
    const threshold = Math.max(1, hc.maxConsecutiveFailures);
    // Mesos starts checking after delaySeconds; its grace period counts from launch, so includes the delay.
    const delay = isMesosRun(hc.protocol) ? hc.delaySeconds : 0;
    const graceProbes = Math.ceil(Math.max(0, hc.gracePeriodSeconds - delay) / periodSeconds);
    const initial = delay > 0 ? { initialDelaySeconds: delay } : {};
    d.container.livenessProbe = {
      ...handler,
      ...(graceProbes > 0 ? {} : initial),
      periodSeconds,
      timeoutSeconds,
      failureThreshold: threshold,
    };
    if (graceProbes > 0) {
      d.container.startupProbe = {
        ...handler,
        ...initial,
        periodSeconds,
        timeoutSeconds,
        failureThreshold: graceProbes + threshold,
      };
    }
  }

  if (rc) {
    const probe = readinessFromCheck(rc, ports, d);
    if (probe) d.container.readinessProbe = probe;
  } else if (ready >= 0) {
    const { hc, handler, periodSeconds, timeoutSeconds } = probeBase(ready);
    const delay = isMesosRun(hc.protocol) ? hc.delaySeconds : 0;
    d.container.readinessProbe = {
      ...handler,
      ...(delay > 0 ? { initialDelaySeconds: delay } : {}),
      periodSeconds,
      timeoutSeconds,
      successThreshold: 1,
      failureThreshold: 1,
    };
  }
  app.readinessChecks.slice(1).forEach((_rc, k) => {
    d.notes.push({
      path: `/readinessChecks(${k + 1})`,
      kind: 'approximated',
      message: 'not probed: only the first readiness check becomes the readiness probe',
    });
  });

  const sources =
    `liveness: ${live >= 0 ? hcPath(live) : 'none'}, ` +
    `readiness: ${rc ? '/readinessChecks(0)' : ready >= 0 ? hcPath(ready) : 'none'}`;
  checks.forEach((_hc, i) => {
    if (!usable(i) || i === ready) return;
    d.notes.push(
      i === live
        ? {
            path: hcPath(i),
            kind: 'approximated',
            message: `restarts the instance, but readiness (and health in the API) comes from another check (${sources})`,
          }
        : {
            path: hcPath(i),
            kind: 'approximated',
            message: `not probed: Kubernetes runs one liveness and one readiness probe per container (${sources})`,
          },
    );
  });

  if (app.check !== undefined) {
    d.notes.push({
      path: '/check',
      kind: 'ignored',
      message: 'informational Mesos check: it never affected health; not probed',
    });
  }
}
