// Marathon's `label` query selector for GET /v2/apps (LabelSelectorParsers): comma-separated terms, all of
// which must hold. A term is `key` (the label exists), `key==value`, `key!=value`, `key in (a,b)` or
// `key notin (a,b)`. Keys and values are runs of [A-Za-z0-9._-]; any other character is written with a
// backslash before it. Whitespace between tokens is ignored. A selector that does not parse is Marathon's
// 422 with "Can not parse label selector ...".
import { ApiError } from '../api-error.ts';

export type LabelSelector =
  | { key: string; op: 'exists' }
  | { key: string; op: '==' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export type SelectorResult = { ok: true; value: LabelSelector[] } | { ok: false; reason: string };

/** Selectors longer than this are refused (the query string is the only bound otherwise). */
const MAX_LENGTH = 8192;

class Cursor {
  pos = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** A key or value: unescaped characters from [A-Za-z0-9._-], or any character after a backslash. */
  term(): string | undefined {
    this.skipSpace();
    let out = '';
    let i = this.pos;
    while (i < this.text.length) {
      const ch = this.text[i]!;
      if (ch === '\\' && i + 1 < this.text.length) {
        // any character may be escaped, including one outside the BMP (two UTF-16 units)
        const cp = this.text.codePointAt(i + 1)!;
        const escaped = String.fromCodePoint(cp);
        out += escaped;
        i += 1 + escaped.length;
      } else if (/[-A-Za-z0-9_.]/.test(ch)) {
        out += ch;
        i++;
      } else break;
    }
    if (i === this.pos) return undefined;
    this.pos = i;
    return out;
  }

  /** One of the literals, at the cursor (after whitespace). */
  literal(...options: string[]): string | undefined {
    this.skipSpace();
    const hit = options.find((o) => this.text.startsWith(o, this.pos));
    if (hit !== undefined) this.pos += hit.length;
    return hit;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  describe(): string {
    return this.pos >= this.text.length
      ? 'unexpected end of input'
      : `unexpected '${this.text[this.pos]}' at position ${this.pos + 1}`;
  }
}

/** `key in|notin (v, ...)`, tried first as Marathon does; undefined (cursor restored) when it does not apply. */
function setSelector(c: Cursor): LabelSelector | undefined {
  const start = c.pos;
  const key = c.term();
  const op = key === undefined ? undefined : c.literal('notin', 'in');
  if (key === undefined || op === undefined || c.literal('(') === undefined) {
    c.pos = start;
    return undefined;
  }
  const values: string[] = [];
  if (c.literal(')') === undefined) {
    for (;;) {
      const v = c.term();
      if (v === undefined) {
        c.pos = start;
        return undefined;
      }
      values.push(v);
      if (c.literal(',') !== undefined) continue;
      if (c.literal(')') !== undefined) break;
      c.pos = start;
      return undefined;
    }
  }
  return { key, op: op as 'in' | 'notin', values };
}

function equalitySelector(c: Cursor): LabelSelector | undefined {
  const start = c.pos;
  const key = c.term();
  const op = key === undefined ? undefined : c.literal('==', '!=');
  const value = op === undefined ? undefined : c.term();
  if (key === undefined || op === undefined || value === undefined) {
    c.pos = start;
    return undefined;
  }
  return { key, op: op as '==' | '!=', value };
}

function existenceSelector(c: Cursor): LabelSelector | undefined {
  const key = c.term();
  return key === undefined ? undefined : { key, op: 'exists' };
}

export function parseLabelSelector(text: string): SelectorResult {
  if (text.length > MAX_LENGTH) return { ok: false, reason: `longer than ${MAX_LENGTH} characters` };
  const c = new Cursor(text);
  const out: LabelSelector[] = [];
  if (c.atEnd()) return { ok: true, value: out };
  for (;;) {
    const s = setSelector(c) ?? equalitySelector(c) ?? existenceSelector(c);
    if (!s) return { ok: false, reason: c.describe() };
    out.push(s);
    if (c.atEnd()) return { ok: true, value: out };
    if (c.literal(',') === undefined) return { ok: false, reason: c.describe() };
  }
}

/** True when the labels satisfy every selector (a selector never matches an app without its key). */
export function matchesLabels(selectors: readonly LabelSelector[], labels: Record<string, string>): boolean {
  return selectors.every((s) => {
    if (!Object.hasOwn(labels, s.key)) return false;
    const v = labels[s.key]!;
    switch (s.op) {
      case 'exists':
        return true;
      case '==':
        return v === s.value;
      case '!=':
        return v !== s.value;
      case 'in':
        return s.values.includes(v);
      case 'notin':
        return !s.values.includes(v);
    }
  });
}

/** The selectors of a `label` query value, or Marathon's 422 for one that does not parse. */
export function labelSelectorOrThrow(text: string): LabelSelector[] {
  const parsed = parseLabelSelector(text);
  if (parsed.ok) return parsed.value;
  throw new ApiError(422, { message: `Can not parse label selector ${text}. Reason: ${parsed.reason}` });
}
