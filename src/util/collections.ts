// Small collection helpers the reach code and its callers share: a list per key, grouping, and the bytewise order
// in which both backends sort text (SQLite's BINARY, PostgreSQL's "C" collation) — never a locale's.

/** Appends `v` to the list kept under `k`. */
export function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}

/** The items by key, each list in the items' order. */
export function groupBy<T>(xs: Iterable<T>, key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) pushTo(m, key(x), x);
  return m;
}

/** Bytewise (UTF-16 code unit) order of two strings, as the database orders ids. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
