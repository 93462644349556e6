// UniverseRepository reconciler: loads what the URI serves (or the built-in catalog), keeps it in memory for
// the package controller, and reloads it every refresh period as Cosmos re-read its repositories. A failed
// reload keeps the last good content: packages installed from it stay resolvable.
import type { CustomObjectsApi, KubernetesObject } from '@kubernetes/client-node';
import {
  universeRepositoryResource,
  universeRepositorySpecSchema,
} from '../resources/universe-repository.ts';
import type { UniverseRepositoryStatus } from '../resources/universe-repository.ts';
import type { ReconcileResult, Reconciler } from '../runtime/controller.ts';
import { errorMessage, issuesText } from '../runtime/errors.ts';
import type { EventRecorder } from '../runtime/events.ts';
import type { Informer } from '../runtime/informer.ts';
import type { Logger } from '../runtime/logger.ts';
import type { DeclaredRepository, RepositoryContent } from '../universe/repository-set.ts';
import { StatusWriter } from './status-writer.ts';

export interface LoadedContent extends RepositoryContent {
  format: NonNullable<UniverseRepositoryStatus['format']>;
  digest: string;
  warnings: string[];
}

export interface UniverseRepositoryDeps {
  repositories: Pick<Informer<RepositoryObject>, 'get' | 'list'>;
  load: (uri: string) => Promise<LoadedContent>;
  customObjects: CustomObjectsApi;
  events: EventRecorder;
  /** Reload period when loading works, and the retry period when it does not. */
  settings: { refreshMs: number; retryMs: number };
  /** Told when the set of loaded repositories or their content changed. */
  onChanged: () => void;
  log: Logger;
}

type RepositoryObject = KubernetesObject & { spec?: unknown; status?: UniverseRepositoryStatus };

export class UniverseRepositoryReconciler implements Reconciler {
  private readonly deps: UniverseRepositoryDeps;
  private readonly status: StatusWriter;
  /** name → content last loaded, with the uri it was loaded from. */
  private readonly loaded = new Map<string, LoadedContent>();

  constructor(deps: UniverseRepositoryDeps) {
    this.deps = deps;
    this.status = new StatusWriter(deps.customObjects, universeRepositoryResource);
  }

  /** The content of every repository loaded so far (read by the package controller). */
  contents(): ReadonlyMap<string, RepositoryContent> {
    return this.loaded;
  }

  /** The repositories that exist, whether loaded or not. */
  declared(): DeclaredRepository[] {
    const out: DeclaredRepository[] = [];
    for (const o of this.deps.repositories.list()) {
      if (o.metadata?.deletionTimestamp) continue;
      const spec = universeRepositorySpecSchema.safeParse(o.spec);
      if (spec.success)
        out.push({ name: o.metadata?.name ?? '', uri: spec.data.uri, priority: spec.data.priority });
    }
    return out;
  }

  async reconcile(name: string): Promise<ReconcileResult> {
    const obj = this.deps.repositories.get(name);
    if (!obj || obj.metadata?.deletionTimestamp) {
      if (this.loaded.delete(name)) this.deps.onChanged();
      return;
    }
    const spec = universeRepositorySpecSchema.safeParse(obj.spec);
    if (!spec.success) {
      const message = issuesText(spec.error);
      await this.status.write(obj, { state: 'stalled', reason: 'InvalidSpec', message });
      return;
    }
    const { uri } = spec.data;
    let content: LoadedContent;
    try {
      content = await this.deps.load(uri);
    } catch (err) {
      const message = `cannot load ${uri}: ${errorMessage(err)}`;
      this.deps.log.warn('repository not loaded', { repository: name, error: message });
      const previous = this.loaded.get(name);
      // A URI that changed must not keep serving the old URI's packages.
      if (previous && previous.uri !== uri && this.loaded.delete(name)) this.deps.onChanged();
      const kept = this.loaded.has(name) ? ' (the last content loaded is still used)' : '';
      void this.deps.events.record(obj, 'Warning', 'FetchFailed', message);
      await this.status.write(obj, { state: 'retrying', reason: 'FetchFailed', message: message + kept });
      return { requeueAfterMs: this.deps.settings.retryMs };
    }
    const before = this.loaded.get(name);
    this.loaded.set(name, content);
    if (!before || before.digest !== content.digest || before.uri !== content.uri) this.deps.onChanged();
    const packages = new Set(content.entries.map((e) => e.name));
    for (const s of content.summaries) packages.add(s.name);
    const status: Record<string, unknown> = {
      format: content.format,
      packages: packages.size,
      revisions: content.entries.length,
      digest: content.digest,
      ...(content.warnings.length ? { warnings: content.warnings.slice(0, 20) } : {}),
    };
    const skipped = content.warnings.length ? `; ${content.warnings.length} entries skipped` : '';
    await this.status.write(
      obj,
      {
        state: 'ready',
        reason: 'Loaded',
        message: `${packages.size} packages (${content.entries.length} revisions, ${content.format})${skipped}`,
      },
      status,
    );
    return { requeueAfterMs: this.deps.settings.refreshMs };
  }

  async onError(name: string, err: unknown, final: boolean, reason: string): Promise<void> {
    const obj = this.deps.repositories.get(name);
    if (!obj) return;
    const message = errorMessage(err);
    await this.status.write(
      obj,
      final ? { state: 'stalled', reason, message } : { state: 'retrying', reason, message },
    );
  }
}
