// container.volumes → pod volumes and mounts of the app container:
//   persistent  → StatefulSet volumeClaimTemplate, mounted in the sandbox (the app becomes resident);
//   host        → hostPath (absolute hostPath), or a path in a persistent volume or the sandbox (relative);
//   secret      → the Secret's value as one file;
//   external    → a PersistentVolumeClaim that outlives the app, as a REX-Ray/CSI volume did.
// Relative container paths are relative to the sandbox, as in Mesos.
import { createHash } from 'node:crypto';
import type { V1PersistentVolumeClaim, V1VolumeMount } from '@kubernetes/client-node';
import type { ExternalVolume, NormalizedApp, PersistentVolume } from '../app.ts';
import { MESOS_SANDBOX } from '../app.ts';
import { MANAGED_BY_LABELS, RETAIN_ANNOTATION } from '../names.ts';
import type { Draft, TranslateContext } from './draft.ts';
import { SANDBOX_VOLUME } from './draft.ts';
import { secretRef } from './secrets.ts';

/** On an external volume's claim: the volume's DC/OS name, and its driver options (JSON). */
export const EXTERNAL_NAME_ANNOTATION = 'dcos-operator.dev/external-volume-name';
export const EXTERNAL_OPTIONS_ANNOTATION = 'dcos-operator.dev/external-volume-options';
/** GiB requested for an external volume without a size. */
export const EXTERNAL_DEFAULT_SIZE_GIB = 16;

const DNS_LABEL_MAX = 63;
const DNS_SUBDOMAIN_MAX = 253;

function hash8(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/** A DNS-1123 label from arbitrary text: lowercased, other characters as '-', shortened with a hash. */
function dnsLabel(s: string, max = DNS_LABEL_MAX): string {
  const slug = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > 0 && slug.length <= max) return slug;
  const head = slug.slice(0, max - 9).replace(/-+$/, '');
  return head ? `${head}-${hash8(s)}` : `v-${hash8(s)}`;
}

/** A claim name for an external volume: its name when valid, else a slug with a hash (distinct names stay apart). */
function claimNameFor(name: string): string {
  const valid = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  if (name.length <= DNS_SUBDOMAIN_MAX && valid.test(name)) return name;
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .replace(/\.[^a-z0-9]+|[^a-z0-9]+\./g, '.');
  return `${slug.slice(0, 200).replace(/[^a-z0-9]+$/, '') || 'volume'}-${hash8(name)}`;
}

/** Absolute paths stay; relative ones are in the sandbox. */
function inSandbox(path: string): string {
  if (path.startsWith('/')) return path;
  const rel = path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return rel === '' || rel === '.' ? MESOS_SANDBOX : `${MESOS_SANDBOX}/${rel}`;
}

