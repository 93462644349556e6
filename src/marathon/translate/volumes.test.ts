import assert from 'node:assert/strict';
import type { AppVolume, NormalizedApp } from '../app.ts';
import { MESOS_SANDBOX } from '../app.ts';
import { RETAIN_ANNOTATION } from '../names.ts';
import { testApp, testContext } from '../test-app.ts';
import { emptyDraft, SANDBOX_VOLUME, type Draft } from './draft.ts';
import { EXTERNAL_NAME_ANNOTATION, EXTERNAL_OPTIONS_ANNOTATION, applyVolumes } from './volumes.ts';

const SANDBOX_MOUNT = { name: SANDBOX_VOLUME, mountPath: MESOS_SANDBOX };

function run(volumes: AppVolume[], overrides: Partial<NormalizedApp> = {}): Draft {
  // As translateApp prepares the draft.
  const d = emptyDraft();
  d.pod.volumes.push({ name: SANDBOX_VOLUME, emptyDir: {} });
  d.container.volumeMounts = [{ ...SANDBOX_MOUNT }];
  const app = testApp({
    container: { type: 'MESOS', forcePullImage: false, privileged: false, parameters: [], volumes },
    ...overrides,
  });
  applyVolumes(app, testContext(), d);
  return d;
}
const mounts = (d: Draft) => d.container.volumeMounts?.slice(1);
const volumes = (d: Draft) => d.pod.volumes.slice(1);
const persistent = (containerPath: string, extra: Partial<AppVolume> = {}): AppVolume =>
  ({
    kind: 'persistent',
    containerPath,
    mode: 'RW',
    type: 'root',
    size: 10,
    ...extra,
  }) as AppVolume;

