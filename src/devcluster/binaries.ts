// The control-plane binaries. build-binaries.sh (next to this file) builds them from the Go module proxy
// into a cache dir keyed by version; once built it just prints that dir, so calling this is cheap.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { COMPONENTS } from './config.ts';

export const BUILD_SCRIPT = path.join(import.meta.dirname, 'build-binaries.sh');

/** Every binary the dev cluster and its tests use. */
export const BINARIES = [...COMPONENTS, 'kubectl', 'etcdctl'] as const;

export function hasAllBinaries(dir: string): boolean {
  return BINARIES.every((b) => existsSync(path.join(dir, b)));
}

/**
 * Returns the directory holding the binaries, building them first if needed (20-40 min on 2 cores the
 * first time). `$DCOS_OPERATOR_BIN_DIR` points at prebuilt binaries instead.
 */
export async function ensureBinaries(log: (line: string) => void = () => {}): Promise<string> {
  const preset = process.env.DCOS_OPERATOR_BIN_DIR;
  if (preset) {
    if (!hasAllBinaries(preset))
      throw new Error(`DCOS_OPERATOR_BIN_DIR=${preset} lacks one of ${BINARIES.join(', ')}`);
    return preset;
  }
  const child = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let partial = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    const lines = (partial + c.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) log(l);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (partial) log(partial);
  const dir = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !dir) throw new Error(`${path.basename(BUILD_SCRIPT)} failed (exit ${code})`);
  return dir;
}
