// Parse results in Marathon's 422 style: {path, errors} per field, paths like /container/volumes(0)/hostPath.
import type { z } from 'zod';

export interface MarathonErrorDetail {
  path: string;
  errors: string[];
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; details: MarathonErrorDetail[] };

/** Parses `input`, reporting every problem at once, grouped by field. */
export function parseMarathon<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const result = schema.safeParse(input, { reportInput: true, error: marathonMessage });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, details: toMarathonDetails(result.error.issues) };
}

/** ['constraints', 0] → /constraints(0), as Marathon writes array indexes; [] → /. */
export function marathonPath(path: readonly PropertyKey[]): string {
  const out = path.map((s) => (typeof s === 'number' ? `(${s})` : `/${String(s)}`)).join('');
  return out.startsWith('/') ? out : `/${out}`;
}

export function toMarathonDetails(issues: readonly z.core.$ZodIssue[]): MarathonErrorDetail[] {
  const byPath = new Map<string, string[]>();
  for (const issue of issues) {
    const path = marathonPath(issue.path);
    const errors = byPath.get(path) ?? [];
    if (!errors.includes(issue.message)) errors.push(issue.message);
    byPath.set(path, errors);
  }
  return [...byPath].map(([path, errors]) => ({ path, errors }));
}

/**
 * Messages in Marathon's wording where it has one ("got -1, expected 0 or more"). Used only where the schema
 * gives no message of its own, which always wins.
 */
export const marathonMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `expected ${issue.expected}, got ${kindOf(issue.input)}`;
    case 'too_small':
      return boundMessage(issue.origin, issue.minimum, issue.inclusive, issue.input, 'small');
    case 'too_big':
      return boundMessage(issue.origin, issue.maximum, issue.inclusive, issue.input, 'big');
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `must fully match regular expression '${patternSource(issue.pattern)}'`
        : `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'does not match any of the allowed forms';
    default:
      return undefined;
  }
};

function boundMessage(
  origin: string,
  bound: number | bigint,
  inclusive: boolean | undefined,
  input: unknown,
  side: 'small' | 'big',
): string {
  const limit = String(bound);
  if (origin === 'number' || origin === 'int' || origin === 'bigint') {
    const expected =
      side === 'small'
        ? inclusive === false
          ? `more than ${limit}`
          : `${limit} or more`
        : inclusive === false
          ? `less than ${limit}`
          : `${limit} or less`;
    return `got ${String(input)}, expected ${expected}`;
  }
  const unit =
    origin === 'string' ? 'characters' : origin === 'array' || origin === 'set' ? 'items' : 'entries';
  if (side === 'small' && bound === 1 && origin === 'string') return 'must not be empty';
  return `must have ${side === 'small' ? 'at least' : 'at most'} ${limit} ${unit}`;
}

/** zod reports the pattern as a RegExp or its `/source/flags` string. */
function patternSource(pattern: unknown): string {
  if (pattern instanceof RegExp) return pattern.source;
  return String(pattern).replace(/^\/(.*)\/[a-z]*$/s, '$1');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}
