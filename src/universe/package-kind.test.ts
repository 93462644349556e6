import assert from 'node:assert/strict';
import type { PackageEntry } from './package-entry.ts';
import { packageKind } from './package-kind.ts';

const base: PackageEntry = { name: 'p', version: '1', releaseVersion: 0 };
const withTemplate = (t: string, over: Partial<PackageEntry> = {}): PackageEntry => ({
  ...base,
  marathon: { v2AppMustacheTemplate: Buffer.from(t).toString('base64') },
  ...over,
});

describe('packageKind', () => {
  it('tells SDK schedulers by their labels, whatever the framework flag says', () => {
    const v = packageKind(withTemplate('{"labels":{"DCOS_COMMONS_API_VERSION":"v1"}}'));
    assert.equal(v.kind, 'sdk-framework');
    assert.equal(v.works, false);
  });

  it('tells custom frameworks by framework: true', () => {
    assert.equal(packageKind(withTemplate('{}', { framework: true })).kind, 'framework');
  });

  it('treats a framework label without framework: true as a plain app (openvpn)', () => {
    const v = packageKind(withTemplate('{"labels":{"DCOS_PACKAGE_FRAMEWORK_NAME":"openvpn"}}'));
    assert.deepEqual([v.kind, v.works], ['app', true]);
  });

  it('flags CLI-only packages', () => {
    assert.equal(packageKind(base).kind, 'cli-only');
  });
});
