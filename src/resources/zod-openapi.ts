// zod schema → structural OpenAPI v3 schema for a CRD: zod's own converter, then `toStructural`.
import { z } from 'zod';
import type { JsonSchemaProps } from './schema-props.ts';
import { toStructural } from './structural.ts';

interface ZodDef {
  type: string;
  format?: string;
}

/** The input side of the schema (defaults make fields optional), as Kubernetes will see the objects. */
export function zodToOpenApi(schema: z.ZodType): JsonSchemaProps {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    override: ({ zodSchema, jsonSchema }) => {
      const def = (zodSchema as unknown as { _zod: { def: ZodDef } })._zod.def;
      if (def.type === 'date') Object.assign(jsonSchema, { type: 'string', format: 'date-time' });
      else if (def.type === 'bigint') Object.assign(jsonSchema, { type: 'integer', format: 'int64' });
      // The API server checks `format` itself; zod's regex for it would duplicate that and need not be RE2-safe.
      else if (def.type === 'string' && def.format !== undefined && def.format !== 'regex' && jsonSchema.format) {
        delete jsonSchema.pattern;
      }
      if (typeof jsonSchema.pattern === 'string') jsonSchema.pattern = unescapeSlashes(jsonSchema.pattern);
    },
  });
  return toStructural(json as Record<string, unknown>);
}

/** RegExp#source writes `/` as `\/`; RE2 reads both, the plain form is what people write in a CRD. */
function unescapeSlashes(pattern: string): string {
  return pattern.replace(/(?<!\\)((?:\\\\)*)\\\//g, '$1/');
}
