import assert from 'node:assert/strict';
import https from 'node:https';
import { FakeClock } from '../../runtime/clock.ts';
import { createEmulatorCertificate } from './certificate.ts';
import type { EmulatorCertificate } from './certificate.ts';
import type { AgentPoolSnapshot } from './model.ts';
import { startAksEmulator } from './server.ts';
import type { AksEmulator, AksEmulatorOptions } from './server.ts';

const SUB = '00000000-0000-0000-0000-000000000001';
const BASE = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/c1`;
const API = 'api-version=2025-07-01';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The parts of ARM bodies these tests read; which ones a response has depends on the call.
interface ArmBody {
  id: string;
  name: string;
  type: string;
  location: string;
  status: string;
  startTime: string;
  endTime?: string;
  error: { code: string; message: string; target?: string };
  value: { name: string }[];
  nextLink?: string;
  properties: {
    provisioningState: string;
    count: number;
    maxPods: number;
    type: string;
    eTag: string;
    osType: string;
    orchestratorVersion: string;
    kubernetesVersion: string;
    nodeResourceGroup: string;
    kubeletConfig: unknown;
    upgrades: unknown;
    agentPoolProfiles: { name: string; mode: string }[];
  };
}

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: ArmBody;
}

interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** The Authorization header; null sends none. */
  auth?: string | null;
}

function call(
  em: AksEmulator,
  method: string,
  pathAndQuery: string,
  opts: CallOptions = {},
): Promise<Response> {
  const url = pathAndQuery.startsWith('https://')
    ? new URL(pathAndQuery)
    : new URL(pathAndQuery, em.endpoint);
  const headers: Record<string, string> = { ...opts.headers };
  const auth = opts.auth === undefined ? 'Bearer test-token' : opts.auth;
  if (auth !== null) headers.authorization = auth;
  const payload =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string'
        ? opts.body
        : JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca: em.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: (text ? JSON.parse(text) : undefined) as ArmBody,
        });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const pool = (name: string) => `${BASE}/agentPools/${name}?${API}`;
const userPool = (count: number, extra: Record<string, unknown> = {}) => ({
  properties: { count, mode: 'User', ...extra },
});

describe('aks emulator server', () => {
  let certificate: EmulatorCertificate;
  let clock: FakeClock;
  let em: AksEmulator | undefined;
  const logs: string[] = [];

  before(async () => {
    certificate = await createEmulatorCertificate();
  });

  async function start(opts: AksEmulatorOptions = {}): Promise<AksEmulator> {
    clock = new FakeClock();
    logs.length = 0;
    em = await startAksEmulator({
      certificate,
      clock,
      operationDurationMs: 1000,
      log: (m) => logs.push(m),
      ...opts,
    });
    return em;
  }

  afterEach(async () => {
    await em?.close();
    em = undefined;
  });

  it('listens on 127.0.0.1 over TLS with the certificate it publishes', async () => {
    const e = await start();
    assert.match(e.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(e.caPem, certificate.cert);
    const res = await call(e, 'GET', `${BASE}?${API}`);
    assert.equal(res.status, 200);
  });

  it('serves the managed cluster with its seeded System pool, and ARM headers', async () => {
    const e = await start();
    const res = await call(e, 'GET', `${BASE}?${API}`, {
      headers: { 'x-ms-correlation-request-id': 'corr-1' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.type, 'Microsoft.ContainerService/ManagedClusters');
    assert.equal(
      res.json.id,
      `/subscriptions/${SUB}/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/c1`,
    );
    assert.equal(res.json.location, 'eastus');
    assert.equal(res.json.properties.kubernetesVersion, '1.33.5');
    assert.equal(res.json.properties.nodeResourceGroup, 'MC_rg1_c1_eastus');
    assert.deepEqual(
      res.json.properties.agentPoolProfiles.map((p) => [p.name, p.mode]),
      [['nodepool1', 'System']],
    );
    assert.match(String(res.headers['x-ms-request-id']), GUID);
    assert.equal(res.headers['x-ms-correlation-request-id'], 'corr-1');
    assert.equal(res.headers['x-ms-ratelimit-remaining-subscription-reads'], '11999');
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const again = await call(e, 'GET', `${BASE}?${API}`);
    assert.equal(again.headers['x-ms-ratelimit-remaining-subscription-reads'], '11998');
    assert.match(String(again.headers['x-ms-correlation-request-id']), GUID);
  });

  it('creates a pool: 201 in ARM format with an Azure-AsyncOperation URL that reports the operation', async () => {
    const e = await start();
    const put = await call(e, 'PUT', pool('user1'), { body: userPool(2, { osType: 'Linux' }) });
    assert.equal(put.status, 201);
    assert.equal(put.headers['x-ms-ratelimit-remaining-subscription-writes'], '1199');
    assert.equal(
      put.json.id,
      `/subscriptions/${SUB}/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/c1/agentPools/user1`,
    );
    assert.equal(put.json.name, 'user1');
    assert.equal(put.json.type, 'Microsoft.ContainerService/managedClusters/agentPools');
    assert.equal(put.json.properties.provisioningState, 'Creating');
    assert.equal(put.json.properties.maxPods, 110);
    assert.equal(put.json.properties.type, 'VirtualMachineScaleSets');
    assert.equal(put.headers.location, undefined);
    const opUrl = String(put.headers['azure-asyncoperation']);
    const m = new RegExp(
      `^${e.endpoint}/subscriptions/${SUB}/providers/Microsoft.ContainerService/locations/eastus/operations/([0-9a-f-]{36})\\?api-version=2017-08-31$`,
    ).exec(opUrl);
    assert.ok(m, opUrl);
    const opId = m[1] ?? '';

    const running = await call(e, 'GET', opUrl);
    assert.equal(running.status, 200);
    assert.equal(running.json.status, 'InProgress');
    const swapped = opId.split('-').map((g, i) => (i < 3 ? (g.match(/../g) ?? []).reverse().join('') : g));
    assert.equal(running.json.name, swapped.join('-'));
    assert.equal(running.json.endTime, undefined);

    await clock.tick(1000);
    const done = await call(e, 'GET', opUrl);
    assert.equal(done.json.status, 'Succeeded');
    assert.equal(Date.parse(done.json.endTime ?? '') - Date.parse(done.json.startTime), 1000);
    const get = await call(e, 'GET', pool('user1'));
    assert.equal(get.status, 200);
    assert.equal(get.json.properties.provisioningState, 'Succeeded');
    assert.equal(get.json.properties.count, 2);
  });

  it('updates a pool: 200 with Azure-AsyncOperation, and echoes settings it does not model', async () => {
    const e = await start();
    await call(e, 'PUT', pool('user1'), { body: userPool(1) });
    await clock.tick(1000);
    const put = await call(e, 'PUT', pool('user1'), {
      body: { properties: { count: 3, kubeletConfig: { cpuManagerPolicy: 'static' } } },
    });
    assert.equal(put.status, 200);
    assert.equal(put.json.properties.provisioningState, 'Scaling');
    assert.ok(put.headers['azure-asyncoperation']);
    assert.deepEqual(put.json.properties.kubeletConfig, { cpuManagerPolicy: 'static' });
  });

  it('deletes a pool: 202 with Azure-AsyncOperation and Location, operationresults 202 then 204, then 204', async () => {
    const e = await start();
    await call(e, 'PUT', pool('user1'), { body: userPool(1) });
    await clock.tick(1000);
    const del = await call(e, 'DELETE', pool('user1'));
    assert.equal(del.status, 202);
    assert.equal(del.text, '');
    assert.equal(del.headers['content-length'], '0');
    assert.equal(del.headers['x-ms-ratelimit-remaining-subscription-deletes'], '14999');
    assert.match(
      String(del.headers['azure-asyncoperation']),
      /\/operations\/[0-9a-f-]{36}\?api-version=2017-08-31$/,
    );
    const location = String(del.headers.location);
    assert.match(
      location,
      /^https:\/\/127\.0\.0\.1:\d+\/.*\/operationresults\/[0-9a-f-]{36}\?api-version=2017-08-31$/,
    );
    assert.equal((await call(e, 'GET', location)).status, 202);
    assert.equal((await call(e, 'GET', pool('user1'))).json.properties.provisioningState, 'Deleting');
    await clock.tick(1000);
    assert.equal((await call(e, 'GET', location)).status, 204);
    const gone = await call(e, 'GET', pool('user1'));
    assert.equal(gone.status, 404);
    assert.equal(gone.json.error.code, 'NotFound');
    assert.equal((await call(e, 'DELETE', pool('user1'))).status, 204);
  });

  it('aborts a running operation: 202, the operation ends Canceled and the pool Canceled', async () => {
    const e = await start({ abortDurationMs: 200 });
    const put = await call(e, 'PUT', pool('user1'), { body: userPool(1) });
    const abort = await call(e, 'POST', `${BASE}/agentPools/user1/abort?${API}`);
    assert.equal(abort.status, 202);
    assert.match(String(abort.headers.location), /\/operations\//);
    assert.match(String(abort.headers['azure-asyncoperation']), /\/operations\//);
    await clock.tick(200);
    assert.equal(
      (await call(e, 'GET', String(abort.headers['azure-asyncoperation']))).json.status,
      'Succeeded',
    );
    assert.equal((await call(e, 'GET', String(put.headers['azure-asyncoperation']))).json.status, 'Canceled');
    assert.equal((await call(e, 'GET', pool('user1'))).json.properties.provisioningState, 'Canceled');
    const again = await call(e, 'POST', `${BASE}/agentPools/user1/abort?${API}`);
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'OperationNotAllowed');
  });

  it('pages LIST with an absolute nextLink', async () => {
    const e = await start({ pageSize: 2 });
    for (const name of ['a1', 'a2', 'a3', 'a4']) await call(e, 'PUT', pool(name), { body: userPool(1) });
    const names: string[] = [];
    let next: string | undefined = `${BASE}/agentPools?${API}`;
    let pages = 0;
    while (next) {
      const res = await call(e, 'GET', next);
      assert.equal(res.status, 200);
      names.push(...res.json.value.map((p) => p.name));
      next = res.json.nextLink;
      if (next) assert.ok(next.startsWith(`${e.endpoint}/`) && next.includes(API), next);
      pages++;
    }
    assert.equal(pages, 3);
    assert.deepEqual(names, ['nodepool1', 'a1', 'a2', 'a3', 'a4']);
  });

  it('serves the upgrade profile of a pool', async () => {
    const e = await start();
    await call(e, 'PUT', pool('old'), { body: userPool(1, { orchestratorVersion: '1.32.2' }) });
    const res = await call(e, 'GET', `${BASE}/agentPools/old/upgradeProfiles/default?${API}`);
    assert.equal(res.status, 200);
    assert.equal(res.json.name, 'default');
    assert.equal(res.json.properties.kubernetesVersion, '1.32.2');
    assert.equal(res.json.properties.osType, 'Linux');
    assert.deepEqual(res.json.properties.upgrades, [{ kubernetesVersion: '1.33.5', isPreview: false }]);
  });

  describe('request checks', () => {
    it('requires a bearer token, and never logs it', async () => {
      const e = await start();
      const none = await call(e, 'GET', `${BASE}?${API}`, { auth: null });
      assert.equal(none.status, 401);
      assert.equal(none.json.error.code, 'AuthenticationFailed');
      assert.match(none.json.error.message, /header is missing/);
      assert.ok(none.headers['www-authenticate']);
      const basic = await call(e, 'GET', `${BASE}?${API}`, { auth: 'Basic dXNlcjpwdw==' });
      assert.equal(basic.status, 401);
      assert.equal(basic.json.error.code, 'AuthenticationFailed');
      const empty = await call(e, 'GET', `${BASE}?${API}`, { auth: 'Bearer ' });
      assert.equal(empty.status, 401);
      assert.equal(empty.json.error.code, 'InvalidAuthenticationToken');
      const ok = await call(e, 'PUT', pool('user1'), { auth: 'Bearer sekret-token-42', body: userPool(1) });
      assert.equal(ok.status, 201);
      assert.ok(logs.length > 0);
      assert.ok(logs.every((l) => !l.includes('sekret')));
    });

    it('requires a well-formed api-version', async () => {
      const e = await start();
      const missing = await call(e, 'GET', BASE);
      assert.equal(missing.status, 400);
      assert.deepEqual(missing.json, {
        error: {
          code: 'MissingApiVersionParameter',
          message: 'The api-version query parameter (?api-version=) is required for all requests.',
        },
      });
      const bad = await call(e, 'GET', `${BASE}?api-version=latest`);
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.code, 'InvalidApiVersionParameter');
      assert.equal((await call(e, 'GET', `${BASE}?api-version=2026-02-02-preview`)).status, 200);
    });

    it('rejects bodies that are not JSON', async () => {
      const e = await start();
      const bad = await call(e, 'PUT', pool('user1'), { body: '{"properties": {' });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.code, 'InvalidRequestContent');
      const empty = await call(e, 'PUT', pool('user1'));
      assert.equal(empty.status, 400);
      assert.equal(empty.json.error.code, 'InvalidRequestContent');
      const text = await call(e, 'PUT', pool('user1'), {
        body: 'count=1',
        headers: { 'content-type': 'text/plain' },
      });
      assert.equal(text.status, 415);
      assert.equal(text.json.error.code, 'UnsupportedMediaType');
      assert.deepEqual(
        e.pools(SUB, 'rg1', 'c1').map((p) => p.name),
        ['nodepool1'],
      );
    });

    it('answers validation failures in the wrapped ARM form with a target', async () => {
      const e = await start();
      const res = await call(e, 'PUT', pool('Bad_Name'), { body: userPool(1) });
      assert.equal(res.status, 400);
      assert.deepEqual(res.json, {
        error: {
          code: 'InvalidParameter',
          message:
            'The value of parameter agentPoolProfile.name is invalid. Please see https://aka.ms/aks-naming-rules for more details.',
          target: 'agentPoolProfile.name',
        },
      });
    });

    it('answers 404 for unknown paths, 405 for unsupported methods, 400 for malformed subscriptions', async () => {
      const e = await start();
      const unknown = await call(e, 'GET', `${BASE}/snapshots?${API}`);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.error.code, 'NotFound');
      assert.equal((await call(e, 'GET', `/nothing?${API}`)).status, 404);
      const patch = await call(e, 'PATCH', pool('nodepool1'), { body: {} });
      assert.equal(patch.status, 405);
      const sub = await call(
        e,
        'GET',
        `/subscriptions/not-a-guid/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/c1?${API}`,
      );
      assert.equal(sub.status, 400);
      assert.equal(sub.json.error.code, 'InvalidSubscriptionId');
      const op = await call(
        e,
        'GET',
        `/subscriptions/${SUB}/providers/Microsoft.ContainerService/locations/eastus/operations/00000000-0000-0000-0000-00000000dead?api-version=2017-08-31`,
      );
      assert.equal(op.status, 404);
    });

    it('checks If-Match and If-None-Match against the eTag', async () => {
      const e = await start();
      const created = await call(e, 'PUT', pool('user1'), {
        body: userPool(1),
        headers: { 'if-none-match': '*' },
      });
      assert.equal(created.status, 201);
      await clock.tick(1000);
      const stale = await call(e, 'PUT', pool('user1'), {
        body: userPool(2),
        headers: { 'if-match': '"nope"' },
      });
      assert.equal(stale.status, 412);
      assert.equal(stale.json.error.code, 'PreconditionFailed');
      const fresh = await call(e, 'PUT', pool('user1'), {
        body: userPool(2),
        headers: { 'if-match': created.json.properties.eTag },
      });
      assert.equal(fresh.status, 200);
      assert.notEqual(fresh.json.properties.eTag, created.json.properties.eTag);
    });

    it('answers 409 while an operation runs', async () => {
      const e = await start();
      await call(e, 'PUT', pool('user1'), { body: userPool(1) });
      const busy = await call(e, 'PUT', pool('user1'), { body: userPool(2) });
      assert.equal(busy.status, 409);
      assert.equal(busy.json.error.code, 'OperationNotAllowed');
      assert.match(
        busy.json.error.message,
        /^Operation is not allowed: Another agentpool operation \(user1 - Creating\)/,
      );
    });

    it('answers ResourceNotFound for unknown clusters when auto-creation is off', async () => {
      const e = await start({ autoCreateClusters: false });
      const res = await call(e, 'GET', pool('nodepool1'));
      assert.equal(res.status, 404);
      assert.equal(res.json.error.code, 'ResourceNotFound');
      assert.deepEqual(Object.keys(res.json), ['error']);
      const info = e.addCluster(SUB, 'rg1', 'c1', { kubernetesVersion: '1.32.7', location: 'westeurope' });
      assert.equal(info.location, 'westeurope');
      const ok = await call(e, 'GET', pool('nodepool1'));
      assert.equal(ok.status, 200);
      assert.equal(ok.json.properties.orchestratorVersion, '1.32.7');
      assert.equal(e.cluster(SUB, 'RG1', 'C1')?.kubernetesVersion, '1.32.7');
    });
  });

  describe('faults', () => {
    it('throttles with 429 and Retry-After and leaves state alone', async () => {
      const e = await start({ faults: { throttleNext: 1, retryAfterSeconds: 7 } });
      const res = await call(e, 'PUT', pool('user1'), { body: userPool(1) });
      assert.equal(res.status, 429);
      assert.equal(res.headers['retry-after'], '7');
      assert.equal(res.json.error.code, 'SubscriptionRequestsThrottled');
      assert.equal(e.cluster(SUB, 'rg1', 'c1'), undefined, 'not even the cluster was auto-created');
      assert.equal((await call(e, 'PUT', pool('user1'), { body: userPool(1) })).status, 201);
    });

    it('answers server errors with ARM bodies and leaves state alone', async () => {
      const e = await start();
      await call(e, 'PUT', pool('user1'), { body: userPool(1) });
      await clock.tick(1000);
      e.setFaults({ serverErrorNext: 2 });
      for (const req of [
        call(e, 'DELETE', pool('user1')),
        call(e, 'PUT', pool('user1'), { body: userPool(5) }),
      ]) {
        const res = await req;
        assert.ok(res.status === 500 || res.status === 503, String(res.status));
        assert.ok(['InternalServerError', 'ServiceUnavailable'].includes(res.json.error.code));
      }
      const [, user1] = e.pools(SUB, 'rg1', 'c1');
      assert.equal(user1?.properties.provisioningState, 'Succeeded');
      assert.equal(user1?.properties.count, 1);
    });

    it('spares operation polls by default', async () => {
      const e = await start();
      const put = await call(e, 'PUT', pool('user1'), { body: userPool(1) });
      e.setFaults({ throttleRate: 1 });
      assert.equal((await call(e, 'GET', String(put.headers['azure-asyncoperation']))).status, 200);
      assert.equal((await call(e, 'GET', pool('user1'))).status, 429);
      e.setFaults({ throttleRate: 1, includePolls: true });
      assert.equal((await call(e, 'GET', String(put.headers['azure-asyncoperation']))).status, 429);
    });

    it('fails accepted operations: status Failed with an error, pool Failed', async () => {
      const e = await start({ faults: { failNextOperations: 1 } });
      const put = await call(e, 'PUT', pool('user1'), { body: userPool(1) });
      assert.equal(put.status, 201);
      await clock.tick(1000);
      const op = await call(e, 'GET', String(put.headers['azure-asyncoperation']));
      assert.equal(op.json.status, 'Failed');
      assert.equal(op.json.error.code, 'InternalOperationError');
      assert.equal((await call(e, 'GET', pool('user1'))).json.properties.provisioningState, 'Failed');
    });

    it('delays answers by latencyMs', async () => {
      em = await startAksEmulator({ certificate, faults: { latencyMs: 150 } });
      const t = Date.now();
      assert.equal((await call(em, 'GET', `${BASE}?${API}`)).status, 200);
      assert.ok(Date.now() - t >= 140, String(Date.now() - t));
    });
  });

  it('records requests, bounded', async () => {
    const e = await start({ requestLogLimit: 3 });
    await call(e, 'GET', `${BASE}?${API}`);
    await call(e, 'PUT', pool('user1'), { body: userPool(1) });
    await call(e, 'GET', pool('user1'));
    await call(e, 'GET', pool('nope'));
    assert.deepEqual(e.requests, [
      { method: 'PUT', path: `${BASE}/agentPools/user1`, status: 201 },
      { method: 'GET', path: `${BASE}/agentPools/user1`, status: 200 },
      { method: 'GET', path: `${BASE}/agentPools/nope`, status: 404 },
    ]);
    e.clearRequests();
    assert.deepEqual(e.requests, []);
  });

  it('tells listeners when pools change, including when an operation completes unpolled', async () => {
    const e = await start();
    const seen: string[] = [];
    e.onPoolsChanged((cluster, pools: AgentPoolSnapshot[]) =>
      seen.push(
        `${cluster.cluster}:${pools.map((p) => `${p.name}/${p.properties.provisioningState}`).join(',')}`,
      ),
    );
    await call(e, 'PUT', pool('auto'), {
      body: userPool(2, { enableAutoScaling: true, minCount: 1, maxCount: 3 }),
    });
    await clock.tick(1000);
    e.autoscale({ subscriptionId: SUB, resourceGroup: 'rg1', cluster: 'c1', pool: 'auto' }, 3);
    assert.deepEqual(seen, [
      'c1:nodepool1/Succeeded',
      'c1:nodepool1/Succeeded,auto/Creating',
      'c1:nodepool1/Succeeded,auto/Succeeded',
      'c1:nodepool1/Succeeded,auto/Succeeded',
    ]);
    assert.equal(e.pools(SUB, 'rg1', 'c1')[1]?.live?.count, 3);
  });
});
