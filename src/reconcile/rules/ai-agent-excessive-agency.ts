// An AI agent connector (category ai-assistant, coding-agent or meeting-recorder: src/reconcile/category.ts) that holds
// write or admin permissions, or reads broadly (all mail, all files, the directory, message history, all repositories).
// What counts comes from the risk catalogue (docs/risk-catalogue.md §5.10): a permission's access (read / write / admin)
// and whether it reads across the tenant; a write graded low (per-file, self-only) is not counted, and a permission
// whose access the catalogue does not know counts as a write when it grades high or critical. Reach on all repositories
// (CAN_ACCESS repositories: 'all') makes a read of code broad. High with a write or admin permission, medium for broad
// read only. One finding per integration; approved scopes still count (approving a scope is not assessing an agent's
// autonomy): the evidence says which were approved and by which entry. OWASP LLM06:2025 Excessive Agency.
import { atLeast, scopeAgency } from '../../catalogue/index.ts';
import { AI_CATEGORIES } from '../../categories/index.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { connectorCategory } from '../category.ts';
import { capList, connectorTypeWords, displayScope, reachText, worstFirst } from '../title-facts.ts';
import { ownersFor, subjectOf } from './util.ts';

const REFERENCES = ['OWASP LLM06:2025 Excessive Agency', 'NIST AI RMF GOVERN 1.6', 'NIST AI RMF GOVERN 6.1', 'NIST AI RMF MAP 3.5'];

interface Power { scope: string; access: string; severity: string; reads?: string; approved: boolean }

export const aiAgentExcessiveAgency = defineRule({
  id: 'ai-agent-excessive-agency', family: 'ai-agents', severity: 'high',
  owasp: ['NHI5:2025', 'NHI3:2025'], nist: ['PR.AA-05', 'GV.SC-07'], references: REFERENCES,
  description: 'An AI agent connector (AI assistant, coding agent, meeting recorder) holds write or admin permissions (high) or reads broadly — all mail, all files, the directory, message history, all repositories (medium).',
  remediation: 'Narrow the agent to read-only, per-resource permissions (selected repositories, chosen channels or folders), keep writes behind a person\'s confirmation, or record the accepted risk in the inventory (accepted_risks).',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const c of ctx.representatives()) {
      const members = ctx.siblings(c.id);
      if (members.every((m) => m.props.enabled === false)) continue;
      const cls = connectorCategory(ctx, c);
      if (!cls || !AI_CATEGORIES.includes(cls.category)) continue;
      const ids = members.map((m) => m.id);
      const m = ctx.matchOf(c.id) ?? members.map((s) => ctx.matchOf(s.id)).find((x) => x) ?? null;
      const allRepositories = ids.some((id) => (ctx.snap.accessOf.get(id) ?? []).some((a) => a.props.repositories === 'all'));
      const scopes = worstFirst(ctx, c.provider, [...new Set(members.flatMap((x) => ctx.connectorScopes(x.id)))]);
      const writes: Power[] = [];
      const broad: Power[] = [];
      for (const s of scopes) {
        const g = ctx.grade(c.provider, s);
        const a = scopeAgency(c.provider, s);
        const approved = ctx.isApproved(m?.entry, c.provider, s);
        const reads = a?.broad ?? (a?.access === 'read' && allRepositories && atLeast(g.severity, 'medium') ? 'all repositories' : undefined);
        if (a ? a.access !== 'read' && atLeast(g.severity, 'medium') : atLeast(g.severity, 'high')) {
          writes.push({ scope: s, access: a?.access ?? `not catalogued (graded ${g.severity})`, severity: g.severity, ...(reads ? { reads } : {}), approved });
        } else if (reads) {
          broad.push({ scope: s, access: a?.access ?? 'read', severity: g.severity, reads, approved });
        }
      }
      if (!writes.length && !broad.length) continue;
      const what = connectorTypeWords(c.provider, c.props.connector_type, c.type);
      const kind = cls.category.replace(/-/g, ' ');
      const facts = [
        ...(writes.length ? [`can change through ${capList(writes.map((w) => displayScope(c.provider, w.scope)))}`] : []),
        ...(broad.length ? [`reads ${capList([...new Set(broad.map((b) => b.reads!))])}`] : []),
      ];
      out.push({
        subject: subjectOf(c), severity: writes.length ? 'high' : 'medium', entry: m?.entry ?? null, matchRule: m?.rule ?? null,
        title: `AI ${kind === 'ai assistant' ? 'assistant' : kind} ${c.name} (${what}) ${facts.join(' and ')}`,
        evidence: {
          category: cls.category, category_from: cls.via, classified_by: cls.how,
          ...(cls.via === 'catalogue' ? { catalogue: { product: cls.product, publisher: cls.publisher, match: cls.match, field: cls.field, value: cls.value, source: cls.source } } : {}),
          ...(cls.match === 'name' ? { matched_by_name: true } : {}),
          write_scopes: writes, broad_read: broad, reach: reachText(ctx, ids),
          inventory_entry: m?.entry.id ?? null,
          approved_by: m ? { entry: m.entry.id, ticket: m.entry.ticket, approved_on: m.entry.approved_on, business_owner: m.entry.business_owner, technical_owner: m.entry.technical_owner } : null,
          references: REFERENCES,
        },
        owners: ownersFor(ctx, c.id),
      });
    }
    return out;
  },
});
