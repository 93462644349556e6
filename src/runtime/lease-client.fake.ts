// An in-memory Lease API for unit tests of leader election.
import { ApiException } from '@kubernetes/client-node';
import type { V1Lease } from '@kubernetes/client-node';
import { LeaseConflictError, nameOf } from './lease-client.ts';
import type { LeaseClient } from './lease-client.ts';

const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/**
 * An in-memory Lease store with the API server's behaviour that matters here: objects round-trip
 * through JSON (times come back as strings), resourceVersion is bumped on every write and checked on
 * replace (409 on mismatch), and acquireTime/renewTime are rejected unless they have 6 fractional
 * digits. `connection()` gives another client on the same store, with its own failure switches, so
 * several candidates can be simulated.
 */
export class InMemoryLeaseClient implements LeaseClient {
  /** While set, every call rejects with this error (API server unreachable from this client). */
  failWith: Error | undefined;
  /** While true, calls never answer until their signal aborts (a half-open connection). */
  hang = false;
  readonly calls = { get: 0, create: 0, replace: 0 };
  private readonly state: { leases: Map<string, string>; rv: number };

  constructor(shared?: InMemoryLeaseClient) {
    this.state = shared ? shared.state : { leases: new Map(), rv: 0 };
  }

  connection(): InMemoryLeaseClient {
    return new InMemoryLeaseClient(this);
  }

  /** The stored Lease as a reader would get it (test helper; not counted, never fails). */
  peek(namespace: string, name: string): V1Lease | undefined {
    const raw = this.state.leases.get(`${namespace}/${name}`);
    return raw === undefined ? undefined : (JSON.parse(raw) as V1Lease);
  }

  get(namespace: string, name: string, signal?: AbortSignal): Promise<V1Lease | undefined> {
    return this.call('get', signal, () => this.peek(namespace, name));
  }

  create(lease: V1Lease, signal?: AbortSignal): Promise<V1Lease> {
    return this.call('create', signal, () => {
      const { namespace, name } = nameOf(lease);
      if (this.state.leases.has(`${namespace}/${name}`)) {
        throw new LeaseConflictError(`leases "${name}" already exists`);
      }
      return this.store(lease);
    });
  }

  replace(lease: V1Lease, signal?: AbortSignal): Promise<V1Lease> {
    return this.call('replace', signal, () => {
      const { namespace, name } = nameOf(lease);
      const current = this.peek(namespace, name);
      if (!current) throw new ApiException(404, `leases "${name}" not found`, undefined, {});
      const rv = lease.metadata?.resourceVersion;
      if (rv !== undefined && rv !== current.metadata?.resourceVersion) {
        throw new LeaseConflictError(
          `Operation cannot be fulfilled on leases "${name}": the object has been modified`,
        );
      }
      return this.store({ ...lease, metadata: { ...lease.metadata, uid: current.metadata?.uid } });
    });
  }

  private store(lease: V1Lease): V1Lease {
    const obj = JSON.parse(JSON.stringify(lease)) as V1Lease & { spec?: Record<string, unknown> };
    for (const field of ['acquireTime', 'renewTime']) {
      const v = obj.spec?.[field];
      if (v !== undefined && v !== null && !(typeof v === 'string' && MICRO_TIME.test(v))) {
        throw new ApiException(
          400,
          `Lease.spec.${field}: invalid MicroTime ${JSON.stringify(v)}`,
          undefined,
          {},
        );
      }
    }
    const { namespace, name } = nameOf(obj);
    obj.metadata = {
      ...obj.metadata,
      uid: obj.metadata?.uid ?? `uid-${namespace}-${name}`,
      resourceVersion: String(++this.state.rv),
    };
    const raw = JSON.stringify(obj);
    this.state.leases.set(`${namespace}/${name}`, raw);
    return JSON.parse(raw) as V1Lease;
  }

  private call<T>(
    verb: keyof InMemoryLeaseClient['calls'],
    signal: AbortSignal | undefined,
    op: () => T,
  ): Promise<T> {
    this.calls[verb]++;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.hang) {
      return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(abortError(signal))));
    }
    if (this.failWith) return Promise.reject(this.failWith);
    try {
      return Promise.resolve(op());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
