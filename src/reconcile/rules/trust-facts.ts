// What the federation rules (federation-broad-subject, federation-untrusted-issuer) share: the privilege of the
// identity that trusts a workload — its own permissions and those of its siblings (an Entra application holds the
// federated credential; its service principal holds the roles) — whether an issuer is a configured one, and who
// holds each trust: a connector, or a trusting credential no connector holds and whose workloads act as none crawled
// (then the credential itself is the subject: an external trust to review).
import { worse, type Severity } from '../../catalogue/index.ts';
import type { SnapNode, TrustLink } from '../../graph/reconcile-snapshot.ts';
import type { RuleContext } from '../context.ts';
import { compareText } from '../../util/collections.ts';

/**
 * Every holder of trusts that admit tokens now (a TRUSTS edge marked enabled false — a disabled pool or provider —
 * admits none): the connectors first, in the snapshot's order, then the credentials holding trusts themselves.
 */
export function trustHolders(ctx: RuleContext): Array<{ holder: SnapNode; trusts: TrustLink[] }> {
  const out: Array<{ holder: SnapNode; trusts: TrustLink[] }> = [];
  const live = (id: string) => (ctx.snap.trustsOf.get(id) ?? []).filter((t) => t.enabled);
  for (const c of ctx.snap.connectors) {
    const trusts = live(c.id);
    if (trusts.length) out.push({ holder: c, trusts });
  }
  for (const id of ctx.snap.trustsOf.keys()) {
    const n = ctx.node(id);
    if (n?.kind !== 'credential') continue;
    const trusts = live(id);
    if (trusts.length) out.push({ holder: n, trusts });
  }
  return out;
}

/** How the holder comes to trust: through which credential and access it is acted as, or, for a credential, that no crawled identity does. */
export function holdingEvidence(ctx: RuleContext, holder: SnapNode, t: TrustLink): Record<string, unknown> {
  if (t.actsThrough) {
    const a = t.actsThrough;
    return { acts_through: { credential: ctx.node(a.credentialId)?.name ?? a.credentialId, credential_id: a.credentialId,
      resource: a.resourceName ?? a.resourceId, resource_id: a.resourceId, roles: a.roles } };
  }
  return holder.kind === 'credential' ? { external_trust: true, acts_as: null, note: 'no crawled identity is acted as through this trust: review it as an external trust' } : {};
}

/** The title's name for the holder: the connector, or the credential marked as acting as no crawled identity. */
export function holderLabel(holder: SnapNode): string {
  return holder.kind === 'credential' ? `${holder.name} (no crawled identity acts through it)` : holder.name;
}

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
  return { worst, privileged: [...privileged].map(([scope, severity]) => ({ scope, severity })).sort((a, b) => compareText(a.scope, b.scope)) };
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
