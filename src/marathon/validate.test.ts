import assert from 'node:assert/strict';
import type { MarathonErrorDetail } from '../resources/marathon-errors.ts';
import { normalizeApp } from './normalize.ts';
import { MIXED_NETWORK_APIS, PORT_INDEX_MESSAGE, validateApp } from './validate.ts';

function problems(spec: Record<string, unknown>, id = '/test/app'): MarathonErrorDetail[] {
  const app = normalizeApp(spec, { id });
  assert.ok(app.ok, JSON.stringify(app.ok ? null : app.details));
  return validateApp(spec, app.value);
}

const docker = (extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
  type: 'DOCKER',
  docker: { image: 'nginx', ...extra },
  ...container,
});
const mesos = (container: Record<string, unknown>) => ({ type: 'MESOS', ...container });
const bridge = [{ mode: 'container/bridge' }];

/** [rule, spec (cmd 'x' is added), the one expected detail]. */
const RULES: [string, Record<string, unknown>, MarathonErrorDetail][] = [
  // deprecated fields
  [
    'docker.network next to networks',
    { container: docker({ network: 'BRIDGE' }), networks: bridge },
    { path: '/networks', errors: [MIXED_NETWORK_APIS] },
  ],
  [
    'ipAddress next to networks',
    { ipAddress: { networkName: 'dcos' }, networks: [{ mode: 'container', name: 'dcos' }] },
    { path: '/networks', errors: [MIXED_NETWORK_APIS] },
  ],
  [
    'docker.network NONE',
    { container: docker({ network: 'NONE' }, { portMappings: [] }) },
    { path: '/container/docker/network', errors: ['unsupported docker network type NONE'] },
  ],
  [
    'ports and portDefinitions that disagree',
    { ports: [80], portDefinitions: [{ port: 81 }] },
    { path: '/ports', errors: ['cannot specify both ports and port definitions'] },
  ],
  [
    'ipAddress with ports',
    { ipAddress: { networkName: 'dcos' }, ports: [0] },
    { path: '/ipAddress', errors: ['cannot specify both an IP address and port'] },
  ],
  [
    'uris and fetch',
    { uris: ['http://a'], fetch: [{ uri: 'http://b' }] },
    { path: '/uris', errors: ['may not be set in conjunction with fetch'] },
  ],
  [
    'docker.portMappings and container.portMappings',
    { networks: bridge, container: docker({ portMappings: [{ containerPort: 80 }] }, { portMappings: [] }) },
    { path: '/container/portMappings', errors: ['cannot specify both portMappings and docker.portMappings'] },
  ],
  [
    'ipAddress.discovery on a Docker container',
    {
      container: docker(),
      ipAddress: { networkName: 'dcos', discovery: { ports: [{ number: 80, name: 'p' }] } },
    },
    { path: '/ipAddress/discovery', errors: ['ipAddress/discovery is not allowed for Docker containers'] },
  ],
  [
    'ipAddress.discovery.ports next to port mappings',
    {
      container: mesos({ portMappings: [{ containerPort: 81 }] }),
      ipAddress: { networkName: 'dcos', discovery: { ports: [{ number: 80, name: 'p' }] } },
    },
    {
      path: '/ipAddress/discovery/ports',
      errors: ['container.portMappings and ipAddress.discovery.ports must not both be set'],
    },
  ],
  [
    'portMappings with host networking',
    { container: docker({}, { portMappings: [{ containerPort: 80 }] }) },
    { path: '/container/portMappings', errors: ['portMappings are not allowed with host-networking'] },
  ],
  [
    'docker.portMappings with docker.network HOST',
    { container: docker({ network: 'HOST', portMappings: [{ containerPort: 80 }] }) },
    { path: '/container/docker/portMappings', errors: ['portMappings are not allowed with host-networking'] },
  ],
  [
    'portDefinitions without host networking',
    { networks: bridge, container: docker(), portDefinitions: [{ port: 0 }] },
    { path: '/portDefinitions', errors: ['portDefinitions are only allowed with host-networking'] },
  ],
  [
    'residency without persistent volumes',
    { residency: {} },
    { path: '/residency', errors: ['App must contain persistent volumes and define residency'] },
  ],
  // networks
  [
    'a named host network',
    { networks: [{ mode: 'host', name: 'h' }] },
    { path: '/networks', errors: ['Host networks may not have names or labels'] },
  ],
  [
    'a named bridge network',
    { networks: [{ mode: 'container/bridge', name: 'b' }] },
    { path: '/networks', errors: ['Bridge networks may not have names'] },
  ],
  [
    'the same network twice',
    { networks: [{ name: 'a' }, { name: 'a' }] },
    { path: '/networks', errors: ['Duplicate networks are not allowed'] },
  ],
  [
    'host and container networks together',
    { networks: [{ mode: 'host' }, { name: 'a' }] },
    {
      path: '/networks',
      errors: ['May specify a single host network, single bridge network, or else 1-to-n container networks'],
    },
  ],
  [
    'several container networks for a Docker container',
    { networks: [{ name: 'a' }, { name: 'b' }], container: docker({}, { portMappings: [] }) },
    {
      path: '/networks',
      errors: ['may only specify a single container network when using the Docker container engine'],
    },
  ],
  [
    'a mapping on an unknown network',
    {
      networks: [{ name: 'a' }],
      container: mesos({ portMappings: [{ containerPort: 80, networkNames: ['b'] }] }),
    },
    {
      path: '/container/portMappings(0)/networkNames',
      errors: ["'b' is not the name of one of the app's container networks"],
    },
  ],
  [
    'a host port on several container networks without one networkName',
    {
      networks: [{ name: 'a' }, { name: 'b' }],
      container: mesos({ portMappings: [{ containerPort: 80, hostPort: 0 }] }),
    },
    {
      path: '/container/portMappings(0)/networkNames',
      errors: [
        'networkNames must be a single item list when hostPort is specified and more than 1 container network is defined',
      ],
    },
  ],
  // ports
  [
    'port names used twice',
    { portDefinitions: [{ name: 'http' }, { name: 'http' }] },
    { path: '/portDefinitions(1)/name', errors: ['Port names must be unique.'] },
  ],
  [
    'ports used twice',
    { portDefinitions: [{ port: 80 }, { port: 0 }, { port: 80 }] },
    { path: '/portDefinitions(2)/port', errors: ['Ports must be unique.'] },
  ],
  ['legacy ports used twice', { ports: [80, 80] }, { path: '/ports(1)', errors: ['Ports must be unique.'] }],
  [
    'mapping names used twice (docker.portMappings)',
    { container: docker({ network: 'BRIDGE', portMappings: [{ name: 'a' }, { name: 'a' }] }) },
    { path: '/container/docker/portMappings(1)/name', errors: ['Port names must be unique.'] },
  ],
  [
    'service ports used twice for one protocol',
    {
      networks: bridge,
      container: mesos({ portMappings: [{ servicePort: 9000 }, { servicePort: 9000, protocol: 'udp,tcp' }] }),
    },
    { path: '/container/portMappings(1)/servicePort', errors: ['Service ports must be unique.'] },
  ],
  // containers
  [
    'a Docker container without docker',
    { container: { type: 'DOCKER', volumes: [] } },
    { path: '/container/docker', errors: ['is required when the container type is DOCKER'] },
  ],
  [
    'pullConfig with the Docker containerizer',
    { container: docker({ pullConfig: { secret: 's' } }), secrets: { s: { source: '/s' } } },
    {
      path: '/container/docker/pullConfig',
      errors: ['pullConfig is not supported with Docker containerizer'],
    },
  ],
  [
    'pullConfig naming no secret',
    { container: mesos({ docker: { image: 'x', pullConfig: { secret: 's' } } }) },
    {
      path: '/container/docker/pullConfig/secret',
      errors: ['pullConfig.secret must refer to an existing secret'],
    },
  ],
  [
    'a Mesos container with two images',
    { container: mesos({ docker: { image: 'x' }, appc: { image: 'y' } }) },
    { path: '/container', errors: ['mesos containers should specify, at most, a single image type'] },
  ],
  [
    'GPUs with the Docker containerizer',
    { gpus: 1, container: docker() },
    { path: '/gpus', errors: ['GPU resources only work with the Mesos containerizer'] },
  ],
  // volumes
  [
    'a volume of no known kind',
    { container: mesos({ volumes: [{ containerPath: '/x' }] }) },
    {
      path: '/container/volumes(0)',
      errors: ['must be a host (hostPath), persistent, external or secret volume'],
    },
  ],
  [
    'two volumes at one path',
    {
      container: mesos({
        volumes: [
          { containerPath: '/x', hostPath: '/a' },
          { containerPath: '/x', hostPath: '/b' },
        ],
      }),
    },
    { path: '/container/volumes(1)/containerPath', errors: ['must be unique among the volumes'] },
  ],
  [
    'a persistent volume path with a slash',
    { container: mesos({ volumes: [{ containerPath: 'a/b', persistent: { size: 1 } }] }) },
    { path: '/container/volumes(0)/containerPath', errors: ['value must not contain "/"'] },
  ],
  [
    'a read-only persistent volume',
    { container: mesos({ volumes: [{ containerPath: 'a', mode: 'RO', persistent: { size: 1 } }] }) },
    { path: '/container/volumes(0)/mode', errors: ['must be RW for a persistent volume'] },
  ],
  [
    'an empty persistent volume',
    { container: mesos({ volumes: [{ containerPath: 'a', persistent: { size: 0 } }] }) },
    { path: '/container/volumes(0)/persistent/size', errors: ['got 0, expected more than 0'] },
  ],
  [
    'maxSize on a root volume',
    { container: mesos({ volumes: [{ containerPath: 'a', persistent: { size: 10, maxSize: 20 } }] }) },
    { path: '/container/volumes(0)/persistent/maxSize', errors: ['Only mount volumes can have maxSize'] },
  ],
  [
    'maxSize not above size',
    {
      container: mesos({
        volumes: [{ containerPath: 'a', persistent: { type: 'mount', size: 10, maxSize: 10 } }],
      }),
    },
    { path: '/container/volumes(0)/persistent/maxSize', errors: ['Max size must be larger than size'] },
  ],
  [
    'constraints on a root volume',
    {
      container: mesos({
        volumes: [{ containerPath: 'a', persistent: { size: 10, constraints: [['path', 'LIKE', 'x']] } }],
      }),
    },
    {
      path: '/container/volumes(0)/persistent/constraints',
      errors: ['Constraints on root volumes are not supported'],
    },
  ],
  [
    'two external volumes with one name',
    {
      container: mesos({
        volumes: [
          { containerPath: '/a', external: { name: 'v', provider: 'csi' } },
          { containerPath: '/b', external: { name: 'v', provider: 'csi' } },
        ],
      }),
    },
    { path: '/container/volumes(1)/external/name', errors: ['Volume names must be unique'] },
  ],
  [
    'several instances with a DVDI volume',
    {
      instances: 2,
      container: mesos({ volumes: [{ containerPath: '/a', external: { name: 'v', provider: 'dvdi' } }] }),
    },
    {
      path: '/instances',
      errors: ['Number of instances is limited to 1 when declaring DVDI volumes in app [/test/app]'],
    },
  ],
  [
    'a secret volume naming no secret',
    { container: mesos({ volumes: [{ containerPath: '/pw', secret: 'pw' }] }) },
    { path: '/container/volumes(0)/secret', errors: ['volume.secret must refer to an existing secret'] },
  ],
  // health checks
  [
    'a health check port index out of range',
    { healthChecks: [{ portIndex: 1 }] },
    { path: '/healthChecks(0)/portIndex', errors: [PORT_INDEX_MESSAGE] },
  ],
  [
    'a health check on an app without ports',
    { portDefinitions: [], healthChecks: [{ protocol: 'TCP' }] },
    { path: '/healthChecks(0)', errors: [PORT_INDEX_MESSAGE] },
  ],
  [
    'a command with another protocol',
    { healthChecks: [{ protocol: 'HTTP', command: { value: 'true' } }] },
    { path: '/healthChecks(0)/protocol', errors: ['illegal protocol HTTP specified with command'] },
  ],
  [
    'a COMMAND check without command',
    { healthChecks: [{ protocol: 'COMMAND' }] },
    { path: '/healthChecks(0)/protocol', errors: ['illegal protocol COMMAND for non-command health check'] },
  ],
  [
    'two Mesos health checks',
    { healthChecks: [{ protocol: 'MESOS_HTTP' }, { protocol: 'MESOS_TCP' }] },
    { path: '/healthChecks', errors: ['AppDefinition can contain at most one Mesos health check'] },
  ],
  [
    'IPv6 on a Marathon health check',
    { container: docker(), healthChecks: [{ protocol: 'HTTP', ipProtocol: 'IPv6' }] },
    {
      path: '/healthChecks(0)/ipProtocol',
      errors: ['IPv6 can only be used for container type DOCKER and Mesos http/https/tcp health checks'],
    },
  ],
  // readiness checks
  [
    'two readiness checks',
    { portDefinitions: [{ name: 'http-api' }], readinessChecks: [{}, {}] },
    { path: '/readinessChecks', errors: ['got 2, expected 1 or less'] },
  ],
  [
    'a readiness check on an unknown port name',
    { portDefinitions: [{ name: 'api' }], readinessChecks: [{ portName: 'web' }] },
    { path: '/readinessChecks(0)/portName', errors: ['No port definition reference for portName web'] },
  ],
  [
    'a readiness timeout not below the interval',
    { portDefinitions: [{ name: 'http-api' }], readinessChecks: [{ intervalSeconds: 5, timeoutSeconds: 5 }] },
    { path: '/readinessChecks(0)/timeoutSeconds', errors: ['got 5, expected less than 5'] },
  ],
  // scheduling
  [
    'a resident app with over-capacity',
    {
      container: mesos({ volumes: [{ containerPath: 'd', persistent: { size: 1 } }] }),
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 },
    },
    {
      path: '/upgradeStrategy/maximumOverCapacity',
      errors: ['got 0.5, expected 0 (apps with persistent volumes)'],
    },
  ],
  [
    'a resident app that replaces unreachable instances',
    {
      container: mesos({ volumes: [{ containerPath: 'd', persistent: { size: 1 } }] }),
      unreachableStrategy: { inactiveAfterSeconds: 60, expungeAfterSeconds: 120 },
    },
    { path: '/unreachableStrategy', errors: ['unreachableStrategy must be disabled for resident tasks'] },
  ],
  [
    'a single-instance app with two instances',
    { instances: 2, labels: { MARATHON_SINGLE_INSTANCE_APP: 'true' } },
    { path: '/instances', errors: ['Single instance app may only have one instance'] },
  ],
  [
    'a single-instance app keeping an instance up',
    {
      labels: { MARATHON_SINGLE_INSTANCE_APP: 'true' },
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 0 },
    },
    { path: '/upgradeStrategy/minimumHealthCapacity', errors: ['got 1, expected 0 (single-instance apps)'] },
  ],
  [
    'inactiveAfterSeconds above expungeAfterSeconds',
    { unreachableStrategy: { inactiveAfterSeconds: 600, expungeAfterSeconds: 300 } },
    {
      path: '/unreachableStrategy/inactiveAfterSeconds',
      errors: ['must be less than or equal to expungeAfterSeconds'],
    },
  ],
  // labels
  [
    'DCOS_MIGRATION_API_VERSION without its companions',
    { labels: { DCOS_MIGRATION_API_VERSION: 'v1', DCOS_PACKAGE_FRAMEWORK_NAME: 'f' } },
    {
      path: '/labels',
      errors: [
        'DCOS_PACKAGE_FRAMEWORK_NAME and DCOS_MIGRATION_API_PATH must be defined when using DCOS_MIGRATION_API_VERSION',
      ],
    },
  ],
];

