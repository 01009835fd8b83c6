// Named queries the reconciler reads the graph with: the current connectors, credentials, principals
// and the edges rules look at, loaded once into maps (rules never run SQL), the latest usable crawl of
// each provider with per-listing completeness, and HAS_SCOPE changes between two runs.
import type { Db } from './db.ts';
import { sqlFor, tempKeySet } from './dialect.ts';
import { loadTrusts, type TrustLink } from './trust-snapshot.ts';
import type { EscalationPath } from './escalation-queries.ts';

export type { TrustLink };

export interface SnapNode {
  id: string; provider: string; kind: string; type: string; name: string; tenant: string | null;
  props: Record<string, unknown>; source: string | null; removed: boolean; firstSeenRun: number; lastSeenRun: number;
  /** When a listing removed it (ISO), if removed. */
  removedAt?: string | null;
}
export interface ScopeHolding { scope: string; props: Record<string, unknown> }
export interface OwnerLink { principalId: string; relation: 'OWNS' | 'INSTALLED_BY' | 'HAS_CREDENTIAL'; props?: Record<string, unknown> }
/** A network destination (FORWARDS_TO an endpoint that is a host): what destination rules and inventories judge. */
export interface Forward { host: string; props: Record<string, unknown> }
/** A chat channel a connector posts into (FORWARDS_TO an endpoint with endpoint_type 'channel'): not a network destination. */
export interface ChannelForward { channel: string; channelId: string | null; props: Record<string, unknown> }
/** An IAM / RBAC role held on a resource (CAN_ACCESS edge props.roles). */
export interface RoleHolding { role: string; resourceId: string; resourceName: string | null; resourceType?: string | null }
/** What a connector or credential can reach (every CAN_ACCESS edge): the resource or tenant, and the edge props (e.g. repositories: 'all'). */
export interface Access { resourceId: string; resourceName: string | null; resourceType: string | null; resourceKind: string | null; props: Record<string, unknown> }

/**
 * A provider's evidence, composed per tenant (docs/postgres.md "Tenants"): each tenant's listings come from the
 * latest usable run that covered that tenant, so a crawl of one tenant never hides or replaces another's.
 */
export interface CrawlInfo {
  provider: string;
  /** The newest of the runs composed (what "as of" queries read up to). */
  runId: number;
  /** Every run composed, ascending (one per provider when a run covers all its tenants). */
  runIds: number[];
  /** tenant -> the run its listings come from */
  tenantRuns: Map<string, number>;
  /** The oldest started_at of the runs (evidence is as old as its oldest part); finishedAt the newest finished_at. */
  startedAt: string; finishedAt: string | null;
  /** 'partial' when any of the runs is partial, else 'complete'. */
  runStatus: string;
  /** tenant -> resource type -> status in that tenant's run */
  resources: Map<string, Map<string, string>>;
  /** resource type -> inventory match keys its listings can produce (null: not recorded, read as any key) */
  provides: Map<string, string[] | null>;
}

/** "run 11", or "runs 10, 11" when the provider's evidence comes from several runs (one per tenant). */
export function runsLabel(runIds: readonly number[]): string {
  return runIds.length === 1 ? `run ${runIds[0]}` : `runs ${runIds.join(', ')}`;
}

export interface GraphSnapshot {
  connectors: SnapNode[];
  credentials: SnapNode[];
  principals: Map<string, SnapNode>;
  scopesOf: Map<string, ScopeHolding[]>;
  ownersOf: Map<string, OwnerLink[]>;
  /** Network hosts each connector forwards to (chat channels are in channelsOf). */
  forwardsOf: Map<string, Forward[]>;
  channelsOf: Map<string, ChannelForward[]>;
  rolesOf: Map<string, RoleHolding[]>;
  /** Every CAN_ACCESS of a connector or credential (reach: selected resources, or a whole tenant). */
  accessOf: Map<string, Access[]>;
  vendorOf: Map<string, string>;
  /** holder (connector or principal) -> credential ids */
  credentialsOf: Map<string, string[]>;
  /** credential -> holder ids */
  holdersOf: Map<string, string[]>;
  crawls: Map<string, CrawlInfo>;
  /** holder (connector) -> the workloads it accepts tokens from (TRUSTS, its own or its credentials'; the `trusts` view) */
  trustsOf: Map<string, TrustLink[]>;
  /** provider|tenant -> resource types that list principals (not just reference them) */
  principalListings: Map<string, Set<string>>;
  /**
   * Cross-provider escalation paths of the whole graph (whatever the region), set by the reconciler's read phase
   * (src/reconcile/escalation-paths.ts); absent when the snapshot is read for anything else.
   */
  escalations?: EscalationPath[];
}

