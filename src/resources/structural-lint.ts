// Finds every place where a schema breaks the API server's rules for CRD schemas: structural-schema
// invariants, forbidden keywords, list types, and CEL rules the API server could not type or cost.
import type { CustomResourceDefinition } from './crd.ts';
import { KNOWN_KEYWORDS, type JsonSchemaProps } from './schema-props.ts';
import { isSchemaNode, type SchemaNode } from './schema-walk.ts';

export interface Violation {
  /** Where, as a path of schema keywords (`.properties.spec.properties.instances`). */
  path: string;
  message: string;
}

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
const INT_OR_STRING = 'x-kubernetes-int-or-string';
const EMBEDDED = 'x-kubernetes-embedded-resource';
const LIST_TYPE = 'x-kubernetes-list-type';
const LIST_MAP_KEYS = 'x-kubernetes-list-map-keys';
const MAP_TYPE = 'x-kubernetes-map-type';
const VALIDATIONS = 'x-kubernetes-validations';

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);
const CEL_REASONS = new Set([
  'FieldValueInvalid',
  'FieldValueForbidden',
  'FieldValueRequired',
  'FieldValueDuplicate',
]);
const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const;

/** Known to JSONSchemaProps but rejected (or meaningless) in a CRD. */
const FORBIDDEN: Record<string, string> = {
  $ref: '$ref is not supported: inline the schema',
  definitions: 'definitions is not supported',
  dependencies: 'dependencies is not supported',
  patternProperties: 'patternProperties is not supported',
  additionalItems: 'additionalItems is not supported',
  id: 'id is not supported',
  $schema: '$schema has no meaning in a CRD',
};

/** Generic keywords a value validation (inside allOf/anyOf/oneOf/not) must not carry. */
const NOT_IN_JUNCTOR = ['type', 'description', 'default', 'additionalProperties', 'nullable', 'title'];

type Level = 'root' | 'field' | 'item';

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Every violation in a CRD: its schemas, names, printer columns and scale subresource. */
export function lintCrd(crd: CustomResourceDefinition): Violation[] {
  const out: Violation[] = [];
  const { names, group, versions } = crd.spec;
  if (crd.metadata.name !== `${names.plural}.${group}`) {
    out.push({ path: 'metadata.name', message: `must be ${names.plural}.${group}` });
  }
  if (!/^[A-Z][A-Za-z0-9]*$/.test(names.kind))
    out.push({ path: 'spec.names.kind', message: 'must be CamelCase' });
  for (const [field, value] of [
    ['plural', names.plural],
    ['singular', names.singular],
    ...(names.shortNames ?? []).map((n, i) => [`shortNames[${i}]`, n]),
  ] as const) {
    if (!DNS_LABEL.test(value))
      out.push({ path: `spec.names.${field}`, message: 'must be a lowercase DNS label' });
  }
  if (versions.filter((v) => v.storage).length !== 1) {
    out.push({ path: 'spec.versions', message: 'exactly one version must be the storage version' });
  }
  versions.forEach((version, i) => {
    const at = `spec.versions[${i}]`;
    const schema = version.schema.openAPIV3Schema;
    out.push(...lintStructural(schema, `${at}.schema.openAPIV3Schema`));
    const seen = new Set<string>();
    version.additionalPrinterColumns?.forEach((column, j) => {
      const where = `${at}.additionalPrinterColumns[${j}]`;
      if (seen.has(column.name))
        out.push({ path: `${where}.name`, message: `duplicate column ${column.name}` });
      seen.add(column.name);
      if (resolveJsonPath(schema, column.jsonPath) === undefined) {
        out.push({ path: `${where}.jsonPath`, message: `${column.jsonPath} is not in the schema` });
      }
    });
    const scale = version.subresources.scale;
    if (scale === undefined) return;
    const check = (field: string, path: string | undefined, under: string, type: string): void => {
      if (path === undefined) return;
      const node = resolveJsonPath(schema, path);
      if (!path.startsWith(under))
        out.push({ path: `${at}.subresources.scale.${field}`, message: `must be under ${under}` });
      else if (node === undefined || (node !== ANY && node.type !== type)) {
        out.push({
          path: `${at}.subresources.scale.${field}`,
          message: `${path} must be a declared ${type}`,
        });
      }
    };
    check('specReplicasPath', scale.specReplicasPath, '.spec.', 'integer');
    check('statusReplicasPath', scale.statusReplicasPath, '.status.', 'integer');
    check('labelSelectorPath', scale.labelSelectorPath, '.status.', 'string');
  });
  return out;
}

