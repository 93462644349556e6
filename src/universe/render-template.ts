// Renders a Universe package's marathon.json.mustache the way Cosmos did (mustache.java over a JSON context
// converted to Java objects), on top of mustache.js. The context is converted into values whose string form
// is what Java would print; mustache.js stringifies them through Symbol.toPrimitive.
import Mustache from 'mustache';

export type RenderingMode = 'modern' | 'legacy';

export type TemplateResult =
  | { ok: true; app: Record<string, unknown>; text: string }
  | {
      ok: false;
      type:
        'MarathonTemplateMustBeJsonObject' | 'MarathonTemplateRenderError' | 'MarathonTemplateInvalidJson';
      message: string;
      text?: string;
    };

const TEXT = Symbol('text');

type NumberBox = { [TEXT]: string };

// Null prototypes: mustache.js resolves names with `in`, so nothing inherited from Object.prototype may
// shadow a key further up the context stack.
const numberProto: object = Object.create(null, {
  [Symbol.toPrimitive]: {
    value(this: NumberBox) {
      return this[TEXT];
    },
  },
}) as object;

const mapProto: object = Object.create(null, {
  [Symbol.toPrimitive]: {
    value(this: Record<string, unknown>) {
      return printMap(this);
    },
  },
}) as object;

function isNumberBox(v: object): v is NumberBox {
  return TEXT in v;
}

/** Java's String.valueOf for a converted value inside a List or Map. */
function printElement(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return printList(v);
  if (typeof v === 'object') return isNumberBox(v) ? v[TEXT] : printMap(v as Record<string, unknown>);
  if (typeof v === 'string') return v;
  return typeof v === 'boolean' ? String(v) : '';
}

function printList(list: unknown[]): string {
  return `[${list.map(printElement).join(', ')}]`;
}

function printMap(map: Record<string, unknown>): string {
  return `{${Object.keys(map)
    .map((k) => `${k}=${printElement(map[k])}`)
    .join(', ')}}`;
}

/** Integral numbers print as integers (Cosmos used toBigInt); others as Java's Double.toString. */
function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n)) return BigInt(n).toString();
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return String(n);
  const [mantissa = '', exponent = '0'] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

function box(text: string): NumberBox {
  const b = Object.create(numberProto) as NumberBox;
  b[TEXT] = text;
  return b;
}

function convert(value: unknown, mode: RenderingMode, inArray: boolean): unknown {
  switch (typeof value) {
    case 'string':
      if (mode === 'legacy') return value;
      return inArray ? JSON.stringify(value) : JSON.stringify(value).slice(1, -1);
    case 'number':
      return box(formatNumber(value));
    case 'bigint':
      return box(value.toString());
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const list = value.map((e) => convert(e, mode, true));
        Object.defineProperty(list, Symbol.toPrimitive, { value: () => printList(list) });
        return list;
      }
      const map = Object.create(mapProto) as Record<string, unknown>;
      for (const [k, v] of Object.entries(value)) map[k] = convert(v, mode, false);
      return map;
    }
    default:
      return undefined;
  }
}

function convertContext(context: Record<string, unknown>, mode: RenderingMode): Record<string, unknown> {
  const view = convert(context, mode, false) as Record<string, unknown>;
  if (!Object.hasOwn(context, 'asJson')) {
    // mustache.js calls a looked-up function first; the function it returns receives the section text.
    const asJson = () => (text: string) => {
      const key = text.trim();
      const raw = Object.hasOwn(context, key) ? context[key] : undefined;
      return typeof raw === 'string' ? raw : 'null';
    };
    Object.defineProperty(view, 'asJson', { value: asJson });
  }
  return view;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '=': '&#61;',
};

/** mustache.java's HtmlEscaper. */
function htmlEscape(value: unknown): string {
  let out = '';
  for (const c of String(value)) {
    const code = c.charCodeAt(0);
    out += HTML_ESCAPES[c] ?? (code <= 13 ? `&#${code};` : c);
  }
  return out;
}

const noEscape = (value: unknown): string => String(value);

/** Just the text (exported for tests and for a CLI that shows what was rendered). Throws on mustache syntax errors. */
export function renderTemplateText(
  template: string,
  context: Record<string, unknown>,
  mode: RenderingMode,
): string {
  const view = convertContext(context, mode);
  return Mustache.render(template, view, undefined, { escape: mode === 'legacy' ? htmlEscape : noEscape });
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return String(e);
  } catch {
    return 'unknown error';
  }
}

export function renderTemplate(
  template: string,
  context: Record<string, unknown>,
  mode: RenderingMode,
): TemplateResult {
  let text: string;
  try {
    text = renderTemplateText(template, context, mode);
  } catch (e) {
    return { ok: false, type: 'MarathonTemplateRenderError', message: errorMessage(e) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      type: 'MarathonTemplateInvalidJson',
      message: `Rendered Marathon JSON is not valid JSON: ${errorMessage(e)}`,
      text,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      type: 'MarathonTemplateMustBeJsonObject',
      message: 'Rendered Marathon JSON must be a JSON object',
      text,
    };
  }
  return { ok: true, app: parsed as Record<string, unknown>, text };
}
