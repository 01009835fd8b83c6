// Which roles control a cloud scope (docs/risk-catalogue.md §5.11), and which scopes control what a repository's
// workflows run (§5.12): the `privilegedRoles` and `workloadControl` lists of each provider's catalogue
// (connectors/<p>/catalogue.ts), read provider-neutrally — the two ends of a cross-provider escalation. An `owner`-tier role (can change who has access)
// is critical at the end of an escalation path; a `contributor`-tier role (changes every resource, not access) high.
import { catalogueOf } from './registry.ts';
import { gradeScope, normaliseScope } from './index.ts';
import type { PrivilegedRole, Severity } from './types.ts';

export interface PrivilegedRoleGrade extends PrivilegedRole { role: string; severity: Severity; reason: string }

const TIER_SEVERITY: Record<PrivilegedRole['tier'], Severity> = { owner: 'critical', contributor: 'high' };

/** The role's tier, severity and source when its provider's catalogue lists it as privileged; undefined otherwise. */
export function privilegedRole(provider: string, role: string): PrivilegedRoleGrade | undefined {
  const list = catalogueOf(provider)?.privilegedRoles;
  if (!list) return undefined;
  const name = normaliseScope(provider, role);
  const hit = Object.hasOwn(list, name) ? list[name] : Object.hasOwn(list, role) ? list[role] : undefined;
  return hit && { ...hit, role, severity: TIER_SEVERITY[hit.tier], reason: gradeScope(provider, role).reason };
}

/** The most privileged of several roles (owner before contributor; first listed on ties), or undefined. */
export function mostPrivileged(provider: string, roles: readonly string[]): PrivilegedRoleGrade | undefined {
  let best: PrivilegedRoleGrade | undefined;
  for (const r of roles) {
    const g = privilegedRole(provider, r);
    if (g && (!best || (best.tier === 'contributor' && g.tier === 'owner'))) best = g;
  }
  return best;
}

/**
 * The first of `scopes` that controls what a repository's workflows run, per its provider's `workloadControl` list; null
 * when none does; undefined when the catalogue keeps no such list (then any write-class scope counts).
 */
export function workloadControlScope(provider: string, scopes: readonly string[]): string | null | undefined {
  const list = catalogueOf(provider)?.workloadControl;
  if (!list) return undefined;
  return scopes.find((s) => Object.hasOwn(list, normaliseScope(provider, s)) || Object.hasOwn(list, s)) ?? null;
}
