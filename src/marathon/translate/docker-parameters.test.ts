import assert from 'node:assert/strict';
import type { AppContainer, DockerParameter, NormalizedApp } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import { applyDockerParameters, parseDockerSize } from './docker-parameters.ts';
import { emptyDraft } from './draft.ts';
import type { Draft, NoteKind } from './draft.ts';

function container(parameters: DockerParameter[], type: AppContainer['type'] = 'DOCKER'): AppContainer {
  return { type, image: 'nginx:1.27', forcePullImage: false, privileged: false, parameters, volumes: [] };
}

function run(params: [string, string][], app: Partial<NormalizedApp> = {}, d = emptyDraft()): Draft {
  const parameters = params.map(([key, value]) => ({ key, value }));
  applyDockerParameters(
    testApp({ cmd: undefined, container: container(parameters), ...app }),
    testContext(),
    d,
  );
  return d;
}

const notes = (d: Draft) => d.notes.map((n) => [n.path, n.kind]);
const sc = (d: Draft) => d.container.securityContext;

describe('translate docker parameters', () => {
  it('does nothing without a container or parameters', () => {
    const d = emptyDraft();
    applyDockerParameters(testApp(), testContext(), d);
    assert.deepEqual(d, emptyDraft());
    assert.deepEqual(run([]), emptyDraft());
  });

  describe('mapped flags', () => {
    const cases: { name: string; params: [string, string][]; check: (d: Draft) => void }[] = [
      {
        name: 'user uid',
        params: [['user', '1000']],
        check: (d) => assert.deepEqual(sc(d), { runAsUser: 1000 }),
      },
      {
        name: 'u uid:gid',
        params: [['u', '1000:2000']],
        check: (d) => assert.deepEqual(sc(d), { runAsUser: 1000, runAsGroup: 2000 }),
      },
      {
        name: '--user root',
        params: [['--user', 'root']],
        check: (d) => assert.deepEqual(sc(d), { runAsUser: 0 }),
      },
      {
        name: 'workdir',
        params: [['workdir', '/srv']],
        check: (d) => assert.equal(d.container.workingDir, '/srv'),
      },
      { name: '-w', params: [['-w', '/app']], check: (d) => assert.equal(d.container.workingDir, '/app') },
      { name: 'hostname', params: [['hostname', 'kdc']], check: (d) => assert.equal(d.pod.hostname, 'kdc') },
      {
        name: 'env and e, later wins, $ escaped',
        params: [
          ['env', 'A=1'],
          ['e', 'B=x=$y'],
          ['env', 'A=2'],
        ],
        check: (d) =>
          assert.deepEqual(d.container.env, [
            { name: 'B', value: 'x=$$y' },
            { name: 'A', value: '2' },
          ]),
      },
      {
        name: 'label and l → pod annotations',
        params: [
          ['label', 'com.example.team=web'],
          ['l', 'flag'],
        ],
        check: (d) => assert.deepEqual(d.podAnnotations, { 'com.example.team': 'web', flag: '' }),
      },
      {
        name: 'cap-add / cap-drop normalised',
        params: [
          ['cap-add', 'net_admin'],
          ['cap-add', 'CAP_SYS_TIME,NET_ADMIN'],
          ['cap-drop', 'all'],
        ],
        check: (d) =>
          assert.deepEqual(sc(d)?.capabilities, { add: ['NET_ADMIN', 'SYS_TIME'], drop: ['ALL'] }),
      },
      {
        name: 'read-only',
        params: [['read-only', 'true']],
        check: (d) => assert.equal(sc(d)?.readOnlyRootFilesystem, true),
      },
      {
        name: 'add-host, merged per ip, IPv6 kept',
        params: [
          ['add-host', 'db:10.0.0.5'],
          ['add-host', 'db2:10.0.0.5'],
          ['add-host', 'v6host:::1'],
          ['add-host', 'eq=192.168.1.1'],
        ],
        check: (d) =>
          assert.deepEqual(d.pod.hostAliases, [
            { ip: '10.0.0.5', hostnames: ['db', 'db2'] },
            { ip: '::1', hostnames: ['v6host'] },
            { ip: '192.168.1.1', hostnames: ['eq'] },
          ]),
      },
      {
        name: 'dns-search and dns-opt keep the default policy',
        params: [
          ['dns-search', 'Corp.Example.com.'],
          ['dns-opt', 'ndots:2'],
          ['dns-option', 'rotate'],
        ],
        check: (d) => {
          assert.equal(d.pod.dnsPolicy, undefined);
          assert.deepEqual(d.pod.dnsConfig, {
            searches: ['corp.example.com'],
            options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }],
          });
        },
      },
      {
        name: 'safe sysctl → pod sysctls',
        params: [['sysctl', 'net.ipv4.ip_local_port_range=1024 65000']],
        check: (d) =>
          assert.deepEqual(d.pod.securityContext?.sysctls, [
            { name: 'net.ipv4.ip_local_port_range', value: '1024 65000' },
          ]),
      },
      {
        name: 'shm-size → /dev/shm memory emptyDir',
        params: [['shm-size', '1g']],
        check: (d) => {
          assert.deepEqual(d.pod.volumes, [
            { name: 'dev-shm', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
          ]);
          assert.deepEqual(d.container.volumeMounts, [{ name: 'dev-shm', mountPath: '/dev/shm' }]);
        },
      },
      {
        name: 'shm-size 0 keeps the default',
        params: [['shm-size', '0']],
        check: (d) => assert.deepEqual(d.pod.volumes, []),
      },
      {
        name: 'entrypoint replaces the command, args kept',
        params: [['entrypoint', '/docker-entrypoint.sh']],
        check: (d) => {
          assert.deepEqual(d.container.command, ['/docker-entrypoint.sh']);
          assert.equal(d.container.args, undefined);
        },
      },
      {
        name: 'volume host path, read-only',
        params: [['volume', '/var/log:/logs:ro']],
        check: (d) => {
          assert.deepEqual(d.pod.volumes, [{ name: 'docker-param-0', hostPath: { path: '/var/log' } }]);
          assert.deepEqual(d.container.volumeMounts, [
            { name: 'docker-param-0', mountPath: '/logs', readOnly: true },
          ]);
        },
      },
      {
        name: 'v host path, read-write',
        params: [['v', '/data:/data']],
        check: (d) => {
          assert.deepEqual(d.pod.volumes, [{ name: 'docker-param-0', hostPath: { path: '/data' } }]);
          assert.deepEqual(d.container.volumeMounts, [{ name: 'docker-param-0', mountPath: '/data' }]);
        },
      },
      {
        name: 'tmpfs with size → memory emptyDir',
        params: [['tmpfs', '/run:rw,size=64m']],
        check: (d) => {
          assert.deepEqual(d.pod.volumes, [
            { name: 'docker-param-0', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          ]);
          assert.deepEqual(d.container.volumeMounts, [{ name: 'docker-param-0', mountPath: '/run' }]);
        },
      },
      {
        name: 'tmpfs at /dev/shm resizes /dev/shm',
        params: [['tmpfs', '/dev/shm:size=128m']],
        check: (d) =>
          assert.deepEqual(d.pod.volumes, [
            { name: 'dev-shm', emptyDir: { medium: 'Memory', sizeLimit: '128Mi' } },
          ]),
      },
      { name: 'ipc host', params: [['ipc', 'host']], check: (d) => assert.equal(d.pod.hostIPC, true) },
      {
        name: 'ipc private is the default',
        params: [['ipc', 'private']],
        check: (d) => assert.equal(d.pod.hostIPC, undefined),
      },
      { name: 'pid host', params: [['pid', 'host']], check: (d) => assert.equal(d.pod.hostPID, true) },
      {
        name: 'privileged',
        params: [['privileged', 'true']],
        check: (d) => assert.equal(sc(d)?.privileged, true),
      },
      {
        name: 'tty and interactive',
        params: [
          ['t', 'true'],
          ['interactive', 'true'],
        ],
        check: (d) => {
          assert.equal(d.container.tty, true);
          assert.equal(d.container.stdin, true);
        },
      },
      {
        name: 'security-opt',
        params: [
          ['security-opt', 'no-new-privileges'],
          ['security-opt', 'seccomp=unconfined'],
          ['security-opt', 'apparmor:unconfined'],
        ],
        check: (d) =>
          assert.deepEqual(sc(d), {
            allowPrivilegeEscalation: false,
            seccompProfile: { type: 'Unconfined' },
            appArmorProfile: { type: 'Unconfined' },
          }),
      },
      {
        name: 'group-add',
        params: [
          ['group-add', '100'],
          ['group-add', '100'],
          ['group-add', '0'],
        ],
        check: (d) => assert.deepEqual(d.pod.securityContext?.supplementalGroups, [100, 0]),
      },
      { name: 'init false is the default', params: [['init', 'false']], check: () => {} },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const d = run(c.params);
        c.check(d);
        assert.deepEqual(d.notes, [], 'exact mapping, no note');
      });
    }
  });

  it('dns → dnsPolicy None with nameservers, one note, at most 3', () => {
    const d = run([
      ['dns', '10.0.0.2'],
      ['dns', '10.0.0.3'],
      ['dns', '10.0.0.2'],
      ['dns', '10.0.0.4'],
      ['dns', '10.0.0.5'],
    ]);
    assert.equal(d.pod.dnsPolicy, 'None');
    assert.deepEqual(d.pod.dnsConfig?.nameservers, ['10.0.0.2', '10.0.0.3', '10.0.0.4']);
    assert.deepEqual(notes(d), [
      ['/container/docker/parameters(0)', 'approximated'],
      ['/container/docker/parameters(4)', 'ignored'],
    ]);
  });

  it('entrypoint with cmd keeps "-c <cmd>" as the arguments, as Mesos passed them', () => {
    const d = emptyDraft();
    d.container.command = ['/bin/sh', '-c', 'echo $$HOME'];
    run([['entrypoint', '/tini']], { cmd: 'echo $HOME' }, d);
    assert.deepEqual(d.container.command, ['/tini']);
    assert.deepEqual(d.container.args, ['-c', 'echo $$HOME']);
  });

  it('a volume at an already mounted path is not added', () => {
    const d = emptyDraft();
    d.container.volumeMounts = [{ name: 'mesos-sandbox', mountPath: '/mnt/mesos/sandbox' }];
    run([['volume', '/tmp:/mnt/mesos/sandbox/']], {}, d);
    assert.deepEqual(d.pod.volumes, []);
    assert.deepEqual(notes(d), [['/container/docker/parameters(0)', 'ignored']]);
  });

  describe('noted flags', () => {
    const cases: {
      name: string;
      params: [string, string][];
      kinds: NoteKind[];
      check?: (d: Draft) => void;
    }[] = [
      { name: 'memory', params: [['memory', '1g']], kinds: ['ignored'] },
      { name: 'memory-swap', params: [['memory-swap', '-1']], kinds: ['ignored'] },
      { name: 'cpu-shares', params: [['cpu-shares', '512']], kinds: ['ignored'] },
      { name: 'net', params: [['net', 'host']], kinds: ['ignored'] },
      { name: 'network', params: [['network', 'my-net']], kinds: ['ignored'] },
      { name: 'init', params: [['init', 'true']], kinds: ['ignored'] },
      { name: 'unknown key (name)', params: [['name', 'kdc']], kinds: ['ignored'] },
      { name: 'unknown key (log-driver)', params: [['log-driver', 'journald']], kinds: ['ignored'] },
      {
        name: 'user name',
        params: [['user', 'deploy']],
        kinds: ['approximated'],
        check: (d) => assert.equal(sc(d), undefined),
      },
      {
        name: 'uid with group name',
        params: [['user', '1000:staff']],
        kinds: ['approximated'],
        check: (d) => assert.equal(sc(d), undefined),
      },
      {
        name: 'FQDN hostname → first label',
        params: [['hostname', 'Web.example.com']],
        kinds: ['approximated'],
        check: (d) => assert.equal(d.pod.hostname, 'web'),
      },
      { name: 'invalid hostname', params: [['h', '_bad_']], kinds: ['ignored'] },
      {
        name: 'env without value',
        params: [['env', 'HOME']],
        kinds: ['ignored'],
        check: (d) => assert.deepEqual(d.container.env, []),
      },
      { name: 'invalid label key', params: [['label', 'a b=c']], kinds: ['ignored'] },
      { name: 'read-only not boolean', params: [['read-only', 'yes']], kinds: ['ignored'] },
      {
        name: 'add-host host-gateway',
        params: [['add-host', 'host.docker.internal:host-gateway']],
        kinds: ['ignored'],
      },
      { name: 'add-host bad ip', params: [['add-host', 'db:not-an-ip']], kinds: ['ignored'] },
      { name: 'dns not an ip', params: [['dns', 'resolver.local']], kinds: ['ignored'] },
      { name: 'dns-search "."', params: [['dns-search', '.']], kinds: ['ignored'] },
      {
        name: 'unsafe sysctl applied with a note',
        params: [['sysctl', 'net.core.somaxconn=1024']],
        kinds: ['approximated'],
        check: (d) =>
          assert.deepEqual(d.pod.securityContext?.sysctls, [{ name: 'net.core.somaxconn', value: '1024' }]),
      },
      { name: 'sysctl without value', params: [['sysctl', 'kernel.msgmax']], kinds: ['ignored'] },
      { name: 'shm-size not a size', params: [['shm-size', 'big']], kinds: ['ignored'] },
      { name: 'empty entrypoint', params: [['entrypoint', '']], kinds: ['ignored'] },
      {
        name: 'named volume → emptyDir',
        params: [['volume', 'pgdata:/var/lib/postgresql/data']],
        kinds: ['approximated'],
        check: (d) => assert.deepEqual(d.pod.volumes, [{ name: 'docker-param-0', emptyDir: {} }]),
      },
      {
        name: 'anonymous volume with mode → emptyDir',
        params: [['volume', '/cache:ro']],
        kinds: ['approximated'],
        check: (d) =>
          assert.deepEqual(d.container.volumeMounts, [
            { name: 'docker-param-0', mountPath: '/cache', readOnly: true },
          ]),
      },
      {
        name: 'volume options beyond ro/rw',
        params: [['volume', '/etc/ssl:/etc/ssl:ro,z']],
        kinds: ['approximated'],
        check: (d) =>
          assert.deepEqual(d.pod.volumes, [{ name: 'docker-param-0', hostPath: { path: '/etc/ssl' } }]),
      },
      { name: 'volume relative destination', params: [['volume', '/a:b:c']], kinds: ['ignored'] },
      { name: 'tmpfs mode option', params: [['tmpfs', '/run:mode=1777']], kinds: ['approximated'] },
      { name: 'ipc container:x', params: [['ipc', 'container:other']], kinds: ['ignored'] },
      { name: 'pid container:x', params: [['pid', 'container:other']], kinds: ['ignored'] },
      { name: 'security-opt label', params: [['security-opt', 'label=disable']], kinds: ['ignored'] },
      { name: 'group-add name', params: [['group-add', 'audio']], kinds: ['approximated'] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const d = run(c.params);
        assert.deepEqual(
          d.notes.map((n) => n.kind),
          c.kinds,
        );
        assert.ok(d.notes.every((n) => n.path === '/container/docker/parameters(0)' && n.message.length > 0));
        c.check?.(d);
      });
    }
  });

  it('note messages name the flag', () => {
    const d = run([
      ['name', 'kdc'],
      ['--log-opt', 'max-size=10m'],
    ]);
    assert.match(d.notes[0]?.message ?? '', /--name/);
    assert.equal(d.notes[1]?.path, '/container/docker/parameters(1)');
    assert.match(d.notes[1]?.message ?? '', /--log-opt/);
  });

  it('MESOS containers ignore every parameter', () => {
    const d = emptyDraft();
    const app = testApp({ container: container([{ key: 'user', value: '1000' }], 'MESOS') });
    applyDockerParameters(app, testContext(), d);
    assert.equal(d.container.securityContext, undefined);
    assert.deepEqual(notes(d), [['/container/docker/parameters(0)', 'ignored']]);
  });

  describe('parseDockerSize', () => {
    const cases: [string, string | undefined][] = [
      ['64m', '64Mi'],
      ['64M', '64Mi'],
      ['64mb', '64Mi'],
      ['64MiB', '64Mi'],
      ['512k', '512Ki'],
      ['2g', '2Gi'],
      ['1t', '1Ti'],
      ['1024', '1024'],
      ['1024b', '1024'],
      ['1.5g', String(1.5 * 1024 ** 3)],
      ['0.5m', '524288'],
      ['64 m', '64Mi'],
      ['', undefined],
      ['-1', undefined],
      ['1x', undefined],
      ['m', undefined],
    ];
    for (const [input, expected] of cases) {
      it(`"${input}" → ${expected}`, () => assert.equal(parseDockerSize(input), expected));
    }
  });
});
