// What a rule is: data about the rule (id, family, base severity, framework references, remediation)
// and one function from the reconciliation context to the problems it sees. The engine turns those
// into findings with stable ids and lifecycle; rules never touch the database. Why each rule exists, its
// thresholds and their sources: docs/risk-catalogue.md §3, one section per rule id.
import type { Severity } from '../catalogue/index.ts';
import type { OpenFindingKey } from '../graph/findings.ts';
import type { InventoryEntry } from '../inventory/schema.ts';
import type { RuleContext } from './context.ts';

export interface RuleSpec {
  /** Stable kebab-case id (reports and finding ids use it: never rename). */
  id: string;
  family: string;
  /** Base severity; a result may override it with a reason in its evidence. */
  severity: Severity;
  /** OWASP Non-Human Identities Top 10 (2025) ids. */
  owasp: string[];
  /** NIST CSF 2.0 subcategories. */
  nist: string[];
  /** Other frameworks it answers to (OWASP Top 10 for LLM Applications, NIST AI RMF…), as cited in docs/risk-catalogue.md §3. */
  references?: string[];
  remediation: string;
  description: string;
  evaluate(ctx: RuleContext): RuleResult[];
  /**
   * Whether this reconciliation looked completely enough to call an open finding of this rule resolved when
   * evaluate() did not raise it again. Default (src/reconcile/engine.ts): its subject was removed by a complete
   * listing, or every listing of the providers it depends on completed. A rule that knows exactly which listings
   * it needs (e.g. per inventory match key) says so here.
   */
  resolvable?(ctx: RuleContext, finding: OpenFindingKey): boolean;
  /**
   * Its findings quote crawl runs (run ids, change windows): an incremental reconciliation evaluates again the units
   * where one is open whenever a new crawl came, though nothing else about them changed (src/reconcile/incremental.ts).
   */
  quotesCrawlRuns?: boolean;
}

export interface Subject { id: string; name: string; provider: string | null; tenant: string | null }

export interface RuleResult {
  subject: Subject;
  /** What distinguishes two findings of this rule on the same subject (part of the stable id). */
  detail?: string;
  connectorId?: string | null;
  severity?: Severity;
  title: string;
  evidence: Record<string, unknown>;
  remediation?: string;
  entry?: InventoryEntry | null;
  matchRule?: string | null;
  /** Informational: the engine routes every finding through src/reconcile/attribution.ts ("Who must act"). */
  owners?: string[];
  /** Providers whose complete crawl is needed before this finding may be resolved (default: the subject's). */
  dependsOn?: string[];
  /**
   * The rule could not decide about this subject because the listings it needs did not complete (the reason names
   * them): recorded as "not verifiable (coverage)" with the reconciliation, never as a finding.
   */
  notVerifiable?: string;
}

export function defineRule(spec: RuleSpec): RuleSpec {
  return spec;
}
