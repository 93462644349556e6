import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig, V1MicroTime } from '@kubernetes/client-node';
import type { V1Lease } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { FakeClock } from './clock.ts';
import { KubeLeaseClient, LeaderElector, LeaseConflictError } from './leader-election.ts';
import { InMemoryLeaseClient } from './lease-client.fake.ts';
import type { ElectionPhase, LeaderElectionOptions, LeaseClient, StopReason } from './leader-election.ts';

const NS = 'dcos-system';
const NAME = 'dcos-operator-leader';
const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

interface Candidate {
  elector: LeaderElector;
  events: string[];
  errors: Array<{ err: unknown; phase: ElectionPhase }>;
  stopped: StopReason[];
  leadership: AbortSignal[];
  abort: AbortController;
  done: Promise<void>;
}

describe('LeaderElector', () => {
  let clock: FakeClock;
  let server: InMemoryLeaseClient;
  let running: Candidate[];

  beforeEach(() => {
    clock = new FakeClock();
    server = new InMemoryLeaseClient();
    running = [];
  });

  afterEach(async () => {
    for (const c of running) c.abort.abort();
    await clock.tick(60_000);
    await Promise.all(running.map((c) => c.done));
  });

  function start(
    identity: string,
    client: LeaseClient = server.connection(),
    extra: Partial<LeaderElectionOptions> = {},
  ): Candidate {
    const c: Candidate = {
      events: [],
      errors: [],
      stopped: [],
      leadership: [],
      abort: new AbortController(),
    } as unknown as Candidate;
    c.elector = new LeaderElector(client, {
      namespace: NS,
      name: NAME,
      identity,
      clock,
      random: () => 0,
      onStartedLeading: (signal) => {
        c.events.push(`started@${clock.now()}`);
        c.leadership.push(signal);
      },
      onStoppedLeading: (reason) => {
        c.events.push(`stopped:${reason}@${clock.now()}`);
        c.stopped.push(reason);
      },
      onNewLeader: (id) => c.events.push(`leader:${id}`),
      onError: (err, phase) => c.errors.push({ err, phase }),
      ...extra,
    });
    c.done = c.elector.run(c.abort.signal);
    running.push(c);
    return c;
  }

  const lease = () => server.peek(NS, NAME)!;
  const spec = () => lease().spec!;
  /** Advances to absolute time `t` (ms since the test began). */
  const until = (t: number) => clock.tick(t - clock.now());

  it('creates the Lease and leads when there is none', async () => {
    const a = start('a');
    await clock.flush();
    assert.equal(a.elector.isLeader(), true);
    assert.equal(a.elector.leader(), 'a');
    assert.deepEqual(a.events, ['leader:a', 'started@0']);
    const s = spec();
    assert.equal(s.holderIdentity, 'a');
    assert.equal(s.leaseDurationSeconds, 15);
    assert.equal(s.leaseTransitions, 0);
    assert.equal(s.acquireTime, s.renewTime);
    assert.match(String(s.renewTime), MICRO);
    assert.equal(lease().metadata?.resourceVersion, '1');
  });

  it('renews every retryPeriod with a PUT only, keeping acquireTime', async () => {
    const conn = server.connection();
    start('a', conn);
    await clock.flush();
    const acquired = spec().acquireTime;
    const calls = { ...conn.calls };
    await until(10_000);
    assert.equal(conn.calls.replace - calls.replace, 5, 'renewed at 2, 4, 6, 8, 10 s');
    assert.equal(conn.calls.get, calls.get, 'no GET while our cached copy is current');
    assert.equal(spec().acquireTime, acquired);
    assert.equal(spec().renewTime, new V1MicroTime(clock.wallNow()).toISOString());
    assert.equal(spec().leaseTransitions, 0);
  });

  it('waits while another holder keeps renewing', async () => {
    const a = start('a');
    await clock.flush();
    const b = start('b');
    await until(120_000);
    assert.equal(a.elector.isLeader(), true);
    assert.equal(b.elector.isLeader(), false);
    assert.equal(b.elector.leader(), 'a');
    assert.deepEqual(b.events, ['leader:a']);
    assert.equal(spec().holderIdentity, 'a');
  });

  it('takes over once the record has not changed for leaseDuration by its own clock, reckoned from its previous poll', async () => {
    // a renews at 0, 2, 4 … s; b polls at 1, 3, 5 … s.
    const a = start('a', server.connection(), { releaseOnCancel: false });
    await until(1000);
    const b = start('b');
    await until(10_500);
    a.abort.abort(); // stops renewing without releasing, as a crashed process would
    await a.done;
    assert.equal(spec().holderIdentity, 'a');
    // b first saw a's last renewal (written at 10 s) at its 11 s poll; it was written after b's 9 s
    // poll, so the lease is valid until 24 s on b's clock; the next poll after that is at 25 s.
    await until(24_999);
    assert.equal(b.elector.isLeader(), false);
    await until(25_000);
    assert.equal(b.elector.isLeader(), true);
    assert.equal(spec().holderIdentity, 'b');
    assert.equal(spec().leaseTransitions, 1);
    assert.equal(spec().acquireTime, spec().renewTime);
    assert.deepEqual(a.stopped, ['cancelled']);
  });

  it('judges expiry by observation time, not by the remote renewTime', async () => {
    // A record written long ago (by a clock far behind ours) is still honoured for a full leaseDuration
    // from when we first see it.
    const old = new V1MicroTime(clock.wallNow() - 3_600_000);
    await server.create({
      metadata: { namespace: NS, name: NAME },
      spec: { holderIdentity: 'ghost', leaseDurationSeconds: 15, acquireTime: old, renewTime: old },
    });
    const b = start('b');
    await until(14_999);
    assert.equal(b.elector.isLeader(), false);
    await until(16_000);
    assert.equal(b.elector.isLeader(), true);
    assert.equal(spec().leaseTransitions, 1);
  });

  it('a 409 on update means another candidate won the race', async () => {
    await server.create({
      metadata: { namespace: NS, name: NAME },
      spec: { holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 3 },
    });
    // Between b's GET and its PUT, c writes the Lease.
    const conn = server.connection();
    const racing: LeaseClient = {
      get: (ns, name, s) => conn.get(ns, name, s),
      create: (l, s) => conn.create(l, s),
      async replace(l, s) {
        const current = server.peek(NS, NAME)!;
        const now = new V1MicroTime(clock.wallNow());
        await server.replace({ ...current, spec: { ...current.spec, holderIdentity: 'c', renewTime: now } });
        return conn.replace(l, s);
      },
    };
    const b = start('b', racing);
    await clock.flush();
    assert.equal(b.elector.isLeader(), false);
    assert.equal(spec().holderIdentity, 'c');
    assert.ok(b.errors.some((e) => e.err instanceof LeaseConflictError && e.phase === 'acquire'));
    assert.deepEqual(b.events, [], 'never started');
  });

  it('exactly one of two simultaneous candidates wins a missing Lease', async () => {
    const a = start('a');
    const b = start('b');
    await until(30_000);
    const leaders = [a, b].filter((c) => c.elector.isLeader());
    assert.equal(leaders.length, 1);
    assert.equal(server.peek(NS, NAME)?.spec?.holderIdentity, leaders[0]!.elector.identity);
    assert.equal(a.elector.leader(), b.elector.leader());
  });

  it('steps down when no renewal succeeded within renewDeadline, before anyone else may take over', async () => {
    const conn = server.connection();
    const a = start('a', conn);
    await until(1000);
    const b = start('b');
    await until(4000); // a renewed at 4 s
    conn.failWith = new Error('connection refused');
    await until(13_999);
    assert.equal(a.elector.isLeader(), true, 'still within renewDeadline');
    assert.equal(a.leadership[0]!.aborted, false);
    await until(14_000);
    assert.equal(a.elector.isLeader(), false);
    assert.deepEqual(a.stopped, ['lost']);
    assert.equal(a.leadership[0]!.aborted, true, 'workers are told to stop');
    assert.ok(a.errors.every((e) => e.phase === 'renew'));
    await a.done;
    // b saw the 4 s renewal at its 5 s poll, written after its 3 s poll: it may take over only after
    // 18 s (its next poll is at 19 s), well after a stopped at 14 s.
    await until(18_999);
    assert.equal(b.elector.isLeader(), false);
    await until(19_000);
    assert.equal(b.elector.isLeader(), true);
    assert.equal(spec().leaseTransitions, 1);
  });

  it('a renewal that hangs is abandoned at the deadline', async () => {
    const conn = server.connection();
    const a = start('a', conn);
    await until(4000);
    conn.hang = true;
    await until(13_999);
    assert.equal(a.elector.isLeader(), true);
    await until(14_000);
    assert.deepEqual(a.stopped, ['lost']);
    await a.done;
  });

  it('keeps leading through transient renew failures', async () => {
    const conn = server.connection();
    const a = start('a', conn);
    await until(4000);
    conn.failWith = new Error('503');
    await until(10_000); // 6, 8, 10 s fail; 12 s is still before the 14 s deadline
    conn.failWith = undefined;
    await until(14_000);
    assert.equal(a.elector.isLeader(), true);
    await until(40_000);
    assert.equal(a.elector.isLeader(), true);
    assert.deepEqual(a.stopped, []);
  });

  it('steps down at once when a renewal finds another holder', async () => {
    const conn = server.connection();
    const a = start('a', conn);
    await until(3000);
    const current = server.peek(NS, NAME)!;
    const now = new V1MicroTime(clock.wallNow());
    await server.replace({
      ...current,
      spec: { ...current.spec, holderIdentity: 'intruder', renewTime: now },
    });
    await until(4000);
    assert.deepEqual(a.stopped, ['lost']);
    assert.equal(a.elector.leader(), 'intruder');
  });

  it('releases on cancel so another candidate acquires at once', async () => {
    const a = start('a');
    await until(1000);
    const b = start('b'); // polls at 1, 3, 5 … s
    await until(4500);
    a.abort.abort();
    await a.done;
    assert.deepEqual(a.stopped, ['cancelled']);
    assert.equal(spec().holderIdentity, '');
    assert.equal(spec().leaseDurationSeconds, 1);
    assert.match(String(spec().renewTime), MICRO);
    assert.equal(spec().renewTime, new V1MicroTime(clock.wallNow()).toISOString(), 'a fresh renewTime');
    await until(5000);
    assert.equal(b.elector.isLeader(), true, 'took over at its next poll, not after leaseDuration');
    assert.equal(spec().leaseTransitions, 1);

    // … and back: transitions keep counting.
    const a2 = start('a2');
    b.abort.abort();
    await b.done;
    await until(7000);
    assert.equal(a2.elector.isLeader(), true);
    assert.equal(spec().leaseTransitions, 2);
    assert.deepEqual(a2.events, ['leader:b', 'leader:a2', 'started@7000']);
  });

  it('on cancel keeps renewing until the work has drained, then releases', async () => {
    let finish!: () => void;
    const drained = new Promise<void>((r) => (finish = r));
    const a = start('a', server.connection(), {
      onStartedLeading: (signal) => {
        a.leadership.push(signal);
        return drained;
      },
      onStoppedLeading: (reason) => a.stopped.push(reason),
    });
    await until(1000);
    a.abort.abort();
    await until(30_000);
    assert.equal(a.leadership[0]!.aborted, true, 'work was told to stop');
    assert.equal(a.elector.isLeader(), true, 'still leading while it drains');
    assert.equal(spec().holderIdentity, 'a');
    assert.equal(spec().renewTime, new V1MicroTime(clock.wallNow()).toISOString(), 'renewed meanwhile');
    finish();
    await a.done;
    assert.deepEqual(a.stopped, ['cancelled']);
    assert.equal(spec().holderIdentity, '');
  });

  it('a failing onStartedLeading gives the lease up', async () => {
    const a = start('a', server.connection(), {
      onStartedLeading: () => Promise.reject(new Error('cannot start controllers')),
      onStoppedLeading: (reason) => a.stopped.push(reason),
    });
    await clock.flush();
    await a.done;
    assert.deepEqual(a.stopped, ['failed']);
    assert.ok(a.errors.some((e) => e.phase === 'leading'));
    assert.equal(spec().holderIdentity, '');
  });

  it('cancelling a candidate that never led ends quietly', async () => {
    start('a');
    await clock.flush();
    const b = start('b');
    await until(5000);
    b.abort.abort();
    await b.done;
    assert.deepEqual(b.events, ['leader:a']);
    assert.deepEqual(b.stopped, []);
    assert.equal(spec().holderIdentity, 'a');
  });

  it('spaces acquire attempts by retryPeriod × (1 + random × jitterFactor), 0.1 by default', async () => {
    start('a');
    await clock.flush();
    const conn = server.connection();
    start('b', conn, { random: () => 1 });
    await clock.flush();
    assert.equal(conn.calls.get, 1);
    await until(2199);
    assert.equal(conn.calls.get, 1);
    await until(2200);
    assert.equal(conn.calls.get, 2);
  });

  it('writes MicroTime: 6 fractional digits through client-node serialization', async () => {
    const sent: V1Lease[] = [];
    const conn = server.connection();
    const spy: LeaseClient = {
      get: (ns, name, s) => conn.get(ns, name, s),
      create: (l, s) => (sent.push(l), conn.create(l, s)),
      replace: (l, s) => (sent.push(l), conn.replace(l, s)),
    };
    clock = new FakeClock({ wallStart: Date.UTC(2030, 0, 1, 0, 0, 0, 777) });
    const a = start('a', spy);
    await until(2000);
    a.abort.abort();
    await a.done;
    assert.equal(sent.length, 3, 'create, renew, release');
    for (const l of sent) {
      const wire = JSON.parse(JSON.stringify(ObjectSerializer.serialize(l, 'V1Lease', ''))) as {
        spec: Record<string, string>;
      };
      assert.match(wire.spec.renewTime!, MICRO);
      assert.match(wire.spec.acquireTime!, MICRO);
    }
    const first = JSON.parse(JSON.stringify(ObjectSerializer.serialize(sent[0], 'V1Lease', ''))) as {
      spec: Record<string, string>;
    };
    assert.equal(first.spec.renewTime, '2030-01-01T00:00:00.777000Z');
  });

  it('the in-memory API rejects a plain Date, as kube-apiserver does', async () => {
    await assert.rejects(
      server.create({ metadata: { namespace: NS, name: NAME }, spec: { renewTime: new Date() } }),
      /invalid MicroTime/,
    );
  });

  it('rejects timings that cannot work', () => {
    const base = {
      namespace: NS,
      name: NAME,
      identity: 'a',
      onStartedLeading: () => {},
      onStoppedLeading: () => {},
    };
    assert.throws(
      () => new LeaderElector(server, { ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }),
      RangeError,
    );
    assert.throws(
      () =>
        new LeaderElector(server, {
          ...base,
          renewDeadlineMs: 2_400,
          retryPeriodMs: 2_000,
          jitterFactor: 1.2,
        }),
      RangeError,
    );
    // A follower reckons a lease from its previous poll, so the leader must step down before then.
    assert.throws(
      () =>
        new LeaderElector(server, {
          ...base,
          leaseDurationMs: 15_000,
          renewDeadlineMs: 12_100,
          retryPeriodMs: 2_000,
        }),
      /leaseDuration − retryPeriod/,
    );
    assert.doesNotThrow(
      () =>
        new LeaderElector(server, {
          ...base,
          leaseDurationMs: 15_000,
          renewDeadlineMs: 12_000,
          retryPeriodMs: 2_000,
        }),
    );
    assert.throws(() => new LeaderElector(server, { ...base, identity: '' }), RangeError);
    assert.throws(() => new LeaderElector(server, { ...base, retryPeriodMs: 0 }), RangeError);
  });

  it('start()/stop() drive run() in the background', async () => {
    const stopped: StopReason[] = [];
    const e = new LeaderElector(server.connection(), {
      namespace: NS,
      name: NAME,
      identity: 'bg',
      clock,
      onStartedLeading: () => {},
      onStoppedLeading: (r) => stopped.push(r),
    });
    e.start();
    e.start(); // idempotent
    await clock.flush();
    assert.equal(e.isLeader(), true);
    await e.stop();
    assert.deepEqual(stopped, ['cancelled']);
    assert.equal(e.isLeader(), false);
    assert.equal(spec().holderIdentity, '');
    await e.stop(); // idempotent
    e.start(); // and it can campaign again
    await clock.flush();
    assert.equal(e.isLeader(), true);
    assert.equal(spec().leaseTransitions, 1, 'a new acquisition after the release');
    await e.stop();
  });

  it('run() cannot be started twice concurrently', async () => {
    const a = start('a');
    await assert.rejects(a.elector.run(new AbortController().signal), /already running/);
  });
});

