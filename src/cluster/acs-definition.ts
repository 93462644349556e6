// Decodes a raw ACS / acs-engine cluster definition the way the versioned Go types did: keys case-insensitively,
// each field checked for its JSON type (a wrong type is an error, never a crash), fields the API version does not
// declare ignored. Every field present is recorded so that plan.unmapped can account for it. It never throws.
import { childPath, foldKey, isObject, kindOf, lookup, shown } from './acs-fields.ts';
import type { JsonObject } from './acs-fields.ts';
import {
  MASTER_FIELDS,
  ORCHESTRATOR_FIELDS,
  POOL_FIELDS,
  PROPERTIES_FIELDS,
  ROOT_FIELDS,
  isAcsApiVersion,
  versionHas,
} from './acs-schema.ts';
import type { AcsApiVersion, FieldKind, Schema } from './acs-schema.ts';

export interface AcsError {
  /** Where, with keys as the user wrote them: `properties.agentPoolProfiles[1].name`; '' is the whole input. */
  path: string;
  message: string;
}

/** A field present in the input with a non-null value. */
export interface PresentField {
  /** Path with the keys as written: `properties.agentPoolProfiles[0].OSDiskSizeGB`. */
  path: string;
  /** The canonical field name when the schema has the field, else the key as written. */
  name: string;
  /** The schema has the field (in some API version). */
  known: boolean;
  /** The definition's API version declares the field; when false its decoder ignored it. */
  inVersion: boolean;
}

/** One decoded JSON object: its fields that are declared by the API version and hold the right JSON type. */
export class Decoded {
  readonly path: string;
  readonly present: PresentField[] = [];
  private readonly values = new Map<string, unknown>();
  private readonly keys = new Map<string, string>();

  constructor(path: string) {
    this.path = path;
  }

  /** Records that field `name` was written under `key`, and its value when that has the right JSON type. */
  record(name: string, key: string, value?: unknown): void {
    this.keys.set(name, key);
    if (value === undefined) this.values.delete(name);
    else this.values.set(name, value);
  }

  /** Whether the field was given (non-null, declared by the version, right JSON type). */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Whether the field was written with a non-null value, even of the wrong JSON type. */
  written(name: string): boolean {
    return this.present.some((p) => p.known && p.inVersion && p.name === name);
  }

