// Secret hygiene at the boundary: strip credentials from URLs and mask token-shaped strings.
// Adapters call safeUrl/hostOf before anything reaches the graph; every write boundary (graph writer,
// run ledgers, findings, reports, alert payloads) masks with maskText/maskDeep/maskJson, and the logger
// masks every line as a last line of defence.

export const MASK = '[REDACTED]';

// A private key block, or a header with no END line (a truncated paste): the body never contains
// "-----", so each BEGIN scans only up to the next dashes and masking stays linear on hostile input.
const PEM_BODY = '(?:[^-]|-(?!----))*';
const PRIVATE_KEY = new RegExp(`-----BEGIN[A-Z ]*PRIVATE KEY-----(?:${PEM_BODY}-----END[A-Z ]*PRIVATE KEY-----|${PEM_BODY})`, 'g');

// Formats every issuer shares; each provider adds its own token formats (ProviderSpec.secretPatterns,
// connectors/<p>/secret-patterns.ts), registered when its connector loads, and a notifier adds its
// webhook URL shape.
const TOKEN_PATTERNS: RegExp[] = [
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*\b/g, // JWTs
  // an opaque credential after "Bearer"/"token": it needs a run of 16 letters or digits, so names such as
  // "CI token terraform-plan-2025" stay readable in the graph
  /\b(Bearer|token)\s+(?=[A-Za-z0-9_.~+/=-]*?[A-Za-z0-9]{16})[A-Za-z0-9_.~+/=-]{16,}/gi,
  PRIVATE_KEY,
];

/** One regular expression matching wherever any format might: a cheap test before the per-format replaces. */
let anyFormat: RegExp | null | undefined;

/** Adds token formats to mask in every log line, error message and stored text (global regular expressions). */
export function registerSecretPatterns(patterns: readonly RegExp[]): void {
  for (const re of patterns) {
    if (!re.global) throw new Error(`secret pattern ${re} must be global (/g)`);
    if (!TOKEN_PATTERNS.some((p) => p.source === re.source && p.flags === re.flags)) TOKEN_PATTERNS.push(re);
  }
  anyFormat = undefined;
}

/**
 * The alternation of every format, with the union of their i/m/s flags (so it matches at least wherever
 * one of them does), or null when they cannot be combined safely (unicode flags, back-references).
 */
function combined(): RegExp | null {
  if (anyFormat !== undefined) return anyFormat;
  const flags = new Set(TOKEN_PATTERNS.flatMap((p) => [...p.flags]));
  const combinable = !flags.has('u') && !flags.has('v') && !TOKEN_PATTERNS.some((p) => /\\[1-9]|\\k</.test(p.source));
  try {
    anyFormat = combinable ? new RegExp(TOKEN_PATTERNS.map((p) => `(?:${p.source})`).join('|'), [...flags].filter((f) => 'ims'.includes(f)).join('')) : null;
  } catch {
    anyFormat = null;
  }
  return anyFormat;
}

/** `text` with every registered token format replaced by [REDACTED] (the same string when there is none). */
export function maskText(text: string): string {
  const any = combined();
  if (any && !any.test(text)) return text;
  let out = text;
  for (const re of TOKEN_PATTERNS) out = out.replace(re, MASK);
  return out;
}

/** Masks every registered token format, and `extra` (a provider's own, for text it stores). */
export function redactSecrets(text: string, extra: readonly RegExp[] = []): string {
  let out = maskText(text);
  for (const re of extra) out = out.replace(re, MASK);
  return out;
}

/**
 * A JSON-like value with every string in it (object keys included) passed through maskText. Arrays and
 * plain objects are copied only where something changed: an unchanged value comes back as the same
 * reference, so the common case allocates nothing. Other objects (Date, Buffer…) are returned as they are.
 */
export function maskDeep<T>(value: T): T {
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return maskText(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const m = walk(v[i]);
      if (m !== v[i]) (out ??= v.slice())[i] = m;
    }
    return out ?? v;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const mk = maskText(k);
    const mv = walk(o[k]);
    if (!out && (mk !== k || mv !== o[k])) {
      out = {};
      for (let j = 0; j < i; j++) define(out, keys[j]!, o[keys[j]!]);
    }
    if (out) define(out, mk, mv);
  }
  return out ?? o;
}

/** Own enumerable property, even for a key such as "__proto__" (plain assignment would set the prototype). */
function define(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A JSON document with every string in it masked (re-serialised only if something changed); text that is not JSON is masked as text. */
export function maskJson(json: string): string {
  let parsed: unknown;
  try { parsed = JSON.parse(json); } catch { return maskText(json); }
  const masked = maskDeep(parsed);
  return masked === parsed ? json : JSON.stringify(masked);
}

/**
 * A URL with user-info, query string and fragment removed (they may carry secrets), and every path
 * segment that could be a credential (anything but a short lower-case word) masked as '*':
 * webhook URLs such as hooks.slack.com/services/T…/B…/<secret> carry their secret in the path.
 */
export function safeUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    const path = u.pathname.split('/').map((seg) => (seg === '' || /^[a-z][a-z-_.]{0,23}$/.test(seg) ? seg : '*')).join('/');
    return `${u.protocol}//${u.host}${path === '/' ? '' : path}`;
  } catch {
    return null;
  }
}

/** Only the host of a URL: for endpoints whose path itself is a secret (e.g. incoming webhooks). */
export function hostOf(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try { return new URL(raw).hostname.toLowerCase(); } catch { return null; }
}
