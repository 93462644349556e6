// fetch (and the legacy uris) → an init container that does what the Mesos fetcher did before the task
// started: download each URI into the sandbox, under destPath or the URI's basename, then make it
// executable or extract it into the sandbox. file:// URIs (and plain absolute paths) are files on the
// agent: their directory is mounted read-only and the file copied. Docker credential URIs are not fetched
// (container.ts turns them into an imagePullSecret).
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { FetchUri, NormalizedApp } from '../app.ts';
import { MESOS_SANDBOX } from '../app.ts';
import { isDockerCredentialUri } from './container.ts';
import type { Draft, TranslateContext } from './draft.ts';
import { SANDBOX_VOLUME } from './draft.ts';

export const FETCH_CONTAINER = 'fetch';
/** Where the init container sees the agent directories of file:// URIs (one numbered mount per directory). */
const HOST_FILES_ROOT = '/mnt/dcos-operator/fetch';

/**
 * Arguments: four per URI (source, destination relative to the sandbox, extract 0|1, executable 0|1); the
 * working directory is the sandbox. User strings only ever arrive as arguments, never as script text.
 * Like the Mesos fetcher: executable wins over extract, archives are recognised by the destination's
 * extension and extracted into the sandbox, a plain .gz is decompressed beside itself.
 */
export const FETCH_SCRIPT = `set -eu
while [ "$#" -ge 4 ]; do
  src=$1 dest=./$2 extract=$3 executable=$4
  shift 4
  mkdir -p "\${dest%/*}"
  echo "fetch: $src -> $dest"
  case $src in
    /*) cp "$src" "$dest" ;;
    *) wget -q -O "$dest" "$src" ;;
  esac
  if [ "$executable" = 1 ]; then
    chmod 755 "$dest"
  elif [ "$extract" = 1 ]; then
    case $dest in
      *.tar.gz | *.tgz) tar -xzf "$dest" ;;
      *.tar.bz2 | *.tbz2) tar -xjf "$dest" ;;
      *.tar.xz | *.txz) tar -xJf "$dest" ;;
      *.tar) tar -xf "$dest" ;;
      *.zip) unzip -o -q "$dest" ;;
      *.gz) gunzip -c "$dest" > "\${dest%.gz}" ;;
    esac
  fi
done
`;

/** The agent path of a file:// URI or plain absolute path; undefined for other URIs. */
function localPath(uri: string): string | undefined {
  if (uri.startsWith('/')) return uri;
  if (!/^file:/i.test(uri)) return undefined;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return undefined;
  }
}

/**
 * The Mesos fetcher's output name: the last path segment after the scheme and host. Like Mesos it does not
 * strip a query string (a destPath avoids that).
 */
export function fetchBasename(uri: string): string {
  const scheme = uri.indexOf('://');
  let path = uri;
  if (scheme > 1) {
    const slash = uri.indexOf('/', scheme + 3);
    path = slash < 0 ? '' : uri.slice(slash);
  }
  const base = path.replace(/\/+$/, '');
  return base.slice(base.lastIndexOf('/') + 1) || 'download';
}

function destination(f: FetchUri, local: string | undefined): string {
  const dest = f.destPath?.replace(/^\/+/, '');
  if (dest) return dest;
  return local === undefined ? fetchBasename(f.uri) : local.slice(local.lastIndexOf('/') + 1);
}

export function applyFetch(app: NormalizedApp, ctx: TranslateContext, d: Draft): void {
  const args: string[] = [];
  const mounts: V1VolumeMount[] = [{ name: SANDBOX_VOLUME, mountPath: MESOS_SANDBOX }];
  const hostDirs = new Map<string, string>();
  const taken = new Set(d.pod.volumes.map((v) => v.name));
  const hostVolumes: V1Volume[] = [];

  app.fetch.forEach((f, i) => {
    if (isDockerCredentialUri(f.uri)) return;
    const local = localPath(f.uri);
    let src = f.uri;
    if (local !== undefined) {
      const dir = local.slice(0, local.lastIndexOf('/')) || '/';
      let mountPath = hostDirs.get(dir);
      if (mountPath === undefined) {
        mountPath = `${HOST_FILES_ROOT}/${hostDirs.size}`;
        hostDirs.set(dir, mountPath);
        let name = `fetch-host-${hostDirs.size - 1}`;
        for (let n = 2; taken.has(name); n++) name = `fetch-host-${hostDirs.size - 1}-${n}`;
        taken.add(name);
        hostVolumes.push({ name, hostPath: { path: dir, type: 'Directory' } });
        mounts.push({ name, mountPath, readOnly: true });
      }
      src = `${mountPath}/${local.slice(local.lastIndexOf('/') + 1)}`;
    } else if (!/^(https?|ftp):\/\//i.test(f.uri)) {
      d.notes.push({
        path: `/fetch(${i})/uri`,
        kind: 'ignored',
        message: 'only http, https, ftp and file URIs can be fetched; this one is not downloaded',
      });
      return;
    }
    if (f.cache) {
      d.notes.push({
        path: `/fetch(${i})/cache`,
        kind: 'ignored',
        message: 'there is no fetcher cache: the URI is downloaded for every pod',
      });
    }
    args.push(src, destination(f, local), f.extract ? '1' : '0', f.executable ? '1' : '0');
  });
  if (args.length === 0) return;

  d.pod.volumes.push(...hostVolumes);
  d.initContainers.push({
    name: FETCH_CONTAINER,
    image: ctx.fetchImage,
    command: ['sh', '-c', FETCH_SCRIPT, FETCH_CONTAINER],
    args,
    workingDir: MESOS_SANDBOX,
    volumeMounts: mounts,
  });
}
