import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildCrd } from './crd.ts';
import { marathonAppResource, marathonAppStatusSchema, parseMarathonAppSpec } from './marathon-app.ts';
import type { MarathonErrorDetail } from './marathon-errors.ts';
import { PATH_ID_MESSAGE } from './marathon-path-id.ts';

// The shared fixtures sit beside the repository (see its README); the fixture tests skip without them.
const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/marathon/apps');

/** Fixtures that are not complete, valid app definitions (see the fixtures' SOURCES.md). */
const NOT_VALID: Record<string, string> = {
  'app.json': "sets both cmd and args, which Marathon rejects too (the fixture is a 'shape reference')",
  'app_patch.json': 'partial PATCH body without cmd, args or container',
  'apps_patch.json': 'array of partial PATCH bodies',
  'app_add_400.json': 'docker.network "bogus", which Marathon rejects too',
};
// docker_ippc.json parses: its ipAddress (no discovery ports) next to container.portMappings is allowed by
// Marathon 1.5+ as well; the cross-field rules are src/marathon/validate.ts's.

function errorsOf(input: unknown): MarathonErrorDetail[] {
  const result = parseMarathonAppSpec(input);
  assert.equal(result.ok, false, 'expected the spec to be rejected');
  return result.ok ? [] : result.details;
}

function errorsAt(input: unknown, at: string): string[] {
  const detail = errorsOf(input).find((d) => d.path === at);
  assert.ok(detail, `no error at ${at}: ${JSON.stringify(errorsOf(input))}`);
  return detail.errors;
}

