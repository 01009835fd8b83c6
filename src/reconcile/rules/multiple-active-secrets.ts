// Credential hygiene: a connector holding several active static secrets at once (a rotation that never
// finished, or secrets handed to several consumers — NHI9 reuse).
import { defineRule, type RuleResult } from '../rule.ts';
import { isEnabled, isExpired, ownersFor, subjectOf } from './util.ts';

export const multipleActiveSecrets = defineRule({
  id: 'multiple-active-secrets', family: 'credential-hygiene', severity: 'low',
  owasp: ['NHI7:2025', 'NHI9:2025'], nist: ['PR.AA-01'],
  description: 'A connector holds two or more active, unexpired static credentials.',
  remediation: 'Finish the rotation: keep one active secret per consumer and revoke the others.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const c of ctx.snap.connectors) {
      const active = (ctx.snap.credentialsOf.get(c.id) ?? []).map((id) => ctx.node(id)!).filter((k) => k && k.kind === 'credential'
        && isEnabled(k) && !isExpired(ctx, k) && k.props.static !== false);
      if (active.length < 2) continue;
      const e = ctx.entryOf(c.id);
      out.push({ subject: subjectOf(c), title: `${c.name} holds ${active.length} active secrets`,
        evidence: { credentials: active.map((k) => ({ id: k.id, name: k.name, type: k.props.credential_type ?? null, created_at: k.props.created_at ?? null,
          expires_at: k.props.expires_at ?? null })) },
        owners: ownersFor(ctx, c.id), entry: e?.entry ?? null, matchRule: e?.rule ?? null });
    }
    return out;
  },
});
