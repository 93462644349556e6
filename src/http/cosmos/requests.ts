// The request bodies of the Cosmos package API (rpc v1 models). Unknown fields are ignored and null reads as
// absent, as Cosmos's circe decoders did; a field of the wrong type is a `json_error` naming its path.
import { z } from 'zod';
import { jsonDecodeError, jsonParseError } from './errors.ts';

const optionalString = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
const optionsObject = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((v) => v ?? undefined);

export const searchRequest = z.object({ query: optionalString }).loose();

export const describeRequest = z
  .object({ packageName: z.string().min(1), packageVersion: optionalString })
  .loose();

export const listVersionsRequest = z
  .object({
    packageName: z.string().min(1),
    includePackageVersions: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
  })
  .loose();

export const renderRequest = z
  .object({
    packageName: z.string().min(1),
    packageVersion: optionalString,
    options: optionsObject,
    appId: optionalString,
  })
  .loose();

export const installRequest = renderRequest;

export const listRequest = z.object({ packageName: optionalString, appId: optionalString }).loose();

export const uninstallRequest = z
  .object({
    packageName: z.string().min(1),
    appId: optionalString,
    all: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    packageVersion: optionalString,
  })
  .loose();

export const repositoryListRequest = z.object({}).loose();

export const repositoryAddRequest = z
  .object({
    name: z.string().min(1),
    uri: z.string().min(1),
    index: z
      .number()
      .int()
      .nullish()
      .transform((v) => v ?? undefined),
  })
  .loose();

export const repositoryDeleteRequest = z.object({ name: optionalString, uri: optionalString }).loose();

export type SearchRequest = z.output<typeof searchRequest>;
export type DescribeRequest = z.output<typeof describeRequest>;
export type RenderRequest = z.output<typeof renderRequest>;
export type InstallRequest = z.output<typeof installRequest>;
export type ListRequest = z.output<typeof listRequest>;
export type UninstallRequest = z.output<typeof uninstallRequest>;
export type RepositoryAddRequest = z.output<typeof repositoryAddRequest>;
export type RepositoryDeleteRequest = z.output<typeof repositoryDeleteRequest>;

/** `.packageName`, `.options.service`, `.[2]`: the path as Cosmos's decoder printed it. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') || '.';
}

/**
 * The body of a request: the text parsed as JSON (an empty body is `{}`) and decoded by the schema; throws
 * the CosmosError `json_error` for text that is not JSON or a document of the wrong shape.
 */
export function decodeBody<S extends z.ZodType>(text: string, schema: S): z.output<S> {
  let json: unknown = {};
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text) as unknown;
    } catch (err) {
      throw jsonParseError((err as Error).message);
    }
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
  throw jsonDecodeError(missing ? 'Missing required field' : issue.message, pathText(issue.path));
}
