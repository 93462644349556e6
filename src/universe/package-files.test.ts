import assert from 'node:assert/strict';
import { entryFromPackageFiles } from './package-files.ts';
import { marathonTemplateOf } from './package-entry.ts';

const pkg = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    packagingVersion: '3.0',
    name: 'demo',
    version: '1.0.0',
    maintainer: 'm@example.com',
    description: 'Demo',
    tags: ['demo'],
    ...over,
  });

describe('entryFromPackageFiles', () => {
  it('assembles the index entry: releaseVersion, base64 template, config, resource, command', () => {
    const template = '{"id": "{{service.name}}", "cmd": "échο"}\n';
    const r = entryFromPackageFiles(
      {
        packageJson: pkg(),
        configJson: '{"type":"object","properties":{}}',
        marathonMustache: template,
        resourceJson: '{"images":{"icon-small":"x.png"}}',
        commandJson: '{"pip":["dcos-demo"]}',
      },
      7,
      'pkgs/demo/7',
    );
    if (!r.ok) assert.fail(r.message);
    assert.equal(r.entry.releaseVersion, 7);
    assert.equal(r.entry.marathon?.v2AppMustacheTemplate, Buffer.from(template).toString('base64'));
    assert.equal(marathonTemplateOf(r.entry), template);
    assert.deepEqual(r.entry.config, { type: 'object', properties: {} });
    assert.deepEqual(r.entry.resource, { images: { 'icon-small': 'x.png' } });
    assert.deepEqual(r.entry.command, { pip: ['dcos-demo'] });
  });

  it('states packaging 2.0 when package.json has no packagingVersion, and leaves absent files absent', () => {
    const r = entryFromPackageFiles({ packageJson: pkg({ packagingVersion: undefined }) }, 0, 'd');
    if (!r.ok) assert.fail(r.message);
    assert.equal(r.entry.packagingVersion, '2.0');
    for (const key of ['marathon', 'config', 'resource', 'command']) assert.equal(key in r.entry, false);
  });

  it('names the file that does not parse', () => {
    const bad = (files: Parameters<typeof entryFromPackageFiles>[0]) => {
      const r = entryFromPackageFiles(files, 1, 'repo/packages/D/demo/1');
      return r.ok ? 'ok' : r.message;
    };
    assert.match(
      bad({ packageJson: '{"name": ' }),
      /^repo\/packages\/D\/demo\/1\/package\.json: invalid JSON: /,
    );
    assert.match(
      bad({ packageJson: '[]' }),
      /^repo\/packages\/D\/demo\/1\/package\.json: must be a JSON object$/,
    );
    assert.match(bad({ packageJson: pkg(), configJson: '{,}' }), /\/config\.json: invalid JSON/);
    assert.match(bad({ packageJson: pkg(), resourceJson: '"x"' }), /\/resource\.json: must be a JSON object/);
  });

  it('names the file whose content the schema rejects', () => {
    const bad = (files: Parameters<typeof entryFromPackageFiles>[0]) => {
      const r = entryFromPackageFiles(files, 1, 'w');
      return r.ok ? 'ok' : r.message;
    };
    assert.equal(
      bad({ packageJson: pkg({ name: 'Demo' }) }),
      'w/package.json: name: must be a lower-case package name',
    );
    assert.match(bad({ packageJson: pkg({ version: 3 }) }), /^w\/package\.json: version: /);
    assert.match(
      bad({ packageJson: pkg({ packagingVersion: '6.0' }) }),
      /^w\/package\.json: packagingVersion: /,
    );
    assert.match(
      bad({ packageJson: pkg(), commandJson: '{"pip": "x"}' }),
      /^w\/command\.json: command\.pip: /,
    );
    assert.equal(
      bad({ packageJson: pkg({ packagingVersion: '4.0' }), commandJson: '{"pip": []}' }),
      'w/command.json: not allowed with packagingVersion 4.0',
    );
  });
});
