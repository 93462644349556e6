// The app's container: image, command, pull settings, user, tty, security and Linux options.
import type { V1SecurityContext } from '@kubernetes/client-node';
import type { NormalizedApp } from '../app.ts';
import { MESOS_SANDBOX } from '../app.ts';
import type { Draft, TranslateContext } from './draft.ts';
import { escapeExpansion } from './environment.ts';
import { mibQuantity } from './resources.ts';
import { secretRef } from './secrets.ts';

/**
 * The Secret (type kubernetes.io/dockerconfigjson) that replaces the ACS/DC/OS pattern of fetching a
 * docker.tar.gz or .dockercfg onto the agent for private registries.
 */
export const DOCKER_CONFIG_SECRET = 'dcos-docker-config';

const SHM_VOLUME = 'dev-shm';
const NOBODY_UID = 65534;

/** Fetch URIs that carried registry credentials for the Docker daemon rather than files for the task. */
export function isDockerCredentialUri(uri: string): boolean {
  const path = uri.replace(/[?#].*$/, '');
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === 'docker.tar.gz' || base.endsWith('.dockercfg');
}

/** The uid Kubernetes needs for a Unix user: numeric ids, root and nobody; undefined for other names. */
export function uidForUser(user: string): number | undefined {
  if (/^\d+$/.test(user)) return Number(user);
  if (user === 'root') return 0;
  if (user === 'nobody') return NOBODY_UID;
  return undefined;
}

export function containerSecurityContext(d: Draft): V1SecurityContext {
  d.container.securityContext ??= {};
  return d.container.securityContext;
}

export function addImagePullSecret(d: Draft, name: string): void {
  const secrets = (d.pod.imagePullSecrets ??= []);
  if (!secrets.some((s) => s.name === name)) secrets.push({ name });
}

/** Mounts a memory-backed /dev/shm, of the given size (a Kubernetes quantity) if any; a second call resizes it. */
export function setDevShm(d: Draft, sizeLimit?: string): void {
  const emptyDir = { medium: 'Memory', ...(sizeLimit ? { sizeLimit } : {}) };
  const existing = d.pod.volumes.find((v) => v.name === SHM_VOLUME);
  if (existing) {
    existing.emptyDir = emptyDir;
    return;
  }
  d.pod.volumes.push({ name: SHM_VOLUME, emptyDir });
  (d.container.volumeMounts ??= []).push({ name: SHM_VOLUME, mountPath: '/dev/shm' });
}

function applyCommand(app: NormalizedApp, d: Draft): void {
  // cmd runs through a shell in place of the image's ENTRYPOINT; args keep the ENTRYPOINT and replace CMD.
  if (app.cmd !== undefined) d.container.command = ['/bin/sh', '-c', escapeExpansion(app.cmd)];
  if (app.args !== undefined) d.container.args = app.args.map(escapeExpansion);
}

function applyPull(app: NormalizedApp, d: Draft): void {
  const c = app.container;
  d.container.imagePullPolicy = c?.forcePullImage ? 'Always' : 'IfNotPresent';
  if (c?.pullConfigSecret !== undefined) {
    // The referenced Secret must hold a Docker config.json, i.e. be of type kubernetes.io/dockerconfigjson.
    const ref = secretRef(app, c.pullConfigSecret);
    if (ref) addImagePullSecret(d, ref.name);
  }
  app.fetch.forEach((f, i) => {
    if (!isDockerCredentialUri(f.uri)) return;
    addImagePullSecret(d, DOCKER_CONFIG_SECRET);
    d.notes.push({
      path: `/fetch(${i})`,
      kind: 'approximated',
      message: `registry credentials are not fetched; images are pulled with the imagePullSecret ${DOCKER_CONFIG_SECRET}`,
    });
  });
  if (c?.credential) {
    d.notes.push({
      path: '/container/docker/credential',
      kind: 'approximated',
      message: 'registry principal/secret is not used; give an imagePullSecret (docker.pullConfig) instead',
    });
  }
}

function applyUser(app: NormalizedApp, d: Draft): void {
  if (app.user === undefined) return;
  const uid = uidForUser(app.user);
  if (uid !== undefined) {
    containerSecurityContext(d).runAsUser = uid;
    return;
  }
  d.notes.push({
    path: '/user',
    kind: 'approximated',
    message: `user "${app.user}" is not a numeric uid, which Kubernetes needs; the image's default user is kept`,
  });
}

function applyLinuxInfo(app: NormalizedApp, d: Draft): void {
  const info = app.container?.linuxInfo;
  const seccomp = info?.seccomp;
  if (seccomp?.unconfined) {
    containerSecurityContext(d).seccompProfile = { type: 'Unconfined' };
  } else if (seccomp?.profileName) {
    containerSecurityContext(d).seccompProfile = { type: 'Localhost', localhostProfile: seccomp.profileName };
    d.notes.push({
      path: '/container/linuxInfo/seccomp/profileName',
      kind: 'approximated',
      message: `seccomp profile loaded from the kubelet's seccomp directory as "${seccomp.profileName}"; it must be installed on every node`,
    });
  }
  const ipc = info?.ipcInfo;
  if (ipc?.mode === 'SHARE_PARENT') {
    d.pod.hostIPC = true;
    if (ipc.shmSize !== undefined) {
      d.notes.push({
        path: '/container/linuxInfo/ipcInfo/shmSize',
        kind: 'ignored',
        message: "the node's IPC namespace and /dev/shm are shared, so no size applies",
      });
    }
  } else if (ipc?.shmSize !== undefined && ipc.shmSize > 0) {
    setDevShm(d, mibQuantity(ipc.shmSize));
  }
}

export function applyContainer(app: NormalizedApp, ctx: TranslateContext, d: Draft): void {
  const c = app.container;
  d.container.image = c?.image ?? ctx.defaultImage;
  // Mesos runs commands without an image in the task sandbox.
  if (!c?.image) d.container.workingDir = MESOS_SANDBOX;
  applyCommand(app, d);
  applyPull(app, d);

  if (c?.privileged) {
    if (c.type === 'DOCKER') containerSecurityContext(d).privileged = true;
    else {
      d.notes.push({
        path: '/container/docker/privileged',
        kind: 'ignored',
        message: 'privileged applies only to DOCKER containers; the container runs unprivileged',
      });
    }
  }
  applyUser(app, d);
  if (app.tty) {
    d.container.tty = true;
    d.container.stdin = true;
  }
  if (app.executor !== '' && app.executor !== '//cmd') {
    d.notes.push({
      path: '/executor',
      kind: 'ignored',
      message: `custom executor "${app.executor}" is not run; the container runs the command directly`,
    });
  }
  applyLinuxInfo(app, d);
}
