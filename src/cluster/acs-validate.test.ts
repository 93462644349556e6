import assert from 'node:assert/strict';
import type { AcsError } from './acs-definition.ts';
import {
  AUTOSCALE_BOUNDS_FORBIDDEN_MESSAGE,
  AUTOSCALE_BOUNDS_REQUIRED_MESSAGE,
  AUTOSCALE_COUNT_MESSAGE,
  AUTOSCALE_ORDER_MESSAGE,
  B_SERIES_MASTER_MESSAGE,
  EMPTY_ATTRIBUTE_MESSAGE,
  EVICTION_MESSAGE,
  MASTER_COUNT_MESSAGE,
  MASTER_VM_SIZE_MESSAGE,
  NO_POOLS_MESSAGE,
  NO_WINDOWS_MESSAGE,
  ONE_POOL_MESSAGE,
  ONLY_DCOS,
  OS_TYPE_MESSAGE,
  POOLS_RANGE_MESSAGE,
  POOL_COUNT_MESSAGE,
  POOL_NAME_REQUIRED_MESSAGE,
  POOL_VM_SIZE_MESSAGE,
  PORT_RANGE_MESSAGE,
  PRIORITY_MESSAGE,
  RESERVED_POOL_NAME_MESSAGE,
  SPOT_PRICE_POOL_MESSAGE,
  SPOT_PRICE_VALUE_MESSAGE,
  SSH_KEYS_MESSAGE,
  TOO_MANY_PORTS_MESSAGE,
  VNET_DIFFERENT_MESSAGE,
  VNET_FORMAT_MESSAGE,
  VNET_MIXED_MESSAGE,
  WINDOWS_PASSWORD_MESSAGE,
  attributeClashMessage,
  availabilityProfileMessage,
  dnsPrefixMessage,
  duplicatePoolMessage,
  duplicatePortMessage,
  osDiskSizeMessage,
  poolNameMessage,
  storageProfileMessage,
  validateAcsDefinition,
  windowsPoolNameMessage,
} from './acs-validate.ts';
import { attributeLabelKey } from '../mesos/agent-labels.ts';
import { def, privatePool, publicPool } from './test-definitions.ts';

const P = 'properties';
const POOL0 = `${P}.agentPoolProfiles[0]`;
const subnet = (vnet: string, name = 'agents') =>
  `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${name}`;
const windowsPool = (extra: Record<string, unknown> = {}) =>
  privatePool({ name: 'win', osType: 'Windows', ...extra });

