// Cosmos's versioned media types (`application/vnd.dcos.package.<kind>+json;charset=utf-8;version=vN`) and
// the negotiation its endpoints do: the request's Content-Type must be the endpoint's request type, and the
// Accept header must name one of the response versions the endpoint produces. The dcos CLI checks that the
// response Content-Type contains the Accept value it sent, so responses carry the type in exactly this
// spelling. Leniency beyond Cosmos: no Accept, `*/*` or `application/json` get the newest version, and a
// JSON Content-Type (or none) is taken as the request type, so curl works without the vendor types.

export interface MediaType {
  /** `type/subtype`, lower case. */
  type: string;
  /** Parameter names lower case; charset value lower case. */
  params: Record<string, string>;
}

const VND_PREFIX = 'application/vnd.dcos.';

/** `application/vnd.dcos.package.search-response+json;charset=utf-8;version=v1`. */
export function cosmosMediaType(family: string, kind: string, version: number): string {
  return `${VND_PREFIX}${family}.${kind}+json;charset=utf-8;version=v${version}`;
}

export const ERROR_MEDIA_TYPE = cosmosMediaType('package', 'error', 1);

/** One media type with its parameters, or undefined when it is not `type/subtype[;k=v]*`. */
export function parseMediaType(text: string): MediaType | undefined {
  const [head, ...rest] = text.split(';');
  const type = head?.trim().toLowerCase() ?? '';
  if (!/^[a-z0-9!#$&^_.+*-]+\/[a-z0-9!#$&^_.+*-]+$/.test(type)) return undefined;
  const params: Record<string, string> = {};
  for (const p of rest) {
    if (!p.trim()) continue;
    const eq = p.indexOf('=');
    if (eq < 0) return undefined;
    const key = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    params[key] = key === 'charset' ? value.toLowerCase() : value;
  }
  return { type, params };
}

/** The entries of an Accept header, highest quality first (ties keep their order); q=0 entries dropped. */
export function parseAccept(header: string): MediaType[] {
  const entries: { mt: MediaType; q: number; i: number }[] = [];
  header.split(',').forEach((part, i) => {
    if (!part.trim()) return;
    const mt = parseMediaType(part);
    if (!mt) return;
    const { q: qText, ...params } = mt.params;
    const q = qText === undefined ? 1 : Number(qText);
    if (!Number.isFinite(q) || q <= 0) return;
    entries.push({ mt: { type: mt.type, params }, q, i });
  });
  return entries.sort((a, b) => b.q - a.q || a.i - b.i).map((e) => e.mt);
}

const WILDCARDS = new Set(['*/*', 'application/*', 'application/json']);

/** Every parameter the client named has the same value in the offered type. */
function covers(wanted: MediaType, offered: MediaType): boolean {
  return (
    wanted.type === offered.type &&
    Object.entries(wanted.params).every(([k, v]) => offered.params[k]?.toLowerCase() === v.toLowerCase())
  );
}

/**
 * Which of `offered` (full media type strings, preferred first) answers an Accept header, or undefined when
 * none does. Absent or wildcard Accept: the first offered.
 */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (!accept?.trim()) return offered[0];
  const parsed = offered.map((o) => ({ text: o, mt: parseMediaType(o)! }));
  for (const wanted of parseAccept(accept)) {
    if (WILDCARDS.has(wanted.type) && Object.keys(wanted.params).every((k) => k === 'charset'))
      return offered[0];
    const hit = parsed.find((o) => covers(wanted, o.mt));
    if (hit) return hit.text;
  }
  return undefined;
}

/** True when a request's Content-Type is acceptable for an endpoint whose request type is `expected`. */
export function contentTypeMatches(contentType: string | undefined, expected: string): boolean {
  if (!contentType?.trim()) return true;
  const given = parseMediaType(contentType);
  if (!given) return false;
  if (given.type === 'application/json')
    return given.params.charset ? given.params.charset === 'utf-8' : true;
  return covers(given, parseMediaType(expected)!);
}

/** The `version=vN` number of a media type string produced by cosmosMediaType. */
export function versionOf(mediaType: string): number {
  const v = parseMediaType(mediaType)?.params.version ?? '';
  return Number(/^v(\d+)$/.exec(v)?.[1] ?? NaN);
}
