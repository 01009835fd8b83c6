// The alert digest of one run for one channel: open findings at or above the configured severity that
// this channel has not been told about yet (or was told were resolved, and that came back), findings it was told about that are now resolved (when
// announced), and provider crawls of this run that failed or went partial. Empty digest: nothing sent.
import { atLeast, SEVERITIES, type Severity } from '../catalogue/index.ts';
import type { Db } from '../graph/db.ts';
import { recordAlertedFindings, resolvedAlertedFindings, unalertedOpenFindings, type AlertFindingRow } from '../graph/alerts.ts';
import { escapeControls } from '../util/terminal-text.ts';

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

const toItem = (r: AlertFindingRow): DigestFinding => ({ id: r.id, rule: r.rule, severity: r.severity as Severity, provider: r.provider, subject: r.subject_name,
  title: r.title, remediation: r.remediation, firstSeenAt: r.first_seen_at, owners: safeArray(r.owners) });

const ORDER = `CASE f.severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;

export function buildDigest(db: Db, opts: { channel: string; minSeverity: Severity; announceResolved: boolean; crawlProblems: CrawlProblem[];
  organisation: string; runId: number | null }): Digest {
  const open = unalertedOpenFindings(db, opts.channel, ORDER).filter((r) => atLeast(r.severity as Severity, opts.minSeverity));
  const resolved = opts.announceResolved ? resolvedAlertedFindings(db, opts.channel, ORDER) : [];
  return { organisation: opts.organisation, runId: opts.runId, at: new Date().toISOString(), minSeverity: opts.minSeverity,
    newFindings: open.map(toItem), resolved: resolved.map(toItem), crawlProblems: opts.crawlProblems };
}

/** Remember what a channel has been told, so the next run does not repeat it. */
export function recordAlerted(db: Db, channel: string, d: Digest, deliveryId: number): void {
  recordAlertedFindings(db, channel, deliveryId, d.newFindings, d.resolved.map((f) => f.id));
}

/** One line per finding, for text channels: provider text has its control and bidi characters escaped. */
export function findingLine(f: DigestFinding): string {
  return escapeControls(`[${f.severity}] ${f.provider ?? '-'}: ${f.title} (${f.rule}, ${f.id})`);
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