/** Stands for "any value is allowed here" (metadata, preserved unknown fields). */
const ANY: SchemaNode = {};

/** The schema node a printer-column style JSONPath (`.status.conditions[?(@.type=="Ready")].status`) selects. */
function resolveJsonPath(root: SchemaNode, jsonPath: string): SchemaNode | undefined {
  if (!jsonPath.startsWith('.')) return undefined;
  const tokens = jsonPath
    .replace(/\[[^\]]*\]/g, '.[]')
    .split('.')
    .filter((t) => t !== '');
  let node: SchemaNode | undefined = root;
  for (const [i, token] of tokens.entries()) {
    if (node === undefined || node === ANY) return node;
    if (i === 0 && token === 'metadata') return ANY;
    if (token === '[]') node = isSchemaNode(node.items) ? node.items : undefined;
    else {
      const next: unknown = isSchemaNode(node.properties) ? node.properties[token] : undefined;
      node = isSchemaNode(next) ? next : node[PRESERVE] === true ? ANY : undefined;
    }
  }
  return node;
}

/** Every violation in `schema`, which is checked as the root of a resource unless `level` says otherwise. */
export function lintStructural(
  schema: JsonSchemaProps | SchemaNode,
  at = '',
  level: Level = 'root',
): Violation[] {
  const out: Violation[] = [];
  checkNode(schema, at, level, out, undefined);
  return out;
}

