// UniversePackage reconciler: a thin loop over src/universe. Each pass resolves the package in the
// repositories, checks a version change against upgradesFrom/downgradesTo, plans the install as Cosmos
// rendered it, and applies the one MarathonApp it yields (owned, so deleting the package uninstalls it).
// Status mirrors the app's readiness. The MarathonApp is written only when the rendered app changed or
// someone else changed it since (its generation moved), so a pass that changes nothing writes nothing.
import { createHash } from 'node:crypto';
import type { CustomObjectsApi, KubernetesObject } from '@kubernetes/client-node';
import { appIdFor, APP_ID_ANNOTATION, MANAGED_BY_LABELS, nameForId } from '../marathon/names.ts';
import { API_GROUP_VERSION } from '../resources/group.ts';
import { marathonAppResource } from '../resources/marathon-app.ts';
import { universePackageResource, universePackageSpecSchema } from '../resources/universe-package.ts';
import type { UniversePackageStatus } from '../resources/universe-package.ts';
import { applyJson } from '../runtime/apply.ts';
import type { Condition, Phase } from '../runtime/conditions.ts';
import { findCondition } from '../runtime/conditions.ts';
import type { ReconcileResult, Reconciler } from '../runtime/controller.ts';
import { splitKey } from '../runtime/controller.ts';
import { errorMessage, issuesText } from '../runtime/errors.ts';
import type { EventRecorder } from '../runtime/events.ts';
import type { Informer } from '../runtime/informer.ts';
import type { JsonRequester } from '../runtime/kube-client.ts';
import { deleteIfExists } from '../runtime/kube-client.ts';
import type { Logger } from '../runtime/logger.ts';
import { controllerOf, controllerRef } from '../runtime/owner.ts';
import { customObjectPath } from '../runtime/resource-paths.ts';
import { installErrorLines, planInstall } from '../universe/install-plan.ts';
import type { InstallPlan } from '../universe/install-plan.ts';
import type { CatalogView } from '../universe/repository-set.ts';
import { StatusWriter } from './status-writer.ts';

/** On the MarathonApp: digest of what the operator rendered, so an unchanged render is not re-applied. */
export const RENDER_DIGEST_ANNOTATION = 'dcos-operator.dev/package-render-digest';
/** On the MarathonApp: the UniversePackage that installed it. */
export const PACKAGE_LABEL = 'dcos-operator.dev/universe-package';

type PackageObject = KubernetesObject & { spec?: unknown; status?: UniversePackageStatus };
type AppObject = KubernetesObject & { spec?: unknown; status?: { conditions?: Condition[] } };

export interface UniversePackageDeps {
  packages: Pick<Informer<PackageObject>, 'get'>;
  apps: Pick<Informer<AppObject>, 'get' | 'list'>;
  /** The repositories to search (all, or only the one named). */
  catalog: (only?: string) => CatalogView;
  json: JsonRequester;
  customObjects: CustomObjectsApi;
  events: EventRecorder;
  /** How soon to look again while a repository a package may come from is not loaded yet. */
  settings: { pendingRetryMs: number };
  log: Logger;
}

export class UniversePackageReconciler implements Reconciler {
  private readonly deps: UniversePackageDeps;
  private readonly status: StatusWriter;
  /** ns/name of an app → resourceVersion of the operator's last apply, until the cache has caught up. */
  private readonly applied = new Map<string, number>();

