// `npm run gen:chart`: writes the Helm chart's values.schema.json from the zod schema in values-schema.ts.
// (The chart's CRD copies come from `npm run gen:crds`.)
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderValuesSchemaJson, VALUES_SCHEMA_FILE } from './values-schema.ts';

const target = path.resolve(import.meta.dirname, '../..', VALUES_SCHEMA_FILE);
await writeFile(target, renderValuesSchemaJson());
console.error(`wrote ${path.relative(process.cwd(), target) || target}`);
