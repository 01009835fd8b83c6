// Text both backends store alike: U+0000 (NUL) becomes U+FFFD (the replacement character). PostgreSQL refuses NUL in
// text columns and the escape \u0000 in jsonb, where SQLite stores either as given; a hostile or broken provider
// object carrying one would fail its page on PostgreSQL only. The graph writer (writer.ts) and the ledgers that
// keep provider text (run_resources, run_steps) pass every string through here — names, ids (everywhere an id is
// stored or looked up, so edges, parents, scopes and removals still meet their nodes), props keys and values,
// crawl state, error texts — so SQLite and PostgreSQL hold the same rows. Idempotent; strings without NUL are kept.

const NUL = '\u0000';
export const NUL_REPLACEMENT = '\uFFFD';

/** `s` with every NUL replaced (the same string when it has none). */
export function textSafe(s: string): string {
  return s.includes(NUL) ? s.replaceAll(NUL, NUL_REPLACEMENT) : s;
}

/** textSafe of a string that may be absent. */
export function textSafeOrNull<T extends string | null | undefined>(s: T): T {
  return (typeof s === 'string' ? textSafe(s) : s) as T;
}

/** A JSON-like value with NUL replaced in every string and object key (a new value where anything changed). */
export function textSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return textSafe(value) as T;
  if (Array.isArray(value)) return value.map(textSafeDeep) as T;
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value; // Date and the like: as maskDeep, kept
  // Object.fromEntries defines own properties, "__proto__" included
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [textSafe(k), textSafeDeep(v)])) as T;
}

/** Whether JSON text (JSON.stringify's) may hold a NUL: its escape, a cheap test before walking the value. */
export const jsonMayHoldNul = (json: string): boolean => json.includes('\\u0000');
