// The run ledger: one row per crawl run and one per (provider, tenant, resource type) it listed,
// with completeness, object counts, API calls, retries, errors and timings. Error texts and summaries
// are stored with every declared token format masked (an error body is provider data), NUL replaced (text-safe.ts).
import os from 'node:os';
import type { Db } from './db.ts';
import { maskDeep, maskText } from '../util/redact.ts';
import { textSafe } from './text-safe.ts';

export type RunStatus = 'running' | 'complete' | 'partial' | 'failed' | 'interrupted';
/** 'running' while listed; then one of src/crawl/status.ts (worst first: failed > partial > unsupported > not_applicable > complete). */
export type ResourceStatus = 'running' | 'complete' | 'partial' | 'failed' | 'unsupported' | 'not_applicable';

export interface ResourceResult {
  provider: string;
  tenant: string;
  resourceType: string;
  status: ResourceStatus;
  listings: number;
  listingsFailed: number;
  objects: number;
  apiCalls: number;
  notModified: number;
  retries: number;
  removed: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** Inventory match keys its listings can produce (src/crawl/resource.ts providedMatchKeys); stored as JSON. */
  provides?: readonly string[] | null;
  /** Informational lines, not errors (e.g. `state from https://old-host discarded: base URL changed`); stored masked. */
  notes?: string | null;
}

export interface RunRow {
  id: number; started_at: string; finished_at: string | null; status: RunStatus; mode: string;
  providers: string; pid: number | null; host: string | null; summary: string | null;
}

export function beginRun(db: Db, opts: { providers: string[]; mode: 'full' | 'incremental'; version: string }): number {
  const info = db.prepare(`INSERT INTO runs (started_at, status, mode, providers, pid, host, tool_version)
      VALUES (?, 'running', ?, ?, ?, ?, ?)`)
    .run(new Date().toISOString(), opts.mode, JSON.stringify(opts.providers), process.pid, os.hostname(), opts.version);
  return Number(info.lastInsertRowid);
}

export function finishRun(db: Db, runId: number, status: RunStatus, summary: unknown): void {
  db.prepare('UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?')
    .run(status, new Date().toISOString(), JSON.stringify(maskDeep(summary)), runId);
}

export function saveResourceResult(db: Db, runId: number, r: ResourceResult): void {
  db.prepare(`INSERT INTO run_resources (run_id, provider, tenant, resource_type, status, listings, listings_failed, objects,
        api_calls, not_modified, retries, removed, error, started_at, finished_at, duration_ms, provides, notes)
      VALUES (@runId, @provider, @tenant, @resourceType, @status, @listings, @listingsFailed, @objects, @apiCalls,
        @notModified, @retries, @removed, @error, @startedAt, @finishedAt, @durationMs, @provides, @notes)
      ON CONFLICT(run_id, provider, tenant, resource_type) DO UPDATE SET status = excluded.status,
        listings = excluded.listings, listings_failed = excluded.listings_failed, objects = excluded.objects,
        api_calls = excluded.api_calls, not_modified = excluded.not_modified, retries = excluded.retries,
        removed = excluded.removed, error = excluded.error, finished_at = excluded.finished_at, duration_ms = excluded.duration_ms,
        provides = coalesce(excluded.provides, run_resources.provides), notes = excluded.notes`)
    .run({ runId, ...r, tenant: textSafe(r.tenant), error: r.error == null ? null : textSafe(maskText(r.error)), provides: r.provides ? JSON.stringify(r.provides) : null,
      notes: r.notes == null ? null : textSafe(maskText(r.notes)) });
}

/**
 * A crawl run whose writer is gone (dead, its lock or job lease taken over, cut off) becomes 'interrupted' and its
 * unfinished listings 'failed' — never complete, so nothing is ever removed on its strength. No transaction of its own:
 * the caller's (a lock takeover, a job requeue) holds it.
 */
export function markRunInterrupted(db: Db, runId: number, at = new Date().toISOString()): void {
  db.prepare("UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE id = ? AND status = 'running'").run(at, runId);
  db.prepare("UPDATE run_resources SET status = 'failed', error = coalesce(error, 'run interrupted') WHERE run_id = ? AND status = 'running'").run(runId);
}

/** Runs left 'running' by a process that no longer exists on this host become 'interrupted'. */
export function markInterruptedRuns(db: Db, isAlive: (pid: number) => boolean = pidAlive): number[] {
  const host = os.hostname();
  const stale = db.prepare<[], { id: number; pid: number | null; host: string | null }>(
    "SELECT id, pid, host FROM runs WHERE status = 'running'").all()
    .filter((r) => r.host === host && (r.pid === null || !isAlive(r.pid)));
  const at = new Date().toISOString();
  db.transaction(() => { for (const r of stale) markRunInterrupted(db, r.id, at); })();
  return stale.map((r) => r.id);
}

export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

export function listRuns(db: Db, limit = 20): RunRow[] {
  return db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit);
}

export function runResources(db: Db, runId: number): ResourceResult[] {
  return db.prepare<[number], ResourceResult>(`SELECT provider, tenant, resource_type AS resourceType, status, listings,
      listings_failed AS listingsFailed, objects, api_calls AS apiCalls, not_modified AS notModified, retries, removed, error,
      started_at AS startedAt, finished_at AS finishedAt, duration_ms AS durationMs, notes
      FROM run_resources WHERE run_id = ? ORDER BY provider, tenant, resource_type`).all(runId);
}

/**
 * Closes a crawl run that stopped because the database could not be written (a full disk): the run
 * 'failed', and each resource row with what was counted (a listing that was not finished counts as failed)
 * or, when those rows no longer fit, at least 'failed' instead of 'running'. Best effort: returns false
 * when the database accepts no write at all (the next run then marks the run interrupted).
 */
export function closeRunFailed(db: Db, runId: number, resources: ResourceResult[], error: string): boolean {
  const at = new Date().toISOString();
  const closeRows = () => {
    db.prepare("UPDATE runs SET status = 'failed', finished_at = coalesce(finished_at, ?) WHERE id = ?").run(at, runId);
    db.prepare("UPDATE run_resources SET status = 'failed', finished_at = coalesce(finished_at, ?), error = coalesce(error, ?) WHERE run_id = ? AND status = 'running'")
      .run(at, textSafe(error.slice(0, 200)), runId);
  };
  try {
    db.transaction(() => {
      for (const r of resources) saveResourceResult(db, runId, r.status === 'complete' || r.status === 'unsupported' || r.status === 'not_applicable' ? r : { ...r, status: 'failed', error: r.error ?? error });
      closeRows();
    })();
    return true;
  } catch { /* no room for the details */ }
  try { db.transaction(closeRows)(); return true; } catch { /* no room at all */ }
  try {
    db.transaction(() => {
      db.prepare("UPDATE runs SET status = 'failed' WHERE id = ?").run(runId);
      db.prepare("UPDATE run_resources SET status = 'failed' WHERE run_id = ? AND status = 'running'").run(runId);
    })();
    return true;
  } catch { return false; }
}
