// The task environment: the variables Marathon and Mesos inject (names and formats as Marathon's
// TaskBuilder/EnvironmentHelper write them), then the app's `env`. The PORT* variables are added by ports.ts.
import type { V1EnvVar } from '@kubernetes/client-node';
import type { NormalizedApp } from '../app.ts';
import { MESOS_SANDBOX } from '../app.ts';
import { taskIdPrefix } from '../names.ts';
import type { Draft, TranslateContext } from './draft.ts';
import { secretRef } from './secrets.ts';

/** Holds the pod's UID (downward API) so MESOS_TASK_ID can embed it through $(VAR) expansion. */
export const POD_UID_ENV = 'DCOS_OPERATOR_POD_UID';

/** Marathon skips labels whose value reaches this length, or whose env name would. */
const MAX_ENV_VAR_LENGTH = 512;
const LABEL_PREFIX = 'MARATHON_APP_LABEL_';

/**
 * Kubernetes expands $(VAR) and turns '$$' into '$' in env values, command and args; Mesos passes them
 * literally. Doubling every '$' makes Kubernetes hand the original text to the process.
 */
export function escapeExpansion(s: string): string {
  return s.replace(/\$/g, () => '$$');
}

/** Scala's Double.toString, which Marathon uses for the resource variables: 1 → "1.0", 1e7 → "1.0E7". */
export function scalaDouble(n: number): string {
  const abs = Math.abs(n);
  if (n === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(n);
    return Number.isInteger(n) ? `${s}.0` : s;
  }
  const [mantissa = '', exponent = ''] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** The env name of a label as Marathon derives it: runs of other characters become '_', then upper case. */
export function labelEnvName(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]+/g, '_').toUpperCase();
}

function labelVars(app: NormalizedApp): V1EnvVar[] {
  // Keyed by the escaped name: two labels that escape alike give one variable (the later one), as in Marathon.
  const byName = new Map<string, string>();
  for (const key of Object.keys(app.labels).sort()) {
    const value = app.labels[key] ?? '';
    if (key.length < MAX_ENV_VAR_LENGTH - LABEL_PREFIX.length && value.length < MAX_ENV_VAR_LENGTH) {
      byName.set(labelEnvName(key), value);
    }
  }
  return [
    { name: 'MARATHON_APP_LABELS', value: escapeExpansion([...byName.keys()].join(' ')) },
    ...[...byName].map(([name, value]) => ({
      name: `${LABEL_PREFIX}${name}`,
      value: escapeExpansion(value),
    })),
  ];
}

function injected(app: NormalizedApp, ctx: TranslateContext): V1EnvVar[] {
  const image = app.container?.image;
  return [
    { name: 'MARATHON_APP_ID', value: app.id },
    { name: 'MARATHON_APP_VERSION', value: ctx.version },
    ...(image ? [{ name: 'MARATHON_APP_DOCKER_IMAGE', value: escapeExpansion(image) }] : []),
    { name: 'MARATHON_APP_RESOURCE_CPUS', value: scalaDouble(app.cpus) },
    { name: 'MARATHON_APP_RESOURCE_MEM', value: scalaDouble(app.mem) },
    { name: 'MARATHON_APP_RESOURCE_DISK', value: scalaDouble(app.disk) },
    { name: 'MARATHON_APP_RESOURCE_GPUS', value: String(Math.trunc(app.gpus)) },
    ...labelVars(app),
    { name: 'MESOS_SANDBOX', value: MESOS_SANDBOX },
    { name: POD_UID_ENV, valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
    // Marathon's form is <app>.instance-<uuid>._app.<incarnation>; the pod UID stands in for the instance UUID.
    { name: 'MESOS_TASK_ID', value: `${taskIdPrefix(app.id)}.instance-$(${POD_UID_ENV})._app.1` },
    // The agent's hostname: the node the pod runs on.
    { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
  ];
}

function userVars(app: NormalizedApp): V1EnvVar[] {
  const out: V1EnvVar[] = [];
  for (const name of Object.keys(app.env).sort()) {
    const value = app.env[name];
    if (value === undefined) continue;
    if (typeof value === 'string') {
      out.push({ name, value: escapeExpansion(value) });
      continue;
    }
    // Validation guarantees the secret name exists; an unknown one would have nothing to point at.
    const ref = secretRef(app, value.secret);
    if (ref) out.push({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });
  }
  return out;
}

export function applyEnvironment(app: NormalizedApp, ctx: TranslateContext, d: Draft): void {
  // Variables already set by earlier steps (docker `env` parameters, which docker run applies after
  // Marathon's own -e flags) win; then the app's env wins over the injected variables, as in Marathon.
  const existing = new Set(d.container.env.map((e) => e.name));
  const user = userVars(app).filter((e) => !existing.has(e.name));
  const taken = new Set([...existing, ...user.map((e) => e.name)]);
  const base = injected(app, ctx).filter((e) => !taken.has(e.name));
  d.container.env = [...base, ...user, ...d.container.env];
}
