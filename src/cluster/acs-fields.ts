// Reading ACS cluster definitions the way the ACS resource provider and acs-engine did, with Go's encoding/json:
// object keys match field names case-insensitively (one upstream example writes `OSDiskSizeGB`), a null value
// leaves the field as if absent, and when several keys match one field the last one wins.

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The key Go's json package compares field names by, for names made of ASCII letters: ASCII letters fold to one
 * case, and so do the two non-ASCII runes whose case-fold orbit holds an ASCII letter (KELVIN SIGN → k, LONG S → s).
 */
export function foldKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/\u212a/g, 'k')
    .replace(/\u017f/g, 's');
}

export interface Found {
  /** The key as the user wrote it. */
  key: string;
  value: unknown;
}

/** Field `name` of `obj` as Go decoded it: undefined when absent, null, or `obj` is no object. */
export function lookup(obj: unknown, name: string): Found | undefined {
  if (!isObject(obj)) return undefined;
  const want = foldKey(name);
  let found: Found | undefined;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value !== null && value !== undefined && foldKey(key) === want) found = { key, value };
  }
  return found;
}

/** The JSON kind of `v` for messages: string, number, boolean, array, object or null. */
export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** `parent.key`, or `parent[index]`; a key that is no plain identifier is quoted: `tags["a.b"]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** A user's value for a message, cut short so that a huge input cannot make a huge message. */
export function shown(value: string | number, max = 64): string {
  const s = String(value);
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}
