// Installed packages as Cosmos's list and uninstall see them, read from UniversePackage objects: the
// identity of an install is its Marathon app id (the status once the operator installed it; until then the
// id the API planned, or the spec's service name).
import type { KubernetesObject } from '@kubernetes/client-node';
import { APP_ID_ANNOTATION, resolveId } from '../../marathon/names.ts';
import type { UniversePackageStatus } from '../../resources/universe-package.ts';
import type { CosmosError } from './errors.ts';
import { ambiguousAppId, packageNotInstalled, uninstallNonExistentApp } from './errors.ts';

export interface InstalledPackage {
  namespace: string;
  /** UniversePackage name. */
  name: string;
  uid: string;
  packageName: string;
  packageVersion?: string | undefined;
  appId?: string | undefined;
  /** Name of the MarathonApp the install created, once it did. */
  marathonApp?: string | undefined;
}

type PackageObject = KubernetesObject & {
  spec?: { packageName?: unknown; packageVersion?: unknown; serviceName?: unknown };
  status?: UniversePackageStatus;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function installedPackage(o: PackageObject): InstalledPackage | undefined {
  const packageName = str(o.spec?.packageName);
  if (!packageName || o.metadata?.deletionTimestamp) return undefined;
  const planned = str(o.metadata?.annotations?.[APP_ID_ANNOTATION]);
  const service = str(o.spec?.serviceName);
  const appId = str(o.status?.appId) ?? planned ?? (service ? resolveId(service) : undefined);
  return {
    namespace: o.metadata?.namespace ?? '',
    name: o.metadata?.name ?? '',
    uid: o.metadata?.uid ?? '',
    packageName,
    packageVersion: str(o.status?.packageVersion) ?? str(o.spec?.packageVersion),
    appId,
    marathonApp: str(o.status?.marathonApp),
  };
}

const byNameThenApp = (a: InstalledPackage, b: InstalledPackage) =>
  a.packageName < b.packageName
    ? -1
    : a.packageName > b.packageName
      ? 1
      : (a.appId ?? '') < (b.appId ?? '')
        ? -1
        : (a.appId ?? '') > (b.appId ?? '')
          ? 1
          : 0;

/** `package/list {packageName?, appId?}`: installs with an app id, sorted by package name then app id. */
export function listInstalled(
  installed: readonly InstalledPackage[],
  filter: { packageName?: string | undefined; appId?: string | undefined },
): InstalledPackage[] {
  const appId = filter.appId ? resolveId(filter.appId) : undefined;
  return installed
    .filter(
      (p) =>
        p.appId !== undefined &&
        (filter.packageName === undefined || p.packageName === filter.packageName) &&
        (appId === undefined || p.appId === appId),
    )
    .sort(byNameThenApp);
}

/** The installs `package/uninstall {packageName, appId?, all?}` removes, by Cosmos's rules. */
export function selectUninstall(
  installed: readonly InstalledPackage[],
  req: { packageName: string; appId?: string | undefined; all?: boolean },
): InstalledPackage[] | CosmosError {
  const ofPackage = installed.filter((p) => p.packageName === req.packageName).sort(byNameThenApp);
  if (req.appId !== undefined) {
    const appId = resolveId(req.appId);
    const hit = ofPackage.filter((p) => p.appId === appId);
    return hit.length ? hit : uninstallNonExistentApp(req.packageName, appId);
  }
  if (ofPackage.length === 0) return packageNotInstalled(req.packageName);
  if (ofPackage.length > 1 && !req.all)
    return ambiguousAppId(
      req.packageName,
      ofPackage.map((p) => p.appId ?? `${p.namespace}/${p.name}`),
    );
  return ofPackage;
}