/** [rule, definition, the one error expected]. */
const RULES: [string, unknown, AcsError][] = [
  // the document
  ['not an object', null, { path: '', message: 'a cluster definition must be a JSON object, got null' }],
  ['an array', [def()], { path: '', message: 'a cluster definition must be a JSON object, got array' }],
  ['no properties', { apiVersion: 'vlabs' }, { path: P, message: 'missing Properties' }],
  [
    'properties of the wrong type',
    { properties: 'x' },
    { path: P, message: 'expected an object, got string' },
  ],
  [
    'unknown apiVersion',
    { ...def(), apiVersion: 'v1' },
    { path: 'apiVersion', message: "unrecognized APIVersion 'v1'" },
  ],
  [
    'apiVersion not a string',
    { ...def(), apiVersion: 5 },
    { path: 'apiVersion', message: 'expected a string, got number' },
  ],
  // orchestrator
  [
    'another orchestrator',
    def({ properties: { orchestratorProfile: { orchestratorType: 'kubernetes' } } }),
    {
      path: `${P}.orchestratorProfile.orchestratorType`,
      message: `Orchestrator Kubernetes is not supported: ${ONLY_DCOS}`,
    },
  ],
  [
    'an unknown orchestrator',
    def({ properties: { orchestratorProfile: { orchestratorType: 'Nomad' } } }),
    {
      path: `${P}.orchestratorProfile.orchestratorType`,
      message: `OrchestratorType has unknown orchestrator: Nomad. ${ONLY_DCOS}`,
    },
  ],
  [
    'no orchestrator type',
    def({ properties: { orchestratorProfile: {} } }),
    {
      path: `${P}.orchestratorProfile.orchestratorType`,
      message: `missing OrchestratorProfile.OrchestratorType: ${ONLY_DCOS}`,
    },
  ],
  [
    'no orchestratorProfile',
    def({ properties: { orchestratorProfile: null } }),
    { path: `${P}.orchestratorProfile`, message: 'missing OrchestratorProfile' },
  ],
  // masters
  [
    'no masterProfile',
    def({ master: null }),
    { path: `${P}.masterProfile`, message: 'missing MasterProfile' },
  ],
  [
    'two masters',
    def({ master: { count: 2, vmSize: 'Standard_D2_v2' } }),
    { path: `${P}.masterProfile.count`, message: MASTER_COUNT_MESSAGE },
  ],
  [
    'no master count in vlabs',
    def({ master: { vmSize: 'Standard_D2_v2' } }),
    { path: `${P}.masterProfile.count`, message: MASTER_COUNT_MESSAGE },
  ],
  [
    'no master vmSize in vlabs',
    def({ master: { count: 1 } }),
    { path: `${P}.masterProfile.vmSize`, message: MASTER_VM_SIZE_MESSAGE },
  ],
  [
    'no master vmSize in 2017-07-01',
    def({ apiVersion: '2017-07-01', master: { count: 1, vmSize: '' } }),
    { path: `${P}.masterProfile.vmSize`, message: MASTER_VM_SIZE_MESSAGE },
  ],
  [
    'B-series masters',
    def({ master: { count: 1, vmSize: 'Standard_B2s' } }),
    { path: `${P}.masterProfile.vmSize`, message: B_SERIES_MASTER_MESSAGE },
  ],
  [
    'a bad master dnsPrefix',
    def({ master: { count: 1, vmSize: 'Standard_D2_v2', dnsPrefix: '1abc' } }),
    { path: `${P}.masterProfile.dnsPrefix`, message: dnsPrefixMessage('1abc') },
  ],
  [
    'a master count as a string',
    def({ master: { count: '3', vmSize: 'Standard_D2_v2' } }),
    { path: `${P}.masterProfile.count`, message: 'expected an integer, got string' },
  ],
  // the pool list
  ['no agent pools', def({ pools: [] }), { path: `${P}.agentPoolProfiles`, message: NO_POOLS_MESSAGE }],
  [
    'no agentPoolProfiles',
    def({ properties: { agentPoolProfiles: null } }),
    { path: `${P}.agentPoolProfiles`, message: NO_POOLS_MESSAGE },
  ],
  [
    '13 agent pools',
    def({ pools: Array.from({ length: 13 }, (_, i) => privatePool({ name: `pool${i}` })) }),
    { path: `${P}.agentPoolProfiles`, message: POOLS_RANGE_MESSAGE },
  ],
  [
    'two pools in 2016-03-30',
    def({ apiVersion: '2016-03-30' }),
    { path: `${P}.agentPoolProfiles`, message: ONE_POOL_MESSAGE },
  ],
  [
    'a pool that is no object',
    def({ pools: [privatePool(), 7] }),
    { path: `${P}.agentPoolProfiles[1]`, message: 'expected an object, got number' },
  ],
  [
    'duplicate pool names',
    def({ pools: [privatePool(), publicPool({ name: 'private' })] }),
    { path: `${P}.agentPoolProfiles[1].name`, message: duplicatePoolMessage('private') },
  ],
  // pool names
  [
    'an uppercase pool name',
    def({ pools: [privatePool({ name: 'Agent' })] }),
    { path: `${POOL0}.name`, message: poolNameMessage('Agent') },
  ],
  [
    'a 13-character pool name',
    def({ pools: [privatePool({ name: 'a234567890123' })] }),
    { path: `${POOL0}.name`, message: poolNameMessage('a234567890123') },
  ],
  [
    'an empty pool name',
    def({ pools: [privatePool({ name: '' })] }),
    { path: `${POOL0}.name`, message: POOL_NAME_REQUIRED_MESSAGE },
  ],
  [
    'no pool name',
    def({ pools: [{ count: 1, vmSize: 'Standard_D2_v2' }] }),
    { path: `${POOL0}.name`, message: POOL_NAME_REQUIRED_MESSAGE },
  ],
  [
    'the pool name master',
    def({ pools: [privatePool({ name: 'master' })] }),
    { path: `${POOL0}.name`, message: RESERVED_POOL_NAME_MESSAGE },
  ],
  [
    'a 7-character Windows pool name',
    def({ pools: [windowsPool({ name: 'windows' })] }),
    { path: `${POOL0}.name`, message: windowsPoolNameMessage('windows') },
  ],
  // pool sizes
  [
    'no agents',
    def({ pools: [privatePool({ count: 0 })] }),
    { path: `${POOL0}.count`, message: POOL_COUNT_MESSAGE },
  ],
  [
    '101 agents',
    def({ pools: [privatePool({ count: 101 })] }),
    { path: `${POOL0}.count`, message: POOL_COUNT_MESSAGE },
  ],
  [
    'a huge count',
    def({ pools: [privatePool({ count: 1e300 })] }),
    { path: `${POOL0}.count`, message: POOL_COUNT_MESSAGE },
  ],
  [
    'no count in vlabs',
    def({ pools: [{ name: 'a', vmSize: 'Standard_D2_v2' }] }),
    { path: `${POOL0}.count`, message: POOL_COUNT_MESSAGE },
  ],
  [
    'a count as a string',
    def({ pools: [privatePool({ count: '3' })] }),
    { path: `${POOL0}.count`, message: 'expected an integer, got string' },
  ],
  [
    'a fractional count',
    def({ pools: [privatePool({ count: 2.5 })] }),
    { path: `${POOL0}.count`, message: 'expected an integer, got 2.5' },
  ],
  [
    'no vmSize',
    def({ pools: [{ name: 'a', count: 1 }] }),
    { path: `${POOL0}.vmSize`, message: POOL_VM_SIZE_MESSAGE },
  ],
  // OS
  [
    'a lowercase osType',
    def({ pools: [privatePool({ osType: 'linux' })] }),
    { path: `${POOL0}.osType`, message: OS_TYPE_MESSAGE },
  ],
  [
    'Windows before vlabs',
    def({ apiVersion: '2017-07-01', pools: [windowsPool()] }),
    { path: `${POOL0}.osType`, message: NO_WINDOWS_MESSAGE },
  ],
  // public agents
  [
    'a bad pool dnsPrefix',
    def({ pools: [publicPool({ dnsPrefix: 'a_b' })] }),
    { path: `${POOL0}.dnsPrefix`, message: dnsPrefixMessage('a_b') },
  ],
  [
    'port 0',
    def({ pools: [publicPool({ ports: [0] })] }),
    { path: `${POOL0}.ports[0]`, message: PORT_RANGE_MESSAGE },
  ],
  [
    'port 65536',
    def({ pools: [publicPool({ ports: [65536] })] }),
    { path: `${POOL0}.ports[0]`, message: PORT_RANGE_MESSAGE },
  ],
  [
    'a duplicate port',
    def({ pools: [publicPool({ ports: [80, 80] })] }),
    { path: `${POOL0}.ports[1]`, message: duplicatePortMessage('public', 80) },
  ],
  [
    '151 ports',
    def({ pools: [publicPool({ ports: Array.from({ length: 151 }, (_, i) => i + 1) })] }),
    { path: `${POOL0}.ports`, message: TOO_MANY_PORTS_MESSAGE },
  ],
  [
    'a port as a string',
    def({ pools: [publicPool({ ports: ['80'] })] }),
    { path: `${POOL0}.ports[0]`, message: 'expected an integer, got string' },
  ],
  // disks and VMs
  [
    'an unknown storageProfile',
    def({ pools: [privatePool({ storageProfile: 'Premium' })] }),
    { path: `${POOL0}.storageProfile`, message: storageProfileMessage('Premium') },
  ],
  [
    'an unknown availabilityProfile',
    def({ pools: [privatePool({ availabilityProfile: 'Foo' })] }),
    {
      path: `${POOL0}.availabilityProfile`,
      message: availabilityProfileMessage('Foo', "agent pool 'private'"),
    },
  ],
  [
    'a 2 TB OS disk',
    def({ pools: [privatePool({ OSDiskSizeGB: 2000 })] }),
    { path: `${POOL0}.OSDiskSizeGB`, message: osDiskSizeMessage(2000) },
  ],
  // Mesos attributes
  [
    'an empty attribute name',
    def({ pools: [privatePool({ customNodeLabels: { '': 'x' } })] }),
    { path: `${POOL0}.customNodeLabels[""]`, message: EMPTY_ATTRIBUTE_MESSAGE },
  ],
  [
    'attributes that become one label',
    def({ pools: [privatePool({ customNodeLabels: { 'rack id': 'a', 'rack-id': 'b' } })] }),
    {
      path: `${POOL0}.customNodeLabels["rack-id"]`,
      message: attributeClashMessage('rack id', 'rack-id', attributeLabelKey('rack-id')),
    },
  ],
  [
    'an attribute that becomes the os label',
    def({ pools: [privatePool({ customNodeLabels: { 'os.': 'x' } })] }),
    {
      path: `${POOL0}.customNodeLabels["os."]`,
      message: attributeClashMessage('os', 'os.', attributeLabelKey('os')),
    },
  ],
  [
    'an attribute value that is no string',
    def({ pools: [privatePool({ customNodeLabels: { rack: 1 } })] }),
    { path: `${POOL0}.customNodeLabels.rack`, message: 'expected a string, got number' },
  ],
  // Spot
  [
    'an unknown priority',
    def({ pools: [privatePool({ scaleSetPriority: 'High' })] }),
    { path: `${POOL0}.scaleSetPriority`, message: PRIORITY_MESSAGE },
  ],
  [
    'an unknown eviction policy',
    def({ pools: [privatePool({ scaleSetPriority: 'Low', scaleSetEvictionPolicy: 'Keep' })] }),
    { path: `${POOL0}.scaleSetEvictionPolicy`, message: EVICTION_MESSAGE },
  ],
  [
    'a Spot price on a regular pool',
    def({ pools: [privatePool({ spotMaxPrice: 0.5 })] }),
    { path: `${POOL0}.spotMaxPrice`, message: SPOT_PRICE_POOL_MESSAGE },
  ],
  [
    'a Spot price of 0',
    def({ pools: [privatePool({ scaleSetPriority: 'Spot', spotMaxPrice: 0 })] }),
    { path: `${POOL0}.spotMaxPrice`, message: SPOT_PRICE_VALUE_MESSAGE },
  ],
  // autoscaling
  [
    'autoscaling without bounds',
    def({ pools: [privatePool({ enableAutoScaling: true })] }),
    { path: `${POOL0}.enableAutoScaling`, message: AUTOSCALE_BOUNDS_REQUIRED_MESSAGE },
  ],
  [
    'bounds without autoscaling',
    def({ pools: [privatePool({ minCount: 1 })] }),
    { path: `${POOL0}.minCount`, message: AUTOSCALE_BOUNDS_FORBIDDEN_MESSAGE },
  ],
  [
    'minCount above maxCount',
    def({ pools: [privatePool({ enableAutoScaling: true, minCount: 5, maxCount: 3 })] }),
    { path: `${POOL0}.minCount`, message: AUTOSCALE_ORDER_MESSAGE },
  ],
  [
    'a count outside the bounds',
    def({ pools: [privatePool({ count: 10, enableAutoScaling: true, minCount: 1, maxCount: 5 })] }),
    { path: `${POOL0}.count`, message: AUTOSCALE_COUNT_MESSAGE },
  ],
  [
    'enableAutoScaling as a string',
    def({ pools: [privatePool({ enableAutoScaling: 'true' })] }),
    { path: `${POOL0}.enableAutoScaling`, message: 'expected a boolean, got string' },
  ],
  // custom VNET
  [
    'a subnet for a pool only',
    def({ pools: [privatePool({ vnetSubnetID: subnet('v') })] }),
    { path: `${POOL0}.vnetSubnetID`, message: VNET_MIXED_MESSAGE },
  ],
  [
    'subnets of two VNETs',
    def({
      master: { count: 1, vmSize: 'Standard_D2_v2', vnetSubnetID: subnet('a', 'masters') },
      pools: [privatePool({ vnetSubnetID: subnet('b') })],
    }),
    { path: `${POOL0}.vnetSubnetID`, message: VNET_DIFFERENT_MESSAGE },
  ],
  [
    'a subnet id that is no subnet id',
    def({
      master: { count: 1, vmSize: 'Standard_D2_v2', vnetSubnetID: subnet('a', 'masters') },
      pools: [privatePool({ vnetSubnetID: 'subnet-1' })],
    }),
    { path: `${POOL0}.vnetSubnetID`, message: VNET_FORMAT_MESSAGE },
  ],
  // linuxProfile
  [
    'an uppercase admin in 2017-01-31',
    def({
      apiVersion: '2017-01-31',
      properties: { linuxProfile: { adminUsername: 'Azure', ssh: { publicKeys: [{ keyData: '' }] } } },
    }),
    {
      path: `${P}.linuxProfile.adminUsername`,
      message: "LinuxProfile.AdminUsername 'Azure' is invalid: it must match ^[a-z][a-z0-9_-]*$",
    },
  ],
  [
    'an admin starting with a digit',
    def({ properties: { linuxProfile: { adminUsername: '1az', ssh: { publicKeys: [{ keyData: '' }] } } } }),
    {
      path: `${P}.linuxProfile.adminUsername`,
      message: "LinuxProfile.AdminUsername '1az' is invalid: it must match ^[A-Za-z][-A-Za-z0-9_]*$",
    },
  ],
  [
    'two SSH keys',
    def({
      properties: {
        linuxProfile: { adminUsername: 'a', ssh: { publicKeys: [{ keyData: 'x' }, { keyData: 'y' }] } },
      },
    }),
    { path: `${P}.linuxProfile.ssh.publicKeys`, message: SSH_KEYS_MESSAGE },
  ],
  [
    'no SSH key',
    def({ properties: { linuxProfile: { adminUsername: 'a', ssh: {} } } }),
    { path: `${P}.linuxProfile.ssh.publicKeys`, message: SSH_KEYS_MESSAGE },
  ],
  [
    'keyData of the wrong type',
    def({ properties: { linuxProfile: { adminUsername: 'a', ssh: { publicKeys: [{ keyData: 5 }] } } } }),
    { path: `${P}.linuxProfile.ssh.publicKeys[0].keyData`, message: 'expected a string, got number' },
  ],
  // windowsProfile
  [
    'a weak Windows password',
    def({
      pools: [windowsPool()],
      properties: { windowsProfile: { adminUsername: 'azure', adminPassword: 'password' } },
    }),
    { path: `${P}.windowsProfile.adminPassword`, message: WINDOWS_PASSWORD_MESSAGE },
  ],
  [
    'a Windows password of the wrong type',
    def({ pools: [windowsPool()], properties: { windowsProfile: { adminPassword: 123456789012 } } }),
    { path: `${P}.windowsProfile.adminPassword`, message: 'expected a string, got number' },
  ],
  [
    'a bad Windows admin',
    def({ pools: [windowsPool()], properties: { windowsProfile: { adminUsername: 'a..b' } } }),
    {
      path: `${P}.windowsProfile.adminUsername`,
      message:
        "WindowsProfile.AdminUsername 'a..b' is invalid: it must match ^[a-zA-Z0-9]+([._]?[a-zA-Z0-9]+)*$",
    },
  ],
];

