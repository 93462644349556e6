// container.docker.parameters: raw `docker run` flags (Mesos passes each as --key=value after its own
// flags, so a parameter overrides what Mesos set). The flags with a Kubernetes meaning are mapped; every
// other one gets a note.
import { isIP } from 'node:net';
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { NormalizedApp } from '../app.ts';
import { containerSecurityContext, setDevShm, uidForUser } from './container.ts';
import type { Draft, NoteKind, TranslateContext } from './draft.ts';
import { escapeExpansion } from './environment.ts';
import { isValidLabelKey } from './labels.ts';

interface Param {
  key: string;
  value: string;
  /** Position in the parameters array: names the note path and generated volumes. */
  index: number;
  app: NormalizedApp;
  d: Draft;
  note: (kind: NoteKind, message: string) => void;
}

type Handler = (p: Param) => void;

/** Short flags and alternative spellings → the flag name the handlers know. */
const ALIASES: Record<string, string> = {
  u: 'user',
  w: 'workdir',
  h: 'hostname',
  e: 'env',
  l: 'label',
  v: 'volume',
  t: 'tty',
  i: 'interactive',
  network: 'net',
  'dns-option': 'dns-opt',
};

/** Flags that size the container: Marathon's cpus/mem/resourceLimits decide those (Mesos resets the cgroup). */
const RESOURCE_FLAGS = new Set([
  'memory',
  'm',
  'memory-swap',
  'memory-reservation',
  'memory-swappiness',
  'kernel-memory',
  'cpu-shares',
  'c',
  'cpus',
  'cpu-quota',
  'cpu-period',
  'cpuset-cpus',
  'cpuset-mems',
  'blkio-weight',
  'oom-kill-disable',
]);

/** Sysctls the kubelet allows without --allowed-unsafe-sysctls. */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ping_group_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
const UNITS = 'kmgtp';

/**
 * A Docker size ("512k", "64m", "1.5g", "1024"; binary multiples, optional "b"/"ib") as a Kubernetes
 * quantity: "64Mi", or bytes when the amount is not whole in its unit. Undefined when unparsable.
 */
export function parseDockerSize(s: string): string | undefined {
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i.exec(s.trim());
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  if (!unit) return String(Math.trunc(n));
  if (Number.isInteger(n)) return `${n}${unit.toUpperCase()}i`;
  return String(Math.trunc(n * 1024 ** (UNITS.indexOf(unit) + 1)));
}

/** Docker's boolean flag values (Go's strconv.ParseBool); an empty value means true. */
function parseBool(v: string): boolean | undefined {
  if (['', '1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  return undefined;
}

/** Splits "a=b" (or "a:b" with sep ':') at the first separator; the value is undefined without one. */
function cut(s: string, sep: string): [string, string | undefined] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, undefined] : [s.slice(0, at), s.slice(at + sep.length)];
}

function invalid(p: Param, why: string): void {
  p.note('ignored', `--${p.key}=${p.value}: ${why}; not applied`);
}

function bool(p: Param, set: (b: boolean) => void): void {
  const b = parseBool(p.value);
  if (b === undefined) invalid(p, 'not a boolean');
  else set(b);
}

function podSecurityContext(d: Draft) {
  d.pod.securityContext ??= {};
  return d.pod.securityContext;
}

function dnsConfig(d: Draft) {
  d.pod.dnsConfig ??= {};
  return d.pod.dnsConfig;
}

const trimSlash = (path: string) => path.replace(/(.)\/+$/, '$1');

/** Adds a volume and its mount unless something is already mounted at that path (Kubernetes rejects that). */
function mount(p: Param, volume: V1Volume, m: Omit<V1VolumeMount, 'name'>): boolean {
  const mounts = (p.d.container.volumeMounts ??= []);
  if (mounts.some((x) => trimSlash(x.mountPath) === trimSlash(m.mountPath))) {
    invalid(p, `a volume is already mounted at ${m.mountPath}`);
    return false;
  }
  p.d.pod.volumes.push(volume);
  mounts.push({ name: volume.name, ...m });
  return true;
}

