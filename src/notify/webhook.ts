// Generic JSON webhook: the digest as JSON, signed with HMAC-SHA256 so the receiver can check it came
// from us and was not replayed. Headers:
//   X-Nhi-Census-Timestamp: <unix seconds>
//   X-Nhi-Census-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
//   X-Nhi-Census-Delivery:  <uuid, the same across retries of one delivery: use it to de-duplicate>
// Verification (docs/operations.md): recompute over the raw body bytes, compare in constant time,
// reject timestamps more than 5 minutes old.
import crypto from 'node:crypto';
import type { Digest } from './digest.ts';

export const SIGNATURE_HEADER = 'x-nhi-census-signature';
export const TIMESTAMP_HEADER = 'x-nhi-census-timestamp';
export const DELIVERY_HEADER = 'x-nhi-census-delivery';

export function webhookBody(d: Digest): string {
  return JSON.stringify({ format: 'nhi-census.alert/1', ...d });
}

export function sign(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signedHeaders(secret: string, body: string, deliveryId: string, now = Date.now()): Record<string, string> {
  const ts = String(Math.floor(now / 1000));
  return { 'content-type': 'application/json', [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: sign(secret, ts, body), [DELIVERY_HEADER]: deliveryId };
}

/** What a receiver does: true if the signature matches the raw body and the timestamp is fresh. */
export function verifySignature(secret: string, rawBody: string | Buffer, timestamp: string | undefined, signature: string | undefined,
  toleranceSeconds = 300, now = Date.now()): boolean {
  if (!timestamp || !signature) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, timestamp, rawBody.toString()));
  const given = Buffer.from(signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