describe('translate volumes', () => {
  it('leaves a Deployment without volumes untouched', () => {
    const d = run([]);
    assert.equal(d.kind, 'Deployment');
    assert.deepEqual(mounts(d), []);
    assert.deepEqual(volumes(d), []);
  });

  it('turns persistent volumes into claim templates of a StatefulSet (persistent-volume-app fixture)', () => {
    const d = run([persistent('data')]);
    assert.equal(d.kind, 'StatefulSet');
    assert.deepEqual(d.volumeClaimTemplates, [
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Mi' } } },
      },
    ]);
    assert.deepEqual(mounts(d), [{ name: 'data', mountPath: `${MESOS_SANDBOX}/data` }]);
    assert.deepEqual(volumes(d), []);
    assert.deepEqual(d.notes, []);
  });

  it('maps persistent profileName, mode, maxSize and type (table)', () => {
    const table: [Partial<AppVolume>, object, object, string[]][] = [
      [{ profileName: 'fast' }, { storageClassName: 'fast' }, {}, []],
      [{ mode: 'RO' }, {}, { readOnly: true }, []],
      [{ type: 'mount', maxSize: 100 }, {}, {}, ['/persistent/maxSize', '/persistent/type']],
      [{ type: 'path' }, {}, {}, ['/persistent/type']],
    ];
    for (const [extra, spec, mount, notes] of table) {
      const d = run([persistent('My_Data', extra)]);
      const msg = JSON.stringify(extra);
      assert.deepEqual(
        d.volumeClaimTemplates[0]?.spec,
        {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '10Mi' } },
          ...spec,
        },
        msg,
      );
      assert.deepEqual(
        mounts(d),
        [{ name: 'my-data', mountPath: `${MESOS_SANDBOX}/My_Data`, ...mount }],
        msg,
      );
      assert.deepEqual(
        d.notes.map((n) => n.path),
        notes.map((p) => `/container/volumes(0)${p}`),
        msg,
      );
    }
  });

  it('mounts absolute host paths as hostPath volumes (table)', () => {
    const table: [string, string, 'RO' | 'RW', string, string][] = [
      [
        '/var/run/docker.sock',
        '/var/run/docker.sock',
        'RW',
        'host-var-run-docker-sock',
        '/var/run/docker.sock',
      ],
      ['/host/proc/mounts', '/proc/mounts', 'RO', 'host-host-proc-mounts', '/host/proc/mounts'],
      ['logs', '/var/log', 'RW', 'host-logs', `${MESOS_SANDBOX}/logs`],
    ];
    for (const [containerPath, hostPath, mode, name, mountPath] of table) {
      const d = run([{ kind: 'host', containerPath, hostPath, mode }]);
      assert.equal(d.kind, 'Deployment');
      assert.deepEqual(volumes(d), [{ name, hostPath: { path: hostPath } }], containerPath);
      assert.deepEqual(
        mounts(d),
        [{ name, mountPath, ...(mode === 'RO' ? { readOnly: true } : {}) }],
        containerPath,
      );
    }
  });

  it('mounts relative host paths from a persistent volume or the sandbox (table)', () => {
    const table: [string, string, object][] = [
      ['mysqldata', '/var/lib/mysql', { name: 'mysqldata', mountPath: '/var/lib/mysql' }],
      ['mysqldata/sub/dir', '/x', { name: 'mysqldata', mountPath: '/x', subPath: 'sub/dir' }],
      ['./mysqldata/', '/y', { name: 'mysqldata', mountPath: '/y' }],
      ['conf', '/etc/app', { name: SANDBOX_VOLUME, mountPath: '/etc/app', subPath: 'conf' }],
      [
        'conf/app.yml',
        'app.yml',
        { name: SANDBOX_VOLUME, mountPath: `${MESOS_SANDBOX}/app.yml`, subPath: 'conf/app.yml' },
      ],
      ['.', '/sandbox', { name: SANDBOX_VOLUME, mountPath: '/sandbox' }],
    ];
    for (const [hostPath, containerPath, mount] of table) {
      const d = run([persistent('mysqldata'), { kind: 'host', containerPath, hostPath, mode: 'RW' }]);
      assert.deepEqual(mounts(d)?.[1], mount, hostPath);
      assert.deepEqual(volumes(d), [], hostPath);
    }
    const ro = run([{ kind: 'host', containerPath: '/c', hostPath: 'c', mode: 'RO' }]);
    assert.deepEqual(mounts(ro), [{ name: SANDBOX_VOLUME, mountPath: '/c', subPath: 'c', readOnly: true }]);
    const escape = run([{ kind: 'host', containerPath: '/c', hostPath: '../etc', mode: 'RW' }]);
    assert.deepEqual(mounts(escape), []);
    assert.deepEqual(
      escape.notes.map((n) => [n.path, n.kind]),
      [['/container/volumes(0)/hostPath', 'ignored']],
    );
  });

  it('mounts a secret volume as a single file', () => {
    const d = run(
      [
        { kind: 'secret', containerPath: '/etc/db/password', secret: 'pw' },
        { kind: 'secret', containerPath: 'password', secret: 'pw' },
        { kind: 'secret', containerPath: '/missing', secret: 'nope' },
      ],
      { secrets: { pw: { source: '/prod/db/password' } } },
    );
    assert.deepEqual(volumes(d), [
      {
        name: 'secret-prod-db-password',
        secret: { secretName: 'prod-db-password', items: [{ key: 'value', path: 'value' }] },
      },
    ]);
    assert.deepEqual(mounts(d), [
      { name: 'secret-prod-db-password', mountPath: '/etc/db/password', subPath: 'value', readOnly: true },
      {
        name: 'secret-prod-db-password',
        mountPath: `${MESOS_SANDBOX}/password`,
        subPath: 'value',
        readOnly: true,
      },
    ]);
    assert.deepEqual(
      d.notes.map((n) => [n.path, n.kind]),
      [['/container/volumes(2)/secret', 'ignored']],
    );
  });

  it('creates a retained claim for an external volume (external-volume-mesos-app fixture)', () => {
    const d = run([
      {
        kind: 'external',
        containerPath: 'test-rexray-volume',
        mode: 'RW',
        name: 'marathon-si-test-vol',
        provider: 'dvdi',
        size: 1,
        options: { 'dvdi/driver': 'rexray' },
        shared: false,
      },
    ]);
    assert.equal(d.kind, 'Deployment');
    assert.deepEqual(d.extraObjects, [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: 'marathon-si-test-vol',
          namespace: 'test',
          labels: { 'app.kubernetes.io/managed-by': 'dcos-operator' },
          annotations: {
            [RETAIN_ANNOTATION]: 'true',
            [EXTERNAL_NAME_ANNOTATION]: 'marathon-si-test-vol',
            [EXTERNAL_OPTIONS_ANNOTATION]: '{"dvdi/driver":"rexray"}',
          },
        },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ]);
    assert.deepEqual(volumes(d), [
      { name: 'ext-marathon-si-test-vol', persistentVolumeClaim: { claimName: 'marathon-si-test-vol' } },
    ]);
    assert.deepEqual(mounts(d), [
      { name: 'ext-marathon-si-test-vol', mountPath: `${MESOS_SANDBOX}/test-rexray-volume` },
    ]);
    assert.deepEqual(d.notes, []);
  });

  it('maps shared, mode, missing size and extra options of external volumes', () => {
    const d = run([
      {
        kind: 'external',
        containerPath: '/data',
        mode: 'RO',
        name: 'Shared_Vol',
        provider: 'dvdi',
        options: { 'dvdi/driver': 'rexray', 'dvdi/volumetype': 'io1' },
        shared: true,
      },
      {
        kind: 'external',
        containerPath: '/again',
        mode: 'RW',
        name: 'Shared_Vol',
        provider: 'dvdi',
        options: {},
        shared: true,
      },
    ]);
    assert.equal(d.extraObjects.length, 1, 'one claim per external name');
    const claim = d.extraObjects[0] as { metadata: { name: string }; spec: object };
    assert.match(claim.metadata.name, /^shared-vol-[0-9a-f]{8}$/);
    assert.deepEqual(claim.spec, {
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '16Gi' } },
    });
    assert.deepEqual(mounts(d), [
      { name: 'ext-shared-vol', mountPath: '/data', readOnly: true },
      { name: 'ext-shared-vol', mountPath: '/again' },
    ]);
    assert.deepEqual(
      d.notes.map((n) => [n.path, n.kind]),
      [
        ['/container/volumes(0)/external/size', 'approximated'],
        ['/container/volumes(0)/external/options', 'ignored'],
      ],
    );
  });

  it('keeps volume names unique and valid', () => {
    const d = run([
      persistent('mesos-sandbox'),
      persistent('Data'),
      persistent('data'),
      { kind: 'host', containerPath: '/a/b', hostPath: '/x', mode: 'RW' },
      { kind: 'host', containerPath: '/a.b', hostPath: '/y', mode: 'RW' },
      { kind: 'host', containerPath: `/${'long-'.repeat(20)}`, hostPath: '/z', mode: 'RW' },
    ]);
    const names = [
      ...d.pod.volumes.map((v) => v.name),
      ...d.volumeClaimTemplates.map((t) => t.metadata?.name ?? ''),
    ];
    assert.equal(new Set(names).size, names.length, names.join(' '));
    for (const n of names) assert.match(n, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, n);
    assert.deepEqual(
      d.volumeClaimTemplates.map((t) => t.metadata?.name),
      ['mesos-sandbox-2', 'data', 'data-2'],
    );
  });
});
