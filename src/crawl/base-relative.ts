// Crawl state that holds a URL — a cached next-page link, a delta link, a resume cursor that embeds a host —
// is kept relative to the configured base URL: its path and query, with the base it was issued for (and, where
// a provider names one, the credential it was issued to). It is resolved against the current base when used,
// so no state ever sends a request to an address the configuration no longer names. State issued for another
// base or credential is discarded for that listing — one informational ledger line (`discardNote`) — and the
// listing falls back to a full, non-conditional listing in the same run.
// Stored forms: http_cache keeps `next` (path and query) beside a `base` column; a crawl_state value is the
// JSON of a StoredUrl (`encodeStoredUrl`). A bare absolute URL (stored by an older version, or left by hand)
// still reads: it counts as issued for its own origin.
import { originOf } from './page-guard.ts';

/** A URL as crawl state keeps it. */
export interface StoredUrl {
  /** The configured base URL the state was issued for (an origin only, for state migrated from absolute URLs). */
  base: string;
  /** Path and query from the origin, beginning with one '/'. */
  rel: string;
  /** A non-secret name of the credential the state was issued to (e.g. the app's client id), when the provider gives one. */
  cred?: string;
}

/** Where state is used now: the configured base URL, and the credential when the provider names one. */
export interface Issuer { base: string; cred?: string }

/** Why state was not used: the listing runs in full. `from` is the address (or credential) it was issued for. */
export interface Discarded { discard: string; from: string }

/** The ledger line of a discarded state: `state from https://old-host discarded: base URL changed`. */
export function discardNote(d: Discarded): string {
  return `state from ${d.from} discarded: ${d.discard}`;
}

/** A base URL compared and recorded the same way however it was written: lower-case host, no default port, no trailing '/', query or fragment. */
export function normalBase(base: string): string {
  const u = new URL(base);
  return `${originOf(u)}${u.pathname.replace(/\/+$/, '')}`;
}

/** `url` (absolute, on the issuer's origin; or a path) as state. Throws for a URL on another origin: it is not this base's. */
export function toStored(url: string, issuer: Issuer): StoredUrl {
  const base = normalBase(issuer.base);
  const u = new URL(url, `${base}/`);
  if (originOf(u) !== originOf(base)) throw new Error(`not on the base URL's origin (${originOf(u)})`);
  return { base, rel: `${u.pathname.replace(/^\/+/, '/')}${u.search}`, ...(issuer.cred !== undefined ? { cred: issuer.cred } : {}) };
}

/** The absolute URL to use now, or why the state is discarded (issued for another base or credential, or unreadable). */
export function resolveStored(stored: StoredUrl, current: Issuer): string | Discarded {
  let from: string;
  try { from = normalBase(stored.base); } catch { return { discard: 'unreadable', from: '(unknown address)' }; }
  const now = normalBase(current.base);
  if (!sameBase(from, now)) return { discard: 'base URL changed', from };
  if (stored.cred !== undefined && current.cred !== undefined && stored.cred !== current.cred) {
    return { discard: 'credential changed', from: `${from} (credential ${stored.cred})` };
  }
  // one leading '/', never '//' (a protocol-relative reference would name another host)
  if (typeof stored.rel !== 'string' || !/^\/(?!\/)/.test(stored.rel)) return { discard: 'unreadable', from };
  const u = new URL(stored.rel, `${originOf(now)}/`);
  if (originOf(u) !== originOf(now)) return { discard: 'unreadable', from };
  return u.toString();
}

/** Whether state recorded as issued for `base` may be used now (null: not recorded by an older version — it names no address, so it is). */
export function checkIssued(base: string | null | undefined, current: Issuer): Discarded | undefined {
  if (base === null || base === undefined) return undefined;
  let from: string;
  try { from = normalBase(base); } catch { return { discard: 'unreadable', from: '(unknown address)' }; }
  return sameBase(from, normalBase(current.base)) ? undefined : { discard: 'base URL changed', from };
}

/** `resolveStored` for a crawl_state value (JSON of a StoredUrl, or a bare absolute URL left by an older version). */
export function resolveStoredValue(value: string, current: Issuer): string | Discarded {
  const stored = decodeStoredUrl(value);
  return stored ? resolveStored(stored, current) : { discard: 'unreadable', from: '(unknown address)' };
}

/** A stored `next` of the page cache (a path, or a bare absolute URL left by an older version) with its row's base (null: not recorded). */
export function resolveCachedNext(next: string, base: string | null | undefined, current: Issuer): string | Discarded {
  if (isAbsolute(next)) return resolveStoredValue(next, current);
  return resolveStored({ base: base ?? current.base, rel: next }, current);
}

export function encodeStoredUrl(s: StoredUrl): string {
  return JSON.stringify(s);
}

/** A crawl_state value as a StoredUrl; a bare absolute URL counts as issued for its origin; undefined when neither. */
export function decodeStoredUrl(value: string): StoredUrl | undefined {
  const v = value.trim();
  if (isAbsolute(v)) {
    try {
      const u = new URL(v);
      return { base: originOf(u), rel: `${u.pathname}${u.search}` };
    } catch { return undefined; }
  }
  try {
    const o = JSON.parse(v) as Partial<StoredUrl> | null;
    if (o && typeof o.base === 'string' && typeof o.rel === 'string') {
      return { base: o.base, rel: o.rel, ...(typeof o.cred === 'string' ? { cred: o.cred } : {}) };
    }
  } catch { /* not JSON */ }
  return undefined;
}

export function isDiscarded(r: string | Discarded): r is Discarded {
  return typeof r !== 'string';
}

function isAbsolute(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(s);
}

/**
 * Same base: equal after normalising; or the stored base is a bare origin (state migrated from an absolute URL,
 * which did not record the configured path) on the current base's origin.
 */
function sameBase(stored: string, current: string): boolean {
  if (stored === current) return true;
  return new URL(stored).pathname === '/' && originOf(stored) === originOf(current);
}
