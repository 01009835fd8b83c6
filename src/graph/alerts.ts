// Named queries of the alerting ledger (migration 006): which open findings a channel has not been told
// about, which resolved ones it can be told about, what was alerted, and each delivery attempt
// (its response and error stored with every declared token format masked, NUL replaced: text-safe.ts).
import type { Db } from './db.ts';
import { nullsFirst } from './dialect.ts';
import { maskText } from '../util/redact.ts';
import { textSafe } from './text-safe.ts';

export interface AlertFindingRow {
  id: string; rule: string; severity: string; provider: string | null; subject_name: string | null; title: string;
  remediation: string; first_seen_at: string; owners: string;
}


/** `severityOrder`: SQL CASE expression over f.severity giving the sort rank (most severe first). */
export function unalertedOpenFindings(db: Db, channel: string, severityOrder: string): AlertFindingRow[] {
  return db.prepare<[string], AlertFindingRow>(`SELECT id, rule, severity, provider, subject_name, title, remediation, first_seen_at, owners
      FROM findings f WHERE status IN ('new','persisting')
       AND NOT EXISTS (SELECT 1 FROM alerted_findings a WHERE a.finding_id = f.id AND a.channel = ? AND a.resolved_alerted_at IS NULL)
     ORDER BY ${severityOrder}, f.rule, f.subject_name${nullsFirst(db)}, f.id`).all(channel);
}

export function resolvedAlertedFindings(db: Db, channel: string, severityOrder: string): AlertFindingRow[] {
  return db.prepare<[string], AlertFindingRow>(`SELECT f.id, f.rule, f.severity, f.provider, f.subject_name, f.title, f.remediation, f.first_seen_at, f.owners
        FROM findings f JOIN alerted_findings a ON a.finding_id = f.id AND a.channel = ?
       WHERE f.status = 'resolved' AND a.resolved_alerted_at IS NULL ORDER BY ${severityOrder}, f.rule, f.subject_name${nullsFirst(db)}, f.id`).all(channel);
}

/** Remember what a channel has been told (new findings alerted, resolved ones announced), in one transaction. */
export function recordAlertedFindings(db: Db, channel: string, deliveryId: number, alerted: Array<{ id: string; severity: string }>, resolvedIds: string[]): void {
  const at = new Date().toISOString();
  const ins = db.prepare(`INSERT INTO alerted_findings (finding_id, channel, severity, alerted_at, delivery_id) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(finding_id, channel) DO UPDATE SET alerted_at = excluded.alerted_at, delivery_id = excluded.delivery_id, resolved_alerted_at = NULL`);
  const res = db.prepare('UPDATE alerted_findings SET resolved_alerted_at = ? WHERE finding_id = ? AND channel = ?');
  db.transaction(() => {
    for (const f of alerted) ins.run(f.id, channel, f.severity, at, deliveryId);
    for (const id of resolvedIds) res.run(at, id, channel);
  })();
}

export interface DeliveryRecord {
  pipelineRunId: number | null; channel: string; status: string; attempts: number; response: string | null; error: string | null;
  newFindings: number; resolvedFindings: number; crawlProblems: number;
}

/** One delivery attempt series of a digest to a channel; returns its id. */
export function recordDelivery(db: Db, d: DeliveryRecord): number {
  const info = db.prepare(`INSERT INTO alert_deliveries (pipeline_run_id, channel, status, attempts, response, error, new_findings, resolved_findings, crawl_problems, at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(d.pipelineRunId, d.channel, d.status, d.attempts, d.response && textSafe(maskText(d.response)), d.error && textSafe(maskText(d.error)),
    d.newFindings, d.resolvedFindings, d.crawlProblems, new Date().toISOString());
  return Number(info.lastInsertRowid);
}
