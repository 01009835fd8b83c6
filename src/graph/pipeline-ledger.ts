// The ledger of `nhi-census run` (migration 006): one pipeline_runs row per invocation, one run_steps
// row per step (lock, crawl, reconcile, report, notify, metrics) with what it did, and the queries the
// pipeline decides with (when was the last full crawl of a provider, is a month's report written).
// Details, errors and summaries are stored with every declared token format masked (errors NUL-free: text-safe.ts).
import os from 'node:os';
import type { Db } from './db.ts';
import { maskDeep, maskText } from '../util/redact.ts';
import { textSafe } from './text-safe.ts';
import { markRunInterrupted } from './runs.ts';

export type StepName = 'lock' | 'crawl' | 'reconcile' | 'report' | 'notify' | 'metrics';
export type StepStatus = 'running' | 'complete' | 'partial' | 'failed' | 'skipped' | 'interrupted';
export type PipelineStatus = 'running' | 'complete' | 'partial' | 'failed' | 'interrupted';

export interface PipelineRow { id: number; started_at: string; finished_at: string | null; status: PipelineStatus; exit_code: number | null;
  pid: number | null; host: string | null; options: string; crawl_run_id: number | null; recon_id: number | null; report_id: number | null; summary: string | null }
export interface StepRow { pipeline_run_id: number; step: StepName; status: StepStatus; started_at: string; finished_at: string | null; detail: string | null; error: string | null }

export function beginPipeline(db: Db, options: unknown): number {
  return Number(db.prepare(`INSERT INTO pipeline_runs (started_at, status, pid, host, options) VALUES (?, 'running', ?, ?, ?)`)
    .run(new Date().toISOString(), process.pid, os.hostname(), JSON.stringify(maskDeep(options))).lastInsertRowid);
}

export function updatePipeline(db: Db, id: number, fields: { crawl_run_id?: number; recon_id?: number; report_id?: number }): void {
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined) db.prepare(`UPDATE pipeline_runs SET ${k} = ? WHERE id = ?`).run(v, id);
  }
}

export function finishPipeline(db: Db, id: number, status: PipelineStatus, exitCode: number, summary: unknown): void {
  db.prepare('UPDATE pipeline_runs SET status = ?, exit_code = ?, finished_at = ?, summary = ? WHERE id = ?')
    .run(status, exitCode, new Date().toISOString(), JSON.stringify(maskDeep(summary)), id);
}

export function startStep(db: Db, id: number, step: StepName): void {
  db.prepare(`INSERT INTO run_steps (pipeline_run_id, step, status, started_at) VALUES (?, ?, 'running', ?)
      ON CONFLICT(pipeline_run_id, step) DO UPDATE SET status = 'running', started_at = excluded.started_at, finished_at = NULL`)
    .run(id, step, new Date().toISOString());
}

export function endStep(db: Db, id: number, step: StepName, status: StepStatus, detail: unknown, error?: string | null): void {
  db.prepare(`INSERT INTO run_steps (pipeline_run_id, step, status, started_at, finished_at, detail, error) VALUES (@id, @step, @status, @at, @at, @detail, @error)
      ON CONFLICT(pipeline_run_id, step) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at, detail = excluded.detail, error = excluded.error`)
    .run({ id, step, status, at: new Date().toISOString(), detail: JSON.stringify(maskDeep(detail ?? null)), error: error ? textSafe(maskText(error)) : null });
}

export function listPipelines(db: Db, limit = 20): PipelineRow[] {
  return db.prepare<[number], PipelineRow>('SELECT * FROM pipeline_runs ORDER BY id DESC LIMIT ?').all(limit);
}

export function stepsOf(db: Db, id: number): StepRow[] {
  return db.prepare<[number], StepRow>('SELECT * FROM run_steps WHERE pipeline_run_id = ? ORDER BY started_at, step').all(id);
}

/** Start time of the latest full crawl of `provider` that completed or went partial (ISO), if any. */
export function lastFullCrawl(db: Db, provider: string): string | undefined {
  return (db.prepare(`SELECT max(r.started_at) FROM runs r WHERE r.mode = 'full' AND r.status IN ('complete','partial')
      AND EXISTS (SELECT 1 FROM run_resources rr WHERE rr.run_id = r.id AND rr.provider = ?)`).pluck().get(provider) as string | null) ?? undefined;
}

export function reportExists(db: Db, month: string): boolean {
  return db.prepare('SELECT 1 FROM reports WHERE month = ?').get(month) !== undefined;
}

/** Anything (a crawl) finished before `before` (ISO): a month with no data gets no report. */
export function finishedRunBefore(db: Db, before: string): boolean {
  return db.prepare("SELECT 1 FROM runs WHERE status IN ('complete','partial') AND started_at < ? LIMIT 1").get(before) !== undefined;
}

/** The crawl run this process has in progress (beginRun happens synchronously when a crawl starts). */
export function runningRunOf(db: Db, pid = process.pid): number | undefined {
  return (db.prepare("SELECT max(id) FROM runs WHERE status = 'running' AND pid = ? AND host = ?").pluck().get(pid, os.hostname()) as number | null) ?? undefined;
}

/** Mark this process's running crawl interrupted (used when in-flight requests outlast the grace period). */
export function interruptRun(db: Db, runId: number): void {
  db.transaction(() => markRunInterrupted(db, runId))();
}

/**
 * A pipeline run that stopped on an error: its steps still 'running' and the run itself become 'failed'
 * with `exitCode` and the error. Best effort, with a smaller update when the details no longer fit (a full
 * disk); returns false when the database accepts no write at all.
 */
export function closePipelineFailed(db: Db, id: number, exitCode: number, error: string): boolean {
  const at = new Date().toISOString();
  const text = textSafe(maskText(error)).slice(0, 500);
  try {
    db.transaction(() => {
      db.prepare("UPDATE run_steps SET status = 'failed', finished_at = ?, error = coalesce(error, ?) WHERE pipeline_run_id = ? AND status = 'running'").run(at, text, id);
      db.prepare("UPDATE pipeline_runs SET status = 'failed', exit_code = ?, finished_at = ?, summary = ? WHERE id = ?").run(exitCode, at, JSON.stringify({ error: text }), id);
    })();
    return true;
  } catch { /* no room for the details */ }
  try {
    db.transaction(() => {
      db.prepare("UPDATE run_steps SET status = 'failed' WHERE pipeline_run_id = ? AND status = 'running'").run(id);
      db.prepare("UPDATE pipeline_runs SET status = 'failed', exit_code = ? WHERE id = ?").run(exitCode, id);
    })();
    return true;
  } catch { return false; }
}
