// The report model: everything a renderer prints, computed once from the graph by buildReportModel.
// Renderers (Markdown, HTML, CSV, JSON) only format it; no renderer queries the database.
import type { Severity } from './reference.ts';
import type { AiAgents, BlastRadius } from './reach-types.ts';

export type SeverityCounts = Record<Severity, number>;

export interface CrawlResourceInfo { tenant: string; resourceType: string; status: string; objects: number; error: string | null }

export interface ProviderCrawl {
  provider: string;
  /** The newest of runIds: what connector and credential figures are read as of. */
  runId: number;
  /** The runs the provider's evidence is composed of (each tenant's latest crawl), ascending: one when a run covered every tenant. */
  runIds: number[];
  /** The oldest run's start (evidence is as old as its oldest part); finishedAt the newest run's end. */
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

import type { Attribution } from '../src/reconcile/attribution.ts';

export interface FindingItem {
  id: string; rule: string; family: string; severity: Severity; provider: string; tenant: string | null;
  subject: string; connector: string; connectorId: string | null; title: string;
  evidence: Record<string, unknown>; evidenceText: string; remediation: string;
  owasp: string[]; nist: string[]; owners: string[]; inventoryId: string | null; matchRule: string | null;
  /**
   * Who must act (src/reconcile/attribution.ts): the active recipients (their e-mails are `owners`, in order), the departed
   * or unresolved people shown as context, and a note when no active owner is known. null for findings from before it was recorded.
   */
  attribution: Attribution | null;
  /** The context, readable: "installed by Tom Berge, departed 2026-10-02". */
  ownerContext: string[];
  /** Kept open without being re-checked — not verifiable (coverage): its provider's crawl was not complete at this reconciliation. */
  carried: boolean;
  firstSeenAt: string; openDays: number;
  /** "Fix these first" (reports/work-list.ts): how far the subject reaches, priority = severity weight × reach factor. */
  reach: FindingReach; priority: number;
  /** first seen + the inventory's sla_days[severity] (YYYY-MM-DD); null when the severity has no SLA. Overdue: past it at asOf. */
  dueDate: string | null; overdue: boolean;
  /** The first recipient's e-mail (who acts), and the inventory entry's approval ticket. */
  ownerEmail: string | null; ticket: string | null;
  /** Object-specific remediation (connectors/<p>/remediation.ts): printed, never run by the tool; null when none is known. */
  action: { consoleUrl: string | null; command: string | null; note: string } | null;
  /** Relative to the previous report: new since then, or still open; null when there is no previous report. */
  change: 'new' | 'persisting' | null;
  /** The inventory acceptance covering it (docs/reconcile.md "Accepted risks"): current (in acceptedRisks) or expired (open again). */
  acceptance?: AcceptanceInfo | null;
}

/** An inventory entry's accepted risk as it applied to a finding at the reconciliation. */
export interface AcceptanceInfo { rule: string; reason: string; ticket: string; expires: string; inventoryId: string; expired: boolean }

/** Reach of a finding's connector (or subject): resources it can access, people who granted it, third-party publisher. */
export interface FindingReach {
  resources: number; tenantWide: boolean; users: number; thirdParty: boolean; vendor: string | null;
  /** The worst privilege at the end of the connector's reach paths (its stored reach summary); null/absent: none known. */
  privilege?: Severity | null;
}

export interface ConnectorItem {
  id: string; provider: string; tenant: string | null; type: string; typeLabel: string; name: string; vendor: string | null;
  /** null when no reconciliation exists (approval unknown). */
  approved: boolean | null; inventoryId: string | null; matchRule: string | null; owners: string[];
  scopeCount: number; credentialCount: number; openFindings: number; worstSeverity: Severity | null;
  firstSeenAt: string; lastSeenAt: string;
  /** What it reaches, in words, from its reach summary ("3 repositories (1 with write), Owner on 1 subscription"); '' when nothing. */
  reach?: string;
  /** The worst privilege at the end of its reach paths; null when none is graded (or no summary was computed). */
  reachPrivilege?: Severity | null;
  /** Its category (src/categories) and how that is known; null when unclassified. */
  category?: string | null; categoryHow?: string | null;
}

export type { BlastRadius, BlastPath, AiAgents, AgentItem } from './reach-types.ts';

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
  /** Open findings in "Fix these first" order (severity × reach; docs/report.md); findings.csv rows follow it. */
  fixFirst: FindingItem[];
  /** The inventory policy the figures use: sla_days and rotation_days (from the reconciliation's inventory, or the defaults). */
  policy: { slaDays: Partial<Record<Severity, number>>; rotationDays: number; source: 'inventory' | 'defaults' };
  /**
   * "Accepted risks": findings an inventory acceptance covers (recorded, not open action items), then open findings whose
   * acceptance expired (acceptance.expired) — each with its reason, ticket and expiry.
   */
  acceptedRisks: FindingItem[];
  families: FamilySection[];
  owners: OwnerView[];
  connectors: ConnectorItem[];
  findings: FindingItem[];
  /** "Blast radius": the top reach paths by the privilege at their end (reports/blast-radius.ts). */
  blastRadius: BlastRadius;
  /** "AI agents with access" (reports/ai-agents.ts). */
  aiAgents: AiAgents;
  appendix: {
    owasp: { id: string; title: string; count: number; rules: string[] }[];
    nist: { id: string; title: string; count: number; rules: string[] }[];
  };
  signOff: { statement: string; fields: string[] };
}
