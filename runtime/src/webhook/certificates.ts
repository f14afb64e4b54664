import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import forge from "node-forge";

/** A CA and a serving certificate it signed, PEM-encoded. */
export interface SelfSignedCertificates {
  /** The CA certificate: what the API server trusts (the configurations' `caBundle`). */
  readonly caPem: string;
  /** The CA's private key, to sign more certificates with `signedBy`. */
  readonly caKeyPem: string;
  /** The serving certificate (`tls.crt`). */
  readonly certPem: string;
  /** Its private key (`tls.key`). */
  readonly keyPem: string;
}

/** Options of `selfSignedCertificates`. */
export interface SelfSignedOptions {
  /** DNS names and IP addresses the serving certificate is valid for (`127.0.0.1`, `my-webhook.ns.svc`). */
  readonly hosts: readonly string[];
  /** Days of validity (default 365). */
  readonly days?: number;
  /** Sign with this CA instead of a new one (to rotate the serving certificate under the same CA). */
  readonly signedBy?: Pick<SelfSignedCertificates, "caPem" | "caKeyPem">;
  /** The CA's common name (default `kube-codegen-webhook-ca`). */
  readonly caName?: string;
}

const newKeys = (): forge.pki.rsa.KeyPair => {
  // node:crypto makes the key (fast, native); node-forge builds and signs the certificate.
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()),
  };
};

function certificate(subject: string, publicKey: forge.pki.PublicKey, days: number, extensions: object[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial of 16 random bytes (the top bit cleared: serials are signed integers).
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString("hex");
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + days * 86_400_000);
  cert.setSubject([{ name: "commonName", value: subject }]);
  cert.setExtensions(extensions);
  return cert;
}

/**
 * A self-signed CA and a serving certificate for `hosts`, for tests and local runs (in a cluster,
 * let cert-manager issue them). Pure JavaScript: no openssl needed.
 */
export function selfSignedCertificates(options: SelfSignedOptions): SelfSignedCertificates {
  if (options.hosts.length === 0) throw new Error("selfSignedCertificates: give at least one host name or IP address");
  const days = options.days ?? 365;
  let caCert: forge.pki.Certificate;
  let caKey: forge.pki.rsa.PrivateKey;
  if (options.signedBy !== undefined) {
    caCert = forge.pki.certificateFromPem(options.signedBy.caPem);
    caKey = forge.pki.privateKeyFromPem(options.signedBy.caKeyPem);
  } else {
    const keys = newKeys();
    caKey = keys.privateKey;
    caCert = certificate(options.caName ?? "kube-codegen-webhook-ca", keys.publicKey, days, [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: "subjectKeyIdentifier" },
    ]);
    caCert.setIssuer(caCert.subject.attributes);
    caCert.sign(caKey, forge.md.sha256.create());
  }
  const keys = newKeys();
  const altNames = options.hosts.map((h) => (isIP(h) !== 0 ? { type: 7, ip: h } : { type: 2, value: h }));
  const cert = certificate(options.hosts[0] ?? "webhook", keys.publicKey, days, [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.sign(caKey, forge.md.sha256.create());
  return {
    caPem: forge.pki.certificateToPem(caCert),
    caKeyPem: forge.pki.privateKeyToPem(caKey),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}

/** Where `writeCertificates` put the files (the layout of a cert-manager Secret). */
export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

/**
 * Writes `tls.crt`, `tls.key` and `ca.crt` into `dir`, each atomically (a temp file renamed), the
 * key readable by the owner only.
 */
export function writeCertificates(dir: string, certs: Pick<SelfSignedCertificates, "caPem" | "certPem" | "keyPem">): CertificateFiles {
  mkdirSync(dir, { recursive: true });
  const put = (name: string, text: string, mode: number): string => {
    const file = join(dir, name);
    const tmp = join(dir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, file);
    return file;
  };
  return { certFile: put("tls.crt", certs.certPem, 0o644), keyFile: put("tls.key", certs.keyPem, 0o600), caFile: put("ca.crt", certs.caPem, 0o644) };
}
