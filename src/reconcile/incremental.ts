// Incremental reconciliation (issue 16 item 5; docs/reconcile.md "Incremental reconciliation"): which units
// (src/reconcile/units.ts) this reconciliation must evaluate, and whether it may skip the others at all.
// A unit is dirty when a crawl since the previous reconciliation changed one of its nodes or edges — a newer last use
// included (nodes/edges changed_run, migration 019) — (or a principal,
// scope, endpoint or resource they point at), when a person it names changed (identity resolution), when its
// inventory entry changed, when the clock reached its revisit time, or when a finding of a rule that quotes crawl
// runs is open on it and a new crawl came. Everything else a full evaluation would judge identically — so it is
// carried, not recomputed. The reconciliation is full when anything global changed: the rule set, the inventory's
// policy, entry order or match rules, a provider's crawl coverage, time running backwards, or no unit map yet.
import crypto from 'node:crypto';
import type { Db } from '../graph/db.ts';
import { changedSince, dueUnits, hasUnits, keysOfUnits, neighbours, nodeKinds, principalDigests, reconciliationBasis, trustEndpointsResolvingTo,
  unitsOfFindings, unitsOfKeys, unplacedFindings, type Basis } from '../graph/reconcile-units.ts';
import type { CrawlInfo } from '../graph/reconcile-snapshot.ts';
import type { LoadedInventory } from '../inventory/load.ts';
import type { InventoryEntry } from '../inventory/schema.ts';
import type { Identities } from './identity.ts';
import { normaliseEmail } from './identity.ts';
import type { RuleSpec } from './rule.ts';
import { entryIdOf, entryKey } from './units.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { registeredCatalogues } from '../catalogue/registry.ts';
import { registeredCategories } from '../categories/registry.ts';

const digest = (v: unknown) => crypto.createHash('sha256').update(JSON.stringify(v)).digest('base64url').slice(0, 22);

/** What must not have changed since the previous reconciliation for this one to be incremental. */
export function basisOf(rules: readonly RuleSpec[], loaded: LoadedInventory, crawls: ReadonlyMap<string, CrawlInfo>, toolVersion: string,
  trustedIssuers?: readonly string[]): Basis {
  const inv = loaded.inventory;
  const coverage: Record<string, string> = {};
  for (const [p, c] of crawls) coverage[p] = digest([...c.resources].map(([t, m]) => [t, [...m].sort()]).sort());
  return {
    // the catalogues the rules read (risk grades, privileged roles, categories) are rules too
    rules: digest([toolVersion, rules.map((r) => [r.id, r.severity]), cataloguesDigest()]),
    // the configured trusted issuers are policy too (unconfigured: the digest is the one before they existed)
    policy: digest(trustedIssuers ? [inv.organisation, inv.defaults, [...trustedIssuers]] : [inv.organisation, inv.defaults]),
    entries: digest(inv.entries.map((e) => [e.id, e.match])),
    coverage,
  };
}

/** A digest of every registered risk and category catalogue (patterns by their source, functions by their text). */
export function cataloguesDigest(): string {
  const text = JSON.stringify([registeredCatalogues(), registeredCategories()],
    (_k, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : typeof v === 'function' ? v.toString() : v));
  return crypto.createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** Per principal, a digest of what identity resolution decided about it (its person, e-mails, name, departure). */
export function principalStates(ids: Identities): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, p] of ids.principals) out.set(id, digest(p));
  return out;
}

export type Plan =
  | { mode: 'full'; reason: string }
  | { mode: 'incremental'; prevId: number; dirty: Set<string>; newMembers: Set<string>; entries: Set<string> };

export interface PlanInput {
  db: Db; rules: readonly RuleSpec[]; loaded: LoadedInventory; now: Date; basis: Basis; crawls: ReadonlyMap<string, CrawlInfo>;
  ids: Identities; principals: Map<string, string>;
  prev: { id: number; crawlRuns: Record<string, { run: number; runs?: number[] }> } | undefined;
  /** Entry id -> its stored JSON in the previous reconciliation's inventory version. */
  prevEntries: ReadonlyMap<string, string>;
}