function user(p: Param): void {
  const [u, g] = cut(p.value, ':');
  const uid = uidForUser(u);
  const gid = g === undefined ? undefined : uidForUser(g);
  if (uid === undefined || (g !== undefined && gid === undefined)) {
    p.note(
      'approximated',
      `--${p.key}=${p.value}: Kubernetes needs numeric ids; the image's default user is kept`,
    );
    return;
  }
  const sc = containerSecurityContext(p.d);
  sc.runAsUser = uid;
  if (gid !== undefined) sc.runAsGroup = gid;
}

function hostname(p: Param): void {
  const v = p.value.toLowerCase();
  if (v === p.value && v.length <= 63 && DNS_LABEL.test(v)) {
    p.d.pod.hostname = v;
    return;
  }
  const first = v.split('.')[0] ?? '';
  if (first.length > 63 || !DNS_LABEL.test(first)) return invalid(p, 'not a DNS name');
  p.d.pod.hostname = first;
  p.note('approximated', `hostname set to "${first}": a pod hostname is a single lowercase DNS label`);
}

function env(p: Param): void {
  const [name, value] = cut(p.value, '=');
  if (value === undefined) return invalid(p, "passes the agent's own value, which does not exist here");
  if (name === '') return invalid(p, 'no variable name');
  // A later flag for the same name wins, as in docker run.
  p.d.container.env = p.d.container.env.filter((e) => e.name !== name);
  p.d.container.env.push({ name, value: escapeExpansion(value) });
}

function label(p: Param): void {
  const [key, value = ''] = cut(p.value, '=');
  if (!isValidLabelKey(key)) return invalid(p, 'not a valid Kubernetes annotation key');
  // Container labels have no pod-level home other than annotations.
  p.d.podAnnotations[key] = value;
}

function capabilities(p: Param, which: 'add' | 'drop'): void {
  const caps = p.value
    .split(',')
    .map((c) => c.trim().toUpperCase().replace(/^CAP_/, ''))
    .filter(Boolean);
  if (caps.length === 0) return invalid(p, 'no capability');
  const sc = containerSecurityContext(p.d);
  sc.capabilities ??= {};
  const list = (sc.capabilities[which] ??= []);
  for (const c of caps) if (!list.includes(c)) list.push(c);
}

function addHost(p: Param): void {
  // host=ip or host:ip (the first separator splits, so IPv6 addresses survive); [ip] is also accepted.
  const [host, rawIp] = p.value.includes('=') ? cut(p.value, '=') : cut(p.value, ':');
  const ip = rawIp?.replace(/^\[(.*)\]$/, '$1');
  if (ip === 'host-gateway') return invalid(p, 'the host gateway has no Kubernetes equivalent');
  if (!host || !ip || isIP(ip) === 0) return invalid(p, 'expected host:ip');
  const aliases = (p.d.pod.hostAliases ??= []);
  const entry = aliases.find((a) => a.ip === ip);
  if (!entry) aliases.push({ ip, hostnames: [host] });
  else if (!entry.hostnames?.includes(host)) (entry.hostnames ??= []).push(host);
}

function dns(p: Param): void {
  if (isIP(p.value) === 0) return invalid(p, 'not an IP address');
  const cfg = dnsConfig(p.d);
  const servers = (cfg.nameservers ??= []);
  if (servers.includes(p.value)) return;
  if (servers.length >= MAX_NAMESERVERS)
    return invalid(p, `Kubernetes allows at most ${MAX_NAMESERVERS} nameservers`);
  servers.push(p.value);
  if (p.d.pod.dnsPolicy !== 'None') {
    // Docker replaces the resolvers; only dnsPolicy None keeps the cluster DNS out of resolv.conf.
    p.d.pod.dnsPolicy = 'None';
    p.note(
      'approximated',
      "dnsPolicy None with only these nameservers: cluster Service names and the node's search domains do not apply",
    );
  }
}

function dnsSearch(p: Param): void {
  const domain = p.value.toLowerCase().replace(/\.$/, '');
  if (!DNS_SUBDOMAIN.test(domain)) return invalid(p, 'not a DNS domain');
  const searches = (dnsConfig(p.d).searches ??= []);
  if (searches.includes(domain)) return;
  if (searches.length >= MAX_SEARCHES)
    return invalid(p, `Kubernetes allows at most ${MAX_SEARCHES} search domains`);
  searches.push(domain);
}

