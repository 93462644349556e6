// The real @azure/arm-containerservice client, unmodified, against the emulator over HTTPS. It trusts the
// emulator's certificate through a per-call policy that gives each request an https.Agent with that CA.
import assert from 'node:assert/strict';
import https from 'node:https';
import { ContainerServiceClient, RestError, restorePoller } from '@azure/arm-containerservice';
import type { ContainerServiceClientOptionalParams } from '@azure/arm-containerservice';
import { createEmulatorCertificate } from './certificate.ts';
import type { EmulatorCertificate } from './certificate.ts';
import { startAksEmulator } from './server.ts';
import type { AksEmulator, AksEmulatorOptions } from './server.ts';

const SUB = '00000000-0000-0000-0000-0000000000a1';
const RG = 'rg1';
const CLUSTER = 'c1';
const POLL = { updateIntervalInMs: 20 };
const credential = {
  getToken: () => Promise.resolve({ token: 'fake', expiresOnTimestamp: Date.now() + 3600_000 }),
};

function sdkClient(em: AksEmulator, opts: ContainerServiceClientOptionalParams = {}): ContainerServiceClient {
  const agent = new https.Agent({ ca: em.caPem });
  return new ContainerServiceClient(credential, SUB, {
    endpoint: em.endpoint,
    additionalPolicies: [
      {
        position: 'perCall',
        policy: {
          name: 'trustEmulatorCa',
          sendRequest: (req, next) => {
            req.agent = agent;
            return next(req);
          },
        },
      },
    ],
    ...opts,
  });
}

