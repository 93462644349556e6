import type { z } from 'zod';

/** A zod error as one line: `path: message; …`, at most `max` issues. */
export function issuesText(error: z.ZodError, max = Infinity): string {
  const parts = error.issues
    .slice(0, max)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  if (error.issues.length > max) parts.push(`and ${error.issues.length - max} more`);
  return parts.join('; ');
}

/** A readable one-line message for anything thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
