// Marathon path ids (`/prod/web`): Marathon's PathId rules, as a CRD pattern plus CEL and as runtime checks.
import { z } from 'zod';
import { withRules } from './cel.ts';

// A segment is DNS-label-like but may contain dots; `.` and `..` are allowed while resolving relative ids.
// Written for both RE2 (the API server) and JavaScript: no lookaround, no backreferences.
const LABEL = '(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])';
const SEGMENT = `(?:(?:${LABEL}\\.)*${LABEL}|\\.\\.?)`;

/** A relative or absolute path of one or more segments; a trailing slash is tolerated, as in Marathon. */
export const PATH_ID_PATTERN = new RegExp(`^/?${SEGMENT}(?:/${SEGMENT})*/?$`);

/** The last segment must not be a reserved word (they collide with Marathon's REST sub-resources). */
export const RESERVED_LAST_SEGMENT = /(^|\/)(restart|tasks|versions|[.]{1,2})\/?$/;

export const PATH_ID_MAX_LENGTH = 512;

export const PATH_ID_MESSAGE =
  "must be a '/'-separated path whose segments contain only lowercase letters, digits, '-' and '.', " +
  'and start and end with a letter or digit (for example /prod/web)';

export const RESERVED_MESSAGE =
  'must not end with any of the following reserved keywords: restart, tasks, versions, ., ..';

export const pathIdSchema = withRules(
  z.string().max(PATH_ID_MAX_LENGTH).regex(PATH_ID_PATTERN, { error: PATH_ID_MESSAGE }),
  [
    {
      cel: "!self.matches('(^|/)(restart|tasks|versions|[.]{1,2})/?$')",
      message: RESERVED_MESSAGE,
      holds: (id) => !RESERVED_LAST_SEGMENT.test(id),
    },
  ],
);