  constructor(deps: UniversePackageDeps) {
    this.deps = deps;
    this.status = new StatusWriter(deps.customObjects, universePackageResource);
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const obj = this.deps.packages.get(name, namespace);
    // Deletion: the MarathonApp is owned, so the garbage collector uninstalls it.
    if (!obj || obj.metadata?.deletionTimestamp) return;
    const parsed = universePackageSpecSchema.safeParse(obj.spec);
    if (!parsed.success) {
      const message = issuesText(parsed.error);
      await this.status.write(obj, { state: 'stalled', reason: 'InvalidSpec', message });
      return;
    }
    const spec = parsed.data;
    // What the last install recorded (status is the only record of it).
    const installed = this.status.newest(obj) as UniversePackageStatus;
    const keep = keptFields(installed);

    const view = this.deps.catalog(spec.repository);
    if (view.missing !== undefined)
      return this.retry(obj, keep, 'RepositoryNotFound', `UniverseRepository ${view.missing} does not exist`);
    // Absent version: the newest at install time, then the installed one until the spec names another.
    const version = spec.packageVersion ?? installed.packageVersion;
    const found = view.catalog.resolve(spec.packageName, version);
    if (!found.ok) {
      const searched = `searched: ${view.searched.join(', ') || 'none'}`;
      if (view.pending.length)
        return this.retry(
          obj,
          keep,
          'RepositoryNotReady',
          `${found.message} (${searched}; not loaded yet: ${view.pending.join(', ')})`,
        );
      await this.status.write(
        obj,
        { state: 'stalled', reason: found.type, message: `${found.message} (${searched})` },
        keep,
      );
      return;
    }
    const { entry, repository } = found;
    if (installed.packageVersion && installed.packageVersion !== entry.version) {
      const path = view.catalog.upgradePath(spec.packageName, installed.packageVersion, entry.version);
      if (!path.ok) {
        await this.status.write(
          obj,
          { state: 'stalled', reason: 'UpgradeNotAllowed', message: path.message },
          keep,
        );
        return;
      }
    }
    const plan = planInstall({
      entry,
      source: repository.uri,
      options: spec.options ?? {},
      ...(spec.serviceName ? { serviceName: spec.serviceName } : {}),
      rendering: spec.rendering,
    });
    if (!plan.ok) {
      await this.status.write(
        obj,
        { state: 'stalled', reason: plan.type, message: installErrorLines(plan).join('\n') },
        keep,
      );
      return;
    }
    const ns = obj.metadata?.namespace ?? 'default';
    const appName = nameForId(plan.appId);
    const facts = {
      ...keep,
      repository,
      kind: plan.kind.kind,
      ...(entry.postInstallNotes ? { postInstallNotes: entry.postInstallNotes } : {}),
    };
    if (!plan.kind.works && !spec.runFrameworkScheduler) {
      await this.deleteOwnedApp(obj, ns, installed.appId);
      await this.status.write(
        obj,
        {
          state: 'stalled',
          reason: 'MesosFrameworkRequired',
          message:
            `${plan.kind.summary}. Nothing was deployed; set spec.runFrameworkScheduler: true to run the ` +
            'scheduler app anyway.',
        },
        {
          ...facts,
          packageVersion: undefined,
          releaseVersion: undefined,
          appId: undefined,
          marathonApp: undefined,
          appGeneration: undefined,
        },
      );
      return;
    }
    if (installed.appId && installed.appId !== plan.appId) {
      await this.status.write(
        obj,
        {
          state: 'stalled',
          reason: 'AppIdChanged',
          message:
            `The options now give app id ${plan.appId}, but the package is installed as ${installed.appId}; ` +
            'Cosmos cannot move an installed service to another id. Delete this UniversePackage and create a new one.',
        },
        keep,
      );
      return;
    }
    const conflict = this.conflict(obj, ns, appName, plan.appId);
    if (conflict) {
      await this.status.write(obj, { state: 'stalled', reason: 'AppIdConflict', message: conflict }, keep);
      return;
    }

    const desired = this.desiredApp(obj, ns, appName, plan);
    const existing = this.deps.apps.get(appName, ns);
    const digest = desired.metadata?.annotations?.[RENDER_DIGEST_ANNOTATION];
    let appGeneration = installed.appGeneration;
    let app = existing;
    const appKey = `${ns}/${appName}`;
    const appliedRv = this.applied.get(appKey);
    // The cache has not seen the operator's own last write yet: judging by it would write again.
    const stale = appliedRv !== undefined && Number(existing?.metadata?.resourceVersion ?? 0) < appliedRv;
    if (!stale) this.applied.delete(appKey);
    const changed =
      !stale &&
      (!existing ||
        existing.metadata?.annotations?.[RENDER_DIGEST_ANNOTATION] !== digest ||
        existing.metadata?.generation !== installed.appGeneration);
    if (changed) {
      app = await applyJson<AppObject>(this.deps.json, desired, {
        path: customObjectPath(marathonAppResource, ns, appName),
      });
      appGeneration = app.metadata?.generation;
      const rv = Number(app.metadata?.resourceVersion);
      if (Number.isFinite(rv)) this.applied.set(appKey, rv);
      const what = !existing
        ? 'Installed'
        : installed.packageVersion !== entry.version
          ? 'Upgraded'
          : 'Updated';
      void this.deps.events.record(
        obj,
        'Normal',
        what,
        `${what} ${entry.name} ${entry.version} as ${plan.appId}`,
      );
    }
    const fields = {
      ...facts,
      packageVersion: entry.version,
      releaseVersion: entry.releaseVersion,
      appId: plan.appId,
      marathonApp: appName,
      ...(appGeneration !== undefined ? { appGeneration } : {}),
    };
    const phase = appPhase(app, entry.name, entry.version, plan, changed || stale);
    const extra = plan.kind.works
      ? []
      : [
          {
            type: 'Degraded',
            status: 'True' as const,
            reason: 'MesosFrameworkRequired',
            message: plan.kind.summary,
          },
        ];
    await this.status.write(obj, phase, fields, extra);
    return;
  }

