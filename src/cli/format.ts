// Renders rows as an aligned text table, CSV (RFC 4180) or JSON for the query, runs, reconcile and crawl
// output. Cells come from providers: control and bidi characters are shown as escapes in the table and
// CSV (src/util/terminal-text.ts), a CSV text cell a spreadsheet would evaluate is prefixed with an
// apostrophe, and JSON keeps exact values with nothing raw a terminal acts on.
import { escapeControls, jsonSafe } from '../util/terminal-text.ts';

export type Row = Record<string, unknown>;

export function renderRows(rows: Row[], format: 'table' | 'csv' | 'json'): string {
  if (format === 'json') return jsonSafe(JSON.stringify(rows, null, 2));
  const cols = rows.length ? Object.keys(rows[0]!) : [];
  if (format === 'csv') return [cols.map(csvCell).join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n');
  if (!rows.length) return '(no rows)';
  const cell = (v: unknown) => { const s = escapeControls(text(v)); return s.length > 80 ? s.slice(0, 77) + '...' : s; };
  const heads = cols.map(cell);
  const widths = cols.map((c, i) => Math.max(heads[i]!.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(heads), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n') + `\n(${rows.length} row${rows.length === 1 ? '' : 's'})`;
}

function text(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** One CSV cell: escaped, formula-neutralised (text only: a number stays a number), quoted when needed. */
export function csvCell(v: unknown): string {
  let s = escapeControls(text(v));
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
