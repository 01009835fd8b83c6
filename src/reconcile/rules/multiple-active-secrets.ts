// Credential hygiene: a connector holding several active static credentials of one class at once (a rotation
// that never finished, or secrets handed to several consumers — NHI9 reuse). Each class is counted on its own
// (catalogue/credentials.ts): password-type secrets (client secrets, user-managed keys, PATs, tokens) apart from
// certificates; federated credentials hold no secret and are never counted. One client secret beside one
// certificate is a normal setup, not "2 secrets". The title names the kind ("2 active client secrets").
import { credentialClass, type CredentialKind } from '../../catalogue/index.ts';
import type { SnapNode } from '../../graph/reconcile-snapshot.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { isEnabled, isExpired, ownersFor, subjectOf } from './util.ts';

/** The classes counted, in report order; the password-type class keeps the finding id it always had (no detail). */
const COUNTED: Array<{ kind: CredentialKind; detail: string; plural: string }> = [
  { kind: 'secret', detail: '', plural: 'password-type secrets' },
  { kind: 'certificate', detail: 'certificates', plural: 'certificates' },
];

export const multipleActiveSecrets = defineRule({
  id: 'multiple-active-secrets', family: 'credential-hygiene', severity: 'low',
  owasp: ['NHI7:2025', 'NHI9:2025'], nist: ['PR.AA-01'],
  description: 'A connector holds two or more active, unexpired static credentials of one class: password-type secrets (client secrets, user-managed keys, PATs) and certificates are counted apart; federated credentials are not counted.',
  remediation: 'Finish the rotation: keep one active secret per consumer and revoke the others.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const c of ctx.snap.connectors) {
      const active = (ctx.snap.credentialsOf.get(c.id) ?? []).map((id) => ctx.node(id)).filter((k): k is SnapNode => !!k && k.kind === 'credential'
        && isEnabled(k) && !isExpired(ctx, k) && k.props.static !== false);
      if (active.length < 2) continue;
      const classOf = new Map(active.map((k) => [k.id, credentialClass(k.props.credential_type as string, k.props)]));
      for (const cls of COUNTED) {
        const same = active.filter((k) => classOf.get(k.id)!.kind === cls.kind);
        if (same.length < 2) continue;
        const labels = countBy(same.map((k) => classOf.get(k.id)!.label));
        const what = labels.size === 1 ? `${[...labels.keys()][0]}s` : `${cls.plural} (${[...labels].map(([l, n]) => `${n} ${l}${n === 1 ? '' : 's'}`).join(', ')})`;
        const others = active.filter((k) => classOf.get(k.id)!.kind !== cls.kind);
        const e = ctx.entryOf(c.id);
        out.push({ subject: subjectOf(c), detail: cls.detail || undefined, title: `${c.name} holds ${same.length} active ${what}`,
          evidence: { credential_class: cls.kind, count: same.length,
            credentials: same.map((k) => ({ id: k.id, name: k.name, type: k.props.credential_type ?? null, created_at: k.props.created_at ?? null,
              expires_at: k.props.expires_at ?? null })),
            ...(others.length ? { not_counted: others.map((k) => ({ name: k.name, type: k.props.credential_type ?? null, class: classOf.get(k.id)!.kind })) } : {}) },
          owners: ownersFor(ctx, c.id), entry: e?.entry ?? null, matchRule: e?.rule ?? null });
      }
    }
    return out;
  },
});

function countBy(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return new Map([...m].sort(([a], [b]) => a.localeCompare(b)));
}
