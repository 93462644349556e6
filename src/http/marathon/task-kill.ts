// Killing Marathon tasks: deleting their pods, which the app's workload replaces, or (`scale=true`) also
// lowering the app's instance count by the number killed, which is a deployment (lock, version, id).
// `wipe=true` also deletes the volume claims of a resident task, so its replacement starts with fresh
// volumes (Marathon dropped the reservation).
import type { V1Pod } from '@kubernetes/client-node';
import { readAppDefinition } from '../../marathon/definition.ts';
import type { AppObject } from '../../marathon/deployments.ts';
import { getIfExists } from '../../runtime/kube-client.ts';
import type { ApiRequest } from '../request.ts';
import { normalizedOf } from './app-info.ts';
import type { Spec } from './app-update.ts';
import type { MarathonApiContext } from './context.ts';
import type { MarathonTask } from './task-info.ts';
import { taskInfo, taskSourceOf } from './task-info.ts';
import { appIdOf, assertUnlocked, podsOfApp, until, writeApps } from './app-writer.ts';
import type { WriteResult } from './app-writer.ts';

export interface KillSelection {
  app: AppObject;
  pods: V1Pod[];
}

export interface KillOptions {
  scale: boolean;
  wipe: boolean;
  force: boolean;
}

export interface KillResult {
  /** The tasks killed, as they were. */
  tasks: MarathonTask[];
  /** The deployment lowering the instance counts (scale=true). */
  deployment?: WriteResult;
}

const CACHE_WAIT_MS = 2_000;

/** Kills the selected tasks of one or more apps. */
export async function killTasks(
  ctx: MarathonApiContext,
  req: ApiRequest,
  selection: readonly KillSelection[],
  opts: KillOptions,
): Promise<KillResult> {
  const namespaces = [...new Set(selection.map((s) => s.app.metadata?.namespace ?? ''))];
  for (const namespace of namespaces) {
    await req.authorize({ verb: 'delete', group: '', resource: 'pods', namespace });
    if (opts.wipe)
      await req.authorize({ verb: 'delete', group: '', resource: 'persistentvolumeclaims', namespace });
  }
  const ids = selection.map((s) => appIdOf(s.app));
  // Scaling is a deployment: refused while another holds the app, before anything is killed.
  if (opts.scale) assertUnlocked(ctx, ids, opts.force);

  const tasks: MarathonTask[] = [];
  for (const s of selection) {
    const source = taskSourceOf(normalizedOf(s.app.spec, appIdOf(s.app)));
    for (const pod of s.pods) {
      tasks.push(taskInfo(pod, source, ctx.nodes.get(pod.spec?.nodeName ?? '')));
      await killPod(ctx, pod, opts.wipe);
    }
  }

  let deployment: WriteResult | undefined;
  if (opts.scale) {
    // The lock was checked above; the kills themselves must not trip it.
    deployment = await writeApps(
      ctx,
      req,
      selection.map((s) => ({
        id: appIdOf(s.app),
        mode: 'update' as const,
        spec: (current: Spec | undefined) => lowered(current ?? {}, appIdOf(s.app), s.pods.length),
      })),
      { force: true },
    );
  }

  // Read-your-writes: the killed tasks show as killing (or are gone) when the answer arrives.
  const deadline = Date.now() + CACHE_WAIT_MS;
  await until(
    () =>
      selection.every((s) =>
        s.pods.every((p) => {
          const cached = ctx.pods.get(p.metadata?.name ?? '', p.metadata?.namespace);
          return !cached || cached.metadata?.uid !== p.metadata?.uid || !!cached.metadata?.deletionTimestamp;
        }),
      ),
    deadline,
  );
  return { tasks, ...(deployment ? { deployment } : {}) };
}

/** The spec with `killed` fewer instances (never below 0). */
export function lowered(spec: Spec, id: string, killed: number): Spec {
  const read = readAppDefinition(spec, { id });
  const instances = read.ok ? read.value.instances : typeof spec.instances === 'number' ? spec.instances : 1;
  return { ...spec, instances: Math.max(0, instances - killed) };
}

async function killPod(ctx: MarathonApiContext, pod: V1Pod, wipe: boolean): Promise<void> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
  if (wipe) {
    // The cache keeps no volumes: the claims come from the pod itself. Only the task's own (a
    // StatefulSet names them `<volume>-<pod>`); external volumes outlive their tasks, as on DC/OS.
    const live = await getIfExists<V1Pod>(ctx.json, path);
    for (const v of live?.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (!claim?.endsWith(`-${name}`)) continue;
      await ignoreMissing(
        ctx.json(
          'DELETE',
          `/api/v1/namespaces/${encodeURIComponent(namespace)}/persistentvolumeclaims/${encodeURIComponent(claim)}`,
        ),
      );
    }
  }
  await ignoreMissing(
    ctx.json('DELETE', path, {
      body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: pod.metadata?.uid } },
    }),
  );
}

async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    // Gone already (404), or replaced by a new pod of the same name (uid precondition, 409).
    const code = (err as { code?: number }).code;
    if (code !== 404 && code !== 409) throw err;
  }
}

/** The app's tasks that can be killed: placed, not finished, not being killed already. */
export function killableTasks(ctx: MarathonApiContext, app: AppObject): V1Pod[] {
  return podsOfApp(ctx, app).filter((p) => {
    const phase = p.status?.phase;
    return (
      !!p.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata?.deletionTimestamp
    );
  });
}
