// The reconciliation context rules evaluate against: the graph snapshot, inventory matches, identity
// resolution, crawl completeness and the catalogue — all in memory, all provider-neutral.
import { approvedClosure, gradeScope, normaliseScope, worse, type Severity } from '../catalogue/index.ts';
import { permissionsOf, type CrawlInfo, type GraphSnapshot, type ScopeChange, type SnapNode } from '../graph/reconcile-snapshot.ts';
import type { Match } from '../inventory/match.ts';
import type { Inventory, InventoryEntry } from '../inventory/schema.ts';
import { absenceGaps, crawlLookedEverywhere, type CoverageGap } from './coverage.ts';
import type { Identities } from './identity.ts';
import { Clocks, type Clock } from './clock.ts';

export interface ReconcileOptions {
  /** "now" for date comparisons (default: the reconciliation's start). */
  now?: Date;
  /** Rule ids to run (default: all). */
  rules?: string[];
  /**
   * Rewrite every finding row raised (the behaviour before issue 16), instead of writing findings as a diff (only new,
   * changed and re-opened rows; status-only changes as such). Same findings either way: the tests compare the two.
   */
  rewriteAll?: boolean;
  /**
   * Evaluate every connector, credential and entry (default: only the units that changed since the previous
   * reconciliation, when it can be incremental — docs/reconcile.md "Incremental reconciliation"). Same findings either way.
   */
  full?: boolean;
  /** The config's trust.issuers: issuer URLs or registered kinds a federated trust may name (default: any registered kind). */
  trustedIssuers?: readonly string[];
}

export interface ScopeChangeSet { holderId: string; added: string[]; removed: string[]; fromRun: { id: number; at: string } | null; toRun: { id: number; at: string } }

export interface RuleContext {
  now: Date;
  inventory: Inventory;
  snap: GraphSnapshot;
  ids: Identities;
  /** Providers with a usable crawl (the graph rules evaluate). */
  providers: string[];
  matchOf(connectorId: string): Match | null;
  /** The entry governing a connector, or a credential through the connector holding it. */
  entryOf(nodeId: string): { entry: InventoryEntry; rule: string } | null;
  /**
   * Connectors that are one integration seen as several nodes (a Slack app, its bot user and its incoming
   * webhook; an Entra application and its service principal): same provider, tenant and app_id. The
   * first member is the representative (enabled, with owners, with most scopes first).
   */
  siblings(connectorId: string): SnapNode[];
  /** One representative per sibling group, for rules that judge an integration once. */
  representatives(): SnapNode[];
  /** Connectors whose match is this entry. */
  connectorsOf(entryId: string): SnapNode[];
  node(id: string): SnapNode | undefined;
  /**
   * The provider's latest usable crawl listed everything (every listing complete, or not applicable to the plan),
   * for one tenant or all. An unsupported listing is a blind spot: not complete.
   */
  crawlComplete(provider: string, tenant?: string | null): boolean;
  /**
   * The listings of the provider's latest usable crawl that could have produced a connector carrying one of
   * these inventory match keys and did not complete (src/reconcile/coverage.ts); null when it was not crawled.
   */
  absenceGaps(provider: string, keys: readonly string[]): CoverageGap[] | null;
  crawl(provider: string): CrawlInfo | undefined;
  scopeChanges: ScopeChangeSet[];
  /** The configured trusted issuers (ReconcileOptions.trustedIssuers), or null: any issuer of a registered kind. */
  trustedIssuers: readonly string[] | null;
  /** Scopes held directly (HAS_SCOPE from this node). */
  scopes(holderId: string): string[];
  /**
   * A connector's effective permissions: its own scopes, those of the credentials it holds (e.g. Google
   * per-user OAuth grants), and the IAM / RBAC roles it holds on resources (CAN_ACCESS props.roles).
   */
  connectorScopes(connectorId: string): string[];
  grade(provider: string, scope: string): ReturnType<typeof gradeScope>;
  worstGrade(provider: string, scopes: string[]): Severity | null;
  approvedScopes(entry: InventoryEntry, provider: string): Set<string> | null;
  isApproved(entry: InventoryEntry | null | undefined, provider: string, scope: string): boolean;
  /**
   * Dates judged against `now` for a subject (node id, or `inventory:<entry id>`): every rule reads the clock through
   * here, so the reconciliation knows when each subject's verdict would change without new data (src/reconcile/clock.ts).
   */
  clock(subjectId: string): Clock;
  /** Subject id -> the earliest instant ahead of `now` at which a clock read so far would read differently. */
  clockChanges(): ReadonlyMap<string, number>;
  /** Owner e-mails an entry names. */
  entryOwners(entry: InventoryEntry): string[];
  /**
   * A value computed once per reconciliation under `table` and `key` (title facts, attributions…: several rules and
   * the engine ask again). Shared between callers: return frozen or immutable values.
   */
  memo<T>(table: string, key: string, compute: () => T): T;
}