describe('KubeLeaseClient', () => {
  // A minimal stand-in for the Lease endpoints of kube-apiserver, recording request bodies.
  let leases: Map<string, Record<string, unknown>>;
  let bodies: string[];
  let hang: boolean;
  let client: KubeLeaseClient;
  let close: () => Promise<void>;

  before(async () => {
    const server = createServer((req, res) => void handle(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'c',
          server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          skipTLSVerify: true,
        },
      ],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    client = KubeLeaseClient.fromKubeConfig(kc);
    close = async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    };
  });
  after(() => close());
  beforeEach(() => {
    leases = new Map();
    bodies = [];
    hang = false;
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (hang) return; // never answer
    const m = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/?]+))?/.exec(
      req.url ?? '',
    );
    const send = (code: number, obj: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    const status = (code: number, reason: string) =>
      send(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code });
    if (!m) return status(404, 'NotFound');
    const key = `${m[1]}/${m[2] ?? ''}`;
    if (body) bodies.push(body);
    if (req.method === 'GET') {
      const l = leases.get(key);
      return l ? send(200, l) : status(404, 'NotFound');
    }
    const obj = JSON.parse(body) as { metadata: { name: string; resourceVersion?: string } };
    if (req.method === 'POST') {
      const k = `${m[1]}/${obj.metadata.name}`;
      if (leases.has(k)) return status(409, 'AlreadyExists');
      obj.metadata.resourceVersion = '1';
      leases.set(k, obj);
      return send(201, obj);
    }
    if (req.method === 'PUT') {
      const current = leases.get(key) as { metadata: { resourceVersion: string } } | undefined;
      if (!current) return status(404, 'NotFound');
      if (obj.metadata.resourceVersion !== current.metadata.resourceVersion) return status(409, 'Conflict');
      obj.metadata.resourceVersion = String(Number(current.metadata.resourceVersion) + 1);
      leases.set(key, obj);
      return send(200, obj);
    }
    status(405, 'MethodNotAllowed');
  }

  const newLease = (): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { namespace: NS, name: NAME },
    spec: {
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      renewTime: new V1MicroTime(Date.UTC(2030, 0, 1, 0, 0, 1, 5)),
    },
  });

  it('maps 404 to undefined and 409 to LeaseConflictError, and sends 6-digit times', async () => {
    assert.equal(await client.get(NS, NAME), undefined);
    const created = await client.create(newLease());
    assert.equal(created.metadata?.resourceVersion, '1');
    const renewTime: unknown = created.spec?.renewTime;
    assert.equal(renewTime, '2030-01-01T00:00:01.005000Z', 'read back as a string');
    await assert.rejects(client.create(newLease()), LeaseConflictError);
    const stale = { ...newLease(), metadata: { namespace: NS, name: NAME, resourceVersion: '0' } };
    await assert.rejects(client.replace(stale), LeaseConflictError);
    const updated = await client.replace(created); // the string times round-trip unchanged
    assert.equal(updated.metadata?.resourceVersion, '2');
    assert.equal((await client.get(NS, NAME))?.spec?.holderIdentity, 'a');
    for (const b of bodies) assert.match(b, /"renewTime":"2030-01-01T00:00:01\.005000Z"/);
  });

  it('aborts a hung request through its signal', async () => {
    hang = true;
    const ac = new AbortController();
    const p = client.get(NS, NAME, ac.signal);
    setTimeout(() => ac.abort(new Error('deadline')), 20);
    await assert.rejects(p, /deadline/);
  });

  it('drives a real election end to end', async () => {
    const stopped: StopReason[] = [];
    const ac = new AbortController();
    const e = new LeaderElector(client, {
      namespace: NS,
      name: NAME,
      identity: 'real',
      leaseDurationMs: 3000,
      renewDeadlineMs: 200,
      retryPeriodMs: 50,
      onStartedLeading: () => ac.abort(),
      onStoppedLeading: (r) => stopped.push(r),
    });
    await e.run(ac.signal);
    assert.deepEqual(stopped, ['cancelled']);
    const stored = leases.get(`${NS}/${NAME}`) as {
      spec: { holderIdentity: string; leaseDurationSeconds: number };
    };
    assert.equal(stored.spec.holderIdentity, '');
    assert.equal(stored.spec.leaseDurationSeconds, 1);
  });
});
