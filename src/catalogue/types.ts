// Shared shapes of the permission risk catalogue: one grade per permission string, with the reason
// and where the grade comes from (docs/risk-catalogue.md §5, sources named per provider file), and the
// credential facts per credential type (§4). Each provider's data: connectors/<provider>/catalogue.ts.
import type { CredentialPolicy } from './credentials.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ScopeGrade { severity: Severity; reason: string; source: string }

/**
 * What a permission lets its holder do, beside its grade (docs/risk-catalogue.md §5.10): `read` only, `write` (change
 * data, post, send), or `admin` (administer the tenant, other identities or access); `broad` names what it reads
 * across the whole tenant when it does ("all mail", "all files", "the directory", "message history") — the notion the
 * ai-agent-excessive-agency rule judges AI connectors by.
 */
export interface ScopeAgency { access: 'read' | 'write' | 'admin'; broad?: string }

/**
 * A role that controls a cloud scope (docs/risk-catalogue.md §5.11): `owner` — can change who has access (grant itself
 * or others any role: Owner, User Access Administrator, roles/owner, roles/iam.securityAdmin…); `contributor` — can
 * change every resource of the scope but not access (Contributor, roles/editor). What cross-provider-escalation ends on.
 */
export interface PrivilegedRole { tier: 'owner' | 'contributor'; source: string }

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
  /** What a permission (normalised) lets its holder do: read / write / admin, and what it reads broadly; undefined: not known. */
  agency?(scope: string): ScopeAgency | undefined;
  /**
   * Scopes that let their holder change what a repository's workflows run (push code, edit workflow files, lift branch or
   * environment protection), each with why (§5.12): a write-class scope not listed here does not cross a trust in
   * cross-provider-escalation. Absent: every write-class scope counts (the `paths` view's CONTROLS).
   */
  workloadControl?: Record<string, string>;
  /** Roles (as CAN_ACCESS props.roles name them, normalised) that control a cloud scope, each with its source (§5.11). */
  privilegedRoles?: Record<string, PrivilegedRole>;
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
