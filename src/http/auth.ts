// Who is calling, and may they: tokens are checked with a Kubernetes TokenReview and each call is authorized
// with a SubjectAccessReview on the resource it touches, so the API grants exactly what RBAC grants the
// caller through kubectl. Answers are cached briefly (as kube-apiserver's webhook authenticator does), so a
// client polling /v2/apps costs the API server nothing per request. With `none`, every caller is an
// anonymous user allowed everything: the server then listens on loopback only (config.ts).
import { createHash } from 'node:crypto';
import type { JsonRequester } from '../runtime/kube-client.ts';
import { unauthorized } from './api-error.ts';

export interface Caller {
  username: string;
  uid?: string | undefined;
  groups: string[];
  extra?: Record<string, string[]> | undefined;
}

export interface ResourceAttributes {
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
  /** API group of the resource ('' for the core group). */
  group: string;
  resource: string;
  namespace?: string | undefined;
  name?: string | undefined;
  subresource?: string | undefined;
}

export interface Authenticator {
  /** The caller behind an Authorization header; throws the 401 ApiError when there is none or it is bad. */
  authenticate(authorization: string | undefined): Promise<Caller>;
}

export interface Authorizer {
  allowed(caller: Caller, attrs: ResourceAttributes): Promise<boolean>;
}

export const ANONYMOUS: Caller = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** The token of `Authorization: token=<jwt>` (DC/OS clients) or `Authorization: Bearer <jwt>`. */
export function tokenOf(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^\s*(?:token=|Bearer\s+)(\S+)\s*$/i.exec(authorization);
  return m?.[1];
}

/** A small time-bounded cache that also shares one in-flight lookup between concurrent callers. */
class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(ttlMs: number, max: number, now: () => number) {
    this.ttlMs = ttlMs;
    this.max = max;
    this.now = now;
  }

  get(key: string, load: () => Promise<V>, keep: (v: V) => boolean = () => true): Promise<V> {
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > t) return hit.value;
    if (this.entries.size >= this.max) {
      for (const [k, e] of this.entries) if (e.expires <= t) this.entries.delete(k);
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    const value = load();
    this.entries.set(key, { value, expires: t + this.ttlMs });
    value.then(
      (v) => {
        if (!keep(v)) this.entries.delete(key);
      },
      () => this.entries.delete(key),
    );
    return value;
  }
}

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  error?: string;
}

export class KubernetesAuth implements Authenticator, Authorizer {
  private readonly json: JsonRequester;
  private readonly tokens: TtlCache<Caller | undefined>;
  private readonly decisions: TtlCache<boolean>;
  /** Audiences the token must be for; empty: the API server's own. */
  private readonly audiences: string[];

  constructor(opts: { json: JsonRequester; ttlMs?: number; audiences?: string[]; now?: () => number }) {
    this.json = opts.json;
    const now = opts.now ?? Date.now;
    this.tokens = new TtlCache(opts.ttlMs ?? 10_000, 10_000, now);
    this.decisions = new TtlCache(opts.ttlMs ?? 10_000, 50_000, now);
    this.audiences = opts.audiences ?? [];
  }

  async authenticate(authorization: string | undefined): Promise<Caller> {
    const token = tokenOf(authorization);
    if (!token) throw unauthorized();
    // Keyed by a digest: the cache never holds tokens themselves.
    const key = createHash('sha256').update(token).digest('base64');
    const caller = await this.tokens.get(key, () => this.review(token));
    if (!caller) throw unauthorized('Invalid authentication token.');
    return caller;
  }

  private async review(token: string): Promise<Caller | undefined> {
    const review = await this.json<{ status?: TokenReviewStatus }>(
      'POST',
      '/apis/authentication.k8s.io/v1/tokenreviews',
      {
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenReview',
          spec: { token, ...(this.audiences.length ? { audiences: this.audiences } : {}) },
        },
      },
    );
    const s = review.status;
    if (!s?.authenticated || !s.user?.username) return undefined;
    return { username: s.user.username, uid: s.user.uid, groups: s.user.groups ?? [], extra: s.user.extra };
  }

  allowed(caller: Caller, attrs: ResourceAttributes): Promise<boolean> {
    const key = JSON.stringify([caller.username, caller.uid, caller.groups, attrs]);
    return this.decisions.get(key, () => this.reviewAccess(caller, attrs));
  }

  private async reviewAccess(caller: Caller, attrs: ResourceAttributes): Promise<boolean> {
    const review = await this.json<{ status?: { allowed?: boolean } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user: caller.username,
            ...(caller.uid ? { uid: caller.uid } : {}),
            groups: caller.groups,
            ...(caller.extra ? { extra: caller.extra } : {}),
            resourceAttributes: {
              verb: attrs.verb,
              group: attrs.group,
              resource: attrs.resource,
              ...(attrs.namespace ? { namespace: attrs.namespace } : {}),
              ...(attrs.name ? { name: attrs.name } : {}),
              ...(attrs.subresource ? { subresource: attrs.subresource } : {}),
            },
          },
        },
      },
    );
    return review.status?.allowed === true;
  }
}

/** `--api-auth=none`: everyone is the anonymous user, allowed everything (loopback only). */
export class NoAuth implements Authenticator, Authorizer {
  authenticate(): Promise<Caller> {
    return Promise.resolve(ANONYMOUS);
  }
  allowed(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
