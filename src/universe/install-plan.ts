// `package install`/`render` as Cosmos did it, as one pure function: options validated against config.json
// and merged with its defaults, marathon.json.mustache rendered with resource.json in scope, exactly one app
// out, the app id override applied, Cosmos's labels added. The app must then pass Marathon's own validation
// (Cosmos relayed Marathon's 422 as MarathonBadResponse).
import { readAppDefinition } from '../marathon/definition.ts';
import { resolveId } from '../marathon/names.ts';
import type { MarathonErrorDetail } from '../resources/marathon-errors.ts';
import { decorateLabels } from './cosmos-labels.ts';
import type { OptionError } from './options.ts';
import { deepMerge, resolveOptions } from './options.ts';
import type { PackageEntry } from './package-entry.ts';
import { marathonTemplateOf, withoutNulls } from './package-entry.ts';
import { packageKind } from './package-kind.ts';
import type { KindVerdict } from './package-kind.ts';
import type { RenderingMode } from './render-template.ts';
import { renderTemplate } from './render-template.ts';

export interface InstallRequest {
  entry: PackageEntry;
  /** URI of the repository the entry came from (DCOS_PACKAGE_SOURCE). */
  source: string;
  options?: Record<string, unknown>;
  /**
   * The service name of a multi-instance install: it becomes the app id (Cosmos's appId) and, when the
   * package has a `service.name` option the user did not set, that option too (so SDK-style labels and
   * environment follow, as `dcos package install --options` with service.name did).
   */
  serviceName?: string;
  rendering?: RenderingMode;
}

export type InstallErrorType =
  | 'JsonSchemaMismatch'
  | 'OptionsNotAllowed'
  | 'InvalidConfigSchema'
  | 'ServiceMarathonTemplateNotFound'
  | 'MarathonTemplateMustBeJsonObject'
  | 'MarathonTemplateRenderError'
  | 'MarathonTemplateInvalidJson'
  | 'MarathonTemplateLabelsNotStrings'
  | 'GroupTemplateNotSupported'
  | 'MarathonBadResponse';

export interface InstallError {
  ok: false;
  type: InstallErrorType;
  message: string;
  /** JsonSchemaMismatch: every option problem. */
  optionErrors?: OptionError[];
  /** MarathonBadResponse: Marathon's 422 details for the rendered app. */
  appErrors?: MarathonErrorDetail[];
}

export interface InstallPlan {
  ok: true;
  /** The app as Cosmos would POST it to /v2/apps. */
  app: Record<string, unknown> & { id: string };
  appId: string;
  /** The options recorded in DCOS_PACKAGE_OPTIONS: what the user gave (plus the service name). */
  userOptions: Record<string, unknown>;
  /** Defaults ⊕ user options: what the template saw, minus resource. */
  resolvedOptions: Record<string, unknown>;
  kind: KindVerdict;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when config.json declares `service.name` (the multi-instance convention of SDK-era packages). */
export function hasServiceNameOption(config: unknown): boolean {
  const service = isRecord(config) && isRecord(config.properties) ? config.properties.service : undefined;
  return isRecord(service) && isRecord(service.properties) && isRecord(service.properties.name);
}

/** The user options with the service name filled into `service.name` where the package has that option. */
export function withServiceName(
  entry: PackageEntry,
  options: Record<string, unknown>,
  serviceName: string | undefined,
): Record<string, unknown> {
  if (!serviceName || !hasServiceNameOption(entry.config)) return options;
  const service = isRecord(options.service) ? options.service : {};
  if (service.name !== undefined) return options;
  return { ...options, service: { ...service, name: serviceName.replace(/^\/+/, '') } };
}

export function planInstall(req: InstallRequest): InstallPlan | InstallError {
  const { entry } = req;
  const mode = req.rendering ?? 'modern';
  const template = marathonTemplateOf(entry);
  if (template === undefined)
    return fail(
      'ServiceMarathonTemplateNotFound',
      `Package [${entry.name}] version [${entry.version}] has no Marathon template: it only installs a CLI`,
    );
  const userOptions = withServiceName(entry, req.options ?? {}, req.serviceName);
  const options = resolveOptions(entry.config ?? undefined, userOptions);
  if (!options.ok)
    return { ok: false, type: options.type, message: options.message, optionErrors: options.errors };
  const context = deepMerge(options.resolved, { resource: entry.resource ?? {} }) as Record<string, unknown>;

  const rendered = renderTemplate(template, context, mode);
  if (!rendered.ok) return fail(rendered.type, rendered.message);
  const app = withoutNulls(rendered.app);
  if (Array.isArray(app.apps) || Array.isArray(app.groups))
    return fail(
      'GroupTemplateNotSupported',
      `The Marathon template of ${entry.name} ${entry.version} describes a group (top-level "apps"/"groups"); ` +
        'Cosmos installs exactly one app per package, so a group-shaped template cannot be installed',
    );
  const labels = app.labels ?? {};
  if (!isRecord(labels) || Object.values(labels).some((v) => typeof v !== 'string'))
    return fail('MarathonTemplateLabelsNotStrings', 'Rendered Marathon JSON labels must be a map of strings');

  if (req.serviceName) app.id = resolveId(req.serviceName);
  app.labels = decorateLabels(
    labels as Record<string, string>,
    { entry, source: req.source, userOptions },
    mode,
  );
  if (typeof app.id !== 'string' || !app.id)
    return {
      ok: false,
      type: 'MarathonBadResponse',
      message: 'Object is not valid',
      appErrors: [{ path: '/id', errors: ['is required'] }],
    };
  const appId = resolveId(app.id);
  app.id = appId;
  const checked = readAppDefinition(app, { id: appId });
  if (!checked.ok)
    return {
      ok: false,
      type: 'MarathonBadResponse',
      message: 'Object is not valid',
      appErrors: checked.details,
    };
  return {
    ok: true,
    app: app as InstallPlan['app'],
    appId,
    userOptions,
    resolvedOptions: options.resolved,
    kind: packageKind(entry),
  };
}

function fail(type: InstallErrorType, message: string): InstallError {
  return { ok: false, type, message };
}

/** Every problem of a failed plan, one line each, in the user's vocabulary (option paths, Marathon paths). */
export function installErrorLines(e: InstallError): string[] {
  const lines = [`${e.type}: ${e.message}`];
  for (const o of e.optionErrors ?? []) lines.push(`  ${o.path || '(options)'}: ${o.message}`);
  for (const d of e.appErrors ?? []) lines.push(`  app ${d.path}: ${d.errors.join('; ')}`);
  return lines;
}
