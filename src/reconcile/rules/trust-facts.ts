// What the federation rules (federation-broad-subject, federation-untrusted-issuer) share: the privilege of the
// identity that trusts a workload — its own permissions and those of its siblings (an Entra application holds the
// federated credential; its service principal holds the roles) — and whether an issuer is a configured one.
import { worse, type Severity } from '../../catalogue/index.ts';
import type { TrustLink } from '../../graph/reconcile-snapshot.ts';
import type { RuleContext } from '../context.ts';

export interface TrustPrivilege { worst: Severity | null; privileged: Array<{ scope: string; severity: Severity }> }

/** The worst grade the trusting connector (or one of its siblings) holds, and its permissions graded high or critical. */
export function trustPrivilege(ctx: RuleContext, holderId: string): TrustPrivilege {
  const holder = ctx.node(holderId);
  if (!holder) return { worst: null, privileged: [] };
  const group = ctx.siblings(holderId);
  const members = group.length ? group : [holder];
  let worst: Severity | null = null;
  const privileged = new Map<string, Severity>();
  for (const m of members) {
    for (const s of ctx.connectorScopes(m.id)) {
      const g = ctx.grade(m.provider, s).severity;
      worst = worst ? worse(worst, g) : g;
      if (g === 'high' || g === 'critical') privileged.set(s, g);
    }
  }
  return { worst, privileged: [...privileged].map(([scope, severity]) => ({ scope, severity })).sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0)) };
}

const trimUrl = (s: string) => s.trim().replace(/\/+$/, '').toLowerCase();

/** Whether the trust's issuer is trusted: named in the config's trust.issuers (URL or kind), or of a registered kind when none is configured. */
export function issuerTrusted(ctx: RuleContext, t: TrustLink): boolean {
  if (!ctx.trustedIssuers) return t.issuerKind !== 'unknown';
  const issuer = t.issuer ? trimUrl(t.issuer) : null;
  return ctx.trustedIssuers.some((x) => x === t.issuerKind || (issuer !== null && trimUrl(x) === issuer));
}

/** The resolved repositories of a trust, by name, for evidence (at most 20, with the count). */
export function repositoriesEvidence(t: TrustLink): { repositories: string[]; repository_count: number } {
  return { repositories: t.repositories.slice(0, 20).map((r) => r.name ?? r.id), repository_count: t.repositories.length };
}
