// Scopes added or removed since the previous reconciliation's crawl (from the change log), approved or
// not, with the run ids and dates. The title names the scopes (worst first, a few then "+N more") and where they apply. Added scopes: the worst added grade, at least medium; removals only: info.
import { worse } from '../../catalogue/index.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { capList, displayScope, reachText, worstFirst } from '../title-facts.ts';
import { ownersFor, scopeEvidence, subjectOf } from './util.ts';

export const scopeChange = defineRule({
  id: 'scope-change', family: 'scope-change', severity: 'medium',
  owasp: ['NHI5:2025'], nist: ['DE.CM-06', 'DE.CM-09'],
  description: 'A connector or credential gained or lost scopes since the previous run (added: worst added grade, at least medium; removed only: info).',
  remediation: 'Confirm the change was intended (re-approve changed scopes in the inventory), or revert it.',
  quotesCrawlRuns: true,
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const ch of ctx.scopeChanges) {
      const n = ctx.node(ch.holderId);
      if (!n || n.kind === 'principal') continue;
      const e = ctx.entryOf(n.id);
      const severity = ch.added.length ? worse('medium', ctx.worstGrade(n.provider, ch.added)!) : 'info';
      const list = (scopes: string[]) => capList(worstFirst(ctx, n.provider, scopes).map((s) => displayScope(n.provider, s)));
      const reach = ch.added.length ? reachText(ctx, [n.id]) : null;
      const what = [ch.added.length ? `added ${list(ch.added)}${reach ? ` (on ${reach})` : ''}` : '', ch.removed.length ? `removed ${list(ch.removed)}` : ''].filter(Boolean).join('; ');
      out.push({ subject: subjectOf(n), detail: [...ch.added.map((s) => `+${s}`), ...ch.removed.map((s) => `-${s}`)].join(','), severity,
        connectorId: n.kind === 'connector' ? n.id : null, entry: e?.entry ?? null, matchRule: e?.rule ?? null,
        title: `Scopes of ${n.name} changed since run ${ch.fromRun?.id}: ${what}`,
        evidence: { added: scopeEvidence(ctx, n.provider, ch.added), removed: ch.removed, from_run: ch.fromRun, to_run: ch.toRun,
          approved: e ? ch.added.every((s) => ctx.isApproved(e.entry, n.provider, s)) : false },
        owners: ownersFor(ctx, n.id) });
    }
    return out;
  },
});
