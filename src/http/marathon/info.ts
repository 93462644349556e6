// GET /v2/info and /v2/leader bodies (fixture responses/info.json, types/info.raml). Pure.
import os from 'node:os';
import { parseBindAddress } from '../bind-address.ts';
import { deploymentId } from '../../marathon/status.ts';
import { SERVICE_PORT_MAX, SERVICE_PORT_MIN } from '../../marathon/normalize.ts';

/**
 * The Marathon version the API reports. Clients pick features by it (marathon-lb and go-marathon switch to
 * `networks`/`container.portMappings` at 1.5; marathon-python's event tests need > 0.11). 1.9.109, the last
 * 1.9 release, is what the API serves: canonical 1.5+ networking in every response, 1.8's defaults
 * (maxLaunchDelaySeconds 300), 1.9's `role` on apps and tasks, and the 1.7+ JSON metrics layout.
 */
export const MARATHON_VERSION = '1.9.109';

export interface InfoInput {
  /** This replica's identity (the leader Lease holder identity format). */
  identity: string;
  /** Identity of the replica holding the Lease, when known. */
  leader: string | undefined;
  /** host:port this replica serves the API on, as configured. */
  advertisedAddress: string;
  /** The Host header of the request, for an address configured without host or port. */
  requestHost?: string | undefined;
  /** Namespace the API creates apps in (named in the framework id). */
  apiNamespace: string;
  /** Versions kept per app (Marathon's zk_max_versions). */
  maxVersions: number;
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const WILDCARD = new Set(['', '0.0.0.0', '::']);

/** The address this replica is reached at: the configured one, completed from the request where the
 * configuration leaves the host open (wildcard) or the port chosen by the system (0). */
export function ownAddress(advertisedAddress: string, requestHost?: string): string {
  const { host, port } = parseBindAddress(advertisedAddress);
  const open = host === undefined || WILDCARD.has(host);
  if ((open || port === 0) && requestHost) {
    const req = parseHostHeader(requestHost);
    return hostPort(open ? req.host : host, port === 0 ? (req.port ?? 80) : port);
  }
  return hostPort(open ? os.hostname() : host, port);
}

function parseHostHeader(h: string): { host: string; port: number | undefined } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h.trim());
  if (!m) return { host: h, port: undefined };
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : undefined };
}

/**
 * Marathon's `host:port` of the leader: this replica's address when it leads; for another replica, the
 * host part of its identity (`<hostname>_<uuid>`, the pod name in a cluster) with the port replicas share.
 */
export function leaderAddress(input: InfoInput): string | undefined {
  if (!input.leader) return undefined;
  if (input.leader === input.identity) return ownAddress(input.advertisedAddress, input.requestHost);
  const host = input.leader.split('_')[0] || input.leader;
  const own = ownAddress(input.advertisedAddress, input.requestHost);
  return hostPort(host, Number(own.slice(own.lastIndexOf(':') + 1)));
}

/** A stable framework id (Mesos' `<uuid>-<4 digits>` form) for the API of this namespace. */
export function frameworkId(apiNamespace: string): string {
  return `${deploymentId(`framework/${apiNamespace}`)}-0000`;
}

/** The /v2/info body: only fields of the RAML (marathon-python builds its objects from these keys), with
 * values that are true of the operator; Mesos and ZooKeeper settings it has no equivalent of are left out. */
export function marathonInfo(input: InfoInput): Record<string, unknown> {
  const own = ownAddress(input.advertisedAddress, input.requestHost);
  const { port } = parseBindAddress(own);
  const leader = leaderAddress(input);
  return {
    name: 'marathon',
    version: MARATHON_VERSION,
    buildref: 'dcos-operator',
    elected: input.leader !== undefined && input.leader === input.identity,
    ...(leader ? { leader } : {}),
    frameworkId: frameworkId(input.apiNamespace),
    marathon_config: {
      // every feature flag's field is accepted (nothing is gated behind --enable_features)
      features: ['external_volumes', 'gpu_resources', 'secrets'],
      framework_name: 'marathon',
      ha: true,
      hostname: own.slice(0, own.lastIndexOf(':')).replace(/^\[|\]$/g, ''),
      local_port_max: SERVICE_PORT_MAX,
      local_port_min: SERVICE_PORT_MIN,
      master: 'kubernetes',
      mesos_role: '*',
      // Marathon's defaults for how long an unreachable task is kept (the operator follows the app's
      // unreachableStrategy per pod)
      task_lost_expunge_initial_delay: 300000,
      task_lost_expunge_interval: 30000,
      webui_url: `http://${own}`,
    },
    zookeeper_config: {
      // no ZooKeeper: the state is the MarathonApp resources in the Kubernetes API
      zk: '',
      zk_connection_timeout: 10000,
      zk_max_versions: input.maxVersions,
      zk_session_timeout: 10000,
      zk_timeout: 10000,
    },
    http_config: { http_port: port, https_port: 0 },
  };
}