/** Definitions each rule above must let through. */
const VALID: [string, Record<string, unknown>][] = [
  [
    'legacy BRIDGE with ports mirroring the service ports (a Marathon 1.4 GET)',
    {
      ports: [10000],
      container: docker({ network: 'BRIDGE', portMappings: [{ containerPort: 80, servicePort: 10000 }] }),
    },
  ],
  ['ports equal to portDefinitions', { ports: [80], portDefinitions: [{ port: 80 }] }],
  [
    'a Marathon 1.4 GET of a bridge app: service ports under ports, no portDefinitions',
    {
      ports: [10000],
      portDefinitions: [],
      container: docker({ network: 'BRIDGE', portMappings: [{ servicePort: 10000 }] }),
    },
  ],
  [
    'a Marathon 1.4 GET: uris repeating the fetch URIs',
    { uris: ['http://a/b.tgz'], fetch: [{ uri: 'http://a/b.tgz', extract: true }] },
  ],
  ['empty legacy lists', { uris: [], fetch: [{ uri: 'http://a' }], container: docker({ portMappings: [] }) }],
  [
    'ipAddress without discovery next to container.portMappings',
    {
      ipAddress: { networkName: 'dcos' },
      container: docker({}, { portMappings: [{ containerPort: 80 }] }),
    },
  ],
  [
    'two mappings on one service port, tcp and udp',
    {
      networks: bridge,
      container: mesos({ portMappings: [{ servicePort: 53 }, { servicePort: 53, protocol: 'udp' }] }),
    },
  ],
  [
    'several COMMAND checks (old apps)',
    {
      healthChecks: [{ command: { value: 'a' } }, { command: { value: 'b' } }, { protocol: 'MESOS_TCP' }],
    },
  ],
  [
    'a health check with a fixed port and no app ports',
    { portDefinitions: [], healthChecks: [{ protocol: 'TCP', port: 80 }] },
  ],
  [
    'IPv6 on a Mesos check of a Docker container',
    {
      container: docker(),
      healthChecks: [{ protocol: 'MESOS_HTTP', ipProtocol: 'IPv6' }],
    },
  ],
  [
    'a resident app with its defaults',
    {
      container: mesos({ volumes: [{ containerPath: 'd', persistent: { size: 1 } }] }),
      labels: { MARATHON_SINGLE_INSTANCE_APP: 'true' },
    },
  ],
  [
    'a complete migration label set',
    {
      labels: {
        DCOS_MIGRATION_API_VERSION: 'v1',
        DCOS_PACKAGE_FRAMEWORK_NAME: 'f',
        DCOS_MIGRATION_API_PATH: '/v1/plan',
      },
    },
  ],
  ['GPUs on a Mesos container', { gpus: 1, container: mesos({}) }],
  [
    'secrets referred to by pullConfig and volumes',
    {
      container: mesos({
        docker: { image: 'x', pullConfig: { secret: 's' } },
        volumes: [{ containerPath: '/s', secret: 's' }],
      }),
      secrets: { s: { source: '/s' } },
    },
  ],
];

