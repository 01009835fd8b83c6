// `nhi-census db copy` (issue 18 item 5): moves a SQLite graph — nodes, edges, history, runs, findings, reports
// metadata, everything — into a PostgreSQL database at the same schema version, in one PostgreSQL transaction, and
// verifies it before committing: the same row count in every table and the same rows in every view (JSON compared
// as data, aggregated lists as sets: src/graph/view-compare.ts). A failed or unverified copy writes nothing. The
// target must hold no graph yet (a fresh database, or one only migrated); its migration-seeded rows (the database
// identity) are replaced by the source's — the copy is the same graph, moved.
import type { Db } from './db.ts';
import { schemaVersion } from './db.ts';
import { GRAPH_VIEWS } from './views.ts';
import { sameViewRows } from './view-compare.ts';
import { PG_SYNC_IDENTITIES } from './migrations-pg/index.ts';

export interface CopyResult {
  schema: number;
  tables: Array<{ table: string; rows: number }>;
  views: Array<{ view: string; rows: number }>;
}

/** Why the copy cannot start or did not verify (nothing was written). */
export class CopyRefused extends Error {
  constructor(message: string) { super(message); this.name = 'CopyRefused'; }
}

const GRAPH_TABLES_WITH_DATA = ['runs', 'nodes', 'reconciliations'];
const BATCH_PARAMS = 30_000;

/** The first graph table holding rows (`runs: 12 rows`), or null when the database holds no graph yet (fresh or only migrated). */
export function graphHeldBy(db: Db): string | null {
  for (const t of GRAPH_TABLES_WITH_DATA) {
    const n = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${t}`).get()!.n;
    if (n > 0) return `${t}: ${n} rows`;
  }
  return null;
}

export function copyGraph(from: Db, to: Db, progress: (line: string) => void = () => {}): CopyResult {
  const schema = schemaVersion(from);
  if (schemaVersion(to) !== schema) throw new CopyRefused(`schema versions differ: source v${schema}, target v${schemaVersion(to)} (open both with this nhi-census)`);
  const held = graphHeldBy(to);
  if (held) throw new CopyRefused(`the target already holds a graph (${held}): copy into an empty database`);
  const tables = copyOrder(from);
  const targetTables = new Set(to.prepare<[], { t: string }>(`SELECT table_name AS t FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`).pluck().all() as unknown as string[]);
  const missing = tables.filter((t) => !targetTables.has(t));
  if (missing.length) throw new CopyRefused(`the target lacks tables ${missing.join(', ')}`);
  const result: CopyResult = { schema, tables: [], views: [] };
  to.transaction(() => {
    for (const t of [...tables].reverse()) to.exec(`DELETE FROM ${t}`); // children first; a fresh target holds only seeded rows
    for (const t of tables) {
      const rows = copyTable(from, to, t);
      result.tables.push({ table: t, rows });
      progress(`${t}: ${rows} rows`);
    }
    to.exec(PG_SYNC_IDENTITIES);
    for (const { table, rows } of result.tables) {
      const n = to.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
      if (n !== rows) throw new CopyRefused(`${table}: ${rows} rows read, ${n} in the target`);
    }
    for (const v of GRAPH_VIEWS) {
      const a = from.prepare<[], Record<string, unknown>>(`SELECT * FROM ${v}`).all();
      const b = to.prepare<[], Record<string, unknown>>(`SELECT * FROM ${v}`).all();
      const diff = sameViewRows(v, a, b);
      if (diff) throw new CopyRefused(`view ${v} differs after the copy: ${diff}`);
      result.views.push({ view: v, rows: a.length });
    }
  })();
  return result;
}

/** The source's tables, parents before children (foreign keys). */
function copyOrder(from: Db): string[] {
  const names = from.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all().map((r) => r.name);
  const parents = new Map(names.map((t) => [t, (from.pragma(`foreign_key_list(${t})`) as Array<{ table: string }>).map((f) => f.table).filter((p) => p !== t)]));
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string) => { if (seen.has(t)) return; seen.add(t); for (const p of parents.get(t) ?? []) visit(p); out.push(t); };
  for (const t of names) visit(t);
  return out;
}

function copyTable(from: Db, to: Db, table: string): number {
  const cols = (from.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name);
  // edges: SQLite's rowid (the order the snapshot reads edges in) becomes PostgreSQL's edges.seq
  const select = table === 'edges' ? ['rowid AS seq', ...cols] : cols;
  const target = table === 'edges' ? ['seq', ...cols] : cols;
  const per = Math.max(1, Math.min(1000, Math.floor(BATCH_PARAMS / target.length)));
  const row = `(${target.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${table} (${target.map((c) => `"${c}"`).join(', ')}) VALUES `;
  const full = to.prepare(head + Array.from({ length: per }, () => row).join(', '));
  let batch: unknown[] = [];
  let n = 0;
  const flush = (count: number) => {
    if (!count) return;
    (count === per ? full : to.prepare(head + Array.from({ length: count }, () => row).join(', '))).run(...batch);
    batch = [];
  };
  let pending = 0;
  for (const r of from.prepare<[], unknown[]>(`SELECT ${select.join(', ')} FROM ${table}`).raw().iterate()) {
    batch.push(...r);
    n++;
    if (++pending === per) { flush(pending); pending = 0; }
  }
  flush(pending);
  return n;
}
