// Renders rows as an aligned text table, CSV (RFC 4180) or JSON for the query, runs, reconcile and crawl
// output. Cells come from providers: control and bidi characters are shown as escapes in the table and
// CSV (src/util/terminal-text.ts), a CSV text cell a spreadsheet would evaluate is prefixed with an
// apostrophe, and JSON keeps exact values with nothing raw a terminal acts on.
import { escapeControls, jsonSafe } from '../util/terminal-text.ts';

export type Row = Record<string, unknown>;
export type OutputFormat = 'table' | 'csv' | 'json';

/** Rows with their columns in order, positionally: a query's duplicate column names survive (uniqueColumns). */
export interface Table { columns: string[]; rows: unknown[][] }

export function renderRows(rows: Row[], format: OutputFormat): string {
  const columns = rows.length ? Object.keys(rows[0]!) : [];
  return renderTable({ columns, rows: rows.map((r) => columns.map((c) => r[c])) }, format);
}

export function renderTable({ columns: cols, rows }: Table, format: OutputFormat): string {
  if (format === 'json') return jsonSafe(jsonRows(cols, rows));
  if (format === 'csv') return [cols.map(csvCell).join(','), ...rows.map((r) => cols.map((_, i) => csvCell(r[i])).join(','))].join('\n');
  if (!rows.length) return '(no rows)';
  const cell = (v: unknown) => { const s = escapeControls(text(v)); return s.length > 80 ? s.slice(0, 77) + '...' : s; };
  const heads = cols.map(cell);
  const widths = cols.map((_, i) => Math.max(heads[i]!.length, ...rows.map((r) => cell(r[i]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(heads), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((_, i) => cell(r[i]))))].join('\n') + `\n(${rows.length} row${rows.length === 1 ? '' : 's'})`;
}

/**
 * Column names made unique the way a reader can follow: the first `a` stays `a`, later ones are `a:1`, `a:2`…
 * (skipping a name the result already has), so `select 1 as a, 2 as a` loses no column in any format.
 */
export function uniqueColumns(names: string[]): string[] {
  const original = new Set(names);
  const used = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 1; used.has(unique); n++) {
      unique = `${name}:${n}`;
      if (original.has(unique)) unique = name; // taken by a column of its own: try the next number
    }
    used.add(unique);
    return unique;
  });
}

/** JSON.stringify(rows, null, 2) for positional rows, keys in column order (a numeric name does not jump ahead). */
function jsonRows(cols: string[], rows: unknown[][]): string {
  if (!rows.length) return '[]';
  const value = (v: unknown) => (JSON.stringify(v ?? null, null, 2) ?? 'null').replace(/\n/g, '\n    ');
  const object = (r: unknown[]) => (cols.length ? `{\n${cols.map((c, i) => `    ${JSON.stringify(c)}: ${value(r[i])}`).join(',\n')}\n  }` : '{}');
  return `[\n${rows.map((r) => `  ${object(r)}`).join(',\n')}\n]`;
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
