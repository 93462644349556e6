// A self-signed TLS certificate for the emulator: the SDK refuses bearer tokens over plain http, so the
// emulator speaks https, and clients trust this certificate as their CA.
import { generate } from 'selfsigned';

export interface EmulatorCertificate {
  /** PEM certificate; also what clients pass as their CA. */
  cert: string;
  /** PEM private key. */
  key: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function createEmulatorCertificate(): Promise<EmulatorCertificate> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'aks-emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    // A little in the past, so a client clock slightly behind still accepts it.
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + 365 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