describe('validateAcsDefinition', () => {
  it('accepts the base definition', () => {
    assert.deepEqual(validateAcsDefinition(def()), []);
  });

  for (const [rule, input, expected] of RULES) {
    it(`rejects ${rule}`, () => {
      assert.deepEqual(validateAcsDefinition(input), [expected]);
    });
  }

  const ACCEPTED: [string, unknown][] = [
    ['empty dnsPrefix and keyData placeholders', def()],
    [
      'orchestratorType in any case',
      def({ properties: { orchestratorProfile: { orchestratorType: 'dcos' } } }),
    ],
    [
      'no master count nor vmSize before 2017-07-01',
      def({ apiVersion: '2017-01-31', master: { dnsPrefix: 'abc' } }),
    ],
    [
      'no pool count before vlabs (the RP defaulted it to 1)',
      def({ apiVersion: '2017-07-01', pools: [{ name: 'a', vmSize: 'Standard_D2_v2' }] }),
    ],
    ['one pool in 2016-03-30', def({ apiVersion: '2016-03-30', pools: [privatePool()] })],
    ['12 pools', def({ pools: Array.from({ length: 12 }, (_, i) => privatePool({ name: `pool${i}` })) })],
    ['a 6-character Windows pool name', def({ pools: [windowsPool({ name: 'win123' })] })],
    ['a 12-character Linux pool name', def({ pools: [privatePool({ name: 'a23456789012' })] })],
    [
      'a weak Windows password without Windows pools',
      def({ properties: { windowsProfile: { adminPassword: 'x' } } }),
    ],
    [
      'an empty Windows password',
      def({ pools: [windowsPool()], properties: { windowsProfile: { adminPassword: '' } } }),
    ],
    [
      'a strong Windows password',
      def({
        pools: [windowsPool()],
        properties: { windowsProfile: { adminUsername: 'az.ure', adminPassword: 'Str0ng!Passw0rd' } },
      }),
    ],
    ['no linuxProfile', def({ properties: { linuxProfile: null } })],
    ['ports without a dnsPrefix', def({ pools: [privatePool({ ports: [80] })] })],
    ['an OS disk of 0 (the default)', def({ pools: [privatePool({ osDiskSizeGB: 0 })] })],
    [
      'an attribute named like a built-in one',
      def({ pools: [publicPool({ customNodeLabels: { os: 'x', public_ip: 'no' } })] }),
    ],
    [
      'one VNET for all, in any case',
      def({
        master: { count: 1, vmSize: 'Standard_D2_v2', vnetSubnetID: subnet('v', 'masters') },
        pools: [privatePool({ vnetSubnetID: subnet('v').replace('resourceGroups', 'resourcegroups') })],
      }),
    ],
    [
      'autoscaling within bounds',
      def({ pools: [privatePool({ count: 3, enableAutoScaling: true, minCount: 0, maxCount: 5 })] }),
    ],
    [
      'Low priority with Deallocate and a price',
      def({
        pools: [
          privatePool({ scaleSetPriority: 'Low', scaleSetEvictionPolicy: 'Deallocate', spotMaxPrice: -1 }),
        ],
      }),
    ],
    [
      'null fields, as Go ignored them',
      def({ pools: [privatePool({ dnsPrefix: null, ports: null, osType: null })] }),
    ],
    [
      'ACS-era fields a version did not have, of any type',
      def({ apiVersion: '2017-01-31', pools: [privatePool({ ports: 'x', customNodeLabels: 5 })] }),
    ],
  ];
  for (const [what, input] of ACCEPTED) {
    it(`accepts ${what}`, () => {
      assert.deepEqual(validateAcsDefinition(input), []);
    });
  }

  it('matches keys case-insensitively and reports them as written', () => {
    const input = {
      APIVERSION: 'vlabs',
      Properties: {
        OrchestratorProfile: { OrchestratorType: 'DCOS' },
        MasterProfile: { Count: 3, VMSize: 'Standard_D2_v2' },
        AgentPoolProfiles: [{ Name: 'agents', COUNT: 0, VmSize: 'Standard_D2_v2' }],
      },
    };
    assert.deepEqual(validateAcsDefinition(input), [
      { path: 'Properties.AgentPoolProfiles[0].COUNT', message: POOL_COUNT_MESSAGE },
    ]);
  });

  it('reports every problem at once', () => {
    const errors = validateAcsDefinition(
      def({
        master: { count: 4 },
        pools: [privatePool({ name: 'A', count: 0 }), publicPool({ ports: [0] })],
      }),
    );
    assert.deepEqual(errors.map((e) => e.path).sort(), [
      `${P}.agentPoolProfiles[0].count`,
      `${P}.agentPoolProfiles[0].name`,
      `${P}.agentPoolProfiles[1].ports[0]`,
      `${P}.masterProfile.count`,
      `${P}.masterProfile.vmSize`,
    ]);
  });

  it('never repeats a Windows password, valid or not', () => {
    const secret = 'weak-secret-password';
    const errors = validateAcsDefinition(
      def({
        pools: [windowsPool()],
        properties: { windowsProfile: { adminUsername: 'a', adminPassword: secret } },
      }),
    );
    assert.equal(errors.length, 1);
    assert.ok(!JSON.stringify(errors).includes(secret));
  });

  it('keeps messages short for huge values', () => {
    const errors = validateAcsDefinition(def({ pools: [privatePool({ name: 'X'.repeat(1_000_000) })] }));
    assert.equal(errors.length, 1);
    assert.ok((errors[0]?.message.length ?? 0) < 400);
  });
});

