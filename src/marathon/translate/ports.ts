// Marathon ports → container ports, the PORT* environment and the app's Service ports.
//
// Every pod has its own IP, so no network mode needs hostNetwork: a host-mode app binds $PORTn, which is
// its service port, on the pod IP (requirePorts also binds it on the node through hostPort, and the
// scheduler then only places the pod where that port is free, as Marathon did). A port mapping binds its
// containerPort on the pod IP, and its hostPort on the node when it is > 0; bridge mode's hostPort 0
// ("any host port") binds nothing on the node, the pod IP being reachable directly.
// The Service exposes each port on its Marathon service port (what marathon-lb bound) → the container port.
import type { V1ContainerPort, V1EnvVar, V1ServicePort } from '@kubernetes/client-node';
import type { NormalizedApp, PortProtocol } from '../app.ts';
import type { Draft, TranslateContext } from './draft.ts';

/** Service annotation: JSON list of the Marathon ports' names and labels (VIP_n, ...), when any exist. */
export const PORT_LABELS_ANNOTATION = 'dcos-operator.dev/port-labels';
/** Pod annotation: JSON list of the app's networks, when any carries labels. */
export const NETWORK_LABELS_ANNOTATION = 'dcos-operator.dev/network-labels';

export type KubeProtocol = 'TCP' | 'UDP';

export interface ResolvedPort {
  /** Position in portDefinitions/portMappings: what portIndex and PORTn refer to. */
  index: number;
  /** The port the app listens on inside the pod. */
  containerPort: number;
  /** Bound on the node as well (requirePorts, or a mapping's hostPort > 0). */
  hostPort?: number;
  servicePort: number;
  protocols: KubeProtocol[];
  /** Kubernetes port name (of the first protocol; see bindings). */
  name: string;
  /** One Kubernetes port per protocol: 'udp,tcp' gives two, with distinct names. */
  bindings: { protocol: KubeProtocol; name: string }[];
  marathonName?: string;
  /** Value of PORTn. */
  env: number;
  /** The port Marathon calls requested (host-mode port, mapping containerPort); 0 = dynamic. */
  requested: number;
  labels: Record<string, string>;
}

const NAME_MAX = 15;

/** Same rule as appPorts(): host mode uses portDefinitions. */
function isHostMode(app: NormalizedApp): boolean {
  return app.networks.length === 0 || app.networks.some((n) => n.mode === 'host');
}

function protocolsOf(p: PortProtocol): KubeProtocol[] {
  const parts = p.split(',');
  return (['TCP', 'UDP'] as const).filter((k) => parts.includes(k.toLowerCase()));
}

/** IANA_SVC_NAME: ≤15 of [a-z0-9-], at least one letter, no leading, trailing or double '-'. */
function isSvcName(s: string): boolean {
  return s.length <= NAME_MAX && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s) && /[a-z]/.test(s);
}

function sanitize(name: string): string | undefined {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, NAME_MAX)
    .replace(/-+$/, '');
  return isSvcName(s) ? s : undefined;
}

function fit(base: string, suffix: string): string {
  return base.slice(0, NAME_MAX - suffix.length).replace(/-+$/, '') + suffix;
}

/** Names for one port's protocols, unused so far: base, then base-2, base-3, ... (with -tcp/-udp for both). */
function claim(base: string, protocols: KubeProtocol[], used: Set<string>): string[] {
  const suffixes = protocols.length > 1 ? protocols.map((p) => `-${p.toLowerCase()}`) : [''];
  // A free name exists within used.size + 1 tries unless truncation keeps making invalid names.
  for (let n = 1; n <= used.size + 1; n++) {
    const names = suffixes.map((s) => fit(base, (n === 1 ? '' : `-${n}`) + s));
    if (names.every((x) => isSvcName(x) && !used.has(x))) {
      for (const x of names) used.add(x);
      return names;
    }
  }
  return claim('port', protocols, used);
}

/** Deterministic unique names; ports with a usable Marathon name go first, so port<n> never takes one. */
function assignNames(
  ports: { index: number; marathonName?: string; protocols: KubeProtocol[] }[],
): string[][] {
  const used = new Set<string>();
  const wanted = ports.map((p) => (p.marathonName === undefined ? undefined : sanitize(p.marathonName)));
  const out: string[][] = ports.map(() => []);
  for (const named of [true, false]) {
    ports.forEach((p, i) => {
      const w = wanted[i];
      if ((w !== undefined) === named) out[i] = claim(w ?? `port${p.index}`, p.protocols, used);
    });
  }
  return out;
}

/** The app's ports as they run in Kubernetes, in Marathon's order. */
export function resolvePorts(app: NormalizedApp): ResolvedPort[] {
  const base = isHostMode(app)
    ? app.portDefinitions.map((pd) => ({
        containerPort: pd.port,
        ...(app.requirePorts ? { hostPort: pd.port } : {}),
        servicePort: pd.port,
        protocol: pd.protocol,
        name: pd.name,
        env: pd.port,
        requested: pd.port,
        labels: pd.labels,
      }))
    : app.portMappings.map((pm) => {
        const hostPort = pm.hostPort !== undefined && pm.hostPort > 0 ? pm.hostPort : undefined;
        const containerPort = pm.containerPort > 0 ? pm.containerPort : (hostPort ?? pm.servicePort);
        return {
          containerPort,
          ...(hostPort !== undefined ? { hostPort } : {}),
          servicePort: pm.servicePort,
          protocol: pm.protocol,
          name: pm.name,
          env: hostPort ?? containerPort,
          requested: pm.containerPort,
          labels: pm.labels,
        };
      });
  const withProtocols = base.map((p, index) => ({
    index,
    protocols: protocolsOf(p.protocol),
    ...(p.name !== undefined ? { marathonName: p.name } : {}),
  }));
  const names = assignNames(withProtocols);
  return base.map(({ protocol: _protocol, name: _name, ...p }, i) => {
    const meta = withProtocols[i]!;
    const bindings = meta.protocols.map((protocol, k) => ({ protocol, name: names[i]![k]! }));
    return { ...p, ...meta, name: bindings[0]?.name ?? `port${i}`, bindings };
  });
}

