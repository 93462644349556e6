// Reading a Marathon app definition: the schema (types, bounds, per-field rules), then normalization (legacy
// forms, defaults), then the cross-field rules, with every problem reported together in Marathon's 422 shape.
// Nothing here throws, whatever the input.
import type { NormalizedApp } from './app.ts';
import { parseMarathonAppSpec } from '../resources/marathon-app.ts';
import type { MarathonErrorDetail, ParseResult } from '../resources/marathon-errors.ts';
import { errorMessage } from '../runtime/errors.ts';
import { normalizeApp } from './normalize.ts';
import { validateApp } from './validate.ts';

export interface ReadOptions {
  /** Absolute id to use when the definition has none. */
  id: string;
}

/** Marathon's error body: 400 {"message": "Invalid JSON"} or 422 {"message": "Object is not valid"}. */
export interface MarathonErrorBody {
  message: string;
  details: MarathonErrorDetail[];
}

export type AppJsonResult =
  { ok: true; value: NormalizedApp } | { ok: false; status: 400 | 422; body: MarathonErrorBody };

/** Deeper than any app definition; bounds the recursion on hostile input. */
const MAX_DEPTH = 64;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function readAppDefinition(input: unknown, opts: ReadOptions): ParseResult<NormalizedApp> {
  try {
    // Marathon reads a null field as absent, as the API server does (it prunes them)
    const spec = dropNulls(input, 0);
    const parsed = parseMarathonAppSpec(spec);
    if (!isRecord(spec)) return parsed.ok ? notAnObject() : parsed;
    const schemaErrors = parsed.ok ? [] : parsed.details;
    // Normalization also runs on a spec the schema rejected, so that every problem is reported at once.
    const source = parsed.ok ? parsed.value : spec;
    const normalized = normalizeApp(source, opts);
    const ruleErrors = normalized.ok ? validateApp(source, normalized.value) : normalized.details;
    const details = merge(schemaErrors, ruleErrors);
    if (details.length > 0 || !normalized.ok) return { ok: false, details };
    return normalized;
  } catch (err) {
    // a bug, not the user's fault; still an answer rather than a crash
    return {
      ok: false,
      details: [{ path: '/', errors: [`cannot read the app definition: ${errorMessage(err)}`] }],
    };
  }
}

/** Reads a JSON text: 400 when it is not JSON, 422 when it is not a valid app definition. */
export function readAppJson(text: string, opts: ReadOptions): AppJsonResult {
  let input: unknown;
  try {
    input = JSON.parse(String(text));
  } catch (err) {
    return {
      ok: false,
      status: 400,
      body: { message: 'Invalid JSON', details: [{ path: '/', errors: [errorMessage(err)] }] },
    };
  }
  const read = readAppDefinition(input, opts);
  if (read.ok) return read;
  return { ok: false, status: 422, body: { message: 'Object is not valid', details: read.details } };
}

function notAnObject(): ParseResult<NormalizedApp> {
  return { ok: false, details: [{ path: '/', errors: ['expected object'] }] };
}

/** Removes object fields whose value is null, at any depth (array items are kept). */
function dropNulls(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => dropNulls(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, dropNulls(v, depth + 1)]),
  );
}

/** Paths where one is the other or inside it; the root is inside nothing here. */
function related(a: string, b: string): boolean {
  const inside = (x: string, y: string) => y !== '/' && (x.startsWith(`${y}/`) || x.startsWith(`${y}(`));
  return a === b || inside(a, b) || inside(b, a);
}

/**
 * Schema errors first, then the rule errors, grouped per path. A rule error on a field the schema already
 * rejected is left out: it was computed from a value normalization could only guess.
 */
function merge(schema: MarathonErrorDetail[], rules: MarathonErrorDetail[]): MarathonErrorDetail[] {
  const byPath = new Map<string, string[]>();
  const add = ({ path, errors }: MarathonErrorDetail) => {
    const list = byPath.get(path) ?? [];
    for (const e of errors) if (!list.includes(e)) list.push(e);
    byPath.set(path, list);
  };
  schema.forEach(add);
  rules.filter((r) => !schema.some((s) => related(r.path, s.path))).forEach(add);
  return [...byPath].map(([path, errors]) => ({ path, errors }));
}
