// Turns a canonical Marathon app into the Kubernetes objects that run it: the per-concern translators fill a
// draft in a fixed order, then the workload (Deployment, or StatefulSet for resident apps), its Service and
// any extra objects are built from it. Pure: no I/O, same input → same output.
import type {
  KubernetesObject,
  V1Deployment,
  V1ObjectMeta,
  V1PodTemplateSpec,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { NormalizedApp } from '../app.ts';
import { MESOS_SANDBOX } from '../app.ts';
import { APP_ID_ANNOTATION, MANAGED_BY_LABELS, RESTARTED_AT_ANNOTATION } from '../names.ts';
import { applyContainer } from './container.ts';
import { applyDockerParameters } from './docker-parameters.ts';
import { applyEnvironment } from './environment.ts';
import { applyFetch } from './fetch.ts';
import { applyLabels } from './labels.ts';
import { applyLifecycle } from './lifecycle.ts';
import { applyPlacement } from './placement.ts';
import { applyPorts } from './ports.ts';
import { applyProbes } from './probes.ts';
import { applyResources } from './resources.ts';
import { applyUnreachableStrategy } from './unreachable.ts';
import { applyUpgradeStrategy } from './upgrade.ts';
import { applyVolumes } from './volumes.ts';
import type { Draft, Note, TranslateContext } from './draft.ts';
import { emptyDraft, SANDBOX_VOLUME } from './draft.ts';

export interface Translation {
  workload: V1Deployment | V1StatefulSet;
  service: V1Service;
  extra: KubernetesObject[];
  /** Every field whose Kubernetes form is not exact, with what was done. */
  notes: Note[];
  draft: Draft;
}

export interface TranslateOptions {
  /** Value of the restart annotation (a timestamp); changes the pod template so every pod is replaced. */
  restartedAt?: string;
}

/** The translators in the order they run; later ones may read what earlier ones wrote. */
const STEPS = [
  applyContainer,
  applyDockerParameters,
  applyResources,
  applyEnvironment,
  applyPorts,
  applyProbes,
  applyVolumes,
  applyFetch,
  applyPlacement,
  applyUnreachableStrategy,
  applyUpgradeStrategy,
  applyLifecycle,
  applyLabels,
] as const;

export function translateApp(
  app: NormalizedApp,
  ctx: TranslateContext,
  opts: TranslateOptions = {},
): Translation {
  const d = emptyDraft();
  d.pod.volumes.push({ name: SANDBOX_VOLUME, emptyDir: {} });
  d.container.volumeMounts = [{ name: SANDBOX_VOLUME, mountPath: MESOS_SANDBOX }];
  d.replicas = ctx.dependenciesReady ? app.instances : 0;
  for (const step of STEPS) step(app, ctx, d);
  for (const field of app.unknownFields)
    d.notes.push({
      path: `/${field}`,
      kind: 'ignored',
      message: 'not a Marathon app field: kept in the spec, no effect',
    });

  const meta = (name: string): V1ObjectMeta => ({
    name,
    namespace: ctx.namespace,
    labels: { ...MANAGED_BY_LABELS, ...ctx.selector },
    annotations: { [APP_ID_ANNOTATION]: app.id },
  });
  const template: V1PodTemplateSpec = {
    metadata: {
      labels: { ...d.podLabels, ...ctx.selector },
      annotations: {
        ...d.podAnnotations,
        [APP_ID_ANNOTATION]: app.id,
        ...(opts.restartedAt ? { [RESTARTED_AT_ANNOTATION]: opts.restartedAt } : {}),
      },
    },
    spec: {
      ...d.pod,
      ...(d.initContainers.length ? { initContainers: d.initContainers } : {}),
      containers: [d.container],
    },
  };

  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...meta(ctx.name), annotations: { ...d.serviceAnnotations, [APP_ID_ANNOTATION]: app.id } },
    spec:
      d.servicePorts.length > 0
        ? { type: 'ClusterIP', selector: ctx.selector, ports: d.servicePorts }
        : { clusterIP: 'None', selector: ctx.selector },
  };

  const workload: V1Deployment | V1StatefulSet =
    d.kind === 'StatefulSet'
      ? {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: meta(ctx.name),
          spec: {
            replicas: d.replicas,
            selector: { matchLabels: ctx.selector },
            serviceName: ctx.name,
            // Marathon launches and kills instances in parallel, not one ordinal at a time.
            podManagementPolicy: 'Parallel',
            template,
            ...(d.statefulSetUpdateStrategy ? { updateStrategy: d.statefulSetUpdateStrategy } : {}),
            volumeClaimTemplates: d.volumeClaimTemplates,
            // Like Marathon's reservations: kept when scaling down, destroyed with the app.
            persistentVolumeClaimRetentionPolicy: { whenScaled: 'Retain', whenDeleted: 'Delete' },
          },
        }
      : {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: meta(ctx.name),
          spec: {
            replicas: d.replicas,
            selector: { matchLabels: ctx.selector },
            template,
            ...(d.deploymentStrategy ? { strategy: d.deploymentStrategy } : {}),
          },
        };

  return { workload, service, extra: d.extraObjects, notes: d.notes, draft: d };
}
