// Turns a JSON Schema (zod's openapi-3.0 output) into a Kubernetes structural schema. Each step below is one
// row of the zod→CRD table in the operator reference (§4.1); `structural-lint.ts` checks the result.
import type { JsonSchemaProps } from './schema-props.ts';
import { isSchemaNode, mapSubschemas, type SchemaNode } from './schema-walk.ts';

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
const INT_OR_STRING = 'x-kubernetes-int-or-string';
const VALIDATIONS = 'x-kubernetes-validations';

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const SAFE_INT = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/** JSON Schema keywords a CRD cannot carry (unknown to the API server, or forbidden there). */
const DROPPED = [
  '$schema',
  '$id',
  'id',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  'discriminator',
  'xml',
  'contentEncoding',
  'contentMediaType',
  'propertyNames',
  'patternProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'prefixItems',
  'additionalItems',
  'dependencies',
  'contains',
  'if',
  'then',
  'else',
];

/** The keywords allowed inside allOf/anyOf/oneOf/not: value validations, never structure. */
const VALUE_VALIDATIONS = [
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'enum',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'required',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
];

const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

/** Output key order, for readable and stable YAML; other keys follow in their original order. */
const KEY_ORDER = [
  'description',
  'type',
  'format',
  'nullable',
  'default',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'example',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
];

/** Converts a JSON Schema tree into a structural one. The input is not modified. */
export function toStructural(schema: SchemaNode): JsonSchemaProps {
  const { definitions: _definitions, $defs: _defs, ...body } = schema;
  return orderKeys(normalize(inlineRefs(body, schema, [schema])));
}

// ---- $ref: inline definitions; a reference back into its own ancestry (recursion) is cut ----

function inlineRefs(node: SchemaNode, root: SchemaNode, stack: readonly SchemaNode[]): SchemaNode {
  if (typeof node.$ref !== 'string') return mapSubschemas(node, (child) => inlineRefs(child, root, stack));
  const target = resolveRef(root, node.$ref);
  const { $ref: _ref, ...siblings } = node;
  if (stack.includes(target)) return cutRecursion(target, siblings);
  return inlineRefs({ ...target, ...siblings }, root, [...stack, target]);
}

function resolveRef(root: SchemaNode, ref: string): SchemaNode {
  if (ref === '#') return root;
  const match = /^#\/(definitions|\$defs)\/(.+)$/.exec(ref);
  const name = match?.[2]?.replaceAll('~1', '/').replaceAll('~0', '~');
  const table = match ? root[match[1] as string] : undefined;
  const target = name !== undefined && isSchemaNode(table) ? table[name] : undefined;
  if (!isSchemaNode(target)) throw new Error(`cannot resolve $ref ${ref}`);
  return target;
}

/** A recursive schema cannot be written out structurally: below the first repetition, keep whatever is sent. */
function cutRecursion(target: SchemaNode, siblings: SchemaNode): SchemaNode {
  const cut: SchemaNode = { [PRESERVE]: true };
  if (target.type === 'object') cut.type = 'object';
  const description = siblings.description ?? target.description;
  if (typeof description === 'string') cut.description = description;
  return cut;
}

// ---- normalisation, children first ----

function normalize(input: SchemaNode): SchemaNode {
  return normalizeSelf(mapSubschemas(preprocess(input), normalize));
}

/** Keyword rewrites that do not depend on the children. */
function preprocess(input: SchemaNode): SchemaNode {
  const node: SchemaNode = { ...input };
  for (const keyword of DROPPED) delete node[keyword];
  if ('const' in node) {
    node.enum = [node.const];
    delete node.const;
  }
  if (Array.isArray(node.examples)) {
    if (node.example === undefined && node.examples.length > 0) node.example = node.examples[0];
    delete node.examples;
  }
  if (Array.isArray(node.type)) {
    const types = node.type.filter((t) => t !== 'null');
    if (types.length < node.type.length) node.nullable = true;
    if (types.length === 1) node.type = types[0];
    else {
      delete node.type;
      if (types.length > 1 && node.anyOf === undefined) node.anyOf = types.map((type: unknown) => ({ type }));
    }
  }
  if (node.type === 'null') {
    delete node.type;
    node.nullable = true;
  }
  // draft 2019+ writes exclusive bounds as numbers; OpenAPI v3.0 (and Kubernetes) as a flag next to the bound
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof node[exclusive] === 'number') {
      node[bound] = node[exclusive];
      node[exclusive] = true;
    }
  }
  if (Array.isArray(node.items)) node.items = node.items.length === 1 ? node.items[0] : { anyOf: node.items };
  return node;
}