/**
 * Marathon's port variables (EnvironmentHelper.portsEnv): PORTn, PORT_<requested> (the effective port
 * under the requested number, or under its own number when 0 was requested), PORT_<NAME> (name upper-cased
 * as Marathon does, plus a PORT_MY_PORT spelling when the name has '-', which a shell cannot read),
 * PORT and PORTS. Later entries override earlier ones, as in Marathon.
 */
function portEnv(ports: ResolvedPort[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const p of ports) env.set(`PORT${p.index}`, String(p.env));
  for (const p of ports) env.set(`PORT_${p.requested || p.env}`, String(p.env));
  for (const p of ports) {
    if (p.marathonName === undefined) continue;
    const exact = `PORT_${p.marathonName.toUpperCase()}`;
    const shell = exact.replace(/[^A-Z0-9_]/g, '_');
    if (/^[-._A-Za-z0-9]+$/.test(exact)) env.set(exact, String(p.env));
    if (!env.has(shell)) env.set(shell, String(p.env));
  }
  const first = ports[0];
  if (first) {
    env.set('PORT', String(first.env));
    env.set('PORTS', ports.map((p) => p.env).join(','));
  }
  return env;
}

function networkNotes(app: NormalizedApp, ports: ResolvedPort[], d: Draft): void {
  const nets = app.networks;
  const only = nets.length === 1 ? nets[0] : undefined;
  if (nets.length > 1) {
    d.notes.push({
      path: '/networks',
      kind: 'approximated',
      message: `the pod joins only the cluster's pod network, not the ${nets.length} networks listed`,
    });
  } else if (only?.mode === 'container' && only.name !== undefined) {
    d.notes.push({
      path: '/networks(0)/name',
      kind: 'approximated',
      message: `CNI network "${only.name}" is not joined; the pod gets its own IP on the cluster's pod network`,
    });
  }
  if (isHostMode(app) && !app.requirePorts && ports.length > 0) {
    const i = nets.findIndex((n) => n.mode === 'host');
    d.notes.push({
      path: i >= 0 ? `/networks(${i})` : '/networks',
      kind: 'approximated',
      message:
        'host networking: each instance binds its ports ($PORTn = the service port) on its own pod IP, ' +
        'not on random ports of the node; reach them through the Service',
    });
  }
  if (!isHostMode(app) && app.requirePorts) {
    d.notes.push({
      path: '/requirePorts',
      kind: 'ignored',
      message: 'requirePorts only applies to host networking; port mappings bind their hostPort as given',
    });
  }
  if (nets.some((n) => Object.keys(n.labels).length > 0)) {
    d.podAnnotations[NETWORK_LABELS_ANNOTATION] = JSON.stringify(
      nets.map((n) => ({
        mode: n.mode,
        ...(n.name !== undefined ? { name: n.name } : {}),
        labels: n.labels,
      })),
    );
  }
}

export function applyPorts(app: NormalizedApp, ctx: TranslateContext, d: Draft): void {
  const ports = resolvePorts(app);
  const path = isHostMode(app) ? '/portDefinitions' : '/container/portMappings';
  networkNotes(app, ports, d);

  const containerPorts: V1ContainerPort[] = ports.flatMap((p) =>
    p.bindings.map(({ protocol, name }) => ({
      name,
      containerPort: p.containerPort,
      protocol,
      ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
    })),
  );
  if (containerPorts.length > 0) d.container.ports = containerPorts;

  const seen = new Set<string>();
  for (const p of ports) {
    for (const { protocol, name } of p.bindings) {
      const key = `${p.servicePort}/${protocol}`;
      if (seen.has(key)) {
        d.notes.push({
          path: `${path}(${p.index})`,
          kind: 'approximated',
          message: `service port ${p.servicePort}/${protocol} is already taken by another port; not added to the Service`,
        });
        continue;
      }
      seen.add(key);
      const sp: V1ServicePort = { name, port: p.servicePort, targetPort: p.containerPort, protocol };
      d.servicePorts.push(sp);
    }
    for (const [key, value] of Object.entries(p.labels)) {
      if (!/^VIP_\d+$/.test(key)) continue;
      d.notes.push({
        path: `${path}(${p.index})/labels/${key}`,
        kind: 'approximated',
        message: `no DC/OS layer-4 VIP ${value}: the port is reachable at ${ctx.name}.${ctx.namespace}.svc:${p.servicePort}`,
      });
    }
  }

  if (ports.some((p) => p.marathonName !== undefined || Object.keys(p.labels).length > 0)) {
    d.serviceAnnotations[PORT_LABELS_ANNOTATION] = JSON.stringify(
      ports.map((p) => ({
        index: p.index,
        servicePort: p.servicePort,
        ...(p.marathonName !== undefined ? { name: p.marathonName } : {}),
        labels: p.labels,
      })),
    );
  }

  // The app's own env wins over Marathon's variables, as in Marathon.
  const taken = new Set([...Object.keys(app.env), ...d.container.env.map((e) => e.name)]);
  const env: V1EnvVar[] = [...portEnv(ports)]
    .filter(([name]) => !taken.has(name))
    .map(([name, value]) => ({ name, value }));
  d.container.env.push(...env);
}
