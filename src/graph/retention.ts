// Retention (`nhi-census prune --keep <months>`): deletes what is older than the window — crawl runs,
// reconciliations, change history, removed graph objects, page-cache rows, the pipeline ledger — while
// keeping everything a monthly report or a finding needs:
//  - every finding row (its evidence), the reconciliation that first saw it and that one's crawl runs;
//  - every recorded report's reconciliation and crawl runs (the `reports` table, migration 005);
//  - the last reconciliation of every calendar month (the report's "latest reconciliation before the
//    month end", its baseline and its six-month trend, which reads one reconciliation per month);
//  - change history after the baseline runs of the first month in the window (scope changes since the
//    previous report), and every graph object present at a kept run or named by kept history/findings.
// Reports of months in the window therefore render identically before and after a prune; older ones
// keep their `reports` row (inputs, file hashes, summary) but not their detailed change history.
import { dialectOf } from './graph-db.ts';
import { sqlFor } from './dialect.ts';
import { forgetUnits } from './reconcile-units.ts';
import type { Db } from './db.ts';

export interface PruneOptions {
  keepMonths: number;
  now?: Date;
  dryRun?: boolean;
  /** VACUUM when at least this share of the file is free pages after the prune (default 0.2); 0 = always. */
  vacuumThreshold?: number;
}

export interface PruneResult {
  cutoff: string;
  deleted: Record<string, number>;
  kept: { runs: number; reconciliations: number };
  vacuumed: boolean;
  bytesBefore: number;
  bytesAfter: number;
}

class DryRun extends Error {}

/** First instant of the month `keepMonths` before the current one (UTC): older data is pruned. */
export function pruneCutoff(keepMonths: number, now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - keepMonths, 1)).toISOString();
}

/** Every run id a crawl_runs record names: {provider: id | [ids] | {run, runs?}} (several per provider when composed per tenant). */
function runsOf(crawlRuns: string | null): number[] {
  try {
    const v = JSON.parse(crawlRuns ?? '{}') as Record<string, unknown>;
    return Object.values(v).flatMap((x) => {
      const o = x && typeof x === 'object' && !Array.isArray(x) ? x as { run?: unknown; runs?: unknown } : null;
      return [o ? o.run : x, ...(o && Array.isArray(o.runs) ? o.runs : Array.isArray(x) ? x : [])];
    }).filter((x): x is number => typeof x === 'number');
  } catch { return []; }
}

/** The database's size: SQLite's pages (in use and free), PostgreSQL's pg_database_size. */
export function dbBytes(db: Db): number {
  if (dialectOf(db) === 'postgres') return db.prepare<[], { n: number }>('SELECT pg_database_size(current_database()) AS n').get()!.n;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return pages * size;
}

/** Size on disk and free pages (SQLite); on PostgreSQL the database's size and no page count (db info). */
export function databaseFacts(db: Db): { bytes: number; freePages: number | null } {
  if (dialectOf(db) === 'postgres') return { bytes: dbBytes(db), freePages: null };
  return { bytes: dbBytes(db), freePages: db.pragma('freelist_count', { simple: true }) as number };
}