/** `repeated`: path of the nearest enclosing list or map with no size bound, which multiplies CEL cost. */
function checkNode(
  node: SchemaNode,
  at: string,
  level: Level,
  out: Violation[],
  repeated: string | undefined,
): void {
  const report = (where: string, message: string): void => void out.push({ path: at + where, message });
  checkKeywords(node, report);

  const type = node.type;
  const preserve = node[PRESERVE] === true;
  const intOrString = node[INT_OR_STRING] === true;
  if (type !== undefined && !TYPES.has(text(type))) {
    report(
      '.type',
      type === 'null' ? 'type null is not allowed, use nullable' : `unknown type ${text(type)}`,
    );
  }
  if (node[EMBEDDED] === true && type !== 'object') {
    report('.type', 'must be object when x-kubernetes-embedded-resource is set');
  } else if (type === undefined && !intOrString && !preserve) {
    report(
      '.type',
      `must not be empty (${level === 'item' ? 'array items' : level === 'root' ? 'root' : 'field'})`,
    );
  }
  if (intOrString && preserve) report(`.${PRESERVE}`, 'must be false when x-kubernetes-int-or-string is set');
  if (intOrString && node[EMBEDDED] === true)
    report(`.${EMBEDDED}`, 'must be false when x-kubernetes-int-or-string is set');
  if (node[EMBEDDED] === true && !preserve && !hasKeys(node.properties)) {
    report(
      '.properties',
      'must not be empty for an embedded resource without x-kubernetes-preserve-unknown-fields',
    );
  }

  if (level === 'root') checkRoot(node, report);

  // objects
  const extra = node.additionalProperties;
  if (extra === false)
    report('.additionalProperties', 'additionalProperties: false is forbidden (unknown fields are pruned)');
  if (extra !== undefined && level === 'root')
    report('.additionalProperties', 'must not be used at the root');
  if (isSchemaNode(extra) && hasKeys(node.properties)) {
    report('.additionalProperties', 'additionalProperties and properties are mutually exclusive');
  }
  if (isSchemaNode(extra) && node[EMBEDDED] === true) {
    report('.additionalProperties', 'must not be used with x-kubernetes-embedded-resource');
  }
  if (!preserve && isSchemaNode(node.properties)) {
    for (const name of strings(node.required)) {
      if (!(name in node.properties))
        report('.required', `"${name}" is required but not declared, so it is pruned`);
    }
  }

  // arrays
  if (type === 'array' && node.items === undefined) report('.items', 'must be specified for an array');
  if (Array.isArray(node.items)) report('.items', 'must be one schema, not a list');
  if (node.uniqueItems === true)
    report('.uniqueItems', 'uniqueItems: true is forbidden; use x-kubernetes-list-type: set');
  checkListType(node, report);
  if (node[MAP_TYPE] !== undefined && type !== 'object') report(`.${MAP_TYPE}`, 'only applies to objects');

  checkPattern(node.pattern, report);
  checkCel(node, report, repeated);

  // children
  if (isSchemaNode(node.properties)) {
    for (const [name, child] of Object.entries(node.properties)) {
      if (isSchemaNode(child)) checkNode(child, `${at}.properties.${name}`, 'field', out, repeated);
      else report(`.properties.${name}`, 'must be a schema');
    }
  }
  if (isSchemaNode(node.items)) {
    checkNode(node.items, `${at}.items`, 'item', out, node.maxItems === undefined ? at : repeated);
  }
  if (isSchemaNode(extra)) {
    checkNode(
      extra,
      `${at}.additionalProperties`,
      'field',
      out,
      node.maxProperties === undefined ? at : repeated,
    );
  }
  for (const junctor of JUNCTORS) {
    const branches = node[junctor];
    if (!Array.isArray(branches)) continue;
    const intOrStringAnyOf = junctor === 'anyOf' && isIntOrStringPattern(branches);
    branches.forEach((branch, i) => {
      if (isSchemaNode(branch)) {
        checkValueValidation(branch, `${at}.${junctor}[${i}]`, node, out, intOrStringAnyOf);
      }
    });
  }
  if (isSchemaNode(node.not)) checkValueValidation(node.not, `${at}.not`, node, out, false);
}

function checkRoot(node: SchemaNode, report: (where: string, message: string) => void): void {
  if (node.type !== undefined && node.type !== 'object') report('.type', 'must be object at the root');
  if (node.nullable === true) report('.nullable', 'must not be true at the root');
  const props = isSchemaNode(node.properties) ? node.properties : {};
  for (const name of ['kind', 'apiVersion']) {
    const prop = props[name];
    if (isSchemaNode(prop) && prop.type !== 'string') report(`.properties.${name}.type`, 'must be string');
  }
  const metadata = props.metadata;
  if (isSchemaNode(metadata)) {
    if (metadata.type !== 'object') report('.properties.metadata.type', 'must be object');
    const extra = Object.keys(metadata).filter((k) => !['type', 'properties', 'description'].includes(k));
    const fields = Object.keys(isSchemaNode(metadata.properties) ? metadata.properties : {});
    if (extra.length > 0 || fields.some((f) => f !== 'name' && f !== 'generateName')) {
      report('.properties.metadata', 'may only restrict name and generateName');
    }
  }
}

function checkKeywords(node: SchemaNode, report: (where: string, message: string) => void): void {
  for (const key of Object.keys(node)) {
    const forbidden = FORBIDDEN[key];
    if (forbidden !== undefined) report(`.${key}`, forbidden);
    else if (!KNOWN_KEYWORDS.has(key))
      report(`.${key}`, `unknown keyword "${key}": the API server drops or rejects it`);
  }
}