describe('validateAcsDefinition on garbage', () => {
  // A small deterministic generator, so that a failure reproduces.
  function random(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
  }

  function garbage(next: () => number, depth: number): unknown {
    const pick = Math.floor(next() * 12);
    const keys = [
      'name',
      'count',
      'Count',
      'vmSize',
      'dnsPrefix',
      'ports',
      'osType',
      'customNodeLabels',
      'x',
      '__proto__',
    ];
    switch (pick) {
      case 0:
        return null;
      case 1:
        return Math.floor(next() * 200) - 50;
      case 2:
        return next() * 1e300;
      case 3:
        return ['', 'DCOS', 'Windows', 'Low', 'master', 'a'.repeat(70), '80'][Math.floor(next() * 7)];
      case 4:
        return next() < 0.5;
      case 5:
        return -0;
      default:
        if (depth > 4) return {};
        if (pick < 8) return Array.from({ length: Math.floor(next() * 4) }, () => garbage(next, depth + 1));
        return Object.fromEntries(
          Array.from({ length: Math.floor(next() * 5) }, () => [
            keys[Math.floor(next() * keys.length)] ?? 'k',
            garbage(next, depth + 1),
          ]),
        );
    }
  }

  /** Replaces one random value somewhere in `value` by garbage. */
  function mutate(value: unknown, next: () => number, depth = 0): unknown {
    if (depth > 0 && next() < 0.3) return garbage(next, depth);
    if (Array.isArray(value)) {
      const items: unknown[] = value;
      return items.map((v) => (next() < 0.5 ? mutate(v, next, depth + 1) : v));
    }
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, next() < 0.5 ? mutate(v, next, depth + 1) : v]),
      );
    }
    return next() < 0.5 ? garbage(next, depth) : value;
  }

  const check = (input: unknown) => {
    const errors = validateAcsDefinition(input);
    assert.ok(Array.isArray(errors));
    for (const e of errors) {
      assert.equal(typeof e.path, 'string');
      assert.equal(typeof e.message, 'string');
      assert.ok(e.message.length > 0);
    }
    return errors;
  };

  it('reports errors without throwing on values that are no definition', () => {
    for (const input of [
      null,
      undefined,
      0,
      NaN,
      Infinity,
      'DCOS',
      true,
      [],
      [null],
      () => 1,
      Symbol('x'),
      10n,
    ]) {
      assert.ok(check(input).length > 0, String(input));
    }
    for (const input of [
      {},
      { properties: null },
      { properties: [] },
      { properties: { agentPoolProfiles: {} } },
    ]) {
      assert.ok(check(input).length > 0, JSON.stringify(input));
    }
    assert.ok(
      check(JSON.parse('{"__proto__": {"properties": {}}, "properties": {"__proto__": 1}}')).length > 0,
    );
  });

  it('never throws on random garbage', () => {
    const next = random(42);
    for (let i = 0; i < 500; i++) check(garbage(next, 0));
  });

  it('never throws on definitions with random parts replaced by garbage', () => {
    const next = random(7);
    for (let i = 0; i < 1000; i++)
      check(mutate(def({ pools: [privatePool(), publicPool(), windowsPool()] }), next));
  });
});
