// Package options the way Cosmos resolved them: defaults taken from the package's config.json (a draft-04
// JSON Schema), the user's options merged over them, and the result validated against that schema.
import AjvDraft04Module from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';

export interface OptionError {
  /** Dotted option path the user would write, e.g. 'service.name' or 'nginx.instances'; '' for the root. */
  path: string;
  /** JSON pointer of the instance, e.g. '/service/name'. */
  pointer: string;
  /** The JSON Schema keyword that failed: required, type, minimum, enum, additionalProperties, ... */
  keyword: string;
  /** Human text in the user's vocabulary, e.g. 'is required', 'must be integer'. */
  message: string;
  /** For `required`: the missing option, full dotted path. */
  missing?: string;
}

export type OptionsResult =
  | { ok: true; resolved: Record<string, unknown> }
  | {
      ok: false;
      type: 'JsonSchemaMismatch' | 'OptionsNotAllowed' | 'InvalidConfigSchema';
      message: string;
      errors: OptionError[];
    };

// Both packages are CJS; under Node ESM the default import is `module.exports`, which tsc types as the
// module namespace. Each also sets `module.exports.default`, so prefer that when present.
type AjvClass = typeof AjvDraft04Module.default;
type FormatsPlugin = typeof addFormatsModule.default;
const Ajv: AjvClass =
  (AjvDraft04Module as unknown as { default?: AjvClass }).default ??
  (AjvDraft04Module as unknown as AjvClass);
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Plain assignment of '__proto__' would change the prototype instead of adding a key.
function setOwn(target: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Copies arrays and objects so callers never share structure with the schema or the user's input. */
function cloneJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneJson);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, cloneJson(x));
    return out;
  }
  return v;
}

export function extractDefaults(schema: unknown): Record<string, unknown> {
  const out: JsonObject = {};
  if (!isObject(schema) || !isObject(schema.properties)) return out;
  for (const [name, prop] of Object.entries(schema.properties)) {
    if (!isObject(prop)) continue;
    if (Object.hasOwn(prop, 'default')) {
      setOwn(out, name, cloneJson(prop.default));
    } else if (Object.hasOwn(prop, 'properties')) {
      const nested = extractDefaults(prop);
      if (Object.keys(nested).length > 0) setOwn(out, name, nested);
    }
  }
  return out;
}

export function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return cloneJson(base);
  if (!isObject(base) || !isObject(over)) return cloneJson(over);
  const out = cloneJson(base) as JsonObject;
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    setOwn(out, k, Object.hasOwn(out, k) ? deepMerge(out[k], v) : cloneJson(v));
  }
  return out;
}

const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', 'dependencies'];
const SCHEMA_VALUES = ['items', 'additionalItems', 'additionalProperties', 'not'];
const SCHEMA_ARRAYS = ['allOf', 'anyOf', 'oneOf', 'items'];

/**
 * Deep copy of a config schema that Ajv's draft-04 dialect accepts: draft-03 boolean `required` (which
 * Cosmos's draft-04 validator ignored) and `$schema` (which may name a dialect Ajv does not know) are
 * dropped. Only schema positions are walked, so `default` and `enum` values keep such keys.
 */
function normalizeSchema(schema: unknown): unknown {
  if (!isObject(schema)) return cloneJson(schema);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$schema' || (k === 'required' && typeof v === 'boolean')) continue;
    let copy: unknown;
    if (SCHEMA_MAPS.includes(k) && isObject(v)) {
      const m: JsonObject = {};
      for (const [name, sub] of Object.entries(v)) setOwn(m, name, normalizeSchema(sub));
      copy = m;
    } else if (SCHEMA_ARRAYS.includes(k) && Array.isArray(v)) {
      copy = v.map(normalizeSchema);
    } else if (SCHEMA_VALUES.includes(k) && isObject(v)) {
      copy = normalizeSchema(v);
    } else {
      copy = cloneJson(v);
    }
    setOwn(out, k, copy);
  }
  return out;
}

type Compiled = { validate: ValidateFunction } | { error: string };

const CACHE_LIMIT = 64;
const cache = new Map<string, Compiled>();

function compile(config: JsonObject): Compiled {
  const key = JSON.stringify(config);
  const hit = cache.get(key);
  if (hit) {
    // Refresh recency so the bounded cache evicts the least recently used schema.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let compiled: Compiled;
  try {
    // One Ajv per schema: packages may reuse the same `id`, which a shared instance would reject.
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      coerceTypes: false,
      useDefaults: false,
      logger: false,
    });
    addFormats(ajv);
    compiled = { validate: ajv.compile(normalizeSchema(config) as JsonObject) };
  } catch (e) {
    compiled = { error: e instanceof Error ? e.message : String(e) };
  }
  cache.set(key, compiled);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return compiled;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function encodeSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function childOf(segments: string[], pointer: string, name: string): { path: string; pointer: string } {
  return { path: [...segments, name].join('.'), pointer: `${pointer}/${encodeSegment(name)}` };
}

function toOptionError(e: ErrorObject): OptionError {
  const segments = decodePointer(e.instancePath);
  const at = { path: segments.join('.'), pointer: e.instancePath };
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const child = childOf(segments, e.instancePath, String(params.missingProperty));
      return { ...child, keyword: 'required', message: 'is required', missing: child.path };
    }
    case 'additionalProperties': {
      const child = childOf(segments, e.instancePath, String(params.additionalProperty));
      return { ...child, keyword: e.keyword, message: 'unknown option (the package does not define it)' };
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      const list = allowed.map((v) => JSON.stringify(v)).join(', ');
      return { ...at, keyword: e.keyword, message: `must be one of: ${list}` };
    }
    default:
      return { ...at, keyword: e.keyword, message: e.message ?? `fails ${e.keyword}` };
  }
}

export function resolveOptions(
  config: Record<string, unknown> | undefined,
  userOptions: Record<string, unknown>,
): OptionsResult {
  if (config === undefined) {
    if (Object.keys(userOptions).length > 0) {
      return {
        ok: false,
        type: 'OptionsNotAllowed',
        message: 'No schema available to validate the provided options',
        errors: [],
      };
    }
    return { ok: true, resolved: {} };
  }
  const merged = deepMerge(extractDefaults(config), userOptions) as JsonObject;
  const compiled = compile(config);
  if ('error' in compiled) {
    return {
      ok: false,
      type: 'InvalidConfigSchema',
      message: compiled.error,
      errors: [],
    };
  }
  if (compiled.validate(merged)) return { ok: true, resolved: merged };
  return {
    ok: false,
    type: 'JsonSchemaMismatch',
    message: 'Options JSON failed validation',
    errors: (compiled.validate.errors ?? []).map(toOptionError),
  };
}

/** One line per error for CLIs and status messages, e.g. "service.name: is required". */
export function formatOptionErrors(errors: readonly OptionError[]): string[] {
  return errors.map((e) => `${e.path === '' ? '(root)' : e.path}: ${e.message}`);
}