  /** The field's path, with the key as written when it was given. */
  pathOf(name: string): string {
    return childPath(this.path, this.keys.get(name) ?? name);
  }

  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  number(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  boolean(name: string): boolean | undefined {
    const v = this.values.get(name);
    return typeof v === 'boolean' ? v : undefined;
  }

  numbers(name: string): number[] | undefined {
    const v = this.values.get(name);
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : undefined;
  }

  strings(name: string): string[] | undefined {
    const v = this.values.get(name);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
  }

  stringMap(name: string): Record<string, string> | undefined {
    const v = this.values.get(name);
    if (!isObject(v)) return undefined;
    return Object.fromEntries(
      Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }

  object(name: string): JsonObject | undefined {
    const v = this.values.get(name);
    return isObject(v) ? v : undefined;
  }

  array(name: string): unknown[] | undefined {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : undefined;
  }
}

export interface AcsDefinition {
  apiVersion: AcsApiVersion;
  /** No usable apiVersion was given: see inferApiVersion. */
  apiVersionInferred: boolean;
  root: Decoded;
  properties?: Decoded;
  orchestrator?: Decoded;
  master?: Decoded;
  /** One per agentPoolProfiles element that is an object, in order; each path holds its index. */
  pools: Decoded[];
}

export interface DecodeResult {
  /** Undefined only when the input is not a JSON object. */
  definition?: AcsDefinition;
  errors: AcsError[];
}

export function decodeAcsDefinition(raw: unknown): DecodeResult {
  const errors: AcsError[] = [];
  if (!isObject(raw)) {
    errors.push({ path: '', message: `a cluster definition must be a JSON object, got ${kindOf(raw)}` });
    return { errors };
  }
  const { version, inferred } = resolveApiVersion(raw, errors);
  const root = decodeObject(raw, '', ROOT_FIELDS, version, errors);
  const props = root.object('properties');
  const properties = props
    ? decodeObject(props, root.pathOf('properties'), PROPERTIES_FIELDS, version, errors)
    : undefined;
  const child = (name: string, schema: Schema): Decoded | undefined => {
    const obj = properties?.object(name);
    return obj && properties
      ? decodeObject(obj, properties.pathOf(name), schema, version, errors)
      : undefined;
  };
  const pools: Decoded[] = [];
  (properties?.array('agentPoolProfiles') ?? []).forEach((item, i) => {
    const path = childPath(properties?.pathOf('agentPoolProfiles') ?? '', i);
    if (isObject(item)) pools.push(decodeObject(item, path, POOL_FIELDS, version, errors));
    else errors.push({ path, message: `expected an object, got ${kindOf(item)}` });
  });
  return {
    definition: {
      apiVersion: version,
      apiVersionInferred: inferred,
      root,
      properties,
      orchestrator: child('orchestratorProfile', ORCHESTRATOR_FIELDS),
      master: child('masterProfile', MASTER_FIELDS),
      pools,
    },
    errors,
  };
}

function resolveApiVersion(
  raw: JsonObject,
  errors: AcsError[],
): { version: AcsApiVersion; inferred: boolean } {
  const given = lookup(raw, 'apiVersion');
  if (isAcsApiVersion(given?.value)) return { version: given.value, inferred: false };
  if (given && given.value !== '') {
    errors.push({
      path: childPath('', given.key),
      message:
        typeof given.value === 'string'
          ? `unrecognized APIVersion '${shown(given.value)}'`
          : `expected a string, got ${kindOf(given.value)}`,
    });
  }
  return { version: inferApiVersion(raw), inferred: true };
}

/**
 * The API version of a definition without one: vlabs, except for the ACS-era shape, i.e. a masterProfile without
 * vmSize (2017-07-01 and vlabs require it) and no field that only 2017-07-01 or vlabs declare and no Windows pool
 * (DC/OS ran Windows agents only under vlabs): that is read as 2017-01-31, the last ACS-era version, so a
 * dnsPrefix marks the public pool and the masters default to Standard_D2_v2 as the resource provider did.
 */
export function inferApiVersion(raw: unknown): AcsApiVersion {
  const props = lookup(raw, 'properties')?.value;
  const master = lookup(props, 'masterProfile')?.value;
  const pools = lookup(props, 'agentPoolProfiles')?.value;
  const poolList = Array.isArray(pools) ? pools : [];
  const structs: [unknown, Schema][] = [
    [props, PROPERTIES_FIELDS],
    [lookup(props, 'orchestratorProfile')?.value, ORCHESTRATOR_FIELDS],
    [master, MASTER_FIELDS],
    ...poolList.map((p): [unknown, Schema] => [p, POOL_FIELDS]),
  ];
  const newer = structs.some(([obj, schema]) =>
    Object.entries(schema).some(([name, spec]) => !versionHas('2017-01-31', spec.since) && lookup(obj, name)),
  );
  const windows = poolList.some((p) => lookup(p, 'osType')?.value === 'Windows');
  return newer || windows || lookup(master, 'vmSize') ? 'vlabs' : '2017-01-31';
}

function decodeObject(
  obj: JsonObject,
  path: string,
  schema: Schema,
  version: AcsApiVersion,
  errors: AcsError[],
): Decoded {
  const out = new Decoded(path);
  const byFold = new Map(Object.keys(schema).map((name) => [foldKey(name), name]));
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value === null || value === undefined) continue; // Go leaves a field alone for null
    const fieldPath = childPath(path, key);
    const name = byFold.get(foldKey(key));
    const spec = name === undefined ? undefined : schema[name];
    if (name === undefined || !spec) {
      out.present.push({ path: fieldPath, name: key, known: false, inVersion: false });
      continue;
    }
    // A later key for the same field replaces the earlier one, as in Go.
    const earlier = out.present.findIndex((p) => p.known && p.name === name);
    if (earlier >= 0) out.present.splice(earlier, 1);
    const inVersion = versionHas(version, spec.since);
    out.present.push({ path: fieldPath, name, known: true, inVersion });
    if (!inVersion) continue;
    const problems = kindErrors(value, spec.kind, fieldPath);
    errors.push(...problems);
    out.record(name, key, problems.length === 0 ? value : undefined);
  }
  return out;
}

const EXPECTED: Record<FieldKind, string> = {
  any: 'any value',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  integers: 'an array of integers',
  strings: 'an array of strings',
  stringMap: 'an object of strings',
};

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function kindErrors(value: unknown, kind: FieldKind, path: string): AcsError[] {
  const wrong = (got: string): AcsError[] => [{ path, message: `expected ${EXPECTED[kind]}, got ${got}` }];
  switch (kind) {
    case 'any':
      return [];
    case 'string':
      return typeof value === 'string' ? [] : wrong(kindOf(value));
    case 'boolean':
      return typeof value === 'boolean' ? [] : wrong(kindOf(value));
    case 'number':
      return isNumber(value) ? [] : wrong(kindOf(value));
    case 'integer':
      return integerErrors(value, path);
    case 'object':
      return isObject(value) ? [] : wrong(kindOf(value));
    case 'array':
      return Array.isArray(value) ? [] : wrong(kindOf(value));
    case 'integers':
      if (!Array.isArray(value)) return wrong(kindOf(value));
      return value.flatMap((v, i) => integerErrors(v, childPath(path, i)));
    case 'strings':
      if (!Array.isArray(value)) return wrong(kindOf(value));
      return value.flatMap((v, i) =>
        typeof v === 'string'
          ? []
          : [{ path: childPath(path, i), message: `expected a string, got ${kindOf(v)}` }],
      );
    case 'stringMap':
      if (!isObject(value)) return wrong(kindOf(value));
      return Object.entries(value).flatMap(([k, v]) =>
        typeof v === 'string'
          ? []
          : [{ path: childPath(path, k), message: `expected a string, got ${kindOf(v)}` }],
      );
  }
}

function integerErrors(value: unknown, path: string): AcsError[] {
  if (isNumber(value) && Number.isInteger(value)) return [];
  const got = isNumber(value) ? shown(value) : kindOf(value);
  return [{ path, message: `expected an integer, got ${got}` }];
}