function dnsOpt(p: Param): void {
  const [name, value] = cut(p.value, ':');
  if (name === '') return invalid(p, 'no option name');
  (dnsConfig(p.d).options ??= []).push(value === undefined ? { name } : { name, value });
}

function sysctl(p: Param): void {
  const [name, value] = cut(p.value, '=');
  if (value === undefined || !SYSCTL_NAME.test(name)) return invalid(p, 'expected name=value');
  const sysctls = (podSecurityContext(p.d).sysctls ??= []);
  const existing = sysctls.find((s) => s.name === name);
  if (existing) existing.value = value;
  else sysctls.push({ name, value });
  if (!SAFE_SYSCTLS.has(name)) {
    p.note(
      'approximated',
      `${name} is an unsafe sysctl: the pod starts only on nodes whose kubelet allows it`,
    );
  }
}

function shmSize(p: Param): void {
  const size = parseDockerSize(p.value);
  if (size === undefined) return invalid(p, 'not a size');
  // 0 keeps Docker's default /dev/shm (64m), which is also the container runtime's default here.
  if (/^0+$/.test(size)) return;
  setDevShm(p.d, size);
}

function entrypoint(p: Param): void {
  if (p.value === '') return invalid(p, "resetting to the image's CMD needs the image's metadata");
  p.d.container.command = [escapeExpansion(p.value)];
  // With cmd, Mesos passed --entrypoint /bin/sh and the arguments "-c <cmd>"; this flag replaced only the former.
  if (p.app.cmd !== undefined) p.d.container.args = ['-c', escapeExpansion(p.app.cmd)];
}

const VOLUME_MODES = new Set(['ro', 'rw']);

/** Docker's -v forms: dst, dst:opts, src:dst, src:dst:opts (opts comma-separated). */
function splitVolume(v: string): { src?: string; dst: string; opts: string[] } | undefined {
  const parts = v.split(':');
  const [a = '', b = '', c = ''] = parts;
  if (parts.length === 1) return { dst: a, opts: [] };
  // Two parts: the second is options unless it is a path.
  if (parts.length === 2)
    return b.startsWith('/') ? { src: a, dst: b, opts: [] } : { dst: a, opts: b.split(',') };
  if (parts.length === 3) return { src: a, dst: b, opts: c.split(',') };
  return undefined;
}

function volume(p: Param): void {
  const spec = splitVolume(p.value);
  if (!spec) return invalid(p, 'expected [source:]destination[:options]');
  const { src, dst } = spec;
  const opts = spec.opts.filter(Boolean);
  if (!dst.startsWith('/')) return invalid(p, 'the destination must be an absolute path');

  const name = `docker-param-${p.index}`;
  const source: V1Volume = src?.startsWith('/') ? { name, hostPath: { path: src } } : { name, emptyDir: {} };
  const readOnly = opts.includes('ro');
  if (!mount(p, source, { mountPath: dst, ...(readOnly ? { readOnly } : {}) })) return;
  if (source.emptyDir) {
    const what = src ? `docker volume "${src}"` : 'anonymous volume';
    p.note('approximated', `${what} mounted as an emptyDir: empty at start, lost with the pod`);
  }
  const ignored = opts.filter((o) => !VOLUME_MODES.has(o));
  if (ignored.length > 0) p.note('approximated', `mount options not applied: ${ignored.join(',')}`);
}

function tmpfs(p: Param): void {
  const [path, rawOpts = ''] = cut(p.value, ':');
  if (!path.startsWith('/')) return invalid(p, 'the path must be absolute');
  const opts = rawOpts.split(',').filter(Boolean);
  let sizeLimit: string | undefined;
  const ignored: string[] = [];
  for (const o of opts) {
    const [k, v] = cut(o, '=');
    const size = k === 'size' && v !== undefined ? parseDockerSize(v) : undefined;
    if (size !== undefined) sizeLimit = size;
    else if (o !== 'rw' && o !== 'ro') ignored.push(o);
  }
  if (trimSlash(path) === '/dev/shm') setDevShm(p.d, sizeLimit);
  else {
    const source = {
      name: `docker-param-${p.index}`,
      emptyDir: { medium: 'Memory', ...(sizeLimit ? { sizeLimit } : {}) },
    };
    const readOnly = opts.includes('ro');
    if (!mount(p, source, { mountPath: path, ...(readOnly ? { readOnly } : {}) })) return;
  }
  if (ignored.length > 0) p.note('approximated', `tmpfs options not applied: ${ignored.join(',')}`);
}

