// What changed since the previous report: which earlier snapshot the month is compared with (the last
// recorded report, else the previous month's last reconciliation), connectors added and removed,
// scope changes between the two crawl runs, findings new / resolved / persisting, and open-finding age.
import type { Db } from '../src/graph/db.ts';
import * as q from '../src/graph/report-queries.ts';
import type { Baseline, ConnectorBrief, FindingItem, ProviderCrawl, ReportModel } from './model-types.ts';
import { severityRank } from './reference.ts';
import { typeLabel } from './text.ts';

export function findBaseline(db: Db, month: string, period: { start: string; end: string }, reconId: number | null): Baseline | null {
  const prev = q.previousReport(db, month, reconId);
  if (prev) {
    return { reportId: prev.id, month: prev.month, generatedAt: prev.generated_at, reconId: prev.recon_id,
      at: prev.recon_id != null ? (q.reconciliationById(db, prev.recon_id)?.finished_at ?? prev.generated_at) : prev.generated_at,
      crawlRuns: parseCrawlRuns(prev.crawl_runs), how: 'previous report' };
  }
  const r = q.latestReconciliationBefore(db, period.start);
  if (r && (reconId === null || r.id < reconId)) {
    return { reportId: null, month: (r.finished_at ?? r.started_at).slice(0, 7), generatedAt: null, reconId: r.id,
      at: r.finished_at ?? r.started_at, crawlRuns: parseCrawlRuns(r.crawl_runs), how: 'previous month reconciliation' };
  }
  return null;
}

interface ChangeInput {
  baseline: Baseline | null;
  crawls: ProviderCrawl[];
  runs: Record<string, number>;
  findings: FindingItem[];
  baseObserved: FindingItem[];
  /** Findings the reconciliation observed as accepted or subsumed: no longer open, but not resolved either. */
  setAsideIds?: Set<string>;
}

export function buildChanges(db: Db, inp: ChangeInput): ReportModel['changes'] {
  const { baseline } = inp;
  const newProviders: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  const scopeChanges: ReportModel['changes']['scopeChanges'] = [];
  if (baseline) {
    for (const c of inp.crawls) {
      const baseRun = baseline.crawlRuns[c.provider];
      if (baseRun === undefined) { newProviders.push(c.provider); continue; }
      if (baseRun === c.runId) continue;
      const changed = q.connectorIdsChangedBetween(db, c.provider, baseRun, c.runId);
      for (const id of changed.added) added.push(id);
      for (const id of changed.removed) removed.push(id);
      for (const s of q.scopeChangesBetween(db, c.provider, baseRun, c.runId)) {
        scopeChanges.push({ runId: s.run_id, at: s.at, provider: s.provider, holder: s.holder_name ?? s.entity_id.split('|')[0]!,
          holderKind: s.holder_kind ?? '', scope: s.scope_name ?? s.entity_id.split('|')[2]!, change: s.change });
      }
    }
  }
  const brief = (ids: string[], removedSide: boolean): ConnectorBrief[] => q.connectorsByIds(db, ids).map((n) => ({
    id: n.id, provider: n.provider, typeLabel: typeLabel(n.type), name: n.name ?? n.id, at: removedSide ? n.removed_at : n.first_seen_at,
  }));
  const currentIds = new Set(inp.findings.map((f) => f.id));
  const resolved = baseline?.reconId != null ? inp.baseObserved.filter((f) => !currentIds.has(f.id) && !inp.setAsideIds?.has(f.id)) : [];
  resolved.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.subject.localeCompare(b.subject));
  const buckets = [['under 30 days', 0, 30], ['30–89 days', 30, 90], ['90–179 days', 90, 180], ['180 days or more', 180, Infinity]] as const;
  return {
    baseline, newProviders,
    newConnectors: brief(added, false), removedConnectors: brief(removed, true), scopeChanges,
    newFindings: inp.findings.filter((f) => f.change === 'new').length,
    persistingFindings: inp.findings.filter((f) => f.change === 'persisting').length,
    resolvedFindings: resolved,
    ageBuckets: buckets.map(([label, lo, hi]) => ({ label, count: inp.findings.filter((f) => f.openDays >= lo && f.openDays < hi).length })),
    oldestOpenDays: inp.findings.length ? Math.max(...inp.findings.map((f) => f.openDays)) : null,
  };
}

/**
 * reconciliations.crawl_runs / reports.crawl_runs: {provider: run id}, {provider: [run ids]} (evidence composed of several
 * runs, one per tenant) or {provider: {run | run_id | id, runs?, ...}} -> provider -> the newest run id (what "as of" reads).
 */
export function parseCrawlRuns(json: string | null): Record<string, number> {
  return Object.fromEntries(Object.entries(parseCrawlRunIds(json)).map(([p, ids]) => [p, ids.at(-1)!]));
}

/** The same -> provider -> every run id, ascending. */
export function parseCrawlRunIds(json: string | null): Record<string, number[]> {
  const raw = JSON.parse(json || '{}') as Record<string, unknown>;
  const out: Record<string, number[]> = {};
  const ids = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : typeof v === 'number' ? [v] : []);
  for (const [p, v] of Object.entries(raw)) {
    const o = typeof v === 'object' && v && !Array.isArray(v) ? v as Record<string, unknown> : null;
    const list = o ? (ids(o.runs).length ? ids(o.runs) : ids(o.run ?? o.run_id ?? o.id)) : ids(v);
    if (list.length) out[p] = [...new Set(list)].sort((a, b) => a - b);
  }
  return out;
}

/** What reports.crawl_runs and report.json record per provider: its run id, or its run ids when it has several. */
export function crawlRunsRecord(crawls: readonly ProviderCrawl[]): Record<string, number | number[]> {
  return Object.fromEntries(crawls.map((c) => [c.provider, c.runIds.length === 1 ? c.runId : c.runIds]));
}
