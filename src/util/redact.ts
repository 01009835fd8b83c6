// Secret hygiene at the boundary: strip credentials from URLs and mask token-shaped strings.
// Adapters call safeUrl/hostOf before anything reaches the graph; the logger masks as a last line of defence.

// Formats every issuer shares; each provider adds its own token formats (ProviderSpec.secretPatterns),
// registered when its connector loads, and a notifier adds its webhook URL shape.
const TOKEN_PATTERNS: RegExp[] = [
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*\b/g, // JWTs
  /\b(Bearer|token)\s+[A-Za-z0-9_.~+/=-]{12,}/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

/** Adds token formats to mask in every log line and error message (global regular expressions). */
export function registerSecretPatterns(patterns: readonly RegExp[]): void {
  for (const re of patterns) {
    if (!re.global) throw new Error(`secret pattern ${re} must be global (/g)`);
    if (!TOKEN_PATTERNS.some((p) => p.source === re.source && p.flags === re.flags)) TOKEN_PATTERNS.push(re);
  }
}

/** Masks every registered token format, and `extra` (a provider's own, for text it stores). */
export function redactSecrets(text: string, extra: readonly RegExp[] = []): string {
  let out = text;
  for (const re of TOKEN_PATTERNS) out = out.replace(re, '[REDACTED]');
  for (const re of extra) out = out.replace(re, '[REDACTED]');
  return out;
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
