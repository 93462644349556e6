import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createEmulatorCertificate } from './certificate.ts';

describe('aks emulator certificate', () => {
  it('is valid for 127.0.0.1 and localhost for about a year, with its key', async () => {
    const { cert, key } = await createEmulatorCertificate();
    const x509 = new X509Certificate(cert);
    assert.equal(x509.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(x509.checkHost('localhost'), 'localhost');
    assert.equal(x509.checkHost('example.com'), undefined);
    const days = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / 86_400_000;
    assert.ok(days >= 365 && days <= 367, String(days));
    assert.ok(Date.parse(x509.validFrom) < Date.now());
    assert.ok(x509.checkPrivateKey(createPrivateKey(key)));
    assert.ok(x509.verify(x509.publicKey), 'self-signed');
  });
});
