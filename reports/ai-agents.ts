// The report's "AI agents with access" section (docs/report.md): every connector whose category (src/categories — the
// inventory entry's `category:`, else the provider's category catalogue, by a known identifier or by name) is an AI
// agent's, with how that was known, what it can read and what it can change (its permissions graded by the risk
// catalogue: read vs write/admin), who approved it (the inventory entry, its owners and ticket), its reach and its
// open findings; plus the personal credentials flagged as used by an agent. Connectors are classified row by row as
// they are read; only the agents' permissions are then looked up. Connectors the ai-agent rule classified through a
// sibling (an application and its service principal) are taken from its findings' evidence.
import { atLeast, gradeScope, scopeAgency } from '../src/catalogue/index.ts';
import { AI_CATEGORIES, classifyConnector, isCategory, type Classification } from '../src/categories/index.ts';
import type { Db } from '../src/graph/db.ts';
import { connectorsToClassifyAsOf, entryApprovalsOf, scopesHeldAsOf } from '../src/graph/report-reach-queries.ts';
import type { ConnectorReach } from './blast-radius.ts';
import type { ConnectorItem, FindingItem, ProviderCrawl } from './model-types.ts';
import type { AgentItem, AgentPermission, AiAgents } from './reach-types.ts';
import { severityRank } from './reference.ts';
import { pushTo } from '../src/util/collections.ts';

export const AGENCY_RULE = 'ai-agent-excessive-agency';
export const PERSONAL_CREDENTIAL_RULE = 'agent-personal-credential';

interface Known { category: string; from: AgentItem['categoryFrom']; how: string; source: string | null }

export interface AgentInputs {
  crawls: ProviderCrawl[]; reconId: number | null; connectors: ConnectorItem[]; findings: FindingItem[];
  reach: Map<string, ConnectorReach>;
}

/** Every connector's category (for the connector list) and the AI-agents section. */
export function buildAiAgents(db: Db, x: AgentInputs): { categories: Map<string, Known>; section: AiAgents } {
  const categories = new Map<string, Known>();
  for (const c of x.crawls) {
    for (const r of connectorsToClassifyAsOf(db, c.provider, c.runId, x.reconId)) {
      const cls = classifyConnector({ provider: r.provider, name: r.name ?? r.id, props: props(r.props), vendor: r.vendor },
        r.inventory_id ? { id: r.inventory_id, category: r.entry_category } : null);
      if (cls) categories.set(r.id, knownOf(cls));
    }
  }
  // the rule judges an integration as a whole (a sibling may carry the identifier): its findings name agents too
  for (const f of x.findings) {
    if (f.rule !== AGENCY_RULE || !f.connectorId || categories.has(f.connectorId)) continue;
    const category = f.evidence.category;
    if (!isCategory(category)) continue;
    const from = f.evidence.category_from === 'inventory' ? 'inventory' : f.evidence.matched_by_name === true ? 'name' : 'catalogue';
    const cat = f.evidence.catalogue as Record<string, unknown> | undefined;
    categories.set(f.connectorId, { category, from, how: String(f.evidence.classified_by ?? ''), source: typeof cat?.source === 'string' ? cat.source : null });
  }
  const byId = new Map(x.connectors.map((c) => [c.id, c]));
  const agentIds = [...categories].filter(([id, k]) => (AI_CATEGORIES as readonly string[]).includes(k.category) && byId.has(id)).map(([id]) => id);
  const perms = permissionsOf(db, x.crawls, agentIds.map((id) => byId.get(id)!));
  const entries = x.reconId === null ? new Map() : entryApprovalsOf(db, x.reconId, [...new Set(agentIds.map((id) => byId.get(id)!.inventoryId).filter((e): e is string => !!e))]);
  const findingsOf = new Map<string, FindingItem[]>();
  for (const f of x.findings) if (f.connectorId && categories.has(f.connectorId)) pushTo(findingsOf, f.connectorId, f);
  const agents: AgentItem[] = agentIds.map((id) => {
    const c = byId.get(id)!; const k = categories.get(id)!; const p = perms.get(id) ?? [];
    const e = c.inventoryId ? entries.get(c.inventoryId) : undefined;
    const fs = (findingsOf.get(id) ?? []).map((f) => ({ id: f.id, rule: f.rule, severity: f.severity, title: f.title }))
      .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.id.localeCompare(b.id));
    return {
      connectorId: id, name: c.name, provider: c.provider, typeLabel: c.typeLabel, vendor: c.vendor, category: k.category, categoryFrom: k.from, how: k.how, source: k.source,
      reads: p.filter((s) => s.access === 'read'), changes: p.filter((s) => s.access !== 'read'), reach: x.reach.get(id)?.text ?? '',
      approval: c.inventoryId ? { entry: c.inventoryId, owners: [e?.technical_owner, e?.business_owner].filter((o): o is string => !!o), ticket: e?.ticket ?? null, approvedOn: e?.approved_on ?? null } : null,
      findings: fs, worstSeverity: fs[0]?.severity ?? null,
    };
  }).sort((a, b) => severityRank(a.worstSeverity ?? 'none') - severityRank(b.worstSeverity ?? 'none') || b.changes.length - a.changes.length
    || a.name.localeCompare(b.name) || a.connectorId.localeCompare(b.connectorId));
  const personalCredentials = x.findings.filter((f) => f.rule === PERSONAL_CREDENTIAL_RULE)
    .map((f) => ({ id: f.id, subject: f.subject, provider: f.provider, severity: f.severity, title: f.title, owner: f.ownerEmail }));
  return { categories, section: { reconciled: x.reconId !== null, agents, personalCredentials } };
}

function knownOf(c: Classification): Known {
  return { category: c.category, from: c.via === 'inventory' ? 'inventory' : c.match === 'name' ? 'name' : 'catalogue', how: c.how, source: c.source ?? null };
}

/**
 * The permissions of the agents, graded as the ai-agent rule grades them: the catalogue's access (read / write / admin),
 * else a permission graded high or critical counts as a write; most severe first.
 */
function permissionsOf(db: Db, crawls: ProviderCrawl[], agents: ConnectorItem[]): Map<string, AgentPermission[]> {
  const out = new Map<string, AgentPermission[]>();
  for (const c of crawls) {
    const ids = agents.filter((a) => a.provider === c.provider).map((a) => a.id);
    for (const s of scopesHeldAsOf(db, c.runId, ids)) {
      const g = gradeScope(s.provider, s.scope).severity;
      const a = scopeAgency(s.provider, s.scope);
      const access = a?.access ?? (atLeast(g, 'high') ? 'write' : 'read');
      pushTo(out, s.holder_id, { scope: s.scope, access, severity: g, broad: a?.broad ?? null });
    }
  }
  for (const l of out.values()) l.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.scope.localeCompare(b.scope));
  return out;
}

function props(v: unknown): Record<string, unknown> {
  if (typeof v === 'string') { try { const o = JSON.parse(v) as unknown; return o && typeof o === 'object' && !Array.isArray(o) ? o as Record<string, unknown> : {}; } catch { return {}; } }
  return v && typeof v === 'object' ? v as Record<string, unknown> : {};
}
