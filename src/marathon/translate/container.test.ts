import assert from 'node:assert/strict';
import type { AppContainer, NormalizedApp } from '../app.ts';
import { MESOS_SANDBOX } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import { applyContainer, DOCKER_CONFIG_SECRET, isDockerCredentialUri, uidForUser } from './container.ts';
import { emptyDraft } from './draft.ts';
import type { Draft } from './draft.ts';

function docker(overrides: Partial<AppContainer> = {}): AppContainer {
  return {
    type: 'DOCKER',
    image: 'nginx:1.27',
    forcePullImage: false,
    privileged: false,
    parameters: [],
    volumes: [],
    ...overrides,
  };
}

function run(overrides: Partial<NormalizedApp>): Draft {
  const d = emptyDraft();
  applyContainer(testApp(overrides), testContext(), d);
  return d;
}

describe('translate container', () => {
  it('adds no note for a plain command app or a plain Docker app', () => {
    assert.deepEqual(run({}).notes, []);
    assert.deepEqual(run({ cmd: undefined, container: docker() }).notes, []);
    assert.deepEqual(run({ container: docker({ type: 'MESOS' }) }).notes, []);
  });

  describe('image and working directory', () => {
    const cases: { name: string; app: Partial<NormalizedApp>; image: string; workingDir?: string }[] = [
      { name: 'docker image', app: { container: docker() }, image: 'nginx:1.27' },
      {
        name: 'MESOS container with image',
        app: { container: docker({ type: 'MESOS' }) },
        image: 'nginx:1.27',
      },
      { name: 'command only', app: {}, image: 'docker.io/library/busybox:1.37', workingDir: MESOS_SANDBOX },
      {
        name: 'MESOS container without image',
        app: { container: docker({ type: 'MESOS', image: undefined }) },
        image: 'docker.io/library/busybox:1.37',
        workingDir: MESOS_SANDBOX,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const d = run(c.app);
        assert.equal(d.container.image, c.image);
        assert.equal(d.container.workingDir, c.workingDir);
      });
    }
  });

  describe('cmd and args', () => {
    const cases: { name: string; app: Partial<NormalizedApp>; command?: string[]; args?: string[] }[] = [
      { name: 'cmd runs in a shell', app: { cmd: 'echo hi' }, command: ['/bin/sh', '-c', 'echo hi'] },
      {
        name: 'args keep the entrypoint',
        app: { cmd: undefined, args: ['--port', '8080'], container: docker() },
        args: ['--port', '8080'],
      },
      { name: 'neither: image default', app: { cmd: undefined, container: docker() } },
      {
        name: "'$' is escaped against $(VAR) expansion",
        app: { cmd: 'echo $$ $(HOST) $PORT0' },
        command: ['/bin/sh', '-c', 'echo $$$$ $$(HOST) $$PORT0'],
      },
      {
        name: "'$' in args is escaped",
        app: { cmd: undefined, args: ['$(X)'], container: docker() },
        args: ['$$(X)'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const d = run(c.app);
        assert.deepEqual(d.container.command, c.command);
        assert.deepEqual(d.container.args, c.args);
      });
    }
  });

  it('forcePullImage → imagePullPolicy', () => {
    assert.equal(run({ container: docker({ forcePullImage: true }) }).container.imagePullPolicy, 'Always');
    assert.equal(run({ container: docker() }).container.imagePullPolicy, 'IfNotPresent');
    assert.equal(run({}).container.imagePullPolicy, 'IfNotPresent');
  });

  it('privileged: DOCKER sets it, MESOS gets a note', () => {
    assert.equal(
      run({ container: docker({ privileged: true }) }).container.securityContext?.privileged,
      true,
    );
    const d = run({ container: docker({ type: 'MESOS', privileged: true }) });
    assert.equal(d.container.securityContext, undefined);
    assert.deepEqual(
      d.notes.map((n) => [n.path, n.kind]),
      [['/container/docker/privileged', 'ignored']],
    );
  });

  describe('pull credentials', () => {
    it('pullConfig secret → imagePullSecrets with the mapped Secret name', () => {
      const d = run({
        container: docker({ type: 'MESOS', pullConfigSecret: 'config-json' }),
        secrets: { 'config-json': { source: '/docker/Credentials' } },
      });
      assert.deepEqual(d.pod.imagePullSecrets, [{ name: 'docker-credentials' }]);
      assert.deepEqual(d.notes, []);
    });

    const uris: [string, boolean][] = [
      ['file:///home/centos/docker.tar.gz', true],
      ['https://example.com/creds/docker.tar.gz?sig=abc', true],
      ['docker.tar.gz', true],
      ['file:///etc/.dockercfg', true],
      ['https://example.com/my.dockercfg#x', true],
      ['https://example.com/app.tar.gz', false],
      ['https://example.com/mydocker.tar.gz', false],
      ['https://example.com/docker.tar.gz/readme.txt', false],
    ];
    for (const [uri, expected] of uris) {
      it(`isDockerCredentialUri(${uri}) = ${expected}`, () =>
        assert.equal(isDockerCredentialUri(uri), expected));
    }

    it('credential fetch URIs → one dcos-docker-config pull secret and a note per URI', () => {
      const fetch = (uri: string) => ({ uri, extract: true, executable: false, cache: false });
      const d = run({
        container: docker(),
        fetch: [
          fetch('https://x/app.tgz'),
          fetch('file:///home/centos/docker.tar.gz'),
          fetch('file:///etc/.dockercfg'),
        ],
      });
      assert.deepEqual(d.pod.imagePullSecrets, [{ name: DOCKER_CONFIG_SECRET }]);
      assert.deepEqual(
        d.notes.map((n) => [n.path, n.kind]),
        [
          ['/fetch(1)', 'approximated'],
          ['/fetch(2)', 'approximated'],
        ],
      );
    });

    it('docker.credential → note, no pull secret', () => {
      const d = run({ container: docker({ credential: { principal: 'p', secret: 's' } }) });
      assert.equal(d.pod.imagePullSecrets, undefined);
      assert.deepEqual(
        d.notes.map((n) => [n.path, n.kind]),
        [['/container/docker/credential', 'approximated']],
      );
    });
  });

  describe('user', () => {
    const cases: [string | undefined, number | undefined, boolean][] = [
      [undefined, undefined, false],
      ['root', 0, false],
      ['1000', 1000, false],
      ['nobody', 65534, false],
      ['deploy', undefined, true],
    ];
    for (const [user, uid, noted] of cases) {
      it(`${user ?? '(unset)'} → ${uid ?? 'image default'}`, () => {
        const d = run({ user });
        assert.equal(d.container.securityContext?.runAsUser, uid);
        assert.deepEqual(
          d.notes.map((n) => [n.path, n.kind]),
          noted ? [['/user', 'approximated']] : [],
        );
      });
    }
    it('uidForUser', () => {
      assert.deepEqual(['0', '42', 'root', 'nobody', 'www-data', '-1', ''].map(uidForUser), [
        0,
        42,
        0,
        65534,
        undefined,
        undefined,
        undefined,
      ]);
    });
  });

  it('tty → tty and stdin', () => {
    const d = run({ tty: true });
    assert.equal(d.container.tty, true);
    assert.equal(d.container.stdin, true);
    assert.equal(run({}).container.tty, undefined);
  });

  describe('executor', () => {
    const cases: [string, boolean][] = [
      ['', false],
      ['//cmd', false],
      ['/opt/mesos/custom-executor', true],
    ];
    for (const [executor, noted] of cases) {
      it(`"${executor}"`, () => {
        assert.deepEqual(
          run({ executor }).notes.map((n) => [n.path, n.kind]),
          noted ? [['/executor', 'ignored']] : [],
        );
      });
    }
  });

  describe('linuxInfo', () => {
    it('seccomp unconfined → Unconfined profile', () => {
      const d = run({ container: docker({ type: 'MESOS', linuxInfo: { seccomp: { unconfined: true } } }) });
      assert.deepEqual(d.container.securityContext?.seccompProfile, { type: 'Unconfined' });
      assert.deepEqual(d.notes, []);
    });

    it('seccomp profileName → Localhost profile with a note', () => {
      const d = run({
        container: docker({ type: 'MESOS', linuxInfo: { seccomp: { profileName: 'strict.json' } } }),
      });
      assert.deepEqual(d.container.securityContext?.seccompProfile, {
        type: 'Localhost',
        localhostProfile: 'strict.json',
      });
      assert.deepEqual(
        d.notes.map((n) => [n.path, n.kind]),
        [['/container/linuxInfo/seccomp/profileName', 'approximated']],
      );
    });

    it('seccomp unconfined: false is the default, nothing set', () => {
      const d = run({ container: docker({ type: 'MESOS', linuxInfo: { seccomp: { unconfined: false } } }) });
      assert.equal(d.container.securityContext, undefined);
    });

    it('ipcInfo SHARE_PARENT → hostIPC', () => {
      const d = run({
        container: docker({ type: 'MESOS', linuxInfo: { ipcInfo: { mode: 'SHARE_PARENT' } } }),
      });
      assert.equal(d.pod.hostIPC, true);
      assert.deepEqual(d.pod.volumes, []);
      assert.deepEqual(d.notes, []);
    });

    it('ipcInfo PRIVATE with shmSize → memory emptyDir at /dev/shm', () => {
      const d = run({
        container: docker({ type: 'MESOS', linuxInfo: { ipcInfo: { mode: 'PRIVATE', shmSize: 256 } } }),
      });
      assert.equal(d.pod.hostIPC, undefined);
      assert.deepEqual(d.pod.volumes, [
        { name: 'dev-shm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } },
      ]);
      assert.deepEqual(d.container.volumeMounts, [{ name: 'dev-shm', mountPath: '/dev/shm' }]);
    });

    it('shmSize with SHARE_PARENT is noted as ignored', () => {
      const d = run({
        container: docker({ type: 'MESOS', linuxInfo: { ipcInfo: { mode: 'SHARE_PARENT', shmSize: 64 } } }),
      });
      assert.equal(d.pod.hostIPC, true);
      assert.deepEqual(d.pod.volumes, []);
      assert.deepEqual(
        d.notes.map((n) => [n.path, n.kind]),
        [['/container/linuxInfo/ipcInfo/shmSize', 'ignored']],
      );
    });
  });
});