function checkListType(node: SchemaNode, report: (where: string, message: string) => void): void {
  const listType = node[LIST_TYPE];
  const keys = node[LIST_MAP_KEYS];
  if (keys !== undefined && listType !== 'map')
    report(`.${LIST_MAP_KEYS}`, 'requires x-kubernetes-list-type: map');
  if (listType === undefined) return;
  if (node.type !== 'array') return void report(`.${LIST_TYPE}`, 'only applies to arrays');
  if (!['atomic', 'set', 'map'].includes(text(listType)))
    return void report(`.${LIST_TYPE}`, 'must be atomic, set or map');
  const items = isSchemaNode(node.items) ? node.items : {};
  if ((listType === 'set' || listType === 'map') && items.nullable === true) {
    report('.items.nullable', `items cannot be nullable in a list of type ${String(listType)}`);
  }
  if (
    listType === 'set' &&
    !SCALARS.has(String(items.type)) &&
    items[MAP_TYPE] !== 'atomic' &&
    items[LIST_TYPE] !== 'atomic'
  ) {
    report(`.${LIST_TYPE}`, 'set items must be scalars or atomic');
  }
  if (listType !== 'map') return;
  if (items.type !== 'object') report(`.${LIST_TYPE}`, 'map items must be objects');
  const names = strings(keys);
  if (names.length === 0)
    return void report(`.${LIST_MAP_KEYS}`, 'must name at least one key for a list of type map');
  const props = isSchemaNode(items.properties) ? items.properties : {};
  for (const name of names) {
    const prop = props[name];
    if (!isSchemaNode(prop)) {
      report(`.${LIST_MAP_KEYS}`, `key "${name}" is not a property of the items`);
      continue;
    }
    if (!SCALARS.has(String(prop.type)))
      report(`.items.properties.${name}`, 'a list-map key must be a scalar');
    if (!strings(items.required).includes(name) && prop.default === undefined) {
      report(`.items.properties.${name}`, 'a list-map key must be required or have a default');
    }
    if (prop.nullable === true) report(`.items.properties.${name}`, 'a list-map key cannot be nullable');
  }
}

/** CEL rules only compile on typed nodes, and the cost estimator needs bounds on what they walk. */
function checkCel(
  node: SchemaNode,
  report: (where: string, message: string) => void,
  repeated: string | undefined,
): void {
  const rules = node[VALIDATIONS];
  if (rules === undefined) return;
  if (!Array.isArray(rules)) return void report(`.${VALIDATIONS}`, 'must be a list');
  if (node.type === undefined && node[INT_OR_STRING] !== true) {
    report(
      `.${VALIDATIONS}`,
      'CEL rules need a typed node (untyped preserve-unknown-fields is invisible to CEL)',
    );
  }
  rules.forEach((rule, i) => {
    const where = `.${VALIDATIONS}[${i}]`;
    if (!isSchemaNode(rule) || typeof rule.rule !== 'string' || rule.rule.trim() === '') {
      return void report(where, 'needs a non-empty rule');
    }
    if (rule.reason !== undefined && !CEL_REASONS.has(text(rule.reason))) {
      report(`${where}.reason`, `must be one of ${[...CEL_REASONS].join(', ')}`);
    }
    if (rule.message !== undefined && typeof rule.message !== 'string')
      report(`${where}.message`, 'must be a string');
  });
  const unbounded = unboundedForCel(node);
  if (unbounded !== undefined) report('', `CEL cost: ${unbounded}`);
  if (repeated !== undefined) {
    report('', `CEL cost: the enclosing list or map at "${repeated || '.'}" needs maxItems/maxProperties`);
  }
}

function unboundedForCel(node: SchemaNode): string | undefined {
  if (node.type === 'string' && node.maxLength === undefined && node.enum === undefined) {
    return 'a string with CEL rules needs maxLength';
  }
  if (node.type === 'array') {
    if (node.maxItems === undefined) return 'an array with CEL rules needs maxItems';
    const items = isSchemaNode(node.items) ? node.items : {};
    if (items.type === 'string' && items.maxLength === undefined && items.enum === undefined) {
      return 'string items of an array with CEL rules need maxLength';
    }
  }
  if (node.type === 'object' && isSchemaNode(node.additionalProperties) && node.maxProperties === undefined) {
    return 'a map with CEL rules needs maxProperties';
  }
  return undefined;
}

