// Marathon app placement constraints: [field, OPERATOR] or [field, OPERATOR, value], checked as Marathon does.
import { z } from 'zod';
import { withRules } from './cel.ts';

export const CONSTRAINT_OPERATORS = [
  'UNIQUE',
  'CLUSTER',
  'GROUP_BY',
  'LIKE',
  'UNLIKE',
  'MAX_PER',
  'IS',
] as const;
export type ConstraintOperator = (typeof CONSTRAINT_OPERATORS)[number];

/** Per-constraint and per-list bounds; they keep the CEL cost estimate low. Real apps use a handful. */
export const MAX_CONSTRAINTS = 64;
export const MAX_CONSTRAINT_PART_LENGTH = 1024;

// Java's Integer.parseInt syntax (what Marathon uses), and what IS accepts (Mesos text or scalar values).
const INTEGER = '^[+-]?[0-9]+$';
const MESOS_LITERAL = '^[a-zA-Z0-9_/.-]*$';

/** CEL's upperAscii(): only a-z change, so 'unıque' stays invalid on both sides. */
function operatorOf(c: readonly string[]): string {
  return (c[1] ?? '').replace(/[a-z]/g, (ch) => ch.toUpperCase());
}

const celOperators = CONSTRAINT_OPERATORS.map((o) => `'${o}'`).join(', ');
const FIELDS_MESSAGE = 'Each constraint must have either 2 or 3 fields';

export const appConstraintSchema = withRules(
  z
    .array(z.string().max(MAX_CONSTRAINT_PART_LENGTH))
    .min(2, FIELDS_MESSAGE)
    .max(3, FIELDS_MESSAGE)
    .describe(
      'A placement rule [field, OPERATOR] or [field, OPERATOR, value]. field is hostname, @hostname, @region, ' +
        `@zone or an agent attribute (a node label); OPERATOR is one of ${CONSTRAINT_OPERATORS.join(', ')} ` +
        '(any case).',
    ),
  [
    {
      cel: "self.size() < 2 || self[0] != ''",
      message: 'missing field for constraint declaration',
      holds: (c) => c.length < 2 || c[0] !== '',
    },
    {
      cel: `self.size() < 2 || self[1].upperAscii() in [${celOperators}]`,
      message: `operator must be one of the following ${CONSTRAINT_OPERATORS.join(', ')}`,
      holds: (c) => c.length < 2 || (CONSTRAINT_OPERATORS as readonly string[]).includes(operatorOf(c)),
    },
    {
      cel: "self.size() < 3 || self[1].upperAscii() != 'UNIQUE'",
      message: 'UNIQUE does not accept a value',
      holds: (c) => c.length < 3 || operatorOf(c) !== 'UNIQUE',
    },
    {
      cel: `self.size() < 3 || self[1].upperAscii() != 'GROUP_BY' || self[2].matches('${INTEGER}')`,
      message: 'GROUP BY must define an integer value or else no value at all',
      holds: (c) => c.length < 3 || operatorOf(c) !== 'GROUP_BY' || new RegExp(INTEGER).test(c[2] ?? ''),
    },
    {
      cel: `self.size() < 2 || self[1].upperAscii() != 'MAX_PER' || (self.size() == 3 && self[2].matches('${INTEGER}'))`,
      message: 'MAX_PER requires an integer value',
      holds: (c) => c.length < 2 || operatorOf(c) !== 'MAX_PER' || new RegExp(INTEGER).test(c[2] ?? ''),
    },
    {
      cel: "self.size() != 2 || !(self[1].upperAscii() in ['LIKE', 'UNLIKE'])",
      message: 'LIKE and UNLIKE require a non-empty, regular expression value',
      holds: (c) => c.length !== 2 || !['LIKE', 'UNLIKE'].includes(operatorOf(c)),
    },
    {
      cel: `self.size() < 3 || self[1].upperAscii() != 'IS' || self[2].matches('${MESOS_LITERAL}')`,
      message: 'IS only supports Mesos text and float values',
      holds: (c) => c.length < 3 || operatorOf(c) !== 'IS' || new RegExp(MESOS_LITERAL).test(c[2] ?? ''),
    },
  ],
).superRefine((c, ctx) => {
  // Marathon compiles the value as a Java regex; CEL cannot, so only the operator checks it (approximately, as JS).
  if (c.length === 3 && ['LIKE', 'UNLIKE'].includes(operatorOf(c))) {
    try {
      new RegExp(c[2] ?? '');
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a valid regular expression', path: [2], input: c[2] });
    }
  }
});

export type AppConstraint = z.infer<typeof appConstraintSchema>;

export const appConstraintsSchema = z
  .array(appConstraintSchema)
  .max(MAX_CONSTRAINTS)
  .describe('Placement constraints; all must hold for an instance to be placed on a node.');
