// Credentials a dev cluster needs before kube-apiserver starts: the ServiceAccount token signing key pair
// and a static token file with one admin token. Both are created once and kept, so a restarted API server
// still accepts every token it issued before.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Layout } from './layout.ts';

export const ADMIN_USER = 'admin';

/** One line of kube-apiserver's --token-auth-file: token,user,uid,"group1,group2". */
export function tokenFileLine(token: string, user: string, groups: string[]): string {
  return `${token},${user},${user},"${groups.join(',')}"\n`;
}

/** The token of the first line of a token file. */
export function parseAdminToken(tokenFile: string): string {
  const token = tokenFile.split(',', 1)[0]?.trim();
  if (!token) throw new Error('token file has no token');
  return token;
}

export async function ensureCredentials(files: Layout): Promise<{ token: string }> {
  await mkdir(files.pkiDir, { recursive: true, mode: 0o700 });
  if (!existsSync(files.saPrivateKey) || !existsSync(files.saPublicKey)) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    await writeFile(files.saPrivateKey, privateKey, { mode: 0o600 });
    await writeFile(files.saPublicKey, publicKey);
  }
  if (!existsSync(files.tokenFile)) {
    const token = randomBytes(24).toString('hex');
    await writeFile(files.tokenFile, tokenFileLine(token, ADMIN_USER, ['system:masters']), { mode: 0o600 });
  }
  return { token: await readAdminToken(files) };
}

export async function readAdminToken(files: Layout): Promise<string> {
  return parseAdminToken(await readFile(files.tokenFile, 'utf8'));
}

export async function readCaPem(files: Layout): Promise<string> {
  return readFile(files.apiserverCert, 'utf8');
}
