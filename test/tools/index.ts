// The tools the chart and GitOps tests use (helm, gitops-health, the Flux and Argo CD CRDs), built by
// build-tools.sh into a cache outside the repository. The script runs once per process: its progress goes
// to this process's stderr and the last line it prints is the directory holding the tools.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface Tools {
  /** The directory build-tools.sh built into. */
  dir: string;
  helm: string;
  /** test/gitops/health: kstatus (Flux) and Argo CD Lua health verdicts of objects on stdin. */
  gitopsHealth: string;
  crds: {
    /** kustomize.toolkit.fluxcd.io Kustomization. */
    fluxKustomizations: string;
    /** source.toolkit.fluxcd.io GitRepository. */
    fluxGitRepositories: string;
    /** argoproj.io Application. */
    argocdApplications: string;
  };
}

const script = path.resolve(import.meta.dirname, 'build-tools.sh');

let tools: Promise<Tools> | undefined;

/** Builds the tools if the cache does not hold them yet (minutes the first time, instant after). */
export function ensureTools(): Promise<Tools> {
  tools ??= build().catch((err: unknown) => {
    tools = undefined; // a later call tries again
    throw err;
  });
  return tools;
}

function build(): Promise<Tools> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`${script} failed (${signal ?? `exit ${code}`})`));
        return;
      }
      const dir = stdout.trim().split('\n').pop()?.trim();
      if (!dir) {
        reject(new Error(`${script} printed no directory`));
        return;
      }
      const crds = path.join(dir, 'crds');
      resolve({
        dir,
        helm: path.join(dir, 'helm'),
        gitopsHealth: path.join(dir, 'gitops-health'),
        crds: {
          fluxKustomizations: path.join(crds, 'flux-kustomizations.yaml'),
          fluxGitRepositories: path.join(crds, 'flux-gitrepositories.yaml'),
          argocdApplications: path.join(crds, 'argocd-applications.yaml'),
        },
      });
    });
  });
}
