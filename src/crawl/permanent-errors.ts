// Failures no retry can fix, recognised the same way for every provider: an unresolvable host (DNS
// ENOTFOUND), a TLS certificate this process does not trust, a server that does not speak TLS where the URL
// says https. The SDKs bury the Node error a few `cause`s deep (undici's "fetch failed", node-fetch,
// axios, core-rest-pipeline), so the chain is walked. Such a failure — and a credential the provider
// rejects (a policy's `fatal`) — fails the whole provider at once (ProviderFailure): every listing, with
// no further calls. Transient conditions (ECONNRESET, ETIMEDOUT, EAI_AGAIN, 5xx, 429) stay retried.
// EAI_AGAIN ("temporary failure in name resolution": the resolver did not answer) is transient by
// definition and is retried within the normal retry budget; ENOTFOUND (the name does not exist) is not.

/** A provider-wide failure no retry can fix: every later call and listing of the provider fails with it. */
export class ProviderFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) { super(message, options); this.name = 'ProviderFailure'; }
}

/** A network-level error found in an error's cause chain: the errno (or TLS/undici code) and what it said. */
export interface NetworkFault { code: string; message: string }

const HOST = Symbol.for('nhi-census.request-host');
/** Errnos of sockets and name resolution (Node), undici's socket codes, and OpenSSL certificate verdicts. */
const ERRNO = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT',
  'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'EPROTO']);
const TLS_CERT = /^(ERR_TLS_CERT_ALTNAME_INVALID|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE)$/;

function isNetworkCode(code: string): boolean {
  return ERRNO.has(code) || TLS_CERT.test(code) || /^UND_ERR_[A-Z_]+$/.test(code) || /^ERR_SSL_[A-Z0-9_]+$/.test(code);
}

/** The error and everything it wraps (`cause`, AggregateError `errors`, SDK-specific `original`/`error`), outermost first. */
export function errorChain(err: unknown): object[] {
  const out: object[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length && out.length < 16) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    out.push(e);
    const o = e as { cause?: unknown; errors?: unknown; original?: unknown; error?: unknown };
    queue.push(o.cause, o.original);
    if (o.error instanceof Error) queue.push(o.error);
    if (Array.isArray(o.errors)) queue.push(...o.errors.slice(0, 4));
  }
  return out;
}

/** The first network-level error in the chain (ENOTFOUND, ECONNRESET, a certificate error…), if any. */
export function findNetworkFault(err: unknown): NetworkFault | undefined {
  for (const e of errorChain(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && isNetworkCode(code)) {
      return { code, message: String((e as { message?: unknown }).message ?? '').slice(0, 200) };
    }
  }
  return undefined;
}

/** A ProviderFailure anywhere in the chain (an SDK may wrap what the runtime threw). */
export function findProviderFailure(err: unknown): ProviderFailure | undefined {
  return errorChain(err).find((e): e is ProviderFailure => e instanceof ProviderFailure);
}

/** Records which host a request went to on the error (kept if a closer one is already known). */
export function annotateHost<E>(err: E, host: string | undefined): E {
  if (host && err && typeof err === 'object' && !hostOf(err) && Object.isExtensible(err)) {
    Object.defineProperty(err, HOST, { value: host, enumerable: false });
  }
  return err;
}

/** The host a failed request went to: as annotated, or as the Node error names it (getaddrinfo's hostname). */
export function hostOf(err: unknown): string | undefined {
  for (const e of errorChain(err)) {
    const annotated = (e as Record<symbol, unknown>)[HOST];
    if (typeof annotated === 'string') return annotated;
  }
  for (const e of errorChain(err)) {
    const h = (e as { hostname?: unknown }).hostname;
    if (typeof h === 'string' && h) return h;
  }
  return undefined;
}

/** host[:port] of a URL, or undefined. */
export function hostOfUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try { return new URL(url).host || undefined; } catch { return undefined; }
}

/** What a permanent network failure means and how to fix it, or null when the failure is not permanent. */
export function permanentNetworkFailure(err: unknown): string | null {
  const f = findNetworkFault(err);
  if (!f) return null;
  if (f.code === 'ENOTFOUND' || f.code === 'EAI_FAIL') {
    return `host not found (${f.code}: the name does not resolve): check the configured base URL and this machine's DNS`;
  }
  if (TLS_CERT.test(f.code)) {
    return `TLS certificate not trusted (${f.code}: ${f.message}): check the configured URL, or trust the issuing CA (NODE_EXTRA_CA_CERTS) if this is your own endpoint`;
  }
  if (f.code.startsWith('ERR_SSL_') || (f.code === 'EPROTO' && /wrong version number|unknown protocol/i.test(f.message))) {
    return `TLS handshake failed (${f.code}: ${f.message}): the URL says https but the server does not speak TLS there — check the scheme and port`;
  }
  return null;
}

/** "ECONNRESET from api.example.com" for an error message that does not say it yet (e.g. "fetch failed"). */
export function networkDetail(err: unknown, message: string): string | null {
  const f = findNetworkFault(err);
  if (!f) return null;
  const host = hostOf(err);
  const parts = [message.includes(f.code) ? '' : f.code, host && !message.includes(host) ? `${message.includes(f.code) ? '' : 'from '}${host}` : '']
    .filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}
