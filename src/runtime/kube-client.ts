// Builds the KubeConfig and the typed API clients, all sharing one rate-limited transport.
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  KubernetesObjectApi,
  ServerConfiguration,
  createConfiguration,
  setHeaderMiddleware,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import type { Configuration } from '@kubernetes/client-node';
import { LimitedTransport } from './kube-transport.ts';
import type { TransportOptions } from './kube-transport.ts';

export const USER_AGENT = 'dcos-operator';

export function loadKubeConfig(opts: {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}): KubeConfig {
  const kc = new KubeConfig();
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
  };
}
