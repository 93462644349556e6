// CEL validation rules that the operator enforces too. Each rule is written once: a CEL expression for the API
// server (x-kubernetes-validations) next to a TypeScript predicate for the runtime schema, so they stay in step.
// CEL cannot be evaluated faithfully in Node; integration tests check the CEL side against a real API server.
import type { z } from 'zod';
import type { CelReason, CelValidation } from './schema-props.ts';

const VALIDATIONS = 'x-kubernetes-validations';

export interface Rule<T> {
  /** CEL expression with `self` bound to the value. Bound every list and string it walks (cost limits). */
  cel: string;
  /** Reported by the API server and by the runtime parse alike. */
  message: string;
  reason?: CelReason;
  /** Where the failure is reported, relative to the value, in CEL field-path form (`.args`). */
  fieldPath?: string;
  /**
   * The same rule for the runtime. It also runs when other fields of the value failed to parse, so it must
   * not trust the declared type; an exception counts as "holds" (the other failure is reported already).
   */
  holds: (value: T) => boolean;
}

/** Adds the rules to `schema`: as CEL in its JSON Schema, and as refinements when parsing. */
export function withRules<S extends z.ZodType>(schema: S, rules: ReadonlyArray<Rule<z.output<S>>>): S {
  const meta = schema.meta() ?? {};
  const existing = Array.isArray(meta[VALIDATIONS]) ? (meta[VALIDATIONS] as CelValidation[]) : [];
  const refined = schema.superRefine((value, ctx) => {
    for (const rule of rules) {
      if (!holdsSafely(rule, value)) {
        ctx.addIssue({ code: 'custom', message: rule.message, path: toPath(rule.fieldPath), input: value });
      }
    }
  });
  return refined.meta({ ...meta, [VALIDATIONS]: [...existing, ...rules.map(toCelValidation)] });
}

export function toCelValidation<T>(rule: Rule<T>): CelValidation {
  return {
    rule: rule.cel,
    message: rule.message,
    ...(rule.reason === undefined ? {} : { reason: rule.reason }),
    ...(rule.fieldPath === undefined ? {} : { fieldPath: rule.fieldPath }),
  };
}

function holdsSafely<T>(rule: Rule<T>, value: T): boolean {
  try {
    return rule.holds(value);
  } catch {
    return true;
  }
}

/** `.a.b` → ['a', 'b']; only the dotted form is used in this project. */
function toPath(fieldPath: string | undefined): string[] {
  return fieldPath === undefined ? [] : fieldPath.split('.').filter((s) => s !== '');
}
