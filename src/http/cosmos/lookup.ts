// Finding a package for a Cosmos call, and rendering it, with failures as Cosmos errors.
import type { InstallError } from '../../universe/install-plan.ts';
import type { PackageEntry } from '../../universe/package-entry.ts';
import type { RepositoryRef } from '../../universe/catalog.ts';
import type { CatalogView as View } from '../../universe/repository-set.ts';
import { CosmosError, packageNotFound, versionNotFound } from './errors.ts';
import type { CosmosApiContext } from './context.ts';
import { repositoryRecords } from './repository-list.ts';

/** The catalog over the repositories that exist now, in priority order. */
export function currentView(ctx: CosmosApiContext): Promise<View> {
  return ctx.catalog.view(repositoryRecords(ctx.repositories.list()));
}

/** The package's entry (the default version when none is asked for), or PackageNotFound / VersionNotFound. */
export function resolveEntry(
  view: View,
  packageName: string,
  packageVersion?: string,
): { entry: PackageEntry; repository: RepositoryRef } {
  const found = view.catalog.resolve(packageName, packageVersion);
  if (found.ok) return { entry: found.entry, repository: found.repository };
  if (found.type === 'VersionNotFound') throw versionNotFound(packageName, packageVersion ?? '');
  const why = found.message.slice(`Package [${packageName}] not found`.length);
  const pending = view.pending.length ? ` (repositories not loaded: ${view.pending.join(', ')})` : '';
  throw packageNotFound(packageName, why + pending);
}

/** A failed install plan as the error Cosmos answered for it. */
export function planError(e: InstallError, entry: PackageEntry): CosmosError {
  switch (e.type) {
    case 'JsonSchemaMismatch':
      return new CosmosError('JsonSchemaMismatch', 'Options JSON failed validation', {
        errors: (e.optionErrors ?? []).map((o) => ({
          level: 'error',
          instance: { pointer: o.pointer },
          keyword: o.keyword,
          message: o.path ? `${o.path}: ${o.message}` : o.message,
        })),
      });
    case 'OptionsNotAllowed':
      return new CosmosError('OptionsNotAllowed', 'No schema available to validate the provided options');
    case 'ServiceMarathonTemplateNotFound':
      return new CosmosError(
        'ServiceMarathonTemplateNotFound',
        `Package: [${entry.name}] version: [${entry.version}] does not have a Marathon template defined and can not be rendered`,
        { packageName: entry.name, packageVersion: entry.version },
      );
    case 'MarathonBadResponse':
      return new CosmosError('MarathonBadResponse', e.message, { details: e.appErrors ?? [] });
    default:
      return new CosmosError(e.type, e.message);
  }
}
