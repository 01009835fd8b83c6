// Comparing the rows of one view read from SQLite and from PostgreSQL (db copy's verification; the schema parity
// test): the same rows as a multiset, after the normalisation the two dialects need — JSON columns (jsonb on
// PostgreSQL keeps its own key order and spacing) compared as data, aggregated lists (string_agg vs group_concat,
// whose order SQLite leaves unspecified) compared as sets. Everything else must be equal, numbers and strings included.

type Row = Record<string, unknown>;

/** View columns that hold JSON documents. */
export const JSON_VIEW_COLUMNS: ReadonlySet<string> = new Set(['props', 'grant_props', 'access_props', 'forward_props', 'trust_props', 'entry']);
/** View columns that aggregate a list into one string, by view: the separator. */
export const LIST_VIEW_COLUMNS: Readonly<Record<string, Record<string, string>>> = {
  persons: { providers: ',', reasons: '; ' },
  inventory_owners: { principals: ',' },
};

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Row)[k])]));
  return v;
}

/** The rows of `view` normalised for comparison across the two dialects. */
export function normaliseViewRows(view: string, rows: readonly Row[]): Row[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => {
    if (JSON_VIEW_COLUMNS.has(k) && typeof v === 'string') return [k, JSON.stringify(canonical(JSON.parse(v)))];
    const sep = LIST_VIEW_COLUMNS[view]?.[k];
    if (sep && typeof v === 'string') return [k, v.split(sep).sort().join(sep)];
    return [k, v];
  })));
}

/** null when `a` and `b` hold the same rows of `view` (in any order); otherwise the first difference, in words. */
export function sameViewRows(view: string, a: readonly Row[], b: readonly Row[]): string | null {
  if (a.length !== b.length) return `${a.length} rows in the source, ${b.length} in the target`;
  const key = (rows: readonly Row[]) => normaliseViewRows(view, rows).map((r) => JSON.stringify(r)).sort();
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `source row ${x[i]!.slice(0, 300)} vs target row ${y[i]!.slice(0, 300)}`;
  return null;
}
