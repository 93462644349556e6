// Two operator processes against one API server: one reconciles; SIGKILL of the leader hands over
// within lease duration plus one retry period; SIGTERM releases the Lease so the other takes over
// in under 2 s.
import assert from 'node:assert/strict';
import { kubectl, useNamespace, waitFor } from './helpers.ts';
import { OPERATOR_NAMESPACE, runsAsChartIdentity } from './operator-identity.ts';
import { OperatorProcess } from './operator-process.ts';

interface Timing {
  leaseMs: number;
  renewMs: number;
  retryMs: number;
}
const FAST: Timing = { leaseMs: 4000, renewMs: 2400, retryMs: 1000 };
// For the SIGKILL bound: a retry period long enough that one retry after the lease stays clearly apart
// from client-go's about two, with the latency of a loaded 2-core machine in the margin.
const KILL: Timing = { leaseMs: 6000, renewMs: 3000, retryMs: 1500 };
/** The follower's GET and PUT, its log line and the test noticing it, on a busy machine. */
const MARGIN_MS = 700;

describe('leader election', function () {
  this.timeout(120_000);
  const ns = useNamespace();
  let ops: OperatorProcess[] = [];
  const leaseNamespace = () => (runsAsChartIdentity() ? OPERATOR_NAMESPACE : ns());
  const leases: string[] = [];

  const startPair = async (leaseId: string, timing: Timing = FAST) => {
    leases.push(`${ns()}-${leaseId}`);
    const args = [
      '--leader-elect=true',
      // The chart grants Leases only in the operator's own namespace.
      `--leader-election-namespace=${leaseNamespace()}`,
      `--leader-election-id=${ns()}-${leaseId}`,
      `--lease-duration=${timing.leaseMs}ms`,
      `--renew-deadline=${timing.renewMs}ms`,
      `--retry-period=${timing.retryMs}ms`,
      '--http-bind-address=127.0.0.1:0',
      `--watch-namespace=${ns()}`,
    ];
    ops = [new OperatorProcess([...args, '--identity=a']), new OperatorProcess([...args, '--identity=b'])];
    const leader = await waitFor(() => ops.find((o) => o.hasLogged(/^started leading/)), {
      timeoutMs: 30_000,
    });
    const follower = ops.find((o) => o !== leader)!;
    await follower.waitForLog(/^caches synced/);
    return { leader, follower };
  };

  afterEach(async () => {
    await Promise.all(ops.map((o) => o.stop('SIGKILL')));
  });
  after(async () => {
    // Leases in the operator's namespace outlive the test namespaces.
    if (runsAsChartIdentity() && leases.length)
      await kubectl(['delete', 'lease', '-n', OPERATOR_NAMESPACE, '--ignore-not-found', ...leases]);
  });

  const holder = async (leaseId: string) =>
    (
      await kubectl([
        'get',
        'lease',
        `${ns()}-${leaseId}`,
        '-n',
        leaseNamespace(),
        '-o',
        'jsonpath={.spec.holderIdentity}',
      ])
    ).trim();

  it('lets exactly one of two replicas reconcile', async () => {
    const { leader, follower } = await startPair('one-leader');
    assert.equal(await holder('one-leader'), leader === ops[0] ? 'a' : 'b');
    await kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'dcos-operator.dev/v1alpha1',
        kind: 'MarathonApp',
        metadata: { name: 'web', namespace: ns() },
        spec: { cmd: 'sleep 1000' },
      }),
    });
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/web', '-n', ns(), '--timeout=30s']);
    assert.ok((await leader.metric('controller_runtime_reconcile_total')) >= 1);
    assert.equal(
      await follower.metric('controller_runtime_reconcile_total'),
      0,
      'the follower reconciled nothing',
    );
    assert.equal(await follower.metric('leader_election_master_status'), 0);
    assert.equal(await leader.metric('leader_election_master_status'), 1);
    assert.equal((await follower.get('/readyz')).status, 200, 'a follower is ready (caches synced)');
  });

  it('hands over within lease duration plus one retry period after SIGKILL of the leader', async () => {
    const { leader, follower } = await startPair('kill', KILL);
    const killedAt = Date.now();
    leader.proc.kill('SIGKILL');
    await follower.waitForLog(/^started leading/, 30_000);
    const elapsed = Date.now() - killedAt;
    console.log(
      `      takeover after SIGKILL: ${elapsed} ms (lease ${KILL.leaseMs} ms, retry ${KILL.retryMs} ms)`,
    );
    // The follower polls every retry period (+10 % jitter).
    assert.ok(elapsed <= KILL.leaseMs + 1.1 * KILL.retryMs + MARGIN_MS, `took ${elapsed} ms`);
    assert.ok(elapsed >= KILL.retryMs, 'did not take over before the lease could expire');
  });

  it('releases the Lease on SIGTERM so the other replica takes over in under 2 s', async () => {
    const { leader, follower } = await startPair('term');
    const at = Date.now();
    leader.proc.kill('SIGTERM');
    await follower.waitForLog(/^started leading/, 10_000);
    const elapsed = Date.now() - at;
    console.log(`      takeover after SIGTERM: ${elapsed} ms`);
    // Released, the Lease is taken at the follower's next poll (retry 1 s), not after the lease.
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
    const { code } = await leader.exited;
    assert.equal(code, 0);
  });
});