/** Rewrites one node whose children are already structural. */
function normalizeSelf(input: SchemaNode): SchemaNode {
  let node = input;
  for (const key of ['anyOf', 'oneOf'] as const) if (Array.isArray(node[key])) node = flattenUnion(node, key);
  if (Array.isArray(node.allOf)) node = mergeAllOf(node);
  if (isSchemaNode(node.not)) node = { ...node, not: valueValidationsOf(node.not) };
  return markAny(fixInteger(fixArray(fixObject(node))));
}

// ---- anyOf / oneOf ----

function flattenUnion(node: SchemaNode, key: 'anyOf' | 'oneOf'): SchemaNode {
  const branches = (node[key] as unknown[]).filter(isSchemaNode);
  const out: SchemaNode = { ...node };
  delete out[key];
  const alternatives = branches.filter((b) => !isNullBranch(b));
  if (alternatives.length < branches.length) out.nullable = true;
  if (alternatives.length === 0) return out;
  // value-only branches (for example `anyOf: [{required: [a]}, {required: [b]}]`) are already structural
  if (alternatives.some(isValueOnly)) return { ...out, [key]: alternatives };
  if (alternatives.some(isAny)) return anyValue(out);

  const kinds = new Set(
    alternatives.map((b) => (b[INT_OR_STRING] === true ? 'int-or-string' : String(b.type))),
  );
  const intOrStringKinds = ['integer', 'string', 'int-or-string'];
  if (
    [...kinds].every((k) => intOrStringKinds.includes(k)) &&
    (kinds.has('int-or-string') || (kinds.has('integer') && kinds.has('string')))
  ) {
    delete out.type;
    out[INT_OR_STRING] = true;
    return out;
  }
  if (kinds.size === 2 && kinds.has('integer') && kinds.has('number'))
    return mergeScalars(out, alternatives, 'number');
  if (kinds.size === 1) {
    const type = [...kinds][0] as string;
    if (type === 'object') return mergeObjects(out, alternatives);
    if (type === 'array') return mergeArrays(out, alternatives);
    return mergeScalars(out, alternatives, type);
  }
  // a string-or-object (say) has no structural form: accept any value, the runtime schema checks it
  return anyValue(out);
}

/** One object carrying every alternative's properties; only the fields all alternatives require stay required. */
function mergeObjects(out: SchemaNode, alternatives: SchemaNode[]): SchemaNode {
  out.type = 'object';
  const byName = new Map<string, SchemaNode[]>();
  for (const b of alternatives) {
    for (const [name, s] of Object.entries(isSchemaNode(b.properties) ? b.properties : {})) {
      if (isSchemaNode(s)) byName.set(name, [...(byName.get(name) ?? []), s]);
    }
  }
  if (byName.size > 0) {
    out.properties = Object.fromEntries([...byName].map(([name, list]) => [name, alternativesOf(list)]));
  }
  const required = alternatives
    .map((b) => stringsOf(b.required))
    .reduce((acc, names) => acc.filter((n) => names.includes(n)));
  if (required.length > 0) out.required = [...new Set([...stringsOf(out.required), ...required])];
  if (alternatives.some((b) => b[PRESERVE] === true)) out[PRESERVE] = true;
  const maps = alternatives.map((b) => b.additionalProperties).filter(isSchemaNode);
  if (maps.length > 0) {
    if (maps.length === alternatives.length && byName.size === 0)
      out.additionalProperties = alternativesOf(maps);
    else out[PRESERVE] = true;
  }
  return out;
}

function mergeArrays(out: SchemaNode, alternatives: SchemaNode[]): SchemaNode {
  out.type = 'array';
  const items = alternatives.map((b) => b.items).filter(isSchemaNode);
  if (items.length > 0) out.items = alternativesOf(items);
  const bound = (key: string, pick: (...n: number[]) => number): void => {
    const values = alternatives.map((b) => b[key]);
    if (values.every((v) => typeof v === 'number')) out[key] = pick(...values);
  };
  bound('minItems', Math.min);
  bound('maxItems', Math.max);
  return out;
}