  async onError(key: string, err: unknown, final: boolean, reason: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const obj = this.deps.packages.get(name, namespace);
    if (!obj) return;
    const message = errorMessage(err);
    const keep = keptFields(this.status.newest(obj));
    await this.status.write(
      obj,
      final ? { state: 'stalled', reason, message } : { state: 'retrying', reason, message },
      keep,
    );
  }

  private async retry(obj: PackageObject, keep: Record<string, unknown>, reason: string, message: string) {
    await this.status.write(obj, { state: 'retrying', reason, message }, keep);
    return { requeueAfterMs: this.deps.settings.pendingRetryMs };
  }

  /** Why the app id is not ours to take, or undefined. Marathon ids are unique across the whole cluster. */
  private conflict(obj: PackageObject, ns: string, appName: string, appId: string): string | undefined {
    const uid = obj.metadata?.uid;
    const same = this.deps.apps.get(appName, ns);
    const taken = [
      ...(same ? [same] : []),
      ...this.deps.apps
        .list()
        .filter(
          (a) =>
            a !== same && appIdFor(a.spec, a.metadata?.namespace ?? '', a.metadata?.name ?? '') === appId,
        ),
    ].find((a) => controllerOf(a)?.uid !== uid);
    if (!taken) return undefined;
    return (
      `Package is already installed: app id ${appId} is taken by MarathonApp ` +
      `${taken.metadata?.namespace}/${taken.metadata?.name}. Choose another spec.serviceName.`
    );
  }

  private desiredApp(obj: PackageObject, ns: string, appName: string, plan: InstallPlan): AppObject {
    const spec = plan.app;
    const digest = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 32);
    return {
      apiVersion: API_GROUP_VERSION,
      kind: marathonAppResource.kind,
      metadata: {
        name: appName,
        namespace: ns,
        labels: { ...MANAGED_BY_LABELS, [PACKAGE_LABEL]: obj.metadata?.name ?? '' },
        annotations: { [APP_ID_ANNOTATION]: plan.appId, [RENDER_DIGEST_ANNOTATION]: digest },
        ownerReferences: [controllerRef(withTypeMeta(obj))],
      },
      spec,
    };
  }

  /** Removes the app this package installed earlier (a framework package no longer deployed). */
  private async deleteOwnedApp(obj: PackageObject, ns: string, appId: string | undefined): Promise<void> {
    if (!appId) return;
    const app = this.deps.apps.get(nameForId(appId), ns);
    if (!app || controllerOf(app)?.uid !== obj.metadata?.uid) return;
    await deleteIfExists(this.deps.json, customObjectPath(marathonAppResource, ns, app.metadata?.name ?? ''));
  }
}

/** The status fields of the last install, carried unchanged by passes that do not install. */
function keptFields(s: UniversePackageStatus | Record<string, unknown>): Record<string, unknown> {
  const { observedGeneration: _g, conditions: _c, ...rest } = s;
  return rest;
}

function withTypeMeta(obj: PackageObject): KubernetesObject {
  return { ...obj, apiVersion: API_GROUP_VERSION, kind: universePackageResource.kind };
}

/** The package's phase from its app's: Ready once the app is Ready for the generation just applied. */
function appPhase(
  app: AppObject | undefined,
  name: string,
  version: string,
  plan: InstallPlan,
  justApplied: boolean,
): Phase {
  const installing = {
    state: 'progressing' as const,
    reason: 'Installing',
    message: `installing ${name} ${version} as ${plan.appId}`,
  };
  if (!app || justApplied) return installing;
  const ready = findCondition(app.status?.conditions, 'Ready');
  const stalled = findCondition(app.status?.conditions, 'Stalled');
  const current = ready?.observedGeneration === app.metadata?.generation;
  if (!ready || !current) return installing;
  if (ready.status === 'True')
    return plan.kind.works
      ? { state: 'ready', reason: 'Installed', message: `${name} ${version} is installed as ${plan.appId}` }
      : {
          state: 'ready',
          reason: 'SchedulerRunning',
          message: `the scheduler of ${name} ${version} runs as ${plan.appId}; it launches nothing without a Mesos master`,
        };
  if (stalled?.status === 'True')
    return { state: 'stalled', reason: 'AppStalled', message: `app ${plan.appId}: ${stalled.message}` };
  return { state: 'progressing', reason: 'Installing', message: `app ${plan.appId}: ${ready.message}` };
}
