// Two operator processes against one API server: one reconciles; SIGKILL of the leader hands over
// within lease duration plus one retry period; SIGTERM releases the Lease so the other takes over
// in under 2 s.
import assert from 'node:assert/strict';
import { kubectl, useNamespace, waitFor } from './helpers.ts';
import { OPERATOR_NAMESPACE, runsAsChartIdentity } from './operator-identity.ts';
import { OperatorProcess } from './operator-process.ts';

const LEASE_MS = 4000;
const RENEW_MS = 2400;
const RETRY_MS = 1000;

describe('leader election', function () {
  this.timeout(120_000);
  const ns = useNamespace();
  let ops: OperatorProcess[] = [];
  const leaseNamespace = () => (runsAsChartIdentity() ? OPERATOR_NAMESPACE : ns());
  const leases: string[] = [];

  const startPair = async (leaseId: string) => {
    leases.push(`${ns()}-${leaseId}`);
    const args = [
      '--leader-elect=true',
      // The chart grants Leases only in the operator's own namespace.
      `--leader-election-namespace=${leaseNamespace()}`,
      `--leader-election-id=${ns()}-${leaseId}`,
      `--lease-duration=${LEASE_MS}ms`,
      `--renew-deadline=${RENEW_MS}ms`,
      `--retry-period=${RETRY_MS}ms`,
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
    const { leader, follower } = await startPair('kill');
    const killedAt = Date.now();
    leader.proc.kill('SIGKILL');
    await follower.waitForLog(/^started leading/, 30_000);
    const elapsed = Date.now() - killedAt;
    console.log(`      takeover after SIGKILL: ${elapsed} ms (lease ${LEASE_MS} ms, retry ${RETRY_MS} ms)`);
    // The follower polls every retry period (+10 % jitter); 300 ms covers the API call and the log.
    assert.ok(elapsed <= LEASE_MS + 1.1 * RETRY_MS + 300, `took ${elapsed} ms`);
    assert.ok(elapsed >= RETRY_MS, 'did not take over before the lease could expire');
  });

  it('releases the Lease on SIGTERM so the other replica takes over in under 2 s', async () => {
    const { leader, follower } = await startPair('term');
    const at = Date.now();
    leader.proc.kill('SIGTERM');
    await follower.waitForLog(/^started leading/, 10_000);
    const elapsed = Date.now() - at;
    console.log(`      takeover after SIGTERM: ${elapsed} ms`);
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
    const { code } = await leader.exited;
    assert.equal(code, 0);
  });
});
