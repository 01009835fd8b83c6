// The alert digest of one run for one channel: open findings at or above the configured severity that
// this channel has not been told about yet (or was told were resolved, and that came back), findings it was told about that are now resolved (when
// announced), and provider crawls of this run that failed or went partial. Empty digest: nothing sent.
import { atLeast, SEVERITIES, type Severity } from '../catalogue/index.ts';
import type { Db } from '../graph/db.ts';

export interface DigestFinding {
  id: string; rule: string; severity: Severity; provider: string | null; subject: string | null; title: string;
  remediation: string; firstSeenAt: string; owners: string[];
}
export interface CrawlProblem { provider: string; status: 'failed' | 'partial'; runId: number; errors: string[] }

export interface Digest {
  organisation: string;
  runId: number | null;
  at: string;
  minSeverity: Severity;
  newFindings: DigestFinding[];
  resolved: DigestFinding[];
  crawlProblems: CrawlProblem[];
}

export function isEmpty(d: Digest): boolean {
  return d.newFindings.length + d.resolved.length + d.crawlProblems.length === 0;
}

interface FindingRow { id: string; rule: string; severity: Severity; provider: string | null; subject_name: string | null; title: string;
  remediation: string; first_seen_at: string; owners: string }

const toItem = (r: FindingRow): DigestFinding => ({ id: r.id, rule: r.rule, severity: r.severity, provider: r.provider, subject: r.subject_name,
  title: r.title, remediation: r.remediation, firstSeenAt: r.first_seen_at, owners: safeArray(r.owners) });

const ORDER = `CASE f.severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END, f.rule, f.subject_name, f.id`;

export function buildDigest(db: Db, opts: { channel: string; minSeverity: Severity; announceResolved: boolean; crawlProblems: CrawlProblem[];
  organisation: string; runId: number | null }): Digest {
  const open = db.prepare<[string], FindingRow>(`SELECT id, rule, severity, provider, subject_name, title, remediation, first_seen_at, owners
      FROM findings f WHERE status IN ('new','persisting')
       AND NOT EXISTS (SELECT 1 FROM alerted_findings a WHERE a.finding_id = f.id AND a.channel = ? AND a.resolved_alerted_at IS NULL)
     ORDER BY ${ORDER}`).all(opts.channel)
    .filter((r) => atLeast(r.severity, opts.minSeverity));
  const resolved = opts.announceResolved
    ? db.prepare<[string], FindingRow>(`SELECT f.id, f.rule, f.severity, f.provider, f.subject_name, f.title, f.remediation, f.first_seen_at, f.owners
        FROM findings f JOIN alerted_findings a ON a.finding_id = f.id AND a.channel = ?
       WHERE f.status = 'resolved' AND a.resolved_alerted_at IS NULL ORDER BY ${ORDER}`).all(opts.channel)
    : [];
  return { organisation: opts.organisation, runId: opts.runId, at: new Date().toISOString(), minSeverity: opts.minSeverity,
    newFindings: open.map(toItem), resolved: resolved.map(toItem), crawlProblems: opts.crawlProblems };
}

/** Remember what a channel has been told, so the next run does not repeat it. */
export function recordAlerted(db: Db, channel: string, d: Digest, deliveryId: number): void {
  const at = new Date().toISOString();
  const ins = db.prepare(`INSERT INTO alerted_findings (finding_id, channel, severity, alerted_at, delivery_id) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(finding_id, channel) DO UPDATE SET alerted_at = excluded.alerted_at, delivery_id = excluded.delivery_id, resolved_alerted_at = NULL`);
  const res = db.prepare('UPDATE alerted_findings SET resolved_alerted_at = ? WHERE finding_id = ? AND channel = ?');
  db.transaction(() => {
    for (const f of d.newFindings) ins.run(f.id, channel, f.severity, at, deliveryId);
    for (const f of d.resolved) res.run(at, f.id, channel);
  })();
}

/** One line per finding, for text channels. */
export function findingLine(f: DigestFinding): string {
  return `[${f.severity}] ${f.provider ?? '-'}: ${f.title} (${f.rule}, ${f.id})`;
}

export function headline(d: Digest): string {
  const parts: string[] = [];
  if (d.newFindings.length) parts.push(`${d.newFindings.length} new finding${d.newFindings.length === 1 ? '' : 's'} at or above ${d.minSeverity}`);
  if (d.resolved.length) parts.push(`${d.resolved.length} resolved`);
  if (d.crawlProblems.length) parts.push(`${d.crawlProblems.length} provider crawl${d.crawlProblems.length === 1 ? '' : 's'} incomplete`);
  return `nhi-census — ${d.organisation}: ${parts.join(', ')}`;
}

function safeArray(s: string): string[] {
  try { const v = JSON.parse(s) as unknown; return Array.isArray(v) ? v.map(String) : []; } catch { return []; }
}
