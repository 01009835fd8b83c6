// Credential hygiene: a credential (or connector) whose last use is known and older than the dormancy
// window (defaults.dormancy_days, 90 unless set: Entra staleApps 90 d, PCI DSS 8.2.6). Never raised
// where the provider does not report last use. A connector is judged once per integration (an Entra
// application and its service principal): by the most recent use any of them reports.
import type { SnapNode } from '../../graph/reconcile-snapshot.ts';
import { day, parseTime } from '../clock.ts';
import type { RuleContext } from '../context.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { connectorHolder, isEnabled, isExpired, ownersFor, subjectOf } from './util.ts';

export const credentialDormant = defineRule({
  id: 'credential-dormant', family: 'credential-hygiene', severity: 'medium',
  owasp: ['NHI1:2025'], nist: ['ID.AM-08', 'PR.AA-05', 'DE.CM-03'],
  description: 'A credential or connector unused for longer than the dormancy window (defaults.dormancy_days, default 90), where last use is known.',
  remediation: 'Revoke it if nothing needs it any more; otherwise confirm its owner and purpose.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    const max = ctx.inventory.defaults.dormancy_days;
    for (const n of [...ctx.snap.credentials, ...ctx.representatives()]) {
      if (!isEnabled(n) || (n.kind === 'credential' && isExpired(ctx, n))) continue;
      const latest = lastUse(ctx, n);
      const clock = ctx.clock(n.id);
      if (latest === null || !clock.olderThan(latest, max)) continue;
      const e = ctx.entryOf(n.id);
      out.push({ subject: subjectOf(n), connectorId: n.kind === 'connector' ? n.id : connectorHolder(ctx, n.id)?.id ?? null,
        title: `Unused since ${day(latest)} (over ${max} days): ${n.name}`,
        evidence: { kind: n.kind, last_used_at: n.kind === 'connector' ? ctx.siblings(n.id).map((m) => m.props.last_used_at).filter(Boolean).sort().pop() ?? null : n.props.last_used_at,
          dormancy_days: max },
        owners: ownersFor(ctx, n.id), entry: e?.entry ?? null, matchRule: e?.rule ?? null });
    }
    return out;
  },
  // Resolved only on evidence: the subject is gone, disabled or expired, or a last use within the window is
  // known. Last use becoming unknown (a sign-in report the edition no longer serves) proves nothing.
  resolvable(ctx, f) {
    if (f.subject_removed) return true;
    const n = f.subject_id ? ctx.node(f.subject_id) : undefined;
    if (!n) return false; // not in this snapshot: nothing seen either way
    if (!isEnabled(n) || (n.kind === 'credential' && isExpired(ctx, n))) return true;
    const latest = lastUse(ctx, n);
    return latest !== null && !ctx.clock(n.id).olderThan(latest, ctx.inventory.defaults.dormancy_days);
  },
});

/** The most recent readable last use of a credential, or of any member of a connector's integration (epoch ms). */
function lastUse(ctx: RuleContext, n: SnapNode): number | null {
  let latest: number | null = null;
  for (const m of n.kind === 'connector' ? ctx.siblings(n.id) : [n]) {
    const t = parseTime(m.props.last_used_at);
    if (t !== null && (latest === null || t > latest)) latest = t;
  }
  return latest;
}
