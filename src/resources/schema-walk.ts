// Generic traversal of JSON Schema trees: rebuilding a node with each of its sub-schemas transformed.
import { SCHEMA_KEYWORDS } from './schema-props.ts';

export type SchemaNode = Record<string, unknown>;

export function isSchemaNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A shallow copy of `node` in which every direct sub-schema is replaced by `fn(sub-schema)`. */
export function mapSubschemas(node: SchemaNode, fn: (child: SchemaNode) => SchemaNode): SchemaNode {
  const out: SchemaNode = { ...node };
  const map = (v: unknown): unknown => (isSchemaNode(v) ? fn(v) : v);
  for (const keyword of SCHEMA_KEYWORDS.single) {
    const value = node[keyword];
    if (isSchemaNode(value)) out[keyword] = fn(value);
    else if (Array.isArray(value)) out[keyword] = value.map(map);
  }
  for (const keyword of SCHEMA_KEYWORDS.list) {
    const value = node[keyword];
    if (Array.isArray(value)) out[keyword] = value.map(map);
  }
  for (const keyword of SCHEMA_KEYWORDS.map) {
    const value = node[keyword];
    if (isSchemaNode(value))
      out[keyword] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]));
  }
  return out;
}
