// `render app`: from a Marathon app JSON, a group JSON or MarathonApp YAML to the exact objects the operator
// applies (or to the MarathonApp resources to apply). Errors come back in Marathon's own shapes: 400
// {"message":"Invalid JSON"} for malformed JSON, 422 {"message":"Object is not valid","details":[...]}.
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';
import { API_GROUP_VERSION } from '../resources/group.ts';
import type { MarathonErrorDetail } from '../resources/marathon-errors.ts';
import { readAppDefinition } from './definition.ts';
import { desiredObjects } from './desired.ts';
import { expandGroup, isGroupDefinition } from './group.ts';
import { appIdFor, nameForId, resolveId, APP_ID_ANNOTATION } from './names.ts';

export type Emit = 'children' | 'app' | 'all';

export interface RenderOptions {
  namespace: string;
  defaultImage: string;
  fetchImage: string;
  emit: Emit;
  /** MARATHON_APP_VERSION to render with (the operator uses the time of the last config change). */
  version: string;
}

export type RenderResult =
  | { ok: true; objects: KubernetesObject[] }
  | { ok: false; status: 400 | 422; body: { message: string; details: MarathonErrorDetail[] } };

interface Source {
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
  /** Where the app sits in the input, prefixed to error paths. */
  at: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const invalid = (details: MarathonErrorDetail[]): RenderResult => ({
  ok: false,
  status: 422,
  body: { message: 'Object is not valid', details },
});

export function renderApps(text: string, opts: RenderOptions): RenderResult {
  const sources = readSources(text, opts.namespace);
  if (!Array.isArray(sources)) return sources;
  const objects: KubernetesObject[] = [];
  const details: MarathonErrorDetail[] = [];
  for (const src of sources) {
    const id = appIdFor(src.spec, src.namespace, src.name);
    const read = readAppDefinition(src.spec, { id });
    if (!read.ok) {
      details.push(
        ...read.details.map((d) => ({ ...d, path: src.at + (d.path === '/' && src.at ? '' : d.path) })),
      );
      continue;
    }
    if (opts.emit !== 'children')
      objects.push({
        apiVersion: API_GROUP_VERSION,
        kind: 'MarathonApp',
        metadata: {
          name: src.name,
          namespace: src.namespace,
          ...(src.labels ? { labels: src.labels } : {}),
          annotations: { ...src.annotations, [APP_ID_ANNOTATION]: read.value.id },
        },
        spec: src.spec,
      } as KubernetesObject);
    if (opts.emit !== 'app')
      objects.push(
        ...desiredObjects({
          namespace: src.namespace,
          name: src.name,
          app: read.value,
          version: opts.version,
          dependenciesReady: true,
          defaultImage: opts.defaultImage,
          fetchImage: opts.fetchImage,
        }).objects,
      );
  }
  return details.length ? invalid(details) : { ok: true, objects };
}

function readSources(text: string, namespace: string): Source[] | RenderResult {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return {
        ok: false,
        status: 400,
        body: { message: 'Invalid JSON', details: [{ path: '/', errors: [(err as Error).message] }] },
      };
    }
    const items = Array.isArray(json) ? json : [json];
    const out: Source[] = [];
    const details: MarathonErrorDetail[] = [];
    items.forEach((item, i) => {
      const at = Array.isArray(json) ? `(${i})` : '';
      if (isGroupDefinition(item)) {
        const g = expandGroup(item);
        if (!g.ok) return details.push(...g.details.map((d) => ({ ...d, path: at + d.path })));
        for (const a of g.value) out.push({ namespace, name: nameForId(a.id), spec: a.definition, at });
        return;
      }
      if (!isRecord(item))
        return details.push({ path: at || '/', errors: ['expected an app or group object'] });
      if (typeof item.id !== 'string' || !item.id)
        return details.push({ path: `${at}/id`, errors: ['is required'] });
      out.push({ namespace, name: nameForId(resolveId(item.id)), spec: item, at });
    });
    return details.length ? invalid(details) : out;
  }
  const out: Source[] = [];
  const details: MarathonErrorDetail[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length) {
      details.push({ path: `/documents(${i})`, errors: doc.errors.map((e) => e.message) });
      return;
    }
    const obj: unknown = doc.toJS();
    if (obj === null || obj === undefined) return;
    if (
      !isRecord(obj) ||
      obj.kind !== 'MarathonApp' ||
      !isRecord(obj.metadata) ||
      typeof obj.metadata.name !== 'string'
    ) {
      details.push({ path: `/documents(${i})`, errors: ['expected a MarathonApp with metadata.name'] });
      return;
    }
    const meta = obj.metadata;
    out.push({
      namespace: typeof meta.namespace === 'string' ? meta.namespace : namespace,
      name: meta.name as string,
      spec: isRecord(obj.spec) ? obj.spec : {},
      at: '',
    });
  });
  return details.length ? invalid(details) : out;
}