export function buildContext(parts: {
  now: Date; inventory: Inventory; snap: GraphSnapshot; ids: Identities; matches: Map<string, Match>; scopeChanges: ScopeChangeSet[];
  trustedIssuers?: readonly string[] | null;
}): RuleContext {
  const { snap, matches } = parts;
  const nodes = new Map<string, SnapNode>();
  for (const n of snap.connectors) nodes.set(n.id, n);
  for (const n of snap.credentials) nodes.set(n.id, n);
  const byEntry = new Map<string, SnapNode[]>();
  for (const [cid, m] of matches) { const a = byEntry.get(m.entry.id) ?? []; a.push(nodes.get(cid)!); byEntry.set(m.entry.id, a); }
  const closures = new Map<string, Set<string> | null>();
  const groups = new Map<string, SnapNode[]>();
  const groupOf = new Map<string, SnapNode[]>();
  for (const c of snap.connectors) {
    const key = c.props.app_id ? `${c.provider}|${c.tenant}|${String(c.props.app_id).toLowerCase()}` : c.id;
    const g = groups.get(key) ?? []; g.push(c); groups.set(key, g); groupOf.set(c.id, g);
  }
  // memoised for this reconciliation (issue 16): several rules and title facts ask for the same connector's
  // permissions and the same scope's grade; the values are frozen, as they are shared
  const permissions = new Map<string, string[]>();
  const grades = new Map<string, ReturnType<typeof gradeScope>>();
  const normalised = new Map<string, string>();
  const tables = new Map<string, Map<string, unknown>>();
  const clocks = new Clocks(parts.now.getTime());
  const rank = (c: SnapNode) => (c.props.enabled === false ? 1000 : 0) - (snap.ownersOf.get(c.id)?.length ? 100 : 0) - (snap.scopesOf.get(c.id)?.length ?? 0);
  for (const g of groups.values()) g.sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
  const ctx: RuleContext = {
    now: parts.now, inventory: parts.inventory, snap, ids: parts.ids, scopeChanges: parts.scopeChanges, trustedIssuers: parts.trustedIssuers ?? null,
    providers: [...snap.crawls.keys()].sort(),
    matchOf: (id) => matches.get(id) ?? null,
    entryOf(id) {
      const m = matches.get(id);
      if (m) return { entry: m.entry, rule: m.rule };
      for (const h of snap.holdersOf.get(id) ?? []) { const hm = matches.get(h); if (hm) return { entry: hm.entry, rule: `${hm.rule} (holder)` }; }
      return null;
    },
    connectorsOf: (entryId) => byEntry.get(entryId) ?? [],
    siblings: (id) => groupOf.get(id) ?? [],
    representatives: () => [...groups.values()].map((g) => g[0]!),
    node: (id) => nodes.get(id) ?? snap.principals.get(id),
    crawl: (p) => snap.crawls.get(p),
    crawlComplete: (provider, tenant) => crawlLookedEverywhere(snap.crawls.get(provider), tenant),
    absenceGaps(provider, keys) {
      const c = snap.crawls.get(provider);
      return c ? absenceGaps(c, keys) : null;
    },
    scopes: (id) => (snap.scopesOf.get(id) ?? []).map((s) => s.scope),
    connectorScopes: (id) => memo(permissions, id, () => Object.freeze(permissionsOf(snap, id)) as string[]),
    grade: (provider, scope) => memo(grades, `${provider}\0${scope}`, () => Object.freeze(gradeScope(provider, scope))),
    worstGrade(provider, scopes) {
      let w: Severity | null = null;
      for (const s of scopes) { const g = ctx.grade(provider, s).severity; w = w ? worse(w, g) : g; }
      return w;
    },
    approvedScopes(entry, provider) {
      const key = `${entry.id}\0${provider}`;
      if (!closures.has(key)) {
        const list = entry.scopes?.[provider];
        closures.set(key, list ? approvedClosure(provider, list) : null);
      }
      return closures.get(key)!;
    },
    isApproved(entry, provider, scope) {
      if (!entry) return false;
      return ctx.approvedScopes(entry, provider)?.has(memo(normalised, `${provider}\0${scope}`, () => normaliseScope(provider, scope))) ?? false;
    },
    clock: (id) => clocks.for(id),
    clockChanges: () => clocks.next,
    entryOwners: (e) => [...new Set([e.business_owner, e.technical_owner].filter(Boolean))],
    memo<T>(table: string, key: string, compute: () => T): T {
      let cache = tables.get(table);
      if (!cache) { cache = new Map(); tables.set(table, cache); }
      return memo(cache as Map<string, T>, key, compute);
    },
  };
  return ctx;
}

/** The value cached under `key`, computed once. */
function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  let v = cache.get(key);
  if (v === undefined && !cache.has(key)) { v = compute(); cache.set(key, v); }
  return v as T;
}