/** Kubernetes compiles `pattern` with Go's RE2: no lookaround, no backreferences. */
function checkPattern(pattern: unknown, report: (where: string, message: string) => void): void {
  if (pattern === undefined) return;
  if (typeof pattern !== 'string') return void report('.pattern', 'must be a string');
  if (/\(\?<?[=!]|\\[1-9]|\\k<|\(\?>|[*+?}]\+/.test(pattern)) {
    return void report(
      '.pattern',
      'uses lookaround, backreferences or possessive/atomic groups, which RE2 lacks',
    );
  }
  try {
    new RegExp(pattern);
  } catch (err) {
    report('.pattern', `is not a valid regular expression: ${(err as Error).message}`);
  }
}

/**
 * A branch of allOf/anyOf/oneOf/not: value validations only, and every property or items it mentions must
 * also be declared, with its type, by the structural part of the schema (`structural`).
 */
function checkValueValidation(
  branch: SchemaNode,
  at: string,
  structural: SchemaNode | undefined,
  out: Violation[],
  intOrStringBranch: boolean,
): void {
  const report = (where: string, message: string): void => void out.push({ path: at + where, message });
  checkKeywords(branch, report);
  for (const key of NOT_IN_JUNCTOR) {
    if (key === 'type' && intOrStringBranch) continue;
    if (branch[key] !== undefined) report(`.${key}`, `${key} is not allowed inside allOf/anyOf/oneOf/not`);
  }
  for (const key of Object.keys(branch)) {
    if (key.startsWith('x-kubernetes-'))
      report(`.${key}`, `${key} is not allowed inside allOf/anyOf/oneOf/not`);
  }
  checkPattern(branch.pattern, report);
  if (isSchemaNode(branch.properties)) {
    const declared = isSchemaNode(structural?.properties) ? structural.properties : {};
    for (const [name, child] of Object.entries(branch.properties)) {
      const counterpart = declared[name];
      if (!isSchemaNode(counterpart))
        report(`.properties.${name}`, 'must also be declared outside allOf/anyOf/oneOf/not');
      if (isSchemaNode(child)) {
        checkValueValidation(
          child,
          `${at}.properties.${name}`,
          isSchemaNode(counterpart) ? counterpart : undefined,
          out,
          false,
        );
      }
    }
  }
  if (isSchemaNode(branch.items)) {
    if (!isSchemaNode(structural?.items))
      report('.items', 'must also be declared outside allOf/anyOf/oneOf/not');
    checkValueValidation(
      branch.items,
      `${at}.items`,
      isSchemaNode(structural?.items) ? structural.items : undefined,
      out,
      false,
    );
  }
  for (const junctor of JUNCTORS) {
    const nested = branch[junctor];
    if (Array.isArray(nested)) {
      nested.forEach(
        (b, i) =>
          isSchemaNode(b) && checkValueValidation(b, `${at}.${junctor}[${i}]`, structural, out, false),
      );
    }
  }
  if (isSchemaNode(branch.not)) checkValueValidation(branch.not, `${at}.not`, structural, out, false);
}

/** The one allowed use of `type` in a junctor: `anyOf: [{type: integer}, {type: string}]` for int-or-string. */
function isIntOrStringPattern(branches: unknown[]): boolean {
  return (
    branches.length === 2 &&
    JSON.stringify(branches[0]) === '{"type":"integer"}' &&
    JSON.stringify(branches[1]) === '{"type":"string"}'
  );
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function hasKeys(value: unknown): boolean {
  return isSchemaNode(value) && Object.keys(value).length > 0;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
