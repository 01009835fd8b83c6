// Units of incremental reconciliation: the smallest sets of graph objects whose findings depend only on one another.
// A connector is one with its siblings (same provider, tenant and app_id: one integration), with the credentials it
// holds (and so with every other connector holding one of them), with a trusting credential its workloads act as it
// through (src/graph/trust-snapshot.ts), with the inventory entry it matches (an entry's
// findings name its connectors, and theirs fold into one another), and with every identity on a cross-provider escalation
// path it starts (src/reconcile/escalation-paths.ts). Keys: node ids of connectors and credentials,
// `sib:<provider>|<tenant>|<app_id>`, `inventory:<entry id>`. A unit is named by its smallest key.
import type { GraphSnapshot, SnapNode } from '../graph/reconcile-snapshot.ts';
import type { Match } from '../inventory/match.ts';

const ENTRY = 'inventory:';
export const entryKey = (entryId: string) => `${ENTRY}${entryId}`;
/** The entry id an `inventory:<id>` key (or `inventory:<id>:<provider>` subject) names; null for any other key. */
export const entryIdOf = (key: string): string | null => (key.startsWith(ENTRY) ? key.slice(ENTRY.length).split(':')[0]! : null);
export const siblingKey = (c: SnapNode): string | null => (c.props.app_id ? `sib:${c.provider}|${c.tenant}|${String(c.props.app_id).toLowerCase()}` : null);

/** Union-find over string keys. */
class Partition {
  private readonly parent = new Map<string, string>();
  add(k: string): void { if (!this.parent.has(k)) this.parent.set(k, k); }
  find(k: string): string {
    this.add(k);
    let r = k;
    while (this.parent.get(r) !== r) r = this.parent.get(r)!;
    let x = k;
    while (x !== r) { const next = this.parent.get(x)!; this.parent.set(x, r); x = next; }
    return r;
  }
  union(a: string, b: string): void {
    const ra = this.find(a), rb = this.find(b);
    if (ra !== rb) { if (ra < rb) this.parent.set(rb, ra); else this.parent.set(ra, rb); }
  }
  keys(): IterableIterator<string> { return this.parent.keys(); }
}

/**
 * key -> unit for the connectors and credentials of `snap`, their sibling keys and the entries `entryIds` (every
 * entry of the inventory on a full evaluation; the dirty ones otherwise) and those the connectors match.
 */
export function computeUnits(snap: GraphSnapshot, matches: ReadonlyMap<string, Match>, entryIds: Iterable<string>): Map<string, string> {
  const p = new Partition();
  for (const id of entryIds) p.add(entryKey(id));
  for (const c of snap.connectors) {
    p.add(c.id);
    const s = siblingKey(c);
    if (s) p.union(c.id, s);
    const m = matches.get(c.id);
    if (m) p.union(c.id, entryKey(m.entry.id));
  }
  const connectorIds = new Set(snap.connectors.map((c) => c.id));
  for (const k of snap.credentials) {
    p.add(k.id);
    for (const h of snap.holdersOf.get(k.id) ?? []) if (connectorIds.has(h)) p.union(k.id, h);
  }
  // a credential's trust judged on the connectors its workloads act as (src/graph/trust-snapshot.ts): one unit with them
  for (const [holder, trusts] of snap.trustsOf) for (const t of trusts) if (t.actsThrough) p.union(t.actsThrough.credentialId, holder);
  // a cross-provider escalation finding (on its starting connector) depends on every identity along its paths: one unit.
  // The snapshot carries the whole graph's paths; those touching its connectors or credentials join their units (all of
  // them on a full evaluation; on an incremental one, the closure then loads every unit such a path touches — a path
  // touching nothing loaded pulls nothing in, or a reconciliation with nothing changed would load every path's unit)
  const loaded = new Set([...connectorIds, ...snap.credentials.map((k) => k.id)]);
  for (const e of snap.escalations ?? []) {
    if (!loaded.has(e.origin.id) && !e.identities.some((id) => loaded.has(id))) continue;
    for (const id of e.identities) p.union(e.origin.id, id);
  }
  const out = new Map<string, string>();
  for (const k of [...p.keys()]) out.set(k, p.find(k));
  return out;
}

/** The unit of a clock subject or finding subject (a node id, `inventory:<id>` or `inventory:<id>:<provider>`). */
export function unitOfSubject(units: ReadonlyMap<string, string>, subjectId: string): string | undefined {
  const direct = units.get(subjectId);
  const entry = direct ? null : entryIdOf(subjectId);
  return entry === null ? direct : units.get(entryKey(entry));
}
