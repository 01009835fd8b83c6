// Shared shapes of the permission risk catalogue: one grade per permission string, with the reason
// and where the grade comes from (docs/risk-catalogue.md §5, sources named per provider file), and the
// credential facts per credential type (§4). Each provider's data: connectors/<provider>/catalogue.ts.
import type { CredentialPolicy } from './credentials.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ScopeGrade { severity: Severity; reason: string; source: string }

/** One provider's catalogue: grade tables by permission string, plus the per-provider normalisation. */
export interface ProviderCatalogue {
  provider: string;
  /** permission string (as the graph names the scope node, normalised by `normalise`) -> grade */
  scopes: Record<string, Omit<ScopeGrade, 'source'>>;
  source: string;
  /** Canonical form of a scope name (e.g. Google's URL prefix stripped); default: as is. */
  normalise?(scope: string): string;
  /** Scopes that approving `scope` also approves (e.g. GitHub 'contents:write' covers 'contents:read'). */
  implies?(scope: string): string[];
  /** Pattern grades for families (e.g. Slack 'admin.*'), tried after the exact table. */
  patterns?: Array<{ test: RegExp; grade: Omit<ScopeGrade, 'source'> }>;
  /** Credential facts for one of this provider's credential types (lower case); undefined: not one of its types. */
  credentialPolicy?(credentialType: string, props: Record<string, unknown>): CredentialPolicy | undefined;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The more severe of two severities. */
export function worse(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}

export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) <= severityRank(threshold);
}

/** One step more (or less) severe, capped at critical / floored at info. */
export function bump(s: Severity, by: number): Severity {
  const i = Math.min(SEVERITIES.length - 1, Math.max(0, severityRank(s) - by));
  return SEVERITIES[i]!;
}
