// Simulated time for retention tests and the year-of-nights bench: the engine stamps real time, so
// after each simulated night everything that run wrote is moved back to the simulated date.
import type { Db } from '../../src/graph/db.ts';

/** Moves everything one run wrote to the simulated date `at` (the engine stamps real time). */
export function backdate(db: Db, runId: number, reconId: number | undefined, pipelineId: number | null, at: string): void {
  const end = new Date(Date.parse(at) + 60_000).toISOString();
  db.transaction(() => {
    db.prepare('UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?').run(at, end, runId);
    db.prepare('UPDATE run_resources SET started_at = ?, finished_at = ? WHERE run_id = ?').run(at, end, runId);
    db.prepare('UPDATE change_log SET at = ? WHERE run_id = ?').run(at, runId);
    db.prepare('UPDATE http_cache SET fetched_at = ? WHERE run_id = ?').run(at, runId);
    for (const t of ['nodes', 'edges']) {
      db.prepare(`UPDATE ${t} SET first_seen_at = ? WHERE first_seen_run = ?`).run(at, runId);
      db.prepare(`UPDATE ${t} SET last_seen_at = ? WHERE last_seen_run = ?`).run(at, runId);
      db.prepare(`UPDATE ${t} SET removed_at = ? WHERE removed_run = ?`).run(at, runId);
    }
    if (reconId !== undefined) {
      db.prepare('UPDATE reconciliations SET started_at = ?, finished_at = ? WHERE id = ?').run(end, end, reconId);
      db.prepare('UPDATE findings SET first_seen_at = ? WHERE first_seen_recon = ?').run(end, reconId);
      db.prepare('UPDATE findings SET last_seen_at = ? WHERE last_seen_recon = ?').run(end, reconId);
      db.prepare('UPDATE findings SET resolved_at = ? WHERE resolved_recon = ?').run(end, reconId);
    }
    if (pipelineId !== null) db.prepare('UPDATE pipeline_runs SET started_at = ?, finished_at = ? WHERE id = ?').run(at, end, pipelineId);
    db.prepare('UPDATE alert_deliveries SET at = ? WHERE pipeline_run_id = ?').run(end, pipelineId);
  })();
}