/** Decides full or incremental and, when incremental, the dirty units to start from (before closure). */
export function planReconciliation(x: PlanInput): Plan {
  const { db, prev } = x;
  if (!prev) return { mode: 'full', reason: 'no previous reconciliation' };
  const { basis, evaluatedAt } = reconciliationBasis(db, prev.id);
  if (!basis) return { mode: 'full', reason: 'the previous reconciliation recorded no basis' };
  if (!hasUnits(db)) return { mode: 'full', reason: 'no unit map' };
  if (basis.rules !== x.basis.rules) return { mode: 'full', reason: 'rule set or tool version changed' };
  if (basis.policy !== x.basis.policy) return { mode: 'full', reason: 'inventory organisation or defaults changed' };
  if (basis.entries !== x.basis.entries) return { mode: 'full', reason: 'inventory entries added, removed, reordered or re-matched' };
  const providers = Object.keys(x.basis.coverage).sort();
  if (providers.join() !== Object.keys(basis.coverage).sort().join()) return { mode: 'full', reason: 'providers crawled changed' };
  for (const p of providers) if (basis.coverage[p] !== x.basis.coverage[p]) return { mode: 'full', reason: `${p} crawl coverage changed` };
  if (evaluatedAt && x.now.getTime() < Date.parse(evaluatedAt)) return { mode: 'full', reason: 'evaluation time before the previous one' };
  if (unplacedFindings(db) > 0) return { mode: 'full', reason: 'findings outside the unit map' };

  const dirty = new Set<string>();
  const newMembers = new Set<string>();
  const entries = new Set<string>();
  const touched = new Set<string>();
  // 1. what crawls changed since the runs the previous reconciliation used: what the graph holds now is evaluated, so
  // every row a crawl of the provider touched since that run (a later failed crawl's writes included), found even
  // when the usable run did not move
  let newCrawl = false;
  for (const [p, c] of x.crawls) {
    const before = prev.crawlRuns[p]?.run;
    if (before === undefined) return { mode: 'full', reason: `${p} not reconciled before` };
    // any tenant's run changing is a new crawl (its evidence is composed per tenant: src/graph/reconcile-snapshot.ts)
    if ((prev.crawlRuns[p]!.runs ?? [before]).join() !== c.runIds.join()) newCrawl = true;
    // a tenant's evidence went back to a run older than those used (its later run deleted): changedSince would miss it
    if (c.runIds.some((r) => r < before && !(prev.crawlRuns[p]!.runs ?? [before]).includes(r))) return { mode: 'full', reason: `${p}: a tenant's evidence went back to an older run` };
    for (const id of changedSince(db, p, before)) touched.add(id);
  }
  // 1b. a repository that came, changed or went changes what a trust in its workload resolves to: the trust is touched
  for (const id of trustEndpointsResolvingTo(db, [...touched])) touched.add(id);
  // 2. people whose resolution changed: the objects they own, install or hold, and the entries naming them as owners
  const before = principalDigests(db);
  const changedPeople = new Set<string>();
  for (const [id, d] of x.principals) if (before.get(id) !== d) changedPeople.add(id);
  for (const id of before.keys()) if (!x.principals.has(id)) changedPeople.add(id);
  const emails = new Set<string>();
  for (const id of [...changedPeople]) {
    const p = x.ids.principals.get(id);
    for (const e of p?.emails ?? []) emails.add(normaliseEmail(e));
    for (const other of p?.personKey ? x.ids.persons.get(p.personKey) ?? [] : []) changedPeople.add(other);
  }
  for (const id of changedPeople) touched.add(id);
  if (emails.size) {
    const owners = (e: InventoryEntry) => [e.business_owner, e.technical_owner].filter(Boolean).map((m) => normaliseEmail(String(m)));
    for (const e of x.loaded.inventory.entries) if (owners(e).some((m) => emails.has(m))) entries.add(e.id);
  }
  // 3. entries whose content changed (their match rules did not: see the basis); compared as data when the text differs
  // (a database may keep JSON in its own key order: PostgreSQL's jsonb)
  for (const e of x.loaded.inventory.entries) {
    const prev = x.prevEntries.get(e.id);
    if (prev !== JSON.stringify(e) && (prev === undefined || canonicalJson(JSON.parse(prev)) !== canonicalJson(e))) entries.add(e.id);
  }
  // place touched objects: members of a unit, new connectors/credentials, or things members point at
  const known = unitsOfKeys(db, [...touched, ...[...entries].map(entryKey)]);
  for (const u of known.values()) dirty.add(u);
  const unplaced = [...touched].filter((id) => !known.has(id));
  const kinds = nodeKinds(db, unplaced);
  for (const id of unplaced) {
    const kind = kinds.get(id);
    if (kind === 'connector' || kind === 'credential') { newMembers.add(id); continue; }
    const near = neighbours(db, id);
    const nearUnits = unitsOfKeys(db, near);
    for (const u of nearUnits.values()) dirty.add(u);
    const nearKinds = nodeKinds(db, near.filter((n) => !nearUnits.has(n)));
    for (const [n, k] of nearKinds) if (k === 'connector' || k === 'credential') newMembers.add(n);
  }
  // 4. the clock: thresholds crossed since (an expiry, a dormancy window, a rotation falling due, an approval or acceptance ending)
  for (const u of dueUnits(db, x.now.getTime())) dirty.add(u);
  // 5. findings quoting crawl runs (and not-verifiable texts naming them) are re-stated after a new crawl
  if (newCrawl) for (const u of unitsOfFindings(db, x.rules.filter((r) => r.quotesCrawlRuns).map((r) => r.id), prev.id)) dirty.add(u);
  return { mode: 'incremental', prevId: prev.id, dirty, newMembers, entries };
}

/** The node ids (connectors, credentials) and entry ids of a set of units. */
export function membersOf(db: Db, units: Iterable<string>): { nodes: string[]; entries: string[] } {
  const nodes: string[] = [];
  const entries: string[] = [];
  for (const k of keysOfUnits(db, units)) {
    const entry = entryIdOf(k);
    if (entry !== null) entries.push(entry);
    else if (!k.startsWith('sib:')) nodes.push(k);
  }
  return { nodes, entries };
}