function mergeScalars(out: SchemaNode, alternatives: SchemaNode[], type: string): SchemaNode {
  out.type = type;
  const validations = alternatives.map(valueValidationsOf);
  const formats = new Set(validations.map((v) => v.format));
  if (formats.size === 1 && typeof validations[0]?.format === 'string') {
    out.format = validations[0].format;
    for (const v of validations) delete v.format;
  }
  // one alternative that restricts nothing makes the union unrestricted
  if (validations.some((v) => Object.keys(v).length === 0)) return out;
  if (validations.every((v) => Object.keys(v).length === 1 && Array.isArray(v.enum))) {
    out.enum = [...new Set(validations.flatMap((v) => v.enum as unknown[]))];
    return out;
  }
  out.anyOf = validations;
  return out;
}

/** Two schemas for the same property (from different alternatives) become one. */
function alternativesOf(list: SchemaNode[]): SchemaNode {
  const distinct = [...new Map(list.map((s) => [JSON.stringify(s), s])).values()];
  if (distinct.length === 1) return distinct[0] as SchemaNode;
  const description = distinct.map((s) => s.description).find((d) => typeof d === 'string');
  return normalizeSelf({ ...(description === undefined ? {} : { description }), anyOf: distinct });
}

// ---- allOf ----

/** Structure (type, properties, items, rules) moves up to the node; only value validations stay in allOf. */
function mergeAllOf(node: SchemaNode): SchemaNode {
  const branches = (node.allOf as unknown[]).filter(isSchemaNode);
  const out: SchemaNode = { ...node };
  delete out.allOf;
  const rest: SchemaNode[] = [];
  for (const b of branches) {
    if (typeof b.type === 'string' && out.type === undefined) out.type = b.type;
    if (isSchemaNode(b.properties)) {
      const props: SchemaNode = { ...(isSchemaNode(out.properties) ? out.properties : {}) };
      for (const [name, s] of Object.entries(b.properties)) {
        const existing = props[name];
        props[name] = isSchemaNode(existing)
          ? normalizeSelf({
              ...existing,
              allOf: [...listOf(existing.allOf), s],
            })
          : s;
      }
      out.properties = props;
    }
    const required = [...stringsOf(out.required), ...stringsOf(b.required)];
    if (required.length > 0) out.required = [...new Set(required)];
    if (b[PRESERVE] === true && b.type !== undefined) out[PRESERVE] = true;
    if (isSchemaNode(b.items)) {
      out.items = isSchemaNode(out.items) ? normalizeSelf({ ...out.items, allOf: [b.items] }) : b.items;
    }
    if (isSchemaNode(b.additionalProperties) && out.additionalProperties === undefined) {
      out.additionalProperties = b.additionalProperties;
    }
    if (Array.isArray(b[VALIDATIONS]))
      out[VALIDATIONS] = [...listOf(out[VALIDATIONS]), ...listOf(b[VALIDATIONS])];
    const values = valueValidationsOf(b);
    delete values.required;
    if (Object.keys(values).length > 0) rest.push(values);
  }
  if (rest.length > 0) out.allOf = rest;
  return out;
}

// ---- objects, arrays, integers, untyped nodes ----

function fixObject(node: SchemaNode): SchemaNode {
  const out: SchemaNode = { ...node };
  const extra = out.additionalProperties;
  const props = isSchemaNode(out.properties) ? out.properties : undefined;
  const hasProps = props !== undefined && Object.keys(props).length > 0;
  if (extra === false) delete out.additionalProperties;
  else if (extra === true || (isSchemaNode(extra) && (hasProps || isAny(extra)))) {
    // `.loose()`/`.passthrough()`/`.catchall()` next to declared fields: keep unknown fields instead of a typed map
    delete out.additionalProperties;
    out[PRESERVE] = true;
  }
  if (
    props !== undefined &&
    !hasProps &&
    (out.additionalProperties !== undefined || out[PRESERVE] === true)
  ) {
    delete out.properties;
  }
  if (out.type === undefined && (out.properties !== undefined || out.additionalProperties !== undefined)) {
    out.type = 'object';
  }
  return out;
}

