// zod schema → structural OpenAPI v3 schema for a CRD: zod's own converter, then `toStructural`.
import { z } from 'zod';
import type { JsonSchemaProps } from './schema-props.ts';
import { toStructural } from './structural.ts';

interface ZodDef {
  type: string;
  format?: string;
  shape?: Record<string, { _zod: { def: ZodDef } }>;
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
      else if (
        def.type === 'string' &&
        def.format !== undefined &&
        def.format !== 'regex' &&
        jsonSchema.format
      ) {
        delete jsonSchema.pattern;
      }
      if (typeof jsonSchema.pattern === 'string') jsonSchema.pattern = unescapeSlashes(jsonSchema.pattern);
      // zod lists z.any()/z.unknown() fields as required, yet parsing accepts them missing
      if (def.type === 'object' && def.shape && Array.isArray(jsonSchema.required)) {
        const shape = def.shape;
        const anyType = (key: string) => ['any', 'unknown'].includes(shape[key]?._zod.def.type ?? '');
        jsonSchema.required = jsonSchema.required.filter((key) => !anyType(key));
        if (jsonSchema.required.length === 0) delete jsonSchema.required;
      }
    },
  });
  return toStructural(json);
}

/** RegExp#source writes `/` as `\/`; RE2 reads both, the plain form is what people write in a CRD. */
function unescapeSlashes(pattern: string): string {
  return pattern.replace(/(?<!\\)((?:\\\\)*)\\\//g, '$1/');
}
