// Every Marathon fixture renders to objects the real API server accepts (server-side dry-run of the
// MarathonApp and of every child), and the deliberately invalid ones fail with Marathon's messages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { renderApps } from '../../src/marathon/render.ts';
import { kubectl, useNamespace } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '../../../shared/fixtures/marathon');
const dirs = ['apps', 'groups'];

/** Not app definitions: partial PATCH bodies. */
const PARTIAL = new Set(['app_patch.json', 'apps_patch.json']);
/** Deliberately invalid, with the error Marathon gives. */
const INVALID: Record<string, RegExp> = {
  'app.json': /cmd.*args|args.*cmd/,
  'app_add_400.json': /network/i,
};

describe('Marathon fixtures on the API server', function () {
  this.timeout(120_000);
  const ns = useNamespace({ scope: 'suite', prefix: 'fixtures' });
  const files = dirs.flatMap((d) =>
    fs.existsSync(path.join(root, d))
      ? fs
          .readdirSync(path.join(root, d))
          .filter((f) => f.endsWith('.json') && !PARTIAL.has(f))
          .map((f) => path.join(d, f))
      : [],
  );

  it('has the shared fixtures', () => {
    assert.ok(files.length >= 30, `found ${files.length}`);
  });

  it('renders every valid fixture to objects accepted by a server-side dry-run', async () => {
    const docs: string[] = [];
    for (const f of files) {
      if (INVALID[path.basename(f)]) continue;
      const r = renderApps(fs.readFileSync(path.join(root, f), 'utf8'), {
        namespace: ns(),
        emit: 'all',
        defaultImage: 'docker.io/library/ubuntu:24.04',
        fetchImage: 'docker.io/library/busybox:1.37',
        version: '2026-01-01T00:00:00.000Z',
      });
      assert.ok(r.ok, `${f}: ${JSON.stringify(!r.ok && r.body)}`);
      assert.ok(r.objects.length >= 3, f);
      docs.push(...r.objects.map((o) => stringify(o, { aliasDuplicateObjects: false })));
    }
    const out = await kubectl(
      ['apply', '--server-side', '--dry-run=server', '--field-manager=dcos-operator', '-f', '-'],
      {
        input: docs.join('---\n'),
      },
    );
    assert.equal(out.trim().split('\n').length, docs.length, out);
  });

  it('rejects the invalid fixtures with Marathon-style 422 details', () => {
    for (const [f, re] of Object.entries(INVALID)) {
      const r = renderApps(fs.readFileSync(path.join(root, 'apps', f), 'utf8'), {
        namespace: 'x',
        emit: 'children',
        defaultImage: 'i',
        fetchImage: 'i',
        version: '2026-01-01T00:00:00.000Z',
      });
      assert.equal(r.ok, false, f);
      if (r.ok) continue;
      assert.equal(r.status, 422, f);
      assert.equal(r.body.message, 'Object is not valid');
      assert.match(JSON.stringify(r.body.details), re, f);
    }
  });
});