function fixArray(node: SchemaNode): SchemaNode {
  const out: SchemaNode = { ...node };
  if (out.uniqueItems !== undefined) {
    // uniqueItems is forbidden (quadratic); a set list type gives the same guarantee for scalars
    const items = out.items;
    if (out.uniqueItems === true && isSchemaNode(items) && SCALAR_TYPES.has(String(items.type))) {
      out['x-kubernetes-list-type'] ??= 'set';
    }
    delete out.uniqueItems;
  }
  if (out.type === undefined && isSchemaNode(out.items)) out.type = 'array';
  return out;
}

/** zod bounds every integer by the int32 or the safe-integer range; say it with `format` instead. */
function fixInteger(node: SchemaNode): SchemaNode {
  if (node.type !== 'integer') return node;
  const out: SchemaNode = { ...node };
  const min = typeof out.minimum === 'number' ? out.minimum : undefined;
  if (out.maximum === INT32.max && (min === undefined || min >= INT32.min)) {
    delete out.maximum;
    if (min === INT32.min) delete out.minimum;
    out.format ??= 'int32';
  } else if (out.maximum === SAFE_INT.max || min === SAFE_INT.min) {
    if (out.maximum === SAFE_INT.max) delete out.maximum;
    if (min === SAFE_INT.min) delete out.minimum;
    out.format ??= 'int64';
  }
  return out;
}

/** `z.unknown()`/`z.any()` and friends come out as `{}`: any value, kept as sent. */
function markAny(node: SchemaNode): SchemaNode {
  if (node.type !== undefined || node[INT_OR_STRING] === true || node[PRESERVE] === true) return node;
  if (hasValueValidation(node)) {
    const kinds = new Set(Array.isArray(node.enum) ? node.enum.map((v) => typeof v) : []);
    if (kinds.size === 1 && ['string', 'number', 'boolean'].includes([...kinds][0] as string)) {
      return { ...node, type: [...kinds][0] };
    }
    return node;
  }
  return { ...node, [PRESERVE]: true };
}

function anyValue(node: SchemaNode): SchemaNode {
  const out: SchemaNode = { ...node };
  for (const key of ['type', 'properties', 'required', 'items', 'additionalProperties', 'format'])
    delete out[key];
  out[PRESERVE] = true;
  return out;
}

// ---- predicates and helpers ----

function valueValidationsOf(node: SchemaNode): SchemaNode {
  const out: SchemaNode = {};
  for (const key of VALUE_VALIDATIONS) {
    const value = node[key];
    if (value === undefined) continue;
    if (key === 'not') out.not = isSchemaNode(value) ? valueValidationsOf(value) : value;
    else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = Array.isArray(value) ? value.filter(isSchemaNode).map(valueValidationsOf) : value;
    } else out[key] = value;
  }
  return out;
}

function hasValueValidation(node: SchemaNode): boolean {
  return VALUE_VALIDATIONS.some((key) => node[key] !== undefined);
}

/** A branch that says only "and also null". */
function isNullBranch(node: SchemaNode): boolean {
  if (Array.isArray(node.enum) && node.enum.length === 1 && node.enum[0] === null) return true;
  return node.type === undefined && node.nullable === true && !hasValueValidation(node) && !node.properties;
}

/** Any value at all (`{}` after markAny). */
function isAny(node: SchemaNode): boolean {
  return (
    node.type === undefined &&
    node[PRESERVE] === true &&
    node[INT_OR_STRING] !== true &&
    node.properties === undefined &&
    node.items === undefined &&
    node.additionalProperties === undefined &&
    !hasValueValidation(node)
  );
}

/** Value validations without any structure: the only thing allowed inside a junctor. */
function isValueOnly(node: SchemaNode): boolean {
  return (
    node.type === undefined &&
    node[PRESERVE] !== true &&
    node[INT_OR_STRING] !== true &&
    node.properties === undefined &&
    node.items === undefined &&
    node.additionalProperties === undefined &&
    hasValueValidation(node)
  );
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function orderKeys(node: SchemaNode): SchemaNode {
  const mapped = mapSubschemas(node, orderKeys);
  const rank = (key: string): number => {
    const i = KEY_ORDER.indexOf(key);
    return i < 0 ? KEY_ORDER.length : i;
  };
  return Object.fromEntries(Object.entries(mapped).sort(([a], [b]) => rank(a) - rank(b)));
}
