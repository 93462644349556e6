import assert from 'node:assert/strict';
import type { V1EnvVar } from '@kubernetes/client-node';
import type { NormalizedApp } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import { emptyDraft } from './draft.ts';
import type { Draft } from './draft.ts';
import { applyEnvironment, escapeExpansion, labelEnvName, POD_UID_ENV, scalaDouble } from './environment.ts';

function run(overrides: Partial<NormalizedApp>, d: Draft = emptyDraft()): V1EnvVar[] {
  applyEnvironment(testApp(overrides), testContext(), d);
  assert.deepEqual(d.notes, []);
  return d.container.env;
}

const byName = (env: V1EnvVar[]) => new Map(env.map((e) => [e.name, e]));
const value = (env: V1EnvVar[], name: string) => byName(env).get(name)?.value;

describe('translate environment', () => {
  it('injects Marathon and Mesos variables in a fixed order', () => {
    const env = run({ id: '/prod/web/api' });
    assert.deepEqual(env, [
      { name: 'MARATHON_APP_ID', value: '/prod/web/api' },
      { name: 'MARATHON_APP_VERSION', value: '2026-01-01T00:00:00.000Z' },
      { name: 'MARATHON_APP_RESOURCE_CPUS', value: '1.0' },
      { name: 'MARATHON_APP_RESOURCE_MEM', value: '128.0' },
      { name: 'MARATHON_APP_RESOURCE_DISK', value: '0.0' },
      { name: 'MARATHON_APP_RESOURCE_GPUS', value: '0' },
      { name: 'MARATHON_APP_LABELS', value: '' },
      { name: 'MESOS_SANDBOX', value: '/mnt/mesos/sandbox' },
      { name: POD_UID_ENV, valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
      { name: 'MESOS_TASK_ID', value: `prod_web_api.instance-$(${POD_UID_ENV})._app.1` },
      { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ]);
  });

  it('MARATHON_APP_DOCKER_IMAGE only with an image', () => {
    const container = {
      type: 'DOCKER' as const,
      image: 'nginx:1.27',
      forcePullImage: false,
      privileged: false,
      parameters: [],
      volumes: [],
    };
    const env = run({ container });
    assert.equal(value(env, 'MARATHON_APP_DOCKER_IMAGE'), 'nginx:1.27');
    assert.equal(
      env.findIndex((e) => e.name === 'MARATHON_APP_DOCKER_IMAGE'),
      2,
    );
    assert.equal(byName(run({})).has('MARATHON_APP_DOCKER_IMAGE'), false);
  });

  describe('resource values print like Scala doubles', () => {
    const cases: [Partial<NormalizedApp>, Record<string, string>][] = [
      [
        { cpus: 0.5, mem: 50, disk: 0, gpus: 0 },
        { CPUS: '0.5', MEM: '50.0', DISK: '0.0', GPUS: '0' },
      ],
      [
        { cpus: 2, mem: 2048, disk: 10.5, gpus: 1 },
        { CPUS: '2.0', MEM: '2048.0', DISK: '10.5', GPUS: '1' },
      ],
      [
        { cpus: 0.001, mem: 1e7, disk: 1.25e7 },
        { CPUS: '0.001', MEM: '1.0E7', DISK: '1.25E7' },
      ],
    ];
    for (const [app, expected] of cases) {
      it(JSON.stringify(app), () => {
        const env = run(app);
        for (const [k, v] of Object.entries(expected))
          assert.equal(value(env, `MARATHON_APP_RESOURCE_${k}`), v);
      });
    }
    it('scalaDouble', () => {
      assert.deepEqual([0, 1, 0.1, 128, -3, 1e-4, 123456789, 9999999].map(scalaDouble), [
        '0.0',
        '1.0',
        '0.1',
        '128.0',
        '-3.0',
        '1.0E-4',
        '1.23456789E8',
        '9999999.0',
      ]);
    });
  });

  describe('labels', () => {
    it('MARATHON_APP_LABELS lists the escaped names; one variable per label', () => {
      const env = run({ labels: { HAPROXY_0_VHOST: 'web.example.com', 'dcos.service-name': 'x y', a: '' } });
      assert.equal(value(env, 'MARATHON_APP_LABELS'), 'HAPROXY_0_VHOST A DCOS_SERVICE_NAME');
      assert.equal(value(env, 'MARATHON_APP_LABEL_HAPROXY_0_VHOST'), 'web.example.com');
      assert.equal(value(env, 'MARATHON_APP_LABEL_DCOS_SERVICE_NAME'), 'x y');
      assert.equal(value(env, 'MARATHON_APP_LABEL_A'), '');
    });

    it('skips values of 512+ characters and over-long keys', () => {
      const env = run({ labels: { ok: 'x'.repeat(511), big: 'x'.repeat(512), ['k'.repeat(493)]: 'v' } });
      assert.equal(value(env, 'MARATHON_APP_LABELS'), 'OK');
      assert.equal(byName(env).has('MARATHON_APP_LABEL_BIG'), false);
    });

    it('labelEnvName', () => {
      assert.deepEqual(['a.b-c', 'x..y', 'A_B', 'é1', 'HAPROXY_0_PORT'].map(labelEnvName), [
        'A_B_C',
        'X_Y',
        'A_B',
        '_1',
        'HAPROXY_0_PORT',
      ]);
    });

    it("label values keep '$' literally", () => {
      assert.equal(
        value(run({ labels: { cmd: 'echo $(date)' } }), 'MARATHON_APP_LABEL_CMD'),
        'echo $$(date)',
      );
    });
  });

  describe('user env', () => {
    it('comes after the injected variables, sorted by name, $ escaped', () => {
      const env = run({ env: { ZED: 'z', ALPHA: 'cost $5', MIDDLE: '$(HOST)' } });
      assert.deepEqual(env.slice(-3), [
        { name: 'ALPHA', value: 'cost $$5' },
        { name: 'MIDDLE', value: '$$(HOST)' },
        { name: 'ZED', value: 'z' },
      ]);
    });

    it('secret references → secretKeyRef', () => {
      const env = run({
        env: { DB_PASSWORD: { secret: 'db' } },
        secrets: { db: { source: '/prod/db/password' } },
      });
      assert.deepEqual(byName(env).get('DB_PASSWORD'), {
        name: 'DB_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'prod-db-password', key: 'value' } },
      });
    });

    it('wins over an injected variable of the same name', () => {
      const env = run({ env: { HOST: '0.0.0.0', MESOS_SANDBOX: '/sandbox' } });
      assert.equal(env.filter((e) => e.name === 'HOST').length, 1);
      assert.equal(value(env, 'HOST'), '0.0.0.0');
      assert.equal(value(env, 'MESOS_SANDBOX'), '/sandbox');
    });

    it('variables set by earlier steps win and stay last', () => {
      const d = emptyDraft();
      d.container.env.push({ name: 'A', value: 'from-docker' }, { name: 'HOST', value: 'h' });
      const env = run({ env: { A: 'from-env', B: 'b' } }, d);
      assert.deepEqual(
        env.filter((e) => ['A', 'B', 'HOST'].includes(e.name)),
        [
          { name: 'B', value: 'b' },
          { name: 'A', value: 'from-docker' },
          { name: 'HOST', value: 'h' },
        ],
      );
    });
  });

  it('escapeExpansion', () => {
    assert.equal(escapeExpansion('a $B $(C) $$ d'), 'a $$B $$(C) $$$$ d');
    assert.equal(escapeExpansion('plain'), 'plain');
  });
});
