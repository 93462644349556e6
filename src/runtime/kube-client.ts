// Builds the KubeConfig and the typed API clients, all sharing one rate-limited transport.
import {
  ApiException,
  CoordinationV1Api,
  HttpMethod,
  RequestContext,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  IsomorphicFetchHttpLibrary,
  KubernetesObjectApi,
  ServerConfiguration,
  createConfiguration,
  setHeaderMiddleware,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Configuration, KubeConfig } from '@kubernetes/client-node';
import { LimitedTransport } from './kube-transport.ts';
import { PooledKubeConfig } from './pooled-kubeconfig.ts';
import type { TransportOptions } from './kube-transport.ts';

export const USER_AGENT = 'dcos-operator';

/** Whether a cluster is configured at all: a kubeconfig flag or variable, in-cluster, or ~/.kube/config. */
export function hasConfiguredCluster(flag: string | undefined, env = process.env): boolean {
  if (flag || env.KUBECONFIG || env.KUBERNETES_SERVICE_HOST) return true;
  return fs.existsSync(path.join(os.homedir(), '.kube', 'config'));
}

export function loadKubeConfig(opts: {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}): KubeConfig {
  const kc = new PooledKubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  if (opts.context) kc.setCurrentContext(opts.context);
  if (!kc.getCurrentCluster())
    throw new Error('no Kubernetes cluster configured (kubeconfig has no current cluster)');
  return kc;
}

export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
  customObjects: CustomObjectsApi;
  events: EventsV1Api;
  objects: KubernetesObjectApi;
  /** A request with plain JSON in and out (no model (de)serialization), through the same limited transport. */
  json: JsonRequester;
}

export type JsonRequester = <T = unknown>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  opts?: {
    query?: Record<string, string | number | boolean | undefined>;
    body?: unknown;
    contentType?: string;
  },
) => Promise<T>;

/** DELETE of one object; one that is already gone (404) is not an error. */
export async function deleteIfExists(json: JsonRequester, path: string): Promise<void> {
  try {
    await json('DELETE', path);
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
  }
}

/** GET of one object, or undefined when it does not exist (404). */
export async function getIfExists<T>(json: JsonRequester, path: string): Promise<T | undefined> {
  try {
    return await json<T>('GET', path);
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

export function createKubeClients(kc: KubeConfig, transport: TransportOptions): KubeClients {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no Kubernetes cluster configured');
  const config: Configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    middleware: [setHeaderMiddleware('User-Agent', USER_AGENT)],
    httpApi: wrapHttpLibrary(new LimitedTransport(new IsomorphicFetchHttpLibrary(), transport)),
  });
  return {
    kc,
    core: new CoreV1Api(config),
    coordination: new CoordinationV1Api(config),
    customObjects: new CustomObjectsApi(config),
    events: new EventsV1Api(config),
    objects: new KubernetesObjectApi(config),
    json: jsonRequester(kc, cluster.server, config),
  };
}

function jsonRequester(kc: KubeConfig, server: string, config: Configuration): JsonRequester {
  const base = server.replace(/\/+$/, '');
  return async <T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    opts: {
      query?: Record<string, string | number | boolean | undefined>;
      body?: unknown;
      contentType?: string;
    } = {},
  ): Promise<T> => {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const ctx = new RequestContext(url.toString(), HttpMethod[method]);
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setHeaderParam('User-Agent', USER_AGENT);
    if (opts.body !== undefined) {
      ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(opts.body));
    }
    await kc.applySecurityAuthentication(ctx);
    const res = await config.httpApi.send(ctx).toPromise();
    const text = await res.body.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.httpStatusCode >= 400) {
      const message = (parsed as { message?: string } | undefined)?.message ?? text;
      throw new ApiException(res.httpStatusCode, `${method} ${path}: ${message}`, parsed, res.headers);
    }
    return parsed as T;
  };
}
