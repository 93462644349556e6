import assert from 'node:assert/strict';
import { APP_ID_ANNOTATION } from '../../marathon/names.ts';
import { CosmosError } from './errors.ts';
import type { InstalledPackage } from './installed.ts';
import { installedPackage, listInstalled, selectUninstall } from './installed.ts';

const inst = (
  packageName: string,
  appId: string | undefined,
  name = appId ?? packageName,
): InstalledPackage => ({
  namespace: 'ns',
  name: name.replace(/\//g, ''),
  uid: `uid-${name}`,
  packageName,
  appId,
});

describe('Cosmos installed packages over UniversePackages', () => {
  it('takes the app id from status, else the id the API planned, else the service name', () => {
    const base = { metadata: { name: 'web', namespace: 'ns', uid: 'u1' }, spec: { packageName: 'nginx' } };
    const of = (o: object) => installedPackage({ ...base, ...o })?.appId;
    assert.equal(of({ status: { appId: '/from-status', packageVersion: '1.10.3' } }), '/from-status');
    assert.equal(
      of({ metadata: { ...base.metadata, annotations: { [APP_ID_ANNOTATION]: '/planned' } } }),
      '/planned',
    );
    assert.equal(of({ spec: { packageName: 'nginx', serviceName: 'prod/web' } }), '/prod/web');
    assert.equal(of({}), undefined);
    assert.equal(installedPackage({ metadata: { name: 'x' }, spec: {} }), undefined);
    assert.equal(
      installedPackage({
        ...base,
        metadata: { ...base.metadata, deletionTimestamp: new Date() },
      }),
      undefined,
    );
  });

  it('lists installs with an app id, by package then app id, filtered as asked', () => {
    const all = [
      inst('nginx', '/b'),
      inst('kafka', '/k'),
      inst('nginx', '/a'),
      inst('nginx', undefined, 'x'),
    ];
    assert.deepEqual(
      listInstalled(all, {}).map((p) => p.appId),
      ['/k', '/a', '/b'],
    );
    assert.deepEqual(
      listInstalled(all, { packageName: 'nginx' }).map((p) => p.appId),
      ['/a', '/b'],
    );
    assert.deepEqual(
      listInstalled(all, { appId: 'b' }).map((p) => p.appId),
      ['/b'],
    );
  });

  it('picks what uninstall removes by Cosmos’s rules', () => {
    const two = [inst('nginx', '/a'), inst('nginx', '/b'), inst('kafka', '/k')];
    const type = (r: InstalledPackage[] | CosmosError) =>
      r instanceof CosmosError ? r.type : r.map((p) => p.appId);
    assert.deepEqual(type(selectUninstall(two, { packageName: 'kafka' })), ['/k']);
    assert.deepEqual(type(selectUninstall(two, { packageName: 'nginx', appId: 'b' })), ['/b']);
    assert.deepEqual(type(selectUninstall(two, { packageName: 'nginx', all: true })), ['/a', '/b']);
    assert.equal(type(selectUninstall(two, { packageName: 'nginx' })), 'AmbiguousAppId');
    assert.equal(
      type(selectUninstall(two, { packageName: 'nginx', appId: '/c' })),
      'UninstallNonExistentAppForPackage',
    );
    assert.equal(
      type(selectUninstall(two, { packageName: 'kafka', appId: '/a' })),
      'UninstallNonExistentAppForPackage',
    );
    assert.equal(type(selectUninstall(two, { packageName: 'hue' })), 'PackageNotInstalled');
    const ambiguous = selectUninstall(two, { packageName: 'nginx' }) as CosmosError;
    assert.deepEqual(ambiguous.data, { packageName: 'nginx', appIds: ['/a', '/b'] });
  });
});