describe('validate app', () => {
  describe('rules', () => {
    for (const [rule, spec, detail] of RULES) {
      it(rule, () => {
        assert.deepEqual(problems({ cmd: 'x', ...spec }), [detail]);
      });
    }
  });

  describe('valid definitions', () => {
    for (const [name, spec] of VALID) {
      it(name, () => {
        assert.deepEqual(problems({ cmd: 'x', ...spec }), []);
      });
    }
  });

  it('reports every problem at once, grouped by path', () => {
    const details = problems({
      cmd: 'x',
      uris: ['http://a'],
      fetch: [{ uri: 'http://b' }],
      portDefinitions: [
        { port: 80, name: 'a' },
        { port: 80, name: 'a' },
      ],
      readinessChecks: [{ portName: 'b' }],
    });
    assert.deepEqual(details, [
      { path: '/uris', errors: ['may not be set in conjunction with fetch'] },
      { path: '/portDefinitions(1)/name', errors: ['Port names must be unique.'] },
      { path: '/portDefinitions(1)/port', errors: ['Ports must be unique.'] },
      { path: '/readinessChecks(0)/portName', errors: ['No port definition reference for portName b'] },
    ]);
  });

  it('rejects the root as id', () => {
    assert.deepEqual(problems({ cmd: 'x' }, '/'), [{ path: '/id', errors: ['must not be root'] }]);
  });
});
