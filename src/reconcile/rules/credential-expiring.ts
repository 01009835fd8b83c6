// Credential hygiene: a static credential expires within the warning window (defaults.expiry_warning_days,
// 30 unless set) and its connector holds no replacement yet — an outage, or a rushed rotation, waiting to
// happen (docs/risk-catalogue.md §3 `credential-expiring-soon`: low at 30 days, medium at 7). Credentials the provider rotates
// itself (static: false, e.g. Google-managed keys) are not someone's job and are left out.
import type { SnapNode } from '../../graph/reconcile-snapshot.ts';
import { day, parseTime } from '../clock.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { connectorHolder, isEnabled, isExpired, ownersFor, subjectOf } from './util.ts';

const URGENT_DAYS = 7;
const DAY = 86_400_000;

export const credentialExpiring = defineRule({
  id: 'credential-expiring-soon', family: 'credential-hygiene', severity: 'low',
  owasp: ['NHI7:2025'], nist: ['PR.AA-01'],
  description: `A static credential expires within defaults.expiry_warning_days (30) with no replacement on its connector (medium within ${URGENT_DAYS} days).`,
  remediation: 'Issue the replacement now, move its consumers to it, then revoke this one (renew at least 30 days ahead).',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    const window = ctx.inventory.defaults.expiry_warning_days;
    for (const c of ctx.snap.credentials) {
      if (!isEnabled(c) || isExpired(ctx, c) || c.props.static === false) continue;
      const clock = ctx.clock(c.id);
      // within the window: at most `window` whole days left, i.e. from `window` days before the expiry on
      const inWindow = (k: SnapNode) => { const t = parseTime(k.props.expires_at); return t !== null && clock.reached(t - window * DAY); };
      if (!inWindow(c)) continue;
      const expires = parseTime(c.props.expires_at)!;
      const holder = connectorHolder(ctx, c.id);
      // a rotation under way: the connector already holds another active credential that outlives the window
      const replacement = holder && (ctx.snap.credentialsOf.get(holder.id) ?? []).map((id) => ctx.node(id)).find((k) => k && k.id !== c.id
        && k.kind === 'credential' && isEnabled(k) && !isExpired(ctx, k) && (k.props.expires_at == null || (parseTime(k.props.expires_at) !== null && !inWindow(k))));
      if (replacement) continue;
      const e = ctx.entryOf(c.id);
      out.push({ subject: subjectOf(c), connectorId: holder?.id ?? null,
        severity: clock.reached(expires - URGENT_DAYS * DAY) ? 'medium' : 'low',
        title: `Credential expires on ${day(expires)} with no replacement: ${c.name}`,
        evidence: { credential_type: c.props.credential_type ?? null, expires_at: c.props.expires_at, warning_days: window,
          connector: holder?.name ?? null, replacement: null, last_used_at: c.props.last_used_at ?? null },
        owners: ownersFor(ctx, c.id), entry: e?.entry ?? null, matchRule: e?.rule ?? null });
    }
    return out;
  },
});