function namespaceMode(p: Param, set: () => void): void {
  if (p.value === 'host') set();
  else if (!['', 'private', 'shareable'].includes(p.value))
    invalid(p, 'only "host" has a Kubernetes equivalent');
}

function securityOpt(p: Param): void {
  // Docker accepts both name=value and the older name:value.
  const [name, value] = p.value.includes('=') ? cut(p.value, '=') : cut(p.value, ':');
  if (name === 'no-new-privileges') {
    const b = parseBool(value ?? '');
    if (b === undefined) return invalid(p, 'not a boolean');
    if (b) containerSecurityContext(p.d).allowPrivilegeEscalation = false;
  } else if (name === 'seccomp' && value === 'unconfined') {
    containerSecurityContext(p.d).seccompProfile = { type: 'Unconfined' };
  } else if (name === 'apparmor' && value === 'unconfined') {
    containerSecurityContext(p.d).appArmorProfile = { type: 'Unconfined' };
  } else {
    invalid(p, 'no Kubernetes equivalent');
  }
}

function groupAdd(p: Param): void {
  const gid = uidForUser(p.value);
  if (gid === undefined) {
    p.note('approximated', `--${p.key}=${p.value}: Kubernetes needs a numeric gid; the group is not added`);
    return;
  }
  const groups = (podSecurityContext(p.d).supplementalGroups ??= []);
  if (!groups.includes(gid)) groups.push(gid);
}

const HANDLERS: Record<string, Handler> = {
  user,
  workdir: (p) => {
    if (!p.value.startsWith('/')) return invalid(p, 'the directory must be an absolute path');
    p.d.container.workingDir = p.value;
  },
  hostname,
  env,
  label,
  'cap-add': (p) => capabilities(p, 'add'),
  'cap-drop': (p) => capabilities(p, 'drop'),
  'read-only': (p) => bool(p, (b) => (containerSecurityContext(p.d).readOnlyRootFilesystem = b)),
  privileged: (p) => bool(p, (b) => (containerSecurityContext(p.d).privileged = b)),
  tty: (p) => bool(p, (b) => (p.d.container.tty = b)),
  interactive: (p) => bool(p, (b) => (p.d.container.stdin = b)),
  'add-host': addHost,
  dns,
  'dns-search': dnsSearch,
  'dns-opt': dnsOpt,
  sysctl,
  'shm-size': shmSize,
  entrypoint,
  init: (p) =>
    bool(p, (b) => {
      if (b)
        p.note('ignored', 'no init process is added: the command runs as PID 1 and must reap its children');
    }),
  volume,
  tmpfs,
  ipc: (p) => namespaceMode(p, () => (p.d.pod.hostIPC = true)),
  pid: (p) => namespaceMode(p, () => (p.d.pod.hostPID = true)),
  net: (p) => p.note('ignored', "networking comes from the app's networks; this flag is not applied"),
  'security-opt': securityOpt,
  'group-add': groupAdd,
};

export function applyDockerParameters(app: NormalizedApp, _ctx: TranslateContext, d: Draft): void {
  const c = app.container;
  if (!c) return;
  c.parameters.forEach(({ key: rawKey, value }, index) => {
    const path = `/container/docker/parameters(${index})`;
    const note = (kind: NoteKind, message: string) => d.notes.push({ path, kind, message });
    const flag = rawKey.replace(/^-+/, '');
    if (c.type !== 'DOCKER') {
      note('ignored', `--${flag}: docker parameters apply only to DOCKER containers; not applied`);
      return;
    }
    const key = ALIASES[flag] ?? flag;
    if (RESOURCE_FLAGS.has(key)) {
      note('ignored', `--${flag}: resources come from cpus, mem and resourceLimits; not applied`);
      return;
    }
    const handler = HANDLERS[key];
    if (!handler) {
      note('ignored', `--${flag} has no Kubernetes equivalent; not applied`);
      return;
    }
    handler({ key: flag, value, index, app, d, note });
  });
}
