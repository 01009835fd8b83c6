// Orphaned connectors and credentials (NHI1 improper offboarding), three ways:
//  - no-owner: a connector with no owner anywhere (no OWNS/INSTALLED_BY in the graph, no inventory entry owners);
//  - owners-departed: every owner/installer the graph knows has departed (per identity resolution, any
//    provider), and no inventory owner is still here — also for credentials held by or installed by people;
//  - inventory-owners-departed: an inventory entry names an owner who has departed (per entry).
import type { SnapNode } from '../../graph/reconcile-snapshot.ts';
import type { RuleContext } from '../context.ts';
import { findingId } from '../finding-id.ts';
import { lookedCompletely } from '../resolution.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { connectorHolder, ownersFor, subjectOf } from './util.ts';

/** Owners of a node, or of its sibling connectors (a Slack bot user is owned through its app). */
function ownerStates(ctx: RuleContext, n: SnapNode) {
  const nodes = n.kind === 'connector' ? ctx.siblings(n.id) : [n];
  const seen = new Set<string>();
  return nodes.flatMap((m) => ctx.snap.ownersOf.get(m.id) ?? []).filter((o) => !seen.has(o.principalId) && seen.add(o.principalId))
    .map((o) => ({ link: o, state: ctx.ids.principals.get(o.principalId) })).filter((x) => x.state);
}

/** Inventory owners that are still here or unknown to every provider (unknown is not evidence of departure). */
function activeEntryOwners(ctx: RuleContext, n: SnapNode): string[] {
  const e = ctx.entryOf(n.id);
  if (!e) return [];
  return ctx.entryOwners(e.entry).filter((m) => !ctx.ids.personByEmail(m)?.departed);
}

export const orphanedConnector = defineRule({
  id: 'orphaned-connector', family: 'orphans', severity: 'high',
  owasp: ['NHI1:2025'], nist: ['GV.RR-02', 'PR.AA-01', 'ID.AM-08'],
  description: 'A connector (or a credential held by people) nobody accountable is left for: no owner anywhere (medium), every known owner/installer departed (high), or its inventory owners departed (medium; high if all).',
  remediation: 'Name a current owner in the inventory and the provider, or revoke and remove it.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    // one subject per integration (sibling group), enabled, not the platform's own first-party apps; and
    // credentials of people (deploy keys, PATs, a user's OAuth grant to an app) — held by or made by a person
    const heldByPerson = (c: SnapNode) => (ctx.snap.holdersOf.get(c.id) ?? []).some((h) => ctx.snap.principals.has(h));
    const subjects = [...ctx.representatives().filter((c) => c.props.enabled !== false && c.props.first_party !== true),
      ...ctx.snap.credentials.filter((c) => c.props.enabled !== false && (!connectorHolder(ctx, c.id) || heldByPerson(c)))];
    for (const n of subjects) {
      const owners = ownerStates(ctx, n);
      const entry = ctx.entryOf(n.id);
      if (!owners.length) {
        if (n.kind === 'connector' && !(entry && ctx.entryOwners(entry.entry).length)) {
          out.push({ subject: subjectOf(n), detail: 'no-owner', severity: 'medium', title: `No owner known for ${n.name}`,
            evidence: { variant: 'no-owner', graph_owners: [], inventory_entry: entry?.entry.id ?? null },
            remediation: 'Record an owner: add an inventory entry (business and technical owner) or set an owner in the provider.' });
        }
        continue;
      }
      if (!owners.every((o) => o.state!.departed) || activeEntryOwners(ctx, n).length) continue;
      const deps = new Set<string>([n.provider]);
      for (const o of owners) for (const pid of ctx.ids.persons.get(o.state!.personKey ?? '') ?? [o.state!.id]) deps.add(ctx.snap.principals.get(pid)!.provider);
      out.push({ subject: subjectOf(n), detail: 'owners-departed', severity: 'high', connectorId: n.kind === 'connector' ? n.id : connectorHolder(ctx, n.id)?.id ?? null,
        title: n.kind === 'connector' ? `Every known owner of ${n.name} has departed (${owners.map((o) => o.state!.name).join(', ')})`
          : `Still active after the person holding it left: ${n.name} (${owners.map((o) => o.state!.name).join(', ')}, departed)`,
        evidence: { variant: 'owners-departed', owners: owners.map((o) => ({ principal: o.state!.id, name: o.state!.name, relation: o.link.relation,
          person: o.state!.personKey, reasons: o.state!.reasons })), enabled: n.props.enabled ?? null, access: n.props.access ?? null,
          inventory_entry: entry?.entry.id ?? null },
        owners: ownersFor(ctx, n.id), dependsOn: [...deps].sort(), entry: entry?.entry ?? null, matchRule: entry?.rule ?? null });
    }
    for (const e of ctx.inventory.entries) {
      const present = ctx.connectorsOf(e.id);
      if (!present.length) continue;
      const owners = ctx.entryOwners(e).map((m) => ({ email: m, person: ctx.ids.personByEmail(m) }));
      const gone = owners.filter((o) => o.person?.departed);
      if (!gone.length) continue;
      const deps = new Set<string>(present.map((c) => c.provider));
      for (const o of gone) for (const pid of o.person!.principals) deps.add(ctx.snap.principals.get(pid)!.provider);
      out.push({ subject: { id: `inventory:${e.id}`, name: e.name, provider: null, tenant: null }, connectorId: present[0]!.id,
        detail: 'inventory-owners-departed', severity: gone.length === owners.length ? 'high' : 'medium', entry: e,
        title: `Inventory owner(s) of ${e.name} departed: ${gone.map((o) => o.email).join(', ')}`,
        evidence: { variant: 'inventory-owners-departed', departed: gone.map((o) => ({ email: o.email, reasons: o.person!.reasons })),
          all_departed: gone.length === owners.length, connectors: present.map((c) => c.id) },
        remediation: 'Name a current business and technical owner in the inventory entry (and in the provider).',
        dependsOn: [...deps].sort() });
    }
    return out;
  },
  // Resolved only after a complete look (the default test) AND on evidence, never because an owner listing went quiet
  // (not_applicable, a missing edge): the subject is gone or disabled, someone accountable and active is known (a graph
  // owner or an inventory owner), or — for "no owner known" — an owner is known now. An inventory entry's finding: the
  // entry is gone, or every owner it names is known to a provider and active.
  resolvable(ctx, f) {
    if (f.subject_removed) return true;
    const subject = f.subject_id ?? '';
    const entry = subject.startsWith('inventory:') ? ctx.inventory.entries.find((x) => `inventory:${x.id}` === subject) : undefined;
    if (subject.startsWith('inventory:') && !entry) return true; // the entry left the inventory
    if (!lookedCompletely(ctx, f)) return false;
    if (entry) return ctx.entryOwners(entry).every((m) => { const p = ctx.ids.personByEmail(m); return !!p && !p.departed; });
    const n = ctx.node(subject);
    if (!n) return false; // not in this snapshot: nothing seen either way
    if (n.props.enabled === false || n.props.first_party === true) return true;
    const owners = ownerStates(ctx, n);
    if (owners.some((o) => !o.state!.departed) || activeEntryOwners(ctx, n).length) return true;
    return f.id === findingId('orphaned-connector', subject, 'no-owner') && owners.length > 0;
  },
});
