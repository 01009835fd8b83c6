// The report model: everything a renderer prints, computed once from the graph by buildReportModel.
// Renderers (Markdown, HTML, CSV, JSON) only format it; no renderer queries the database.
import type { Severity } from './reference.ts';

export type SeverityCounts = Record<Severity, number>;

export interface CrawlResourceInfo { tenant: string; resourceType: string; status: string; objects: number; error: string | null }

export interface ProviderCrawl {
  provider: string;
  runId: number;
  startedAt: string;
  finishedAt: string | null;
  runStatus: string;
  /** Worst status of this provider's listings in that run: complete < unsupported < partial < failed (not_applicable counts as complete). */
  completeness: 'complete' | 'unsupported' | 'partial' | 'failed';
  resources: CrawlResourceInfo[];
  /** Listings that did not look at everything: failed, partial, unsupported (not those the plan lacks). */
  incomplete: CrawlResourceInfo[];
  /** Listings the plan or edition does not have (not_applicable): informational, not a blind spot. */
  notApplicable: CrawlResourceInfo[];
  /** The permissions the configured credential uses, one line per grant (or a line saying they are not known). */
  access: string[];
}

/** An approved inventory entry (or other subject) a rule could not check: its listings did not complete. */
export interface NotVerifiableItem {
  rule: string; inventoryId: string | null; name: string; provider: string | null;
  status: 'not verifiable (coverage)';
  /** Which listings did not complete, with their status. */
  reason: string;
}

export interface FindingItem {
  id: string; rule: string; family: string; severity: Severity; provider: string; tenant: string | null;
  subject: string; connector: string; connectorId: string | null; title: string;
  evidence: Record<string, unknown>; evidenceText: string; remediation: string;
  owasp: string[]; nist: string[]; owners: string[]; inventoryId: string | null; matchRule: string | null;
  /** Kept open without being re-checked — not verifiable (coverage): its provider's crawl was not complete at this reconciliation. */
  carried: boolean;
  firstSeenAt: string; openDays: number;
  /** Relative to the previous report: new since then, or still open; null when there is no previous report. */
  change: 'new' | 'persisting' | null;
}

export interface ConnectorItem {
  id: string; provider: string; tenant: string | null; type: string; typeLabel: string; name: string; vendor: string | null;
  /** null when no reconciliation exists (approval unknown). */
  approved: boolean | null; inventoryId: string | null; matchRule: string | null; owners: string[];
  scopeCount: number; credentialCount: number; openFindings: number; worstSeverity: Severity | null;
  firstSeenAt: string; lastSeenAt: string;
}

export interface ConnectorBrief { id: string; provider: string; typeLabel: string; name: string; at: string | null }

export interface ScopeChange { runId: number; at: string; provider: string; holder: string; holderKind: string; scope: string; change: string }

export interface TrendPoint { label: string; reconId: number; at: string; bySeverity: SeverityCounts; open: number; connectors: number }

export interface Baseline {
  reportId: number | null; month: string | null; generatedAt: string | null; reconId: number | null; at: string;
  crawlRuns: Record<string, number>; how: 'previous report' | 'previous month reconciliation';
}

export interface FamilySection { id: string; title: string; why: string; bySeverity: SeverityCounts; findings: FindingItem[] }

export interface OwnerView { owner: string; bySeverity: SeverityCounts; worst: Severity; findings: FindingItem[] }

export interface ReportModel {
  format: 'nhi-census.report/1';
  organisation: string;
  month: string;
  period: { start: string; end: string };
  generatedAt: string;
  /** The moment the figures describe: the reconciliation's (or last crawl's) finish. */
  asOf: string;
  toolVersion: string;
  reconciliation: { id: number; startedAt: string; finishedAt: string | null; inventoryFile: string | null; inventoryHash: string | null } | null;
  crawls: ProviderCrawl[];
  /** Shown first: what the reader must know before trusting the figures (partial crawls, missing inputs). */
  warnings: string[];
  /** Informational coverage lines, outside the warning notice: listings not available on the tenant's plan. */
  notes: string[];
  /** What the reconciliation could not decide for lack of coverage (e.g. approved entries whose listings were refused). */
  notVerifiable: NotVerifiableItem[];
  thresholds: { maxCredentialAgeDays: number; dormantDays: number };
  summary: {
    connectors: {
      total: number; approved: number | null; unapproved: number | null;
      byProvider: { provider: string; total: number; approved: number | null; unapproved: number | null; byType: { type: string; label: string; count: number; approved: number | null }[] }[];
    };
    orphans: { findings: number; connectors: number };
    scopeDrift: { findings: number; connectors: number };
    credentials: { total: number; noExpiry: number; expired: number; olderThanMaxAge: number; static: number; unused: number; findings: number };
    findings: { open: number; bySeverity: SeverityCounts; byFamily: { id: string; title: string; count: number }[]; byProvider: { provider: string; count: number }[] };
  };
  trend: { basis: 'month' | 'reconciliation'; points: TrendPoint[] };
  changes: {
    baseline: Baseline | null;
    newProviders: string[];
    newConnectors: ConnectorBrief[];
    removedConnectors: ConnectorBrief[];
    scopeChanges: ScopeChange[];
    newFindings: number; persistingFindings: number;
    resolvedFindings: FindingItem[];
    ageBuckets: { label: string; count: number }[];
    oldestOpenDays: number | null;
  };
  families: FamilySection[];
  owners: OwnerView[];
  connectors: ConnectorItem[];
  findings: FindingItem[];
  appendix: {
    owasp: { id: string; title: string; count: number; rules: string[] }[];
    nist: { id: string; title: string; count: number; rules: string[] }[];
  };
  signOff: { statement: string; fields: string[] };
}