export function prune(db: Db, opts: PruneOptions): PruneResult {
  const cutoff = pruneCutoff(opts.keepMonths, opts.now);
  const bytesBefore = dbBytes(db);
  const deleted: Record<string, number> = {};
  let kept = { runs: 0, reconciliations: 0 };
  try {
    db.transaction(() => {
      forgetUnits(db); // history an incremental reconciliation would read may go: the next one is full
      const keepRecons = new Set<number>();
      const keepRuns = new Set<number>();
      const recons = db.prepare<[], { id: number; started_at: string; crawl_runs: string }>(
        "SELECT id, started_at, crawl_runs FROM reconciliations ORDER BY started_at, id").all();
      const lastOfMonth = new Map<string, number>();
      for (const r of recons) {
        if (r.started_at >= cutoff) keepRecons.add(r.id);
        lastOfMonth.set(r.started_at.slice(0, 7), r.id);
      }
      for (const id of lastOfMonth.values()) keepRecons.add(id);
      for (const id of db.prepare("SELECT DISTINCT first_seen_recon FROM findings").pluck().all() as number[]) keepRecons.add(id);
      const reports = db.prepare<[], { month: string; recon_id: number | null; crawl_runs: string }>('SELECT month, recon_id, crawl_runs FROM reports').all();
      for (const rep of reports) {
        if (rep.recon_id !== null) keepRecons.add(rep.recon_id);
        for (const id of runsOf(rep.crawl_runs)) keepRuns.add(id);
      }
      for (const r of recons) if (keepRecons.has(r.id)) for (const id of runsOf(r.crawl_runs)) keepRuns.add(id);
      for (const id of db.prepare("SELECT id FROM runs WHERE started_at >= ? OR status = 'running'").pluck().all(cutoff) as number[]) keepRuns.add(id);
      // The latest finished and the latest usable run of each (provider, tenant) (the current state: evidence is composed
      // per tenant, src/graph/reconcile-snapshot.ts) and the latest run of each mode.
      for (const id of db.prepare(`SELECT max(rr.run_id) FROM run_resources rr JOIN runs r ON r.id = rr.run_id WHERE r.status <> 'running' GROUP BY rr.provider, rr.tenant
          UNION SELECT max(rr.run_id) FROM run_resources rr JOIN runs r ON r.id = rr.run_id WHERE r.status IN ('complete','partial') GROUP BY rr.provider, rr.tenant`)
        .pluck().all() as number[]) keepRuns.add(id);
      for (const id of db.prepare('SELECT max(id) FROM runs GROUP BY mode').pluck().all() as number[]) keepRuns.add(id);

      // Change history is needed after the baseline of the first month in the window: the runs of the
      // latest report / reconciliation before the cutoff (scopeChangesBetween reads run_id > baseline).
      const baseRuns: number[] = [];
      const prevReport = db.prepare<[string], { crawl_runs: string }>("SELECT crawl_runs FROM reports WHERE month < ? ORDER BY month DESC, id DESC LIMIT 1")
        .get(cutoff.slice(0, 7));
      if (prevReport) baseRuns.push(...runsOf(prevReport.crawl_runs));
      const prevRecon = recons.filter((r) => r.started_at < cutoff).at(-1);
      if (prevRecon) baseRuns.push(...runsOf(prevRecon.crawl_runs));
      const firstInWindow = db.prepare("SELECT min(id) FROM runs WHERE started_at >= ?").pluck().get(cutoff) as number | null;
      const historyBoundary = Math.min(...baseRuns, firstInWindow ?? Number.MAX_SAFE_INTEGER) - 1;

      db.exec('CREATE TEMP TABLE IF NOT EXISTS prune_keep_runs (id INTEGER PRIMARY KEY); DELETE FROM prune_keep_runs;' +
        'CREATE TEMP TABLE IF NOT EXISTS prune_keep_recons (id INTEGER PRIMARY KEY); DELETE FROM prune_keep_recons;');
      const insRun = db.prepare(sqlFor(db, { sqlite: 'INSERT OR IGNORE INTO prune_keep_runs (id) VALUES (?)', postgres: 'INSERT INTO prune_keep_runs (id) VALUES (?) ON CONFLICT DO NOTHING' }));
      for (const id of keepRuns) insRun.run(id);
      const insRecon = db.prepare(sqlFor(db, { sqlite: 'INSERT OR IGNORE INTO prune_keep_recons (id) VALUES (?)', postgres: 'INSERT INTO prune_keep_recons (id) VALUES (?) ON CONFLICT DO NOTHING' }));
      for (const id of keepRecons) insRecon.run(id);
      kept = { runs: keepRuns.size, reconciliations: keepRecons.size };

      const del = (name: string, sql: string, ...params: unknown[]) => { deleted[name] = (deleted[name] ?? 0) + db.prepare(sql).run(...params).changes; };
      del('change_log', 'DELETE FROM change_log WHERE run_id <= ? AND at < ?', historyBoundary, cutoff);
      del('reconciliations', 'DELETE FROM reconciliations WHERE started_at < ? AND id NOT IN (SELECT id FROM prune_keep_recons)', cutoff);
      del('inventory_version_entries', `DELETE FROM inventory_version_entries
        WHERE inventory_hash NOT IN (SELECT coalesce(inventory_hash, '') FROM reconciliations)`);
      del('inventory_versions', `DELETE FROM inventory_versions
        WHERE inventory_hash NOT IN (SELECT coalesce(inventory_hash, '') FROM reconciliations)`);
      del('runs', "DELETE FROM runs WHERE started_at < ? AND status <> 'running' AND id NOT IN (SELECT id FROM prune_keep_runs)", cutoff);
      // Removed objects: gone before the window, present at no kept run, named by no kept history or finding.
      const unreferenced = (a: string) => `${a}.removed_run IS NOT NULL AND ${a}.removed_at < @cutoff
          AND NOT EXISTS (SELECT 1 FROM prune_keep_runs k WHERE k.id >= ${a}.first_seen_run AND k.id < ${a}.removed_run)
          AND NOT EXISTS (SELECT 1 FROM change_log l WHERE l.entity_id = ${a}.id)`;
      del('edges', `DELETE FROM edges WHERE id IN (SELECT e.id FROM edges e WHERE ${unreferenced('e')})`, { cutoff });
      del('nodes', `DELETE FROM nodes WHERE id IN (SELECT n.id FROM nodes n WHERE ${unreferenced('n')}
          AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.subject_id = n.id OR f.connector_id = n.id)
          AND NOT EXISTS (SELECT 1 FROM edges e WHERE e.src = n.id OR e.dst = n.id))`, { cutoff });
      // Page cache: an old entry only costs one full fetch of its page.
      del('http_cache', 'DELETE FROM http_cache WHERE fetched_at < ?', cutoff);
      del('pipeline_runs', "DELETE FROM pipeline_runs WHERE started_at < ? AND status <> 'running'", cutoff);
      del('alert_deliveries', 'DELETE FROM alert_deliveries WHERE at < ?', cutoff);
      del('alerted_findings', `DELETE FROM alerted_findings WHERE finding_id IN (SELECT id FROM findings WHERE status = 'resolved' AND resolved_at < ?)`, cutoff);
      db.exec('DROP TABLE prune_keep_runs; DROP TABLE prune_keep_recons;');
      if (opts.dryRun) throw new DryRun();
    }).immediate();
  } catch (err) {
    if (!(err instanceof DryRun)) throw err;
  }
  let vacuumed = false;
  if (!opts.dryRun && dialectOf(db) === 'sqlite') { // PostgreSQL: autovacuum reclaims and analyses on its own
    db.pragma('optimize');
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    if (pages > 0 && free / pages >= (opts.vacuumThreshold ?? 0.2)) {
      db.exec('VACUUM');
      vacuumed = true;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  return { cutoff, deleted, kept, vacuumed, bytesBefore, bytesAfter: dbBytes(db) };
}