async function rejection(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const verbs = (em: AksEmulator) =>
  em.requests.map(
    (r) => `${r.method} ${r.path.replace(/^.*\/(managedClusters|locations)\//, '')} ${r.status}`,
  );

describe('aks emulator with the Azure SDK', function () {
  this.timeout(10_000);
  let certificate: EmulatorCertificate;
  let em: AksEmulator;
  let client: ContainerServiceClient;

  before(async () => {
    certificate = await createEmulatorCertificate();
  });

  async function start(opts: AksEmulatorOptions = {}) {
    em = await startAksEmulator({ certificate, operationDurationMs: 60, ...opts });
    client = sdkClient(em);
  }

  afterEach(async () => {
    await em.close();
  });

  it('needs the emulator CA: without the trust policy TLS verification fails', async () => {
    await start();
    const untrusting = new ContainerServiceClient(credential, SUB, {
      endpoint: em.endpoint,
      retryOptions: { maxRetries: 0 },
    });
    const err = await rejection(untrusting.agentPools.get(RG, CLUSTER, 'nodepool1'));
    assert.ok(err instanceof RestError);
    assert.match(String(err.code), /SELF_SIGNED|CERT/);
    assert.deepEqual(em.requests, []);
  });

  it('creates a pool end to end: Succeeded, with the server defaults, via PUT, polls and a final GET', async () => {
    await start();
    const pool = await client.agentPools.createOrUpdate(
      RG,
      CLUSTER,
      'spot1',
      {
        count: 2,
        vmSize: 'Standard_D2s_v3',
        mode: 'User',
        scaleSetPriority: 'Spot',
        nodeLabels: { team: 'a' },
      },
      POLL,
    );
    assert.equal(pool.provisioningState, 'Succeeded');
    assert.equal(pool.name, 'spot1');
    assert.equal(pool.type, 'Microsoft.ContainerService/managedClusters/agentPools');
    assert.equal(pool.count, 2);
    assert.equal(pool.maxPods, 110);
    assert.equal(pool.osDiskSizeGB, 128);
    assert.equal(pool.osDiskType, 'Managed');
    assert.equal(pool.osSKU, 'Ubuntu');
    assert.equal(pool.typePropertiesType, 'VirtualMachineScaleSets');
    assert.equal(pool.orchestratorVersion, '1.33.5');
    assert.equal(pool.currentOrchestratorVersion, '1.33.5');
    assert.equal(pool.powerState?.code, 'Running');
    assert.ok(pool.nodeImageVersion);
    assert.ok(pool.eTag);
    assert.deepEqual(pool.nodeLabels, { team: 'a', 'kubernetes.azure.com/scalesetpriority': 'spot' });
    assert.deepEqual(pool.nodeTaints, ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule']);
    const seen = verbs(em);
    assert.equal(seen[0], 'PUT c1/agentPools/spot1 201');
    assert.equal(seen.at(-1), 'GET c1/agentPools/spot1 200', 'the final GET of the original URL');
    assert.ok(
      seen.slice(1, -1).length >= 1 &&
        seen.slice(1, -1).every((s) => /^GET eastus\/operations\/.* 200$/.test(s)),
    );
  });

  it('round-trips a pool read back from the SDK (Spot label and taint, defaults and immutables restated)', async () => {
    await start();
    await client.agentPools.createOrUpdate(
      RG,
      CLUSTER,
      'spot1',
      { count: 1, mode: 'User', scaleSetPriority: 'Spot' },
      POLL,
    );
    const read = await client.agentPools.get(RG, CLUSTER, 'spot1');
    const updated = await client.agentPools.createOrUpdate(RG, CLUSTER, 'spot1', { ...read, count: 3 }, POLL);
    assert.equal(updated.provisioningState, 'Succeeded');
    assert.equal(updated.count, 3);
    assert.deepEqual(updated.nodeTaints, ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule']);
  });

  it('lists pools across pages following nextLink', async () => {
    await start({ pageSize: 2 });
    await Promise.all(
      ['a1', 'a2', 'a3', 'a4'].map((name) =>
        client.agentPools.createOrUpdate(RG, CLUSTER, name, { count: 1, mode: 'User' }, POLL),
      ),
    );
    em.clearRequests();
    const names: string[] = [];
    for await (const p of client.agentPools.list(RG, CLUSTER)) names.push(p.name ?? '');
    assert.deepEqual(names, ['nodepool1', 'a1', 'a2', 'a3', 'a4']);
    assert.deepEqual(verbs(em), Array<string>(3).fill('GET c1/agentPools 200'));
  });

  it('gets the managed cluster and a pool upgrade profile', async () => {
    await start();
    const mc = await client.managedClusters.get(RG, CLUSTER);
    assert.equal(mc.kubernetesVersion, '1.33.5');
    assert.deepEqual(
      mc.agentPoolProfiles?.map((p) => [p.name, p.mode, p.count]),
      [['nodepool1', 'System', 1]],
    );
    const profile = await client.agentPools.getUpgradeProfile(RG, CLUSTER, 'nodepool1');
    assert.equal(profile.kubernetesVersion, '1.33.5');
    assert.deepEqual(profile.upgrades, []);
  });

  it('turns a missing pool into RestError 404 NotFound', async () => {
    await start();
    const err = await rejection(client.agentPools.get(RG, CLUSTER, 'nope'));
    assert.ok(err instanceof RestError);
    assert.equal(err.statusCode, 404);
    assert.equal(err.code, 'NotFound');
    assert.equal(err.message, "Agent pool 'nope' was not found in managed cluster 'c1'.");
  });

  it('deletes a pool: 202, polls, no final GET; the pool is gone', async () => {
    await start();
    await client.agentPools.createOrUpdate(RG, CLUSTER, 'user1', { count: 1, mode: 'User' }, POLL);
    em.clearRequests();
    await client.agentPools.delete(RG, CLUSTER, 'user1', POLL);
    const seen = verbs(em);
    assert.equal(seen[0], 'DELETE c1/agentPools/user1 202');
    assert.ok(
      seen.slice(1).every((s) => /^GET eastus\/operations\/.* 200$/.test(s)),
      seen.join('\n'),
    );
    const err = await rejection(client.agentPools.get(RG, CLUSTER, 'user1'));
    assert.equal((err as RestError).statusCode, 404);
    await client.agentPools.delete(RG, CLUSTER, 'user1', POLL);
    assert.equal(verbs(em).at(-1), 'DELETE c1/agentPools/user1 204');
  });

  it('rejects a write while another runs with RestError 409 OperationNotAllowed', async () => {
    await start({ operationDurationMs: 500 });
    const first = client.agentPools.createOrUpdate(RG, CLUSTER, 'user1', { count: 1, mode: 'User' }, POLL);
    await first.submitted();
    const err = await rejection(
      client.agentPools.createOrUpdate(RG, CLUSTER, 'user1', { count: 2, mode: 'User' }, POLL),
    );
    assert.ok(err instanceof RestError);
    assert.equal(err.statusCode, 409);
    assert.equal(err.code, 'OperationNotAllowed');
    assert.equal(
      err.message,
      'Operation is not allowed: Another agentpool operation (user1 - Creating) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details',
    );
    assert.equal((await first).provisioningState, 'Succeeded');
  });

  it('rejects an invalid pool with RestError 400 InvalidParameter (no client-side name check)', async () => {
    await start();
    const err = await rejection(
      client.agentPools.createOrUpdate(RG, CLUSTER, 'Agent_Pool', { count: 1, mode: 'User' }, POLL),
    );
    assert.ok(err instanceof RestError);
    assert.equal(err.statusCode, 400);
    assert.equal(err.code, 'InvalidParameter');
    assert.match(err.message, /^The value of parameter agentPoolProfile\.name is invalid\./);
    assert.deepEqual(verbs(em), ['PUT c1/agentPools/Agent_Pool 400']);
  });

  it('retries a 429 after its Retry-After', async () => {
    await start({ faults: { throttleNext: 1, retryAfterSeconds: 1 } });
    const t = Date.now();
    const pool = await client.agentPools.get(RG, CLUSTER, 'nodepool1');
    const elapsed = Date.now() - t;
    assert.equal(pool.name, 'nodepool1');
    assert.ok(elapsed >= 950, `retried after ${elapsed} ms`);
    assert.deepEqual(verbs(em), ['GET c1/agentPools/nodepool1 429', 'GET c1/agentPools/nodepool1 200']);
  });

  it('gives up on persistent throttling with RestError 429', async () => {
    await start({ faults: { throttleRate: 1, retryAfterSeconds: 0 } });
    const err = await rejection(
      sdkClient(em, { retryOptions: { maxRetries: 1 } }).agentPools.createOrUpdate(RG, CLUSTER, 'user1', {
        count: 1,
        mode: 'User',
      }),
    );
    assert.ok(err instanceof RestError);
    assert.equal(err.statusCode, 429);
    assert.equal(err.code, 'SubscriptionRequestsThrottled');
    assert.equal(em.requests.length, 2);
    assert.deepEqual(em.pools(SUB, RG, CLUSTER), [], 'throttled writes changed nothing');
  });

  it('retries server errors', async () => {
    await start({ faults: { serverErrorNext: 1, retryAfterSeconds: 0 } });
    const fast = sdkClient(em, { retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 20 } });
    const pool = await fast.agentPools.createOrUpdate(RG, CLUSTER, 'user1', { count: 1, mode: 'User' }, POLL);
    assert.equal(pool.provisioningState, 'Succeeded');
    const puts = em.requests.filter((r) => r.method === 'PUT').map((r) => r.status);
    assert.equal(puts.length, 2);
    assert.ok(puts[0] === 500 || puts[0] === 503);
    assert.equal(puts[1], 201);
  });

  it('makes the poller throw the code and message of a failed operation', async () => {
    await start({ faults: { failNextOperations: 1 } });
    const err = await rejection(
      client.agentPools.createOrUpdate(RG, CLUSTER, 'user1', { count: 1, mode: 'User' }, POLL),
    );
    assert.ok(err instanceof Error);
    assert.equal(err instanceof RestError, false);
    assert.equal(
      err.message,
      'The long-running operation has failed. InternalOperationError. The create operation on agent pool user1 failed: an injected fault ended it.',
    );
    assert.equal((err as RestError).statusCode, undefined);
    assert.equal((await client.agentPools.get(RG, CLUSTER, 'user1')).provisioningState, 'Failed');
  });

  it('aborts a running operation: its poller reports the cancellation and the pool ends Canceled', async () => {
    await start({ operationDurationMs: 2000, abortDurationMs: 50 });
    const create = client.agentPools.createOrUpdate(RG, CLUSTER, 'user1', { count: 1, mode: 'User' }, POLL);
    await create.submitted();
    await client.agentPools.abortLatestOperation(RG, CLUSTER, 'user1', POLL);
    const err = await rejection(create);
    assert.equal((err as Error).message, 'Operation was canceled');
    assert.equal((await client.agentPools.get(RG, CLUSTER, 'user1')).provisioningState, 'Canceled');
    const none = await rejection(client.agentPools.abortLatestOperation(RG, CLUSTER, 'user1', POLL));
    assert.equal((none as RestError).statusCode, 409);
    assert.equal((none as RestError).code, 'OperationNotAllowed');
  });

  it('resumes a serialized poller with restorePoller and finishes the same operation with one PUT', async () => {
    await start({ operationDurationMs: 400 });
    const poller = client.agentPools.createOrUpdate(RG, CLUSTER, 'user1', { count: 2, mode: 'User' }, POLL);
    await poller.submitted();
    const serialized = await poller.serialize();
    const operationLocation = (JSON.parse(serialized) as { state: { config: { operationLocation: string } } })
      .state.config.operationLocation;
    const opId = /\/operations\/([0-9a-f-]{36})\?/.exec(operationLocation)?.[1];
    assert.ok(opId, operationLocation);

    // A new client, as after an operator restart.
    const restored = restorePoller(sdkClient(em), serialized, client.agentPools.createOrUpdate, POLL);
    const early = await restored.poll();
    assert.equal(early.status, 'running');
    assert.equal(restored.isDone, false);
    await sleep(450);
    const done = await restored.poll();
    assert.equal(done.status, 'succeeded');
    assert.equal(restored.isDone, true);
    assert.equal(restored.result?.provisioningState, 'Succeeded');
    assert.equal(restored.result?.count, 2);

    const puts = em.requests.filter((r) => r.method === 'PUT');
    assert.equal(puts.length, 1);
    const polled = em.requests
      .filter((r) => r.path.includes('/operations/'))
      .map((r) => r.path.split('/').at(-1));
    assert.deepEqual(polled, [opId, opId]);
  });
});
