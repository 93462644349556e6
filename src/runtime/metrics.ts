// Prometheus metrics. Names mirror controller-runtime and client-go so existing dashboards work.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly reconcileTotal = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller and result',
    labelNames: ['controller', 'result'] as const,
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly reconcileTime = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of the work queue',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  readonly queueAdds = new Counter({
    name: 'workqueue_adds_total',
    help: 'Total number of adds handled by the work queue',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  readonly queueRetries = new Counter({
    name: 'workqueue_retries_total',
    help: 'Total number of rate-limited retries handled by the work queue',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  readonly apiRequests = new Counter({
    name: 'rest_client_requests_total',
    help: 'Number of Kubernetes API requests, by method (verb) and status code',
    labelNames: ['method', 'code'] as const,
    registers: [this.registry],
  });
  readonly apiThrottled = new Counter({
    name: 'rest_client_throttled_total',
    help: 'Kubernetes API responses 429 that were retried after Retry-After',
    registers: [this.registry],
  });
  readonly informerUp = new Gauge({
    name: 'dcos_operator_informer_up',
    help: '1 while the watch of a resource is connected and its cache synced',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });
  readonly informerRestarts = new Counter({
    name: 'dcos_operator_informer_restarts_total',
    help: 'Restarts of a watch after a failure',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });
  readonly armRequests = new Counter({
    name: 'dcos_operator_arm_requests_total',
    help: 'Azure Resource Manager calls for agent pools, by provider, verb and outcome (ok or an error class)',
    labelNames: ['provider', 'verb', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'leader_election_master_status',
    help: '1 if this replica currently holds the leader Lease',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