interface NodeRow { id: string; provider: string; kind: string; type: string; name: string | null; tenant: string | null; props: string;
  source: string | null; removed_run: number | null; first_seen_run: number; last_seen_run: number; removed_at?: string | null }

const toNode = (r: NodeRow): SnapNode => ({ id: r.id, provider: r.provider, kind: r.kind, type: r.type, name: r.name ?? r.id, tenant: r.tenant,
  props: JSON.parse(r.props) as Record<string, unknown>, source: r.source, removed: r.removed_run !== null,
  firstSeenRun: r.first_seen_run, lastSeenRun: r.last_seen_run, removedAt: r.removed_at ?? null });

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => { const a = m.get(k); if (a) a.push(v); else m.set(k, [v]); };

/**
 * Per provider, its evidence composed per tenant: for each (provider, tenant) the latest run whose status is complete
 * or partial that covered it (a failed or running crawl is never used).
 */
export function latestUsableCrawls(db: Db): Map<string, CrawlInfo> {
  const rows = db.prepare<[], { provider: string; tenant: string; run_id: number }>(`
    SELECT rr.provider, rr.tenant, max(r.id) AS run_id FROM run_resources rr JOIN runs r ON r.id = rr.run_id
     WHERE r.status IN ('complete','partial') GROUP BY rr.provider, rr.tenant ORDER BY rr.provider, run_id DESC, rr.tenant`).all();
  const res = db.prepare<[number, string, string], { resource_type: string; status: string; provides: string | null }>(
    'SELECT resource_type, status, provides FROM run_resources WHERE run_id = ? AND provider = ? AND tenant = ?');
  const runRow = db.prepare<[number], { started_at: string; finished_at: string | null; status: string }>('SELECT started_at, finished_at, status FROM runs WHERE id = ?');
  const runs = new Map<number, { started_at: string; finished_at: string | null; status: string }>();
  const out = new Map<string, CrawlInfo>();
  // newest run first per provider: its declaration of what a resource type provides wins
  for (const r of rows) {
    const run = runs.get(r.run_id) ?? runs.set(r.run_id, runRow.get(r.run_id)!).get(r.run_id)!;
    let c = out.get(r.provider);
    if (!c) {
      c = { provider: r.provider, runId: r.run_id, runIds: [], tenantRuns: new Map(), startedAt: run.started_at, finishedAt: run.finished_at,
        runStatus: 'complete', resources: new Map(), provides: new Map() };
      out.set(r.provider, c);
    }
    if (!c.runIds.includes(r.run_id)) c.runIds.push(r.run_id);
    c.tenantRuns.set(r.tenant, r.run_id);
    if (run.started_at < c.startedAt) c.startedAt = run.started_at;
    if (run.finished_at && (!c.finishedAt || run.finished_at > c.finishedAt)) c.finishedAt = run.finished_at;
    if (run.status === 'partial') c.runStatus = 'partial';
    const types = new Map<string, string>();
    c.resources.set(r.tenant, types);
    for (const x of res.all(r.run_id, r.provider, r.tenant)) {
      types.set(x.resource_type, x.status);
      if (!c.provides.get(x.resource_type)) c.provides.set(x.resource_type, parseKeys(x.provides));
    }
  }
  for (const c of out.values()) {
    c.runIds.sort((a, b) => a - b);
    c.runId = c.runIds.at(-1)!;
    // tenants in name order, as one run's rows were read before
    c.resources = new Map([...c.resources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return out;
}

function parseKeys(json: string | null): string[] | null {
  if (!json) return null;
  try { const v = JSON.parse(json) as unknown; return Array.isArray(v) ? v.map(String) : null; } catch { return null; }
}

const NODE_COLS = 'id, provider, kind, type, name, tenant, props, source, removed_run, first_seen_run, last_seen_run, removed_at';

/** What identity resolution reads, always whole: every principal, which listings list them, and the usable crawls. */
export type PeopleSnapshot = Pick<GraphSnapshot, 'principals' | 'principalListings' | 'crawls'>;

export function loadPeople(db: Db): PeopleSnapshot {
  const principals = new Map<string, SnapNode>();
  const principalListings = new Map<string, Set<string>>();
  // in id order: a person's accounts (their departure reasons, in evidence) come out in one order on either backend,
  // whatever order PostgreSQL's heap holds the rows in after updates
  for (const r of db.prepare<[], NodeRow>(`SELECT ${NODE_COLS} FROM nodes WHERE kind = 'principal' ORDER BY id`).iterate()) {
    const n = toNode(r);
    principals.set(n.id, n);
    if (n.source) {
      const [p, t, type] = n.source.split('|');
      const key = `${p}|${t}`;
      if (!principalListings.has(key)) principalListings.set(key, new Set());
      principalListings.get(key)!.add(type!);
    }
  }
  return { principals, principalListings, crawls: latestUsableCrawls(db) };
}

/** The temporary key set holding a region (readSnapshot creates it before a snapshot that loads one). */
export const REGION_KEY_SET = { table: 'recon_region', column: 'id' } as const;

/**
 * The graph as rules read it. `region`: only these connectors and credentials (an incremental reconciliation's dirty
 * units, src/reconcile/incremental.ts) and the edges touching them; `people` (principals and crawls) is always whole,
 * passed in when the caller already read it.
 */
export function loadSnapshot(db: Db, region?: Iterable<string>, people: PeopleSnapshot = loadPeople(db)): GraphSnapshot {
  const cols = NODE_COLS;
  const connectors: SnapNode[] = [];
  const credentials: SnapNode[] = [];
  // the region in a temporary table (the session's)
  const region_ = region ? tempKeySet(db, REGION_KEY_SET.table, REGION_KEY_SET.column, region) : '';
  const members = region
    ? `SELECT ${cols.split(', ').map((c) => `n.${c}`).join(', ')} FROM ${region_} g JOIN nodes n ON n.id = g.id WHERE n.kind IN ('connector','credential') AND n.removed_run IS NULL ORDER BY n.id`
    : `SELECT ${cols} FROM nodes WHERE kind IN ('connector','credential') AND removed_run IS NULL ORDER BY id`;
  for (const r of db.prepare<[], NodeRow>(members).iterate()) {
    (r.kind === 'connector' ? connectors : credentials).push(toNode(r));
  }
  const { principals } = people;
  const scopesOf = new Map<string, ScopeHolding[]>();
  const ownersOf = new Map<string, OwnerLink[]>();
  const forwardsOf = new Map<string, Forward[]>();
  const channelsOf = new Map<string, ChannelForward[]>();
  const rolesOf = new Map<string, RoleHolding[]>();
  const accessOf = new Map<string, Access[]>();
  const vendorOf = new Map<string, string>();
  const credentialsOf = new Map<string, string[]>();
  const holdersOf = new Map<string, string[]>();
  // edges in insertion order: SQLite's rowid, PostgreSQL's edges.seq (db copy carries the rowid over)
  const seq = sqlFor(db, { sqlite: 'e.rowid', postgres: 'e.seq' });
  const endpoint = sqlFor(db, {
    sqlite: `CASE WHEN e.type = 'FORWARDS_TO' THEN json_extract(d.props, '$.endpoint_type') END AS dst_endpoint_type,
           CASE WHEN e.type = 'FORWARDS_TO' THEN json_extract(d.props, '$.channel_id') END AS dst_channel_id`,
    postgres: `CASE WHEN e.type = 'FORWARDS_TO' THEN d.props ->> 'endpoint_type' END AS dst_endpoint_type,
           CASE WHEN e.type = 'FORWARDS_TO' THEN d.props ->> 'channel_id' END AS dst_channel_id`,
  });
  const edgeSelect = (from: string, where: string) => `
    SELECT ${seq} AS seq, e.type, e.src, e.dst, e.props, d.name AS dst_name, d.kind AS dst_kind, d.type AS dst_type,
           ${endpoint}
      FROM ${from} LEFT JOIN nodes d ON d.id = e.dst
     WHERE e.removed_run IS NULL AND e.type IN ('HAS_SCOPE','OWNS','INSTALLED_BY','HAS_CREDENTIAL','FORWARDS_TO','PUBLISHED_BY','CAN_ACCESS')${where}`;
  const edges = db.prepare<[], { type: string; src: string; dst: string; props: string; dst_name: string | null; dst_kind: string | null; dst_type: string | null;
    dst_endpoint_type: string | null; dst_channel_id: string | null }>(region
    ? `${edgeSelect(`${region_} g JOIN edges e ON e.src = g.id`, '')}
       UNION ALL ${edgeSelect(`${region_} g JOIN edges e ON e.dst = g.id`, ` AND e.src NOT IN (SELECT id FROM ${region_})`)} ORDER BY seq`
    : `${edgeSelect('edges e', '')} ORDER BY ${seq}`); // one order in both: lists (owners, scopes) come out the same
  for (const e of edges.iterate()) {
    const props = e.props === '{}' ? {} : JSON.parse(e.props) as Record<string, unknown>;
    switch (e.type) {
      case 'HAS_SCOPE': push(scopesOf, e.src, { scope: e.dst_name ?? e.dst.split(':').slice(2).join(':'), props }); break;
      case 'OWNS': push(ownersOf, e.dst, { principalId: e.src, relation: 'OWNS', props }); break;
      case 'INSTALLED_BY': push(ownersOf, e.src, { principalId: e.dst, relation: 'INSTALLED_BY', props }); break;
      case 'HAS_CREDENTIAL':
        push(credentialsOf, e.src, e.dst); push(holdersOf, e.dst, e.src);
        if (principals.has(e.src)) push(ownersOf, e.dst, { principalId: e.src, relation: 'HAS_CREDENTIAL', props });
        break;
      case 'FORWARDS_TO':
        if (e.dst_endpoint_type === 'channel') push(channelsOf, e.src, { channel: e.dst_name ?? e.dst, channelId: e.dst_channel_id, props });
        else push(forwardsOf, e.src, { host: e.dst_name ?? e.dst, props });
        break;
      case 'PUBLISHED_BY': if (e.dst_name) vendorOf.set(e.src, e.dst_name); break;
      case 'CAN_ACCESS':
        if (Array.isArray(props.roles)) for (const role of props.roles) if (typeof role === 'string') push(rolesOf, e.src, { role, resourceId: e.dst, resourceName: e.dst_name, resourceType: e.dst_type });
        push(accessOf, e.src, { resourceId: e.dst, resourceName: e.dst_name, resourceType: e.dst_type, resourceKind: e.dst_kind, props });
        break;
    }
  }
  return { connectors, credentials, principals, scopesOf, ownersOf, forwardsOf, channelsOf, rolesOf, accessOf, vendorOf, credentialsOf, holdersOf,
    trustsOf: loadTrusts(db, region_), crawls: people.crawls, principalListings: people.principalListings };
}

/**
 * A connector's permissions as the rules judge them and `inventory draft` writes them: its own scopes, the
 * scopes of credentials it holds (per-user OAuth grants) and the IAM / RBAC roles it holds on resources.
 */
export function permissionsOf(snap: GraphSnapshot, connectorId: string): string[] {
  const out = new Set((snap.scopesOf.get(connectorId) ?? []).map((s) => s.scope));
  for (const cred of snap.credentialsOf.get(connectorId) ?? []) for (const s of snap.scopesOf.get(cred) ?? []) out.add(s.scope);
  for (const r of snap.rolesOf.get(connectorId) ?? []) out.add(r.role);
  return [...out].sort();
}

export interface ScopeChange { holderId: string; scope: string; change: 'added' | 'removed'; runId: number; at: string }

/**
 * HAS_SCOPE edges added or removed in runs (afterRun, uptoRun] of a provider, on holders that existed
 * before the change (a connector's first crawl is not a "change").
 */
export function scopeChanges(db: Db, provider: string, afterRun: number, uptoRun: number): ScopeChange[] {
  const rows = db.prepare<[string, number, number], { entity_id: string; change: 'added' | 'removed'; run_id: number; at: string }>(`
    SELECT entity_id, change, run_id, at FROM change_log
     WHERE entity = 'edge' AND kind = 'HAS_SCOPE' AND provider = ? AND run_id > ? AND run_id <= ? AND change IN ('added','removed')
     ORDER BY id`).all(provider, afterRun, uptoRun);
  const holder = db.prepare<[string], { first_seen_run: number }>('SELECT first_seen_run FROM nodes WHERE id = ?');
  const scopeName = db.prepare<[string], { name: string | null }>('SELECT name FROM nodes WHERE id = ?');
  const out: ScopeChange[] = [];
  for (const r of rows) {
    const [src, dst] = r.entity_id.split('|HAS_SCOPE|') as [string, string];
    const h = holder.get(src);
    if (!h || h.first_seen_run >= r.run_id) continue;
    out.push({ holderId: src, scope: scopeName.get(dst)?.name ?? dst, change: r.change, runId: r.run_id, at: r.at });
  }
  return out;
}

/** The run of `provider` before `runId` that a reconciliation could have used (complete or partial). */
export function previousUsableRun(db: Db, provider: string, runId: number): { id: number; started_at: string } | undefined {
  return db.prepare<[number, string], { id: number; started_at: string }>(`
    SELECT r.id, r.started_at FROM runs r WHERE r.status IN ('complete','partial') AND r.id < ?
       AND EXISTS (SELECT 1 FROM run_resources rr WHERE rr.run_id = r.id AND rr.provider = ?)
     ORDER BY r.id DESC LIMIT 1`).get(runId, provider);
}

export function runStartedAt(db: Db, runId: number): string | undefined {
  return db.prepare<[number], { started_at: string }>('SELECT started_at FROM runs WHERE id = ?').get(runId)?.started_at;
}