describe('MarathonApp spec', () => {
  describe('Marathon fixtures', () => {
    const files = fs.existsSync(fixtures) ? fs.readdirSync(fixtures).filter((f) => f.endsWith('.json')) : [];

    it('has the shared fixtures', function () {
      if (files.length === 0) this.skip();
      assert.ok(files.length > 20);
    });

    for (const file of files.filter((f) => NOT_VALID[f] === undefined)) {
      it(`parses ${file}`, () => {
        const body: unknown = JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8'));
        for (const app of Array.isArray(body) ? body : [body]) {
          const result = parseMarathonAppSpec(app);
          assert.ok(result.ok, JSON.stringify(result.ok ? null : result.details));
          // every field is kept, typed or not
          for (const [key, value] of Object.entries(app as Record<string, unknown>)) {
            assert.deepEqual(result.value[key], value, `${key} kept`);
          }
        }
      });
    }

    it('rejects app.json for its cmd and args, like Marathon', function () {
      if (files.length === 0) this.skip();
      const app: unknown = JSON.parse(fs.readFileSync(path.join(fixtures, 'app.json'), 'utf8'));
      const details = errorsOf(app);
      assert.deepEqual(
        details.map((d) => d.path),
        ['/args', '/env/PASSWORD/secret'],
      );
    });
  });

  describe('defaults and unknown fields', () => {
    it("fills in Marathon's defaults", () => {
      const result = parseMarathonAppSpec({ cmd: 'sleep 10' });
      assert.ok(result.ok);
      assert.deepEqual(result.value, { cmd: 'sleep 10', instances: 1, cpus: 1, mem: 128, disk: 0, gpus: 0 });
    });

    it('keeps every field as sent, typed or not', () => {
      const spec = {
        cmd: 'x',
        portDefinitions: [{ port: 0, name: 'http' }],
        container: { type: 'DOCKER', docker: { image: 'nginx', network: 'BRIDGE' }, volumes: [] },
        healthChecks: [{ protocol: 'HTTP' }],
      };
      const result = parseMarathonAppSpec(spec);
      assert.ok(result.ok);
      assert.deepEqual(result.value.portDefinitions, spec.portDefinitions);
      assert.deepEqual(result.value.container, spec.container);
      assert.deepEqual(result.value.healthChecks, spec.healthChecks);
    });

    it('accepts an image-only app, args-only app and args: [] next to cmd', () => {
      for (const spec of [
        { container: { docker: { image: 'nginx' } } },
        { args: ['serve'] },
        { cmd: 'x', args: [] },
        { cmd: 'x', instances: 0 },
      ]) {
        const result = parseMarathonAppSpec(spec);
        assert.ok(result.ok, JSON.stringify(spec));
      }
    });
  });

  describe('per-field errors', () => {
    it('negative instances', () => {
      assert.deepEqual(errorsOf({ cmd: 'x', instances: -1 }), [
        { path: '/instances', errors: ['got -1, expected 0 or more'] },
      ]);
    });

    it('cmd and args together', () => {
      assert.deepEqual(errorsOf({ cmd: 'x', args: ['y'] }), [
        {
          path: '/args',
          errors: [
            "'cmd' and 'args' are mutually exclusive: give a shell command or an argument vector, not both",
          ],
        },
      ]);
    });

    it('nothing to run', () => {
      assert.deepEqual(errorsOf({ instances: 1, container: { type: 'MESOS' } }), [
        {
          path: '/',
          errors: ["AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."],
        },
      ]);
    });

    it('ids', () => {
      for (const id of ['/Bad_Id', '/', '', '/a//b', '/-a', '/a-']) {
        assert.match(errorsAt({ cmd: 'x', id }, '/id').join(), /'\/'-separated path/, id);
      }
      for (const id of ['/a/restart', 'tasks', '/a/versions/', '/a/.', '/a/..']) {
        assert.deepEqual(
          errorsAt({ cmd: 'x', id }, '/id'),
          ['must not end with any of the following reserved keywords: restart, tasks, versions, ., ..'],
          id,
        );
      }
      for (const id of ['/prod/web', 'web', '../backend', '/a.b/c-d/e0', '/a/b/']) {
        assert.ok(parseMarathonAppSpec({ cmd: 'x', id }).ok, id);
      }
      assert.match(errorsAt({ cmd: 'x', id: `/${'a'.repeat(600)}` }, '/id').join(), /at most 512/);
    });

    it('resources', () => {
      assert.deepEqual(errorsAt({ cmd: 'x', cpus: -0.1 }, '/cpus'), ['got -0.1, expected 0.001 or more']);
      assert.deepEqual(errorsAt({ cmd: 'x', cpus: 0 }, '/cpus'), ['got 0, expected 0.001 or more']);
      assert.deepEqual(errorsAt({ cmd: 'x', mem: -1 }, '/mem'), ['got -1, expected 0 or more']);
      assert.deepEqual(errorsAt({ cmd: 'x', disk: -1 }, '/disk'), ['got -1, expected 0 or more']);
      assert.match(errorsAt({ cmd: 'x', gpus: 0.5 }, '/gpus').join(), /expected int/);
      assert.deepEqual(errorsAt({ cmd: 'x', instances: '2' }, '/instances'), ['expected number, got string']);
      assert.deepEqual(errorsAt({ cmd: '' }, '/cmd'), ['must not be an empty string']);
    });

    it('constraints', () => {
      const at = (constraint: string[]) =>
        errorsAt({ cmd: 'x', constraints: [['hostname', 'UNIQUE'], constraint] }, '/constraints(1)');
      assert.deepEqual(at(['hostname']), ['Each constraint must have either 2 or 3 fields']);
      assert.deepEqual(at(['a', 'b', 'c', 'd']), ['Each constraint must have either 2 or 3 fields']);
      assert.match(at(['hostname', 'FOO']).join(), /^operator must be one of the following UNIQUE, CLUSTER/);
      assert.deepEqual(at(['hostname', 'UNIQUE', 'x']), ['UNIQUE does not accept a value']);
      assert.deepEqual(at(['rack', 'GROUP_BY', 'x']), [
        'GROUP BY must define an integer value or else no value at all',
      ]);
      assert.deepEqual(at(['rack', 'MAX_PER']), ['MAX_PER requires an integer value']);
      assert.deepEqual(at(['rack', 'LIKE']), [
        'LIKE and UNLIKE require a non-empty, regular expression value',
      ]);
      assert.deepEqual(at(['rack', 'IS', 'a b']), ['IS only supports Mesos text and float values']);
      assert.deepEqual(at(['', 'UNIQUE']), ['missing field for constraint declaration']);
      assert.deepEqual(errorsAt({ cmd: 'x', constraints: [['rack', 'LIKE', '(']] }, '/constraints(0)(2)'), [
        'is not a valid regular expression',
      ]);
      for (const ok of [
        ['hostname', 'unique'],
        ['rack', 'GROUP_BY'],
        ['rack', 'group_by', '3'],
        ['rack', 'MAX_PER', '+2'],
        ['rack', 'CLUSTER'],
        ['rack', 'CLUSTER', ''],
        ['rack', 'LIKE', 'rack-[0-9]+'],
        ['rack', 'IS'],
        ['rack', 'IS', 'a.b/c_d-1'],
      ]) {
        assert.ok(parseMarathonAppSpec({ cmd: 'x', constraints: [ok] }).ok, JSON.stringify(ok));
      }
    });

    it('env and secrets', () => {
      assert.deepEqual(errorsAt({ cmd: 'x', env: { A: { secret: 'db' } } }, '/env/A/secret'), [
        "references an undefined secret named 'db'",
      ]);
      assert.ok(
        parseMarathonAppSpec({
          cmd: 'x',
          env: { A: 'v', B: { secret: 'db' } },
          secrets: { db: { source: '/p' } },
        }).ok,
      );
      assert.match(errorsAt({ cmd: 'x', env: { A: 3 } }, '/env/A').join(), /must be a string or an object/);
      assert.deepEqual(errorsAt({ cmd: 'x', labels: { a: 1 } }, '/labels/a'), [
        'expected string, got integer',
      ]);
    });

    it('reports every problem at once', () => {
      const paths = errorsOf({ cmd: 'x', args: ['y'], instances: -1, id: '/A' }).map((d) => d.path);
      assert.deepEqual(paths.sort(), ['/args', '/id', '/instances']);
    });

    it('rejects a spec that is not an object', () => {
      assert.deepEqual(errorsOf(undefined), [{ path: '/', errors: ['is required'] }]);
      assert.deepEqual(errorsOf('x'), [{ path: '/', errors: ['expected object, got string'] }]);
    });
  });

  describe('typed Marathon fields', () => {
    // [field(s) added to a valid app, path, errors]: Marathon's RAML types and bounds
    const rejected: [Record<string, unknown>, string, string[]][] = [
      [
        { portDefinitions: [{ port: 70000 }] },
        '/portDefinitions(0)/port',
        ['got 70000, expected 65535 or less'],
      ],
      [{ portDefinitions: [{ port: 1.5 }] }, '/portDefinitions(0)/port', ['expected int, got number']],
      [
        { portDefinitions: [{ name: 'HTTP' }] },
        '/portDefinitions(0)/name',
        ["must fully match regular expression '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'"],
      ],
      [
        { portDefinitions: [{ protocol: 'sctp' }] },
        '/portDefinitions(0)/protocol',
        ['must be one of "tcp", "udp", "udp,tcp"'],
      ],
      [{ ports: [-1] }, '/ports(0)', ['got -1, expected 0 or more']],
      [
        { container: { docker: { image: 'x', portMappings: [{ servicePort: 65536 }] } } },
        '/container/docker/portMappings(0)/servicePort',
        ['got 65536, expected 65535 or less'],
      ],
      [
        { upgradeStrategy: { minimumHealthCapacity: 1.5, maximumOverCapacity: 1 } },
        '/upgradeStrategy/minimumHealthCapacity',
        ['is greater than 1'],
      ],
      [
        { upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: -0.1 } },
        '/upgradeStrategy/maximumOverCapacity',
        ['is less than 0'],
      ],
      [{ killSelection: 'RANDOM' }, '/killSelection', ['must be one of "YOUNGEST_FIRST", "OLDEST_FIRST"']],
      [{ requirePorts: 'yes' }, '/requirePorts', ['expected boolean, got string']],
      [{ acceptedResourceRoles: [] }, '/acceptedResourceRoles', ['must have at least 1 items']],
      [{ acceptedResourceRoles: [''] }, '/acceptedResourceRoles(0)', ['must not be empty']],
      [{ backoffFactor: 0.5 }, '/backoffFactor', ['got 0.5, expected 1 or more']],
      [{ backoffSeconds: -1 }, '/backoffSeconds', ['got -1, expected 0 or more']],
      [{ maxLaunchDelaySeconds: -1 }, '/maxLaunchDelaySeconds', ['got -1, expected 0 or more']],
      [
        { healthChecks: [{ protocol: 'FOO' }] },
        '/healthChecks(0)/protocol',
        ['must be one of "HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP"'],
      ],
      [
        { healthChecks: [{ intervalSeconds: -1 }] },
        '/healthChecks(0)/intervalSeconds',
        ['got -1, expected 0 or more'],
      ],
      [
        { healthChecks: [{ ipProtocol: 'IPv5' }] },
        '/healthChecks(0)/ipProtocol',
        ['must be one of "IPv4", "IPv6"'],
      ],
      [
        { readinessChecks: [{ httpStatusCodesForReady: [99] }] },
        '/readinessChecks(0)/httpStatusCodesForReady(0)',
        ['got 99, expected 100 or more'],
      ],
      [
        { readinessChecks: [{ timeoutSeconds: 0 }] },
        '/readinessChecks(0)/timeoutSeconds',
        ['got 0, expected 1 or more'],
      ],
      [
        { readinessChecks: [{ protocol: 'TCP' }] },
        '/readinessChecks(0)/protocol',
        ['must be one of "HTTP", "HTTPS"'],
      ],
      [
        { executor: 'a//b' },
        '/executor',
        ["must fully match regular expression '^(//cmd)|(/?[^/]+(/[^/]+)*)|$'"],
      ],
      [{ container: { docker: { image: '' } } }, '/container/docker/image', ['must not be empty']],
      [{ container: { docker: {} } }, '/container/docker/image', ['is required']],
      [
        { container: { docker: { image: 'x', network: 'bogus' } } },
        '/container/docker/network',
        ['must be one of "BRIDGE", "HOST", "NONE", "USER"'],
      ],
      [
        { container: { type: 'RKT', docker: { image: 'x' } } },
        '/container/type',
        ['must be one of "DOCKER", "MESOS", "APPC"'],
      ],
      [
        { container: { docker: { image: 'x', parameters: [{ key: '', value: 'v' }] } } },
        '/container/docker/parameters(0)/key',
        ['must not be empty'],
      ],
      [
        { container: { type: 'MESOS', volumes: [{ containerPath: '/x', hostPath: '/x', mode: 'RX' }] } },
        '/container/volumes(0)/mode',
        ['must be one of "RO", "RW"'],
      ],
      [
        { container: { type: 'MESOS', volumes: [{ containerPath: 'd', persistent: {} }] } },
        '/container/volumes(0)/persistent/size',
        ['is required'],
      ],
      [
        { container: { type: 'MESOS', volumes: [{ containerPath: 'd', external: { name: 'v' } }] } },
        '/container/volumes(0)/external/provider',
        ['is required'],
      ],
      [
        { networks: [{ mode: 'bridge' }] },
        '/networks(0)/mode',
        ['must be one of "host", "container", "container/bridge"'],
      ],
      [
        { networks: [{ name: 'Bad Name' }] },
        '/networks(0)/name',
        ["must fully match regular expression '^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$'"],
      ],
      [
        { unreachableStrategy: 'enabled' },
        '/unreachableStrategy',
        ['must be "disabled" or an object {"inactiveAfterSeconds", "expungeAfterSeconds"}'],
      ],
      [
        { unreachableStrategy: { inactiveAfterSeconds: -1 } },
        '/unreachableStrategy/inactiveAfterSeconds',
        ['got -1, expected 0 or more'],
      ],
      [{ resourceLimits: { cpus: 'lots' } }, '/resourceLimits/cpus', ['must be a number or "unlimited"']],
      [{ fetch: [{}] }, '/fetch(0)/uri', ['is required']],
      [
        { fetch: [{ uri: 'http://x', extract: 'yes' }] },
        '/fetch(0)/extract',
        ['expected boolean, got string'],
      ],
      [{ uris: [''] }, '/uris(0)', ['must not be empty']],
      [
        { ipAddress: { discovery: { ports: [{ number: 99999, name: 'p' }] } } },
        '/ipAddress/discovery/ports(0)/number',
        ['got 99999, expected 65535 or less'],
      ],
      [
        { residency: { taskLostBehavior: 'X' } },
        '/residency/taskLostBehavior',
        ['must be one of "WAIT_FOREVER", "RELAUNCH_AFTER_TIMEOUT"'],
      ],
      [{ tty: 1 }, '/tty', ['expected boolean, got integer']],
      [{ role: '' }, '/role', ['must not be empty']],
      [{ dependencies: ['/Bad'] }, '/dependencies(0)', [PATH_ID_MESSAGE]],
    ];
    for (const [fields, at, errors] of rejected) {
      it(`rejects ${JSON.stringify(fields)}`, () => {
        assert.deepEqual(errorsAt({ cmd: 'x', ...fields }, at), errors);
      });
    }

    it('accepts constraints in the array and the object form, with the same rules', () => {
      const at = (constraint: unknown) => errorsOf({ cmd: 'x', constraints: [constraint] });
      for (const ok of [
        { fieldName: 'hostname', operator: 'unique' },
        { fieldName: 'rack', operator: 'GROUP_BY', value: '3' },
        ['rack', 'like', 'a.*'],
      ]) {
        assert.ok(parseMarathonAppSpec({ cmd: 'x', constraints: [ok] }).ok, JSON.stringify(ok));
      }
      assert.deepEqual(at({ fieldName: 'rack', operator: 'MAX_PER' }), [
        { path: '/constraints(0)', errors: ['MAX_PER requires an integer value'] },
      ]);
      assert.deepEqual(at({ fieldName: 'h', operator: 'UNIQUE', value: 'x' }), [
        { path: '/constraints(0)', errors: ['UNIQUE does not accept a value'] },
      ]);
      assert.deepEqual(at({ fieldName: 'rack', operator: 'LIKE', value: '(' }), [
        { path: '/constraints(0)/value', errors: ['is not a valid regular expression'] },
      ]);
      assert.deepEqual(at({ fieldName: 'x' }), [
        { path: '/constraints(0)/operator', errors: ['is required'] },
      ]);
      assert.deepEqual(at(3), [
        {
          path: '/constraints(0)',
          errors: [
            'must be an array [field, OPERATOR, value?] or an object {"fieldName", "operator", "value"}',
          ],
        },
      ]);
    });

    it('accepts legacy, misplaced and read-only fields as sent', () => {
      const spec = {
        cmd: 'x',
        ports: [0, 8080],
        uris: ['http://a/b.tgz'],
        container: {
          type: 'DOCKER',
          forcePullImage: true,
          docker: {
            image: 'nginx',
            network: 'BRIDGE',
            requirePorts: true,
            portMappings: [{ containerPort: 80 }],
          },
        },
        ipAddress: { networkName: 'dcos', groups: [] },
        residency: {},
        storeUrls: [],
        version: '2016-02-01T22:57:48.784Z',
        versionInfo: { lastScalingAt: '2016-02-01T22:57:48.784Z' },
        tasksRunning: 3,
        deployments: [],
        instanses: 2,
        executor: '//cmd',
        resourceLimits: { cpus: 2, mem: 'unlimited' },
      };
      const result = parseMarathonAppSpec(spec);
      assert.ok(result.ok, JSON.stringify(result.ok ? null : result.details));
      for (const [key, value] of Object.entries(spec)) assert.deepEqual(result.value[key], value, key);
    });
  });

  describe('what the API server enforces', () => {
    const schema = buildCrd(marathonAppResource).spec.versions[0]?.schema.openAPIV3Schema;
    const spec = schema?.properties?.spec;

    it('keeps every unknown Marathon field', () => {
      assert.equal(spec?.['x-kubernetes-preserve-unknown-fields'], true);
    });

    it('bounds instances and resources', () => {
      for (const field of ['instances', 'mem', 'disk', 'gpus']) {
        assert.equal(spec?.properties?.[field]?.minimum, 0, field);
      }
      assert.equal(spec?.properties?.cpus?.minimum, 0.001);
      assert.equal(spec?.properties?.instances?.default, 1);
    });

    it("types Marathon's fields, and keeps constraints in either form", () => {
      const props = spec?.properties ?? {};
      const port = props.portDefinitions?.items?.properties?.port;
      assert.deepEqual([port?.type, port?.minimum, port?.maximum], ['integer', 0, 65535]);
      const upgrade = props.upgradeStrategy?.properties?.minimumHealthCapacity;
      assert.deepEqual([upgrade?.minimum, upgrade?.maximum], [0, 1]);
      assert.deepEqual(props.killSelection?.enum, ['YOUNGEST_FIRST', 'OLDEST_FIRST']);
      assert.equal(props.backoffFactor?.minimum, 1);
      assert.equal(props.requirePorts?.type, 'boolean');
      assert.equal(props.acceptedResourceRoles?.minItems, 1);
      assert.deepEqual(props.container?.properties?.docker?.required, ['image']);
      assert.equal(props.container?.properties?.docker?.['x-kubernetes-preserve-unknown-fields'], true);
      // an array-or-object item has no structural schema: kept as sent, checked by the operator
      assert.equal(props.constraints?.maxItems, 64);
      assert.equal(props.constraints?.items?.['x-kubernetes-preserve-unknown-fields'], true);
      assert.equal(props.unreachableStrategy?.['x-kubernetes-preserve-unknown-fields'], true);
      // the id rule runs on every dependency: the list is bounded for the CEL cost estimate
      assert.ok(props.dependencies?.maxItems);
      assert.ok(props.dependencies?.items?.['x-kubernetes-validations']);
    });

    it('has CEL rules for cmd/args', () => {
      const rules = spec?.['x-kubernetes-validations']?.map((r) => r.rule) ?? [];
      assert.ok(rules.some((r) => r.includes('has(self.cmd)') && r.includes('size(self.args) == 0')));
    });
  });

  describe('status', () => {
    it('parses a status with conditions and counters', () => {
      const status = {
        observedGeneration: 2,
        instances: 3,
        tasksRunning: 3,
        tasksHealthy: 2,
        tasksUnhealthy: 1,
        tasksStaged: 0,
        selector: 'app.kubernetes.io/instance=web',
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'Progressing',
            message: '',
            lastTransitionTime: '2026-01-01T00:00:00Z',
            observedGeneration: 2,
          },
        ],
      };
      assert.deepEqual(marathonAppStatusSchema.parse(status), status);
      assert.equal(marathonAppStatusSchema.safeParse({ tasksRunning: -1 }).success, false);
    });
  });
});
