// Loads a repository from what its URI names: an HTTP(S) URL serving a v3/v4/v5 JSON index (as Cosmos fetched
// it), or a local JSON index file or package directory (a path or a file:// URL).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackageEntry } from './package-entry.ts';
import { readPackageDirectory } from './package-directory.ts';
import type { IndexFormat, PackageSummary } from './repository-index.ts';
import {
  ACCEPT_REPOSITORY,
  contentDigest,
  parseRepositoryIndex,
  repoFormatOfMediaType,
} from './repository-index.ts';

export interface LoadOptions {
  timeoutMs?: number;
  maxBytes?: number;
  userAgent?: string;
}

export interface LoadedRepository {
  uri: string;
  format: IndexFormat | 'directory';
  entries: PackageEntry[];
  summaries: PackageSummary[];
  warnings: string[];
  /** sha256 (hex) of the loaded content: changes exactly when the content does. */
  digest: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const MAX_REDIRECTS = 10;
const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function zipError(uri: string): Error {
  return new Error(
    `${uri}: serves a zip repository (the DC/OS 1.7-era format), which is not supported; ` +
      'use the repository’s v3+ JSON index instead (a Universe server sends it for the Accept header ' +
      `${ACCEPT_REPOSITORY.split(',').at(-1)})`,
  );
}

function fromIndexBytes(uri: string, body: Buffer, mediaType?: string): LoadedRepository {
  if (body.subarray(0, 4).equals(ZIP_MAGIC)) throw zipError(uri);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Error(`${uri}: not a JSON repository index: ${message(err)}`, { cause: err });
  }
  const parsed = parseRepositoryIndex(json, uri, mediaType);
  if (!parsed.ok) throw new Error(parsed.message);
  const { format, entries, summaries, warnings } = parsed;
  return { uri, format, entries, summaries, warnings, digest: contentDigest(entries, summaries) };
}

async function readBody(uri: string, res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes)
    throw new Error(`${uri}: response of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  const chunks: Buffer[] = [];
  let total = 0;
  if (res.body)
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        await res.body.cancel().catch(() => undefined);
        throw new Error(`${uri}: response exceeds the ${maxBytes}-byte limit`);
      }
      chunks.push(Buffer.from(chunk));
    }
  return Buffer.concat(chunks);
}

async function loadHttp(uri: string, opts: Required<LoadOptions>): Promise<LoadedRepository> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const headers = { accept: ACCEPT_REPOSITORY, 'user-agent': opts.userAgent };
  let url = new URL(uri);
  try {
    for (let hop = 0; ; hop++) {
      const res = await fetch(url, { headers, redirect: 'manual', signal });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location !== null) {
        await res.body?.cancel().catch(() => undefined);
        const next = new URL(location, url);
        if (next.protocol !== url.protocol)
          throw new Error(
            `${uri}: refused a redirect from ${url.protocol} to ${next.protocol} (${next.href})`,
          );
        if (hop >= MAX_REDIRECTS) throw new Error(`${uri}: more than ${MAX_REDIRECTS} redirects`);
        url = next;
        continue;
      }
      if (res.status < 200 || res.status > 299) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(`${uri}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      }
      const contentType = res.headers.get('content-type') ?? '';
      const body = await readBody(uri, res, opts.maxBytes);
      if (/^application\/(x-)?zip\b/i.test(contentType)) throw zipError(uri);
      // A repo media type decides the format; anything else is still tried as a JSON index.
      const mediaType = repoFormatOfMediaType(contentType) ? contentType : undefined;
      return fromIndexBytes(uri, body, mediaType);
    }
  } catch (err) {
    if (err instanceof Error && err.message.startsWith(uri)) throw err;
    if (signal.aborted)
      throw new Error(`${uri}: no complete response within ${opts.timeoutMs} ms`, { cause: err });
    // fetch's own message is only "fetch failed"; the reason is in its cause.
    const reason = err instanceof Error && err.cause !== undefined ? `: ${message(err.cause)}` : '';
    throw new Error(`${uri}: ${message(err)}${reason}`, { cause: err });
  }
}

async function loadPath(uri: string, file: string, maxBytes: number): Promise<LoadedRepository> {
  const stat = await fs.stat(file).catch((err: unknown) => {
    throw new Error(`${uri}: ${message(err)}`, { cause: err });
  });
  if (stat.isDirectory()) {
    const dir = await readPackageDirectory(file).catch((err: unknown) => {
      const text = message(err);
      throw new Error(text.includes(uri) ? text : `${uri}: ${text}`, { cause: err });
    });
    const { format, entries, summaries, warnings } = dir;
    return { uri, format, entries, summaries, warnings, digest: contentDigest(entries, summaries) };
  }
  if (stat.size > maxBytes)
    throw new Error(`${uri}: file of ${stat.size} bytes exceeds the ${maxBytes}-byte limit`);
  const body = await fs.readFile(file).catch((err: unknown) => {
    throw new Error(`${uri}: ${message(err)}`, { cause: err });
  });
  return fromIndexBytes(uri, body);
}

export async function loadRepository(uri: string, opts: LoadOptions = {}): Promise<LoadedRepository> {
  const options: Required<LoadOptions> = {
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
    userAgent: opts.userAgent ?? 'dcos-operator',
  };
  if (/^https?:\/\//i.test(uri)) {
    if (!URL.canParse(uri)) throw new Error(`${uri}: not a valid URL`);
    return loadHttp(uri, options);
  }
  if (/^file:/i.test(uri)) {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch (err) {
      throw new Error(`${uri}: ${message(err)}`, { cause: err });
    }
    return loadPath(uri, file, options.maxBytes);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri))
    throw new Error(`${uri}: unsupported scheme (use http://, https://, file:// or a file-system path)`);
  return loadPath(uri, path.resolve(uri), options.maxBytes);
}