export function applyVolumes(app: NormalizedApp, ctx: TranslateContext, d: Draft): void {
  const volumes = app.container?.volumes ?? [];
  if (volumes.length === 0) return;
  const taken = new Set([
    ...d.pod.volumes.map((v) => v.name),
    ...d.volumeClaimTemplates.map((t) => t.metadata?.name),
  ]);
  const unique = (base: string): string => {
    let name = base;
    for (let i = 2; taken.has(name); i++)
      name = `${base.slice(0, DNS_LABEL_MAX - String(i).length - 1)}-${i}`;
    taken.add(name);
    return name;
  };
  const mounts = (d.container.volumeMounts ??= []);
  const note = (i: number, sub: string, kind: 'approximated' | 'ignored', message: string) =>
    d.notes.push({ path: `/container/volumes(${i})${sub}`, kind, message });

  // Persistent volumes first: relative host paths may name them.
  const claims = new Map<string, string>();
  volumes.forEach((v, i) => {
    if (v.kind !== 'persistent') return;
    const name = unique(dnsLabel(v.containerPath));
    claims.set(v.containerPath, name);
    d.kind = 'StatefulSet';
    d.volumeClaimTemplates.push(claimTemplate(name, v));
    mounts.push({ name, mountPath: inSandbox(v.containerPath), ...readOnly(v.mode) });
    if (v.maxSize !== undefined) {
      note(
        i,
        '/persistent/maxSize',
        'ignored',
        `the claim requests exactly ${v.size} MiB; maxSize is not used`,
      );
    }
    if (v.type !== 'root') {
      note(
        i,
        '/persistent/type',
        'approximated',
        `Mesos ${v.type} disks have no equivalent: the claim is a volume of the ` +
          (v.profileName ? `storage class ${v.profileName}` : 'default storage class'),
      );
    }
  });

  const secretVolumes = new Map<string, string>();
  const externalVolumes = new Map<string, string>();
  volumes.forEach((v, i) => {
    switch (v.kind) {
      case 'persistent':
        return;
      case 'host': {
        if (v.hostPath.startsWith('/')) {
          const name = unique(`host-${dnsLabel(v.containerPath, DNS_LABEL_MAX - 5)}`);
          d.pod.volumes.push({ name, hostPath: { path: v.hostPath } });
          mounts.push({ name, mountPath: inSandbox(v.containerPath), ...readOnly(v.mode) });
          return;
        }
        const segments = v.hostPath.split('/').filter((s) => s !== '' && s !== '.');
        if (segments.includes('..')) {
          note(i, '/hostPath', 'ignored', `${v.hostPath} leaves the sandbox; the volume is not mounted`);
          return;
        }
        // A relative host path is a path in the sandbox: usually a persistent volume, else a directory.
        const claim = segments[0] === undefined ? undefined : claims.get(segments[0]);
        const sub = (claim ? segments.slice(1) : segments).join('/');
        mounts.push({
          name: claim ?? SANDBOX_VOLUME,
          mountPath: inSandbox(v.containerPath),
          ...(sub ? { subPath: sub } : {}),
          ...readOnly(v.mode),
        });
        return;
      }
      case 'secret': {
        const ref = secretRef(app, v.secret);
        if (!ref) {
          note(i, '/secret', 'ignored', `${v.secret} is not an entry of secrets; the volume is not mounted`);
          return;
        }
        let name = secretVolumes.get(ref.name);
        if (!name) {
          name = unique(`secret-${dnsLabel(ref.name, DNS_LABEL_MAX - 7)}`);
          secretVolumes.set(ref.name, name);
          d.pod.volumes.push({
            name,
            secret: { secretName: ref.name, items: [{ key: ref.key, path: ref.key }] },
          });
        }
        mounts.push({ name, mountPath: inSandbox(v.containerPath), subPath: ref.key, readOnly: true });
        return;
      }
      case 'external': {
        let name = externalVolumes.get(v.name);
        if (!name) {
          const claimName = claimNameFor(v.name);
          name = unique(`ext-${dnsLabel(v.name, DNS_LABEL_MAX - 4)}`);
          externalVolumes.set(v.name, name);
          d.pod.volumes.push({ name, persistentVolumeClaim: { claimName } });
          d.extraObjects.push(externalClaim(claimName, v, ctx));
          if (v.size === undefined) {
            note(
              i,
              '/external/size',
              'approximated',
              `Kubernetes needs a size: the claim requests ${EXTERNAL_DEFAULT_SIZE_GIB} GiB`,
            );
          }
          if (Object.keys(v.options).some((k) => k !== 'dvdi/driver')) {
            note(
              i,
              '/external/options',
              'ignored',
              `kept in the claim's ${EXTERNAL_OPTIONS_ANNOTATION} annotation; the storage class provisions the volume`,
            );
          }
        }
        mounts.push({ name, mountPath: inSandbox(v.containerPath), ...readOnly(v.mode) });
        return;
      }
    }
  });
}

function readOnly(mode: 'RO' | 'RW'): Pick<V1VolumeMount, 'readOnly'> {
  return mode === 'RO' ? { readOnly: true } : {};
}

function claimTemplate(name: string, v: PersistentVolume): V1PersistentVolumeClaim {
  return {
    metadata: { name },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: `${v.size}Mi` } },
      ...(v.profileName ? { storageClassName: v.profileName } : {}),
    },
  };
}

function externalClaim(claimName: string, v: ExternalVolume, ctx: TranslateContext): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName,
      namespace: ctx.namespace,
      labels: { ...MANAGED_BY_LABELS },
      annotations: {
        // Like a REX-Ray volume, the claim (and the data) outlives the app.
        [RETAIN_ANNOTATION]: 'true',
        [EXTERNAL_NAME_ANNOTATION]: v.name,
        ...(Object.keys(v.options).length > 0
          ? { [EXTERNAL_OPTIONS_ANNOTATION]: JSON.stringify(v.options) }
          : {}),
      },
    },
    spec: {
      accessModes: [v.shared ? 'ReadWriteMany' : 'ReadWriteOnce'],
      resources: { requests: { storage: `${v.size ?? EXTERNAL_DEFAULT_SIZE_GIB}Gi` } },
    },
  };
}
