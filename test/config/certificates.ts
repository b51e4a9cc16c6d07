import forge from 'node-forge';

/** PEM files for a TLS test: a CA, a server certificate for `serverName`, a client certificate. */
export interface TestCertificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

function certificate(
  subject: string,
  keys: forge.pki.rsa.KeyPair,
  issuer: { name: string; key: forge.pki.rsa.PrivateKey } | null,
  extensions: object[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  cert.setIssuer([{ name: 'commonName', value: issuer?.name ?? subject }]);
  cert.setExtensions(extensions);
  cert.sign(issuer?.key ?? keys.privateKey, forge.md.sha256.create());
  return cert;
}

/** Made fresh for each test file (2048-bit RSA: a second or two). */
export function makeTestCertificates(serverName: string): TestCertificates {
  const pem = forge.pki.certificateToPem;
  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const ca = certificate('durable-teams test CA', caKeys, null, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  const issuer = { name: 'durable-teams test CA', key: caKeys.privateKey };
  const serverKeys = forge.pki.rsa.generateKeyPair(2048);
  const server = certificate(serverName, serverKeys, issuer, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: serverName }] },
  ]);
  const clientKeys = forge.pki.rsa.generateKeyPair(2048);
  const client = certificate('durable-teams test worker', clientKeys, issuer, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  return {
    caCert: pem(ca),
    serverCert: pem(server),
    serverKey: forge.pki.privateKeyToPem(serverKeys.privateKey),
    clientCert: pem(client),
    clientKey: forge.pki.privateKeyToPem(clientKeys.privateKey),
  };
}
