// Checks key material when a client is built, before anything is sent: a private key (or certificate) that
// does not parse fails the provider at once with a message naming where it came from and the likely fix,
// instead of failing every request later (and being retried). Never echoes the material itself.
import crypto from 'node:crypto';
import { InputError } from '../config/yaml-errors.ts';

export interface KeySource {
  /** How the error names the key and where it came from: "<provider>: the private key in /etc/crawler.pem". */
  what: string;
  /** The likely fix. */
  fix: string;
}

function reason(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.replace(/\s+/g, ' ').slice(0, 120);
}

/** A PEM private key (PKCS#1 or PKCS#8, unencrypted) of the given type; throws InputError otherwise. */
export function checkPrivateKeyPem(pem: string, source: KeySource, type?: 'rsa'): crypto.KeyObject {
  if (!/-----BEGIN ((RSA|EC|ENCRYPTED) )?PRIVATE KEY-----/.test(pem)) {
    throw new InputError(`${source.what} is not a PEM private key (no "-----BEGIN … PRIVATE KEY-----" block): ${source.fix}`);
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new InputError(`${source.what} is not a usable PEM private key (${reason(err)}): ${source.fix}`);
  }
  if (type && key.asymmetricKeyType !== type) {
    throw new InputError(`${source.what} is a ${key.asymmetricKeyType ?? 'unknown'} key, not ${type.toUpperCase()}: ${source.fix}`);
  }
  return key;
}

/** A PEM file holding a certificate and its private key (e.g. client-certificate auth); throws InputError otherwise. */
export function checkCertificateAndKeyPem(pem: string, source: KeySource): void {
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!cert) throw new InputError(`${source.what} holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" block): ${source.fix}`);
  try {
    new crypto.X509Certificate(cert);
  } catch (err) {
    throw new InputError(`${source.what} holds a PEM certificate that does not parse (${reason(err)}): ${source.fix}`);
  }
  const keyBlock = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/.exec(pem)?.[0];
  if (!keyBlock) throw new InputError(`${source.what} holds no PEM private key beside its certificate: ${source.fix}`);
  checkPrivateKeyPem(keyBlock, source);
}
