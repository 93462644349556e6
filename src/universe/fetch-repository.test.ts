import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadRepository } from './fetch-repository.ts';
import { ACCEPT_REPOSITORY, REPO_MEDIA_TYPES } from './repository-index.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/universe');
const v3File = path.join(fixtures, 'index/v3/test-v3-repo-up-to-1.8.json');
const v3Body = fs.readFileSync(v3File);

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

describe('loadRepository', () => {
  let server: http.Server;
  let base: string;
  let handler: Handler;
  const requests: http.IncomingHttpHeaders[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.headers);
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests.length = 0;
  });

  it('fetches a v3 index over HTTP with the Accept header Cosmos sent', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': REPO_MEDIA_TYPES.v3 });
      res.end(v3Body);
    };
    const repo = await loadRepository(`${base}/repo`);
    assert.equal(repo.uri, `${base}/repo`);
    assert.equal(repo.format, 'v3');
    assert.equal(repo.entries.length, 9);
    assert.deepEqual(
      repo.summaries.map((s) => s.name),
      ['cassandra', 'nginx'],
    );
    assert.match(repo.digest, /^[0-9a-f]{64}$/);
    assert.equal(requests[0]?.accept, ACCEPT_REPOSITORY);
    assert.equal(requests[0]?.['user-agent'], 'dcos-operator');
  });

  it('decodes by the response media type, and tries plain JSON as an index', async () => {
    handler = (req, res) => {
      const type = req.url === '/v4' ? REPO_MEDIA_TYPES.v4 : 'application/json';
      res.writeHead(200, { 'content-type': type });
      res.end(v3Body);
    };
    assert.equal((await loadRepository(`${base}/v4`, { userAgent: 'test/1' })).format, 'v4');
    assert.equal(requests[0]?.['user-agent'], 'test/1');
    const plain = await loadRepository(`${base}/plain`);
    assert.equal(plain.format, 'v3');
    assert.equal(plain.entries.length, 9);
  });

  it('reports an HTTP error with the uri and status', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such repo');
    };
    await assert.rejects(loadRepository(`${base}/missing`), {
      message: `${base}/missing: HTTP 404 Not Found`,
    });
  });

  it('follows a same-scheme redirect and refuses one that changes scheme', async () => {
    handler = (req, res) => {
      if (req.url === '/moved') res.writeHead(302, { location: '/repo' }).end();
      else if (req.url === '/secure') res.writeHead(301, { location: 'https://127.0.0.1:1/repo' }).end();
      else res.writeHead(200, { 'content-type': REPO_MEDIA_TYPES.v3 }).end(v3Body);
    };
    assert.equal((await loadRepository(`${base}/moved`)).entries.length, 9);
    await assert.rejects(loadRepository(`${base}/secure`), (err: Error) => {
      assert.match(
        err.message,
        /^http:\/\/127\.0\.0\.1:\d+\/secure: refused a redirect from http: to https:/,
      );
      return true;
    });
  });

  it('refuses zip repositories, pointing at the JSON index', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(Buffer.from('PK\x03\x04rest-of-zip', 'latin1'));
    };
    await assert.rejects(
      loadRepository(`${base}/repo.zip`),
      /repo\.zip: serves a zip repository .*not supported; use the repository’s v3\+ JSON index/,
    );
  });

  it('enforces the size limit and the timeout', async () => {
    handler = (req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2_000).unref();
      const length = req.url === '/big' ? { 'content-length': String(v3Body.length) } : {};
      res.writeHead(200, { 'content-type': REPO_MEDIA_TYPES.v3, ...length });
      res.end(v3Body);
    };
    await assert.rejects(
      loadRepository(`${base}/big`, { maxBytes: 1000 }),
      /big: response of \d+ bytes exceeds the 1000-byte limit/,
    );
    await assert.rejects(
      loadRepository(`${base}/chunked`, { maxBytes: 1000 }),
      /chunked: response exceeds the 1000-byte limit/,
    );
    await assert.rejects(
      loadRepository(`${base}/slow`, { timeoutMs: 100 }),
      /slow: no complete response within 100 ms/,
    );
  });

  it('rejects a body that is not an index, naming the uri', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html></html>');
    };
    await assert.rejects(loadRepository(`${base}/page`), /\/page: not a JSON repository index/);
  });

  it('loads a JSON index from a path and from a file:// URL, with the same digest', async () => {
    const byPath = await loadRepository(v3File);
    const byUrl = await loadRepository(pathToFileURL(v3File).href);
    assert.equal(byPath.entries.length, 9);
    assert.equal(byUrl.uri, pathToFileURL(v3File).href);
    assert.equal(byPath.digest, byUrl.digest);
    const relative = path.relative(process.cwd(), v3File);
    assert.equal((await loadRepository(relative)).digest, byPath.digest);
    const v5 = await loadRepository(path.join(fixtures, 'index/v5/package-with-custom-manager.json'));
    assert.equal(v5.format, 'v5');
    assert.notEqual(v5.digest, byPath.digest);
  });

  it('loads a package directory', async () => {
    const repo = await loadRepository(path.join(fixtures, 'packages'));
    assert.equal(repo.format, 'directory');
    assert.equal(repo.entries.length, 18);
    const meta = await loadRepository(path.join(fixtures, 'index/v2-zip'));
    assert.equal(meta.format, 'v2-summary');
    assert.equal(meta.summaries.length, 37);
  });

  it('names the uri when a path is missing or the scheme unsupported', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'universe-fetch-'));
    try {
      const missing = path.join(tmp, 'nope.json');
      await assert.rejects(loadRepository(missing), (err: Error) => err.message.startsWith(`${missing}: `));
      await assert.rejects(
        loadRepository('ftp://example.com/repo'),
        /^Error: ftp:\/\/example\.com\/repo: unsupported scheme/,
      );
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
