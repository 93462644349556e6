import assert from 'node:assert/strict';
import type { AppNetwork, NormalizedApp, PortMapping } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import type { Draft } from './draft.ts';
import { emptyDraft } from './draft.ts';
import { applyPorts, NETWORK_LABELS_ANNOTATION, PORT_LABELS_ANNOTATION, resolvePorts } from './ports.ts';

const bridge: AppNetwork[] = [{ mode: 'container/bridge', labels: {} }];

function run(app: NormalizedApp, draft: Draft = emptyDraft()): Draft {
  applyPorts(app, testContext(), draft);
  return draft;
}

function envOf(d: Draft): Record<string, string | undefined> {
  return Object.fromEntries(d.container.env.map((e) => [e.name, e.value]));
}

function mapping(m: Partial<PortMapping>): PortMapping {
  return { containerPort: 0, servicePort: 10000, protocol: 'tcp', labels: {}, ...m };
}

const IANA = /^(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

describe('translate ports', () => {
  it('binds a host-mode port on the pod IP under its service port', () => {
    const d = run(testApp());
    assert.deepEqual(d.container.ports, [{ name: 'default', containerPort: 10000, protocol: 'TCP' }]);
    assert.deepEqual(d.servicePorts, [{ name: 'default', port: 10000, targetPort: 10000, protocol: 'TCP' }]);
    assert.equal(d.pod.hostNetwork, undefined);
    assert.deepEqual(envOf(d), {
      PORT0: '10000',
      PORT_10000: '10000',
      PORT_DEFAULT: '10000',
      PORT: '10000',
      PORTS: '10000',
    });
    assert.deepEqual(
      d.notes.map((n) => [n.path, n.kind]),
      [['/networks(0)', 'approximated']],
    );
  });

  it('binds the port on the node too with requirePorts, without a note', () => {
    const d = run(testApp({ requirePorts: true }));
    assert.deepEqual(d.container.ports, [
      { name: 'default', containerPort: 10000, protocol: 'TCP', hostPort: 10000 },
    ]);
    assert.deepEqual(d.notes, []);
  });

  const mappings: {
    title: string;
    networks: AppNetwork[];
    m: Partial<PortMapping>;
    containerPort: number;
    hostPort?: number;
    env: number;
    requestedVar: string;
  }[] = [
    {
      title: 'bridge, fixed container port, any host port',
      networks: bridge,
      m: { containerPort: 80, hostPort: 0, servicePort: 10001 },
      containerPort: 80,
      env: 80,
      requestedVar: 'PORT_80',
    },
    {
      title: 'bridge, container port 0 = the fixed host port',
      networks: bridge,
      m: { containerPort: 0, hostPort: 8080, servicePort: 10002 },
      containerPort: 8080,
      hostPort: 8080,
      env: 8080,
      requestedVar: 'PORT_8080',
    },
    {
      title: 'bridge, both dynamic: the service port',
      networks: bridge,
      m: { containerPort: 0, hostPort: 0, servicePort: 10003 },
      containerPort: 10003,
      env: 10003,
      requestedVar: 'PORT_10003',
    },
    {
      title: 'bridge, explicit host port: PORTn is the host port',
      networks: bridge,
      m: { containerPort: 80, hostPort: 31000, servicePort: 10004 },
      containerPort: 80,
      hostPort: 31000,
      env: 31000,
      requestedVar: 'PORT_80',
    },
    {
      title: 'container mode, no host port',
      networks: [{ mode: 'container', labels: {} }],
      m: { containerPort: 7777, servicePort: 10005 },
      containerPort: 7777,
      env: 7777,
      requestedVar: 'PORT_7777',
    },
  ];
  for (const c of mappings) {
    it(`resolves port mappings: ${c.title}`, () => {
      const app = testApp({ networks: c.networks, portDefinitions: [], portMappings: [mapping(c.m)] });
      const [p] = resolvePorts(app);
      assert.ok(p);
      assert.equal(p.containerPort, c.containerPort);
      assert.equal(p.hostPort, c.hostPort);
      assert.equal(p.env, c.env);
      assert.equal(p.servicePort, c.m.servicePort);
      const d = run(app);
      assert.deepEqual(d.container.ports, [
        {
          name: 'port0',
          containerPort: c.containerPort,
          protocol: 'TCP',
          ...(c.hostPort !== undefined ? { hostPort: c.hostPort } : {}),
        },
      ]);
      assert.deepEqual(d.servicePorts, [
        { name: 'port0', port: c.m.servicePort, targetPort: c.containerPort, protocol: 'TCP' },
      ]);
      const env = envOf(d);
      assert.equal(env.PORT0, String(c.env));
      assert.equal(env[c.requestedVar], String(c.env));
      assert.equal(env.PORTS, String(c.env));
    });
  }

  const names: { title: string; given: (string | undefined)[]; expected: string[] }[] = [
    { title: 'valid names are kept', given: ['http', 'admin-api'], expected: ['http', 'admin-api'] },
    { title: 'unnamed ports get port<index>', given: [undefined, 'x'], expected: ['port0', 'x'] },
    { title: 'invalid characters become -', given: ['My_Port.Name'], expected: ['my-port-name'] },
    { title: 'long names are cut to 15', given: ['a-very-long-port-name'], expected: ['a-very-long-por'] },
    { title: 'names without a letter fall back', given: ['8080', '--'], expected: ['port0', 'port1'] },
    {
      title: 'names colliding after truncation are numbered',
      given: ['metrics-endpoint-a', 'metrics-endpoint-b'],
      expected: ['metrics-endpoin', 'metrics-endpo-2'],
    },
    {
      title: "a generated name never takes a user's name",
      given: [undefined, 'port0'],
      expected: ['port0-2', 'port0'],
    },
  ];
  for (const c of names) {
    it(`names ports: ${c.title}`, () => {
      const app = testApp({
        portDefinitions: c.given.map((name, i) => ({ port: 10000 + i, protocol: 'tcp', labels: {}, name })),
      });
      const got = resolvePorts(app).map((p) => p.name);
      assert.deepEqual(got, c.expected);
      for (const n of got) assert.match(n, IANA);
      assert.ok(got.every((n) => n.length <= 15));
    });
  }

  it("exposes 'udp,tcp' as two ports with distinct names", () => {
    const app = testApp({
      portDefinitions: [
        { port: 10053, protocol: 'udp,tcp', name: 'domain-name-system', labels: {} },
        { port: 10054, protocol: 'udp', labels: {} },
      ],
    });
    const d = run(app);
    assert.deepEqual(d.container.ports, [
      { name: 'domain-name-tcp', containerPort: 10053, protocol: 'TCP' },
      { name: 'domain-name-udp', containerPort: 10053, protocol: 'UDP' },
      { name: 'port1', containerPort: 10054, protocol: 'UDP' },
    ]);
    assert.deepEqual(
      d.servicePorts.map((p) => [p.name, p.port, p.protocol]),
      [
        ['domain-name-tcp', 10053, 'TCP'],
        ['domain-name-udp', 10053, 'UDP'],
        ['port1', 10054, 'UDP'],
      ],
    );
    assert.equal(envOf(d).PORTS, '10053,10054');
  });

  it('sets Marathon port variables, keeping the ones the app sets itself', () => {
    const app = testApp({
      env: { PORT1: 'mine' },
      portDefinitions: [
        { port: 10000, protocol: 'tcp', name: 'http', labels: {} },
        { port: 10001, protocol: 'tcp', name: 'admin-api', labels: {} },
      ],
    });
    const draft = emptyDraft();
    draft.container.env.push({ name: 'PORTS', value: 'set-before' });
    const d = run(app, draft);
    assert.deepEqual(envOf(d), {
      PORTS: 'set-before',
      PORT0: '10000',
      PORT_10000: '10000',
      PORT_10001: '10001',
      PORT_HTTP: '10000',
      'PORT_ADMIN-API': '10001',
      PORT_ADMIN_API: '10001',
      PORT: '10000',
    });
    assert.equal(d.container.env.filter((e) => e.name === 'PORTS').length, 1);
  });

  it('adds nothing for an app without ports', () => {
    const d = run(testApp({ portDefinitions: [] }));
    assert.equal(d.container.ports, undefined);
    assert.deepEqual(d.servicePorts, []);
    assert.deepEqual(d.container.env, []);
    assert.deepEqual(d.notes, []);
    assert.deepEqual(d.serviceAnnotations, {});
  });

  it('keeps port names and labels in a Service annotation and reports VIPs', () => {
    const app = testApp({
      networks: bridge,
      portDefinitions: [],
      portMappings: [
        mapping({
          containerPort: 80,
          hostPort: 0,
          servicePort: 10100,
          name: 'web',
          labels: { VIP_0: '/web:80' },
        }),
        mapping({ containerPort: 9090, hostPort: 0, servicePort: 10101, labels: { metrics: 'true' } }),
      ],
    });
    const d = run(app);
    assert.deepEqual(JSON.parse(d.serviceAnnotations[PORT_LABELS_ANNOTATION] ?? 'null'), [
      { index: 0, servicePort: 10100, name: 'web', labels: { VIP_0: '/web:80' } },
      { index: 1, servicePort: 10101, labels: { metrics: 'true' } },
    ]);
    assert.deepEqual(d.notes, [
      {
        path: '/container/portMappings(0)/labels/VIP_0',
        kind: 'approximated',
        message: 'no DC/OS layer-4 VIP /web:80: the port is reachable at test-app.test.svc:10100',
      },
    ]);
  });

  it('leaves out the annotation when no port has a name or labels', () => {
    const app = testApp({ portDefinitions: [{ port: 10000, protocol: 'tcp', labels: {} }] });
    assert.deepEqual(run(app).serviceAnnotations, {});
  });

  it('reports a service port used twice and adds it once', () => {
    const app = testApp({
      networks: bridge,
      portDefinitions: [],
      portMappings: [
        mapping({ containerPort: 80, servicePort: 10100 }),
        mapping({ containerPort: 81, servicePort: 10100 }),
      ],
    });
    const d = run(app);
    assert.deepEqual(
      d.servicePorts.map((p) => p.targetPort),
      [80],
    );
    assert.deepEqual(
      d.notes.map((n) => [n.path, n.kind]),
      [['/container/portMappings(1)', 'approximated']],
    );
  });

  const networkCases: { title: string; app: Partial<NormalizedApp>; notes: [string, string][] }[] = [
    {
      title: 'a named CNI network',
      app: { networks: [{ mode: 'container', name: 'dcos', labels: {} }], portDefinitions: [] },
      notes: [['/networks(0)/name', 'approximated']],
    },
    {
      title: 'several networks',
      app: {
        networks: [
          { mode: 'container', name: 'a', labels: {} },
          { mode: 'container', name: 'b', labels: {} },
        ],
        portDefinitions: [],
      },
      notes: [['/networks', 'approximated']],
    },
    {
      title: 'an unnamed container network',
      app: { networks: [{ mode: 'container', labels: {} }] },
      notes: [],
    },
    { title: 'bridge', app: { networks: bridge }, notes: [] },
    {
      title: 'requirePorts outside host mode',
      app: { networks: bridge, requirePorts: true },
      notes: [['/requirePorts', 'ignored']],
    },
    { title: 'host mode without ports', app: { portDefinitions: [] }, notes: [] },
    { title: 'host mode with requirePorts', app: { requirePorts: true }, notes: [] },
  ];
  for (const c of networkCases) {
    it(`reports networks: ${c.title}`, () => {
      const d = run(testApp(c.app));
      assert.deepEqual(
        d.notes.map((n) => [n.path, n.kind]),
        c.notes,
      );
      assert.equal(d.pod.hostNetwork, undefined);
    });
  }

  it('keeps network labels in a pod annotation', () => {
    const d = run(testApp({ networks: [{ mode: 'container/bridge', labels: { team: 'a' } }] }));
    assert.deepEqual(JSON.parse(d.podAnnotations[NETWORK_LABELS_ANNOTATION] ?? 'null'), [
      { mode: 'container/bridge', labels: { team: 'a' } },
    ]);
    assert.deepEqual(run(testApp()).podAnnotations, {});
  });
});
