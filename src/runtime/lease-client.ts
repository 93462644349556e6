// Lease access for leader election: the real client over CoordinationV1Api, with its own request
// deadline through an AbortSignal and 409 mapped to LeaseConflictError.
import { ApiException, CoordinationV1Api, Observable } from '@kubernetes/client-node';
import type {
  ConfigurationOptions,
  KubeConfig,
  ObservableMiddleware,
  RequestContext,
  ResponseContext,
  V1Lease,
} from '@kubernetes/client-node';

/** The Lease changed since it was read (HTTP 409 on replace), or already exists (409 on create). */
export class LeaseConflictError extends Error {
  override name = 'LeaseConflictError';
}

export interface LeaseClient {
  /** The Lease, or undefined if it does not exist. */
  get(namespace: string, name: string, signal?: AbortSignal): Promise<V1Lease | undefined>;
  /** Creates the Lease; throws LeaseConflictError if it already exists. */
  create(lease: V1Lease, signal?: AbortSignal): Promise<V1Lease>;
  /** Replaces the Lease, guarded by metadata.resourceVersion; throws LeaseConflictError on 409. */
  replace(lease: V1Lease, signal?: AbortSignal): Promise<V1Lease>;
}

/** LeaseClient over client-node's CoordinationV1Api. Give it an API client without a QPS limiter
 *  (or its own): renewals must not queue behind controller traffic. */
export class KubeLeaseClient implements LeaseClient {
  private readonly api: CoordinationV1Api;

  constructor(api: CoordinationV1Api) {
    this.api = api;
  }

  static fromKubeConfig(kc: KubeConfig): KubeLeaseClient {
    return new KubeLeaseClient(kc.makeApiClient(CoordinationV1Api));
  }

  async get(namespace: string, name: string, signal?: AbortSignal): Promise<V1Lease | undefined> {
    try {
      return await this.api.readNamespacedLease({ name, namespace }, withSignal(signal));
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return undefined;
      throw err;
    }
  }

  async create(lease: V1Lease, signal?: AbortSignal): Promise<V1Lease> {
    const { namespace } = nameOf(lease);
    try {
      return await this.api.createNamespacedLease({ namespace, body: lease }, withSignal(signal));
    } catch (err) {
      throw asConflict(err);
    }
  }

  async replace(lease: V1Lease, signal?: AbortSignal): Promise<V1Lease> {
    const { namespace, name } = nameOf(lease);
    try {
      return await this.api.replaceNamespacedLease({ name, namespace, body: lease }, withSignal(signal));
    } catch (err) {
      throw asConflict(err);
    }
  }
}

function asConflict(err: unknown): unknown {
  if (err instanceof ApiException && err.code === 409) {
    return new LeaseConflictError('lease was modified or created concurrently (409)', { cause: err });
  }
  return err;
}

// Per-request middleware that attaches an AbortSignal, so a hung request ends with its deadline.
function withSignal(signal: AbortSignal | undefined): ConfigurationOptions | undefined {
  if (!signal) return undefined;
  const middleware: ObservableMiddleware = {
    pre: (ctx: RequestContext) => {
      ctx.setSignal(signal);
      return new Observable(Promise.resolve(ctx));
    },
    post: (ctx: ResponseContext) => new Observable(Promise.resolve(ctx)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

export function nameOf(lease: V1Lease): { namespace: string; name: string } {
  const { namespace, name } = lease.metadata ?? {};
  if (!namespace || !name) throw new TypeError('lease needs metadata.namespace and metadata.name');
  return { namespace, name };
}
