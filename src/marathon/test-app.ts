// Test support: a canonical app with Marathon's defaults, for translator tests that do not go through
// normalize(). Not used by production code.
import type { NormalizedApp } from './app.ts';
import type { TranslateContext } from './translate/draft.ts';
import { nodeViewOf } from './translate/draft.ts';
import { selectorFor } from './names.ts';

export function testApp(overrides: Partial<NormalizedApp> = {}): NormalizedApp {
  return {
    id: '/test/app',
    cmd: 'sleep 1000',
    instances: 1,
    cpus: 1,
    mem: 128,
    disk: 0,
    gpus: 0,
    env: {},
    secrets: {},
    labels: {},
    networks: [{ mode: 'host', labels: {} }],
    portDefinitions: [{ port: 10000, protocol: 'tcp', name: 'default', labels: {} }],
    portMappings: [],
    requirePorts: false,
    healthChecks: [],
    readinessChecks: [],
    constraints: [],
    upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
    unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
    killSelection: 'YOUNGEST_FIRST',
    backoffSeconds: 1,
    backoffFactor: 1.15,
    maxLaunchDelaySeconds: 300,
    fetch: [],
    dependencies: [],
    executor: '',
    tty: false,
    unknownFields: [],
    ...overrides,
  };
}

/** Nodes given as label maps. */
export const nodeView = nodeViewOf;

export function testContext(overrides: Partial<TranslateContext> = {}): TranslateContext {
  return {
    namespace: 'test',
    appName: 'test-app',
    name: 'test-app',
    selector: selectorFor('test-app'),
    version: '2026-01-01T00:00:00.000Z',
    defaultImage: 'docker.io/library/busybox:1.37',
    fetchImage: 'docker.io/library/busybox:1.37',
    nodes: nodeView([]),
    dependenciesReady: true,
    ...overrides,
  };
}
