// Everything the operator applies for one MarathonApp, as plain objects: the translation of the app plus
// the bookkeeping annotations the controller relies on. Shared by the controller and `render app`, so the
// preview is exactly what gets applied (the controller adds owner references and its version record).
import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { NormalizedApp } from './app.ts';
import {
  APP_VERSION_ANNOTATION,
  childBaseName,
  DEFINITION_ANNOTATION,
  OWNER_APP_ANNOTATION,
  selectorFor,
  VERSION_STATE_ANNOTATION,
} from './names.ts';
import type { Translation } from './translate/assemble.ts';
import { translateApp } from './translate/assemble.ts';
import type { NodeView } from './translate/draft.ts';
import type { VersionState } from './versions.ts';

export { APP_VERSION_ANNOTATION, DEFINITION_ANNOTATION, OWNER_APP_ANNOTATION } from './names.ts';

export interface DesiredInput {
  namespace: string;
  /** metadata.name of the MarathonApp. */
  name: string;
  app: NormalizedApp;
  /** The app's last config change (MARATHON_APP_VERSION), ISO-8601. */
  version: string;
  restartedAt?: string | undefined;
  /** The version bookkeeping, recorded on the workload (see VERSION_STATE_ANNOTATION). */
  versionState?: VersionState;
  /** The definition as the user wrote it, kept on the workload for the version history. */
  definition?: unknown;
  dependenciesReady: boolean;
  defaultImage: string;
  fetchImage: string;
  nodes?: NodeView;
}

export interface Desired {
  childName: string;
  selector: Record<string, string>;
  translation: Translation;
  /** Workload, Service and extras, in apply order. */
  objects: KubernetesObject[];
}

const NO_NODES: NodeView = { labelValues: () => [] };

export function desiredObjects(input: DesiredInput): Desired {
  const childName = childBaseName(input.name);
  const selector = selectorFor(childName);
  const translation = translateApp(
    input.app,
    {
      namespace: input.namespace,
      appName: input.name,
      name: childName,
      selector,
      version: input.version,
      defaultImage: input.defaultImage,
      fetchImage: input.fetchImage,
      nodes: input.nodes ?? NO_NODES,
      dependenciesReady: input.dependenciesReady,
    },
    input.restartedAt ? { restartedAt: input.restartedAt } : {},
  );
  const template = translation.workload.spec?.template;
  if (template?.metadata) {
    template.metadata.annotations = {
      ...template.metadata.annotations,
      [OWNER_APP_ANNOTATION]: input.name,
      [APP_VERSION_ANNOTATION]: input.version,
    };
  }
  if (input.definition !== undefined || input.versionState) {
    const meta = (translation.workload.metadata ??= {});
    meta.annotations = {
      ...meta.annotations,
      ...(input.definition !== undefined && {
        [DEFINITION_ANNOTATION]: JSON.stringify({ version: input.version, app: input.definition }),
      }),
      ...(input.versionState && { [VERSION_STATE_ANNOTATION]: JSON.stringify(input.versionState) }),
    };
  }
  return {
    childName,
    selector,
    translation,
    objects: [translation.workload, translation.service, ...translation.extra],
  };
}

/** Hash of everything but the instance count: a change means a new config version (Marathon restarts tasks). */
export function configHash(app: NormalizedApp, restartedAt?: string): string {
  const { instances: _instances, ...config } = app;
  return createHash('sha256')
    .update(stableJson({ config, restartedAt: restartedAt ?? null }))
    .digest('hex')
    .slice(0, 16);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
