// Named queries behind `nhi-census paths` and the reach summaries (docs/blast-radius.md): the one-hop steps of the
// `paths` view (migrations 022/023) out of, or into, a set of nodes — one query per breadth-first level, the frontier
// as a JSON array parameter, never one query per node —, the nodes a --from / --to term names, the rows the reach
// graph in memory is composed from (src/reach/compose-steps.ts), and the reach_computations / reach_summaries tables.
import type { Db } from './db.ts';
import { jsonStringRows, sqlFor } from './dialect.ts';
import { dialectOf } from './graph-db.ts';
import { jsonText } from './migrations-pg/sql.ts';
import { STEP_BRANCHES as SQLITE_BRANCHES } from './migrations/023-reach-unified.ts';
import { STEP_BRANCHES as PG_BRANCHES } from './migrations-pg/023-reach-unified.ts';
import { STEP_BRANCHES as SQLITE_BRANCHES_22 } from './migrations/022-reach-paths.ts';
import { STEP_BRANCHES as PG_BRANCHES_22 } from './migrations-pg/022-reach-paths.ts';

/** One row of the `paths` view, props parsed. */
export interface PathStep {
  from_id: string; from_name: string | null; from_kind: string; step: string;
  to_id: string; to_name: string | null; to_kind: string; access: string; provider: string; props: Record<string, unknown>;
}
export interface NodeRef { id: string; name: string | null; kind: string; provider: string }

type RawStep = Omit<PathStep, 'props'> & { props: unknown };

const STEP_COLUMNS = 'from_id, from_name, from_kind, step, to_id, to_name, to_kind, access, provider, props';

function parsed(rows: RawStep[]): PathStep[] {
  return rows.map((r) => ({ ...r, props: parseProps(r.props) }));
}

/** A props column as an object (JSON text on SQLite, jsonb on PostgreSQL); {} when it is not an object. */
export function parseProps(v: unknown): Record<string, unknown> {
  if (v === '{}') return {}; // most edges carry none
  if (typeof v === 'string') { try { const o = JSON.parse(v) as unknown; return o && typeof o === 'object' && !Array.isArray(o) ? o as Record<string, unknown> : {}; } catch { return {}; } }
  return v && typeof v === 'object' ? v as Record<string, unknown> : {};
}

/**
 * Every step out of these nodes (one query). The view's steps; on SQLite its CONTROLS branches start from the
 * holders' CAN_ACCESS edges (the planner, with no row estimate for the ids, would start from every repository).
 */
export function stepsFrom(db: Db, ids: readonly string[]): PathStep[] {
  return stepsAt(db, 'from_id', ids, (step, sql, pg) => (step === 'CONTROLS' && !pg ? controlsFromTargets(sql) : sql));
}

const CONTROLS_FROM = '  FROM edges ca\n  JOIN nodes h ON h.id = ca.src';
/** The view's CONTROLS branches (migration 023) starting from the holders in t(value), in that order (CROSS JOIN). */
function controlsFromTargets(sql: string): string {
  const parts = sql.split(CONTROLS_FROM);
  if (parts.length !== 3) throw new Error('paths: the CONTROLS branches changed shape; update controlsFromTargets'); // both parts: direct and tenant
  return parts.join('  FROM t\n  CROSS JOIN edges ca ON ca.src = t.value\n  CROSS JOIN nodes h ON h.id = ca.src');
}

/**
 * Every step into these nodes (one query). The view's steps, but its same-application branch is driven from the
 * targets here (the view's is driven from each credential, and a planner given only the targets scans every edge).
 */
export function stepsInto(db: Db, ids: readonly string[]): PathStep[] {
  return stepsAt(db, 'to_id', ids, (step, sql, pg) => (step !== 'CREDENTIAL_OF' ? sql
    : `${(pg ? PG_BRANCHES_22 : SQLITE_BRANCHES_22).CREDENTIAL_OF}\nUNION ALL${pg ? SAME_APP_INTO.postgres : SAME_APP_INTO.sqlite}`));
}

/**
 * The view's steps whose `end` is one of `ids`, the frontier as t(value): the view's branches (migration 023), each
 * as `branch` gives it (a branch may be replaced by one the frontier drives), ordered by that end, step, other end.
 */
function stepsAt(db: Db, end: 'from_id' | 'to_id', ids: readonly string[], branch: (step: string, sql: string, pg: boolean) => string): PathStep[] {
  if (!ids.length) return [];
  const pg = dialectOf(db) === 'postgres';
  const branches = Object.entries(pg ? PG_BRANCHES : SQLITE_BRANCHES).map(([step, sql]) => branch(step, sql, pg));
  const other = end === 'from_id' ? 'to_id' : 'from_id';
  return parsed(db.prepare(`WITH t(value) AS (${jsonStringRows(db)}), s(${STEP_COLUMNS}) AS (${branches.join('\nUNION ALL')})
      SELECT ${STEP_COLUMNS} FROM s WHERE ${end} IN (SELECT value FROM t) ORDER BY ${end}, step, ${other}`).all(JSON.stringify(ids)) as RawStep[]);
}

/**
 * The view's same-application CREDENTIAL_OF steps (migration 023 SAME_APP) into the connectors in t(value). SQLite:
 * CROSS JOIN keeps the join order (targets first); its planner has no row estimate for json_each.
 */
const SAME_APP_INTO = {
  sqlite: `
SELECT e.dst, b.name, b.kind, 'CREDENTIAL_OF', s.id, s.name, s.kind, 'holder (same application)', s.provider,
       json_set(e.props, '$.via', 'same-app', '$.application', coalesce(a.name, a.id))
  FROM t
  CROSS JOIN nodes s ON s.id = t.value AND s.removed_run IS NULL AND s.kind = 'connector'
  CROSS JOIN nodes a ON a.kind = 'connector' AND a.provider = s.provider
              AND lower(CAST(json_extract(a.props, '$.app_id') AS TEXT)) = lower(CAST(json_extract(s.props, '$.app_id') AS TEXT))
              AND coalesce(a.tenant, '') = coalesce(s.tenant, '') AND a.id <> s.id AND a.removed_run IS NULL
  JOIN edges e ON e.src = a.id AND e.type = 'HAS_CREDENTIAL' AND e.removed_run IS NULL
  JOIN nodes b ON b.id = e.dst AND b.removed_run IS NULL AND +b.kind = 'credential'
 WHERE json_extract(a.props, '$.app_id') IS NOT NULL`,
  postgres: `
SELECT e.dst, b.name, b.kind, 'CREDENTIAL_OF', s.id, s.name, s.kind, 'holder (same application)', s.provider,
       e.props || jsonb_build_object('via', 'same-app', 'application', coalesce(a.name, a.id))
  FROM t
  JOIN nodes s ON s.id = t.value AND s.removed_run IS NULL AND s.kind = 'connector'
  JOIN nodes a ON a.kind = 'connector' AND a.provider = s.provider AND lower(a.props ->> 'app_id') = lower(s.props ->> 'app_id')
              AND coalesce(a.tenant, '') = coalesce(s.tenant, '') AND a.id <> s.id AND a.removed_run IS NULL
  JOIN edges e ON e.src = a.id AND e.type = 'HAS_CREDENTIAL' AND e.removed_run IS NULL
  JOIN nodes b ON b.id = e.dst AND b.removed_run IS NULL AND b.kind = 'credential'
 WHERE a.props ->> 'app_id' IS NOT NULL`,
} as const;

// ---- the reach graph's rows (src/reach/compose-steps.ts composes the view's steps from them, checked against the view) ----

/** A live node as the reach graph needs it: a connector's app_id (the view's expression), an endpoint's breadth, whether it is a repository. */
export interface ReachNodeRow { id: string; name: string | null; kind: string; provider: string; tenant: string | null; app_id: string | null; breadth: string | null; repo: number }
export interface ReachEdgeRow { src: string; dst: string; type: string; props: unknown }
/** A live scope graded high or critical, with whether it controls workloads (scope_grades, migration 023). */
export interface HighScopeRow { id: string; name: string | null; provider: string; risk: 'critical' | 'high'; controls_workloads: number | null }

/** Every live node but scopes, streamed. */
export function reachNodeRows(db: Db): Iterable<ReachNodeRow> {
  return db.prepare(sqlFor(db, {
    sqlite: `SELECT id, name, kind, provider, tenant, CASE WHEN kind = 'connector' THEN lower(CAST(json_extract(props, '$.app_id') AS TEXT)) END AS app_id,
        CASE WHEN kind = 'endpoint' THEN json_extract(props, '$.breadth') END AS breadth,
        CASE WHEN kind = 'resource' AND json_extract(props, '$.workload_keys') IS NOT NULL THEN 1 ELSE 0 END AS repo
      FROM nodes WHERE removed_run IS NULL AND kind <> 'scope'`,
    postgres: `SELECT id, name, kind, provider, tenant, CASE WHEN kind = 'connector' THEN lower(props ->> 'app_id') END AS app_id,
        CASE WHEN kind = 'endpoint' THEN props ->> 'breadth' END AS breadth,
        CASE WHEN kind = 'resource' AND jsonb_typeof(props -> 'workload_keys') IS NOT NULL AND jsonb_typeof(props -> 'workload_keys') <> 'null' THEN 1 ELSE 0 END AS repo
      FROM nodes WHERE removed_run IS NULL AND kind <> 'scope'`,
  })).iterate() as Iterable<ReachNodeRow>;
}

/** The live edges the reach steps are made of (HAS_CREDENTIAL, CAN_ACCESS, TRUSTS, IN_TENANT), streamed. */
export function reachEdgeRows(db: Db): Iterable<ReachEdgeRow> {
  return db.prepare(`SELECT src, dst, type, props FROM edges WHERE removed_run IS NULL AND type IN ('HAS_CREDENTIAL', 'CAN_ACCESS', 'TRUSTS', 'IN_TENANT')`)
    .iterate() as Iterable<ReachEdgeRow>;
}

/** The live scopes graded high or critical (most scopes grade lower). */
export function highScopeRows(db: Db): HighScopeRow[] {
  return db.prepare(`SELECT n.id, n.name, n.provider, g.risk, g.controls_workloads FROM scope_grades g
      JOIN nodes n ON n.id = g.scope_id AND n.removed_run IS NULL WHERE g.risk IN ('critical', 'high')`).all() as HighScopeRow[];
}

/** The live HAS_SCOPE edges to scopes graded high or critical, streamed. */
export function highScopeEdgeRows(db: Db): Iterable<ReachEdgeRow> {
  return db.prepare(`SELECT e.src, e.dst, e.type, e.props FROM scope_grades g
      JOIN edges e ON e.dst = g.scope_id AND e.type = 'HAS_SCOPE' AND e.removed_run IS NULL WHERE g.risk IN ('critical', 'high')`).iterate() as Iterable<ReachEdgeRow>;
}

/** The view's MINTS steps (repositories to the trust endpoints naming their workloads; few), streamed. */
export function mintSteps(db: Db): Iterable<PathStep> {
  const branches = dialectOf(db) === 'postgres' ? PG_BRANCHES : SQLITE_BRANCHES;
  const stmt = db.prepare(`WITH s(${STEP_COLUMNS}) AS (${branches.MINTS}) SELECT ${STEP_COLUMNS} FROM s`);
  return (function* () {
    for (const r of stmt.iterate() as Iterable<RawStep>) { r.props = parseProps(r.props); yield r as PathStep; }
  })();
}

/**
 * The live nodes a --from / --to term names, tried in order: a node id; a person's email (their accounts in every
 * provider); a vendor's id or name (the connectors it publishes); a node name (any kind but scope). `vendor` says
 * the term named a vendor. Scope nodes are shared by every holder: never a starting point.
 */
export function resolveTerm(db: Db, term: string): { nodes: NodeRef[]; matched: 'id' | 'email' | 'vendor' | 'name' | null } {
  const cols = 'n.id, n.name, n.kind, n.provider';
  const byId = db.prepare(`SELECT ${cols} FROM nodes n WHERE n.id = ? AND n.removed_run IS NULL AND n.kind <> 'scope'`).all(term) as NodeRef[];
  if (byId.length) {
    if (byId[0]!.kind === 'vendor') return { nodes: publishedBy(db, [byId[0]!.id]), matched: 'vendor' };
    return { nodes: byId, matched: 'id' };
  }
  if (term.includes('@')) {
    const people = db.prepare(sqlFor(db, {
      sqlite: `SELECT ${cols} FROM nodes n WHERE n.kind = 'principal' AND n.removed_run IS NULL
                 AND (lower(json_extract(n.props, '$.email')) = lower(@term)
                   OR EXISTS (SELECT 1 FROM json_each(n.props, '$.emails') e WHERE json_type(n.props, '$.emails') = 'array' AND lower(e.value) = lower(@term)))
               ORDER BY n.provider, n.id`,
      postgres: `SELECT ${cols} FROM nodes n WHERE n.kind = 'principal' AND n.removed_run IS NULL
                 AND (lower(${jsonText('n.props', 'email')}) = lower(@term)
                   OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(n.props -> 'emails') = 'array' THEN n.props -> 'emails' END) e(value) WHERE lower(e.value) = lower(@term)))
               ORDER BY n.provider, n.id`,
    })).all({ term }) as NodeRef[];
    if (people.length) return { nodes: people, matched: 'email' };
  }
  const vendors = db.prepare(`SELECT n.id FROM nodes n WHERE n.kind = 'vendor' AND n.removed_run IS NULL AND lower(n.name) = lower(?)`).all(term) as Array<{ id: string }>;
  if (vendors.length) return { nodes: publishedBy(db, vendors.map((v) => v.id)), matched: 'vendor' };
  const named = db.prepare(`SELECT ${cols} FROM nodes n WHERE n.name = ? AND n.removed_run IS NULL AND n.kind NOT IN ('scope', 'vendor') ORDER BY n.provider, n.id`).all(term) as NodeRef[];
  return { nodes: named, matched: named.length ? 'name' : null };
}

function publishedBy(db: Db, vendorIds: string[]): NodeRef[] {
  return db.prepare(`SELECT c.id, c.name, c.kind, c.provider FROM edges e JOIN nodes c ON c.id = e.src AND c.removed_run IS NULL
      WHERE e.type = 'PUBLISHED_BY' AND e.removed_run IS NULL AND e.dst IN (${jsonStringRows(db)}) ORDER BY c.provider, c.id`)
    .all(JSON.stringify(vendorIds)) as NodeRef[];
}

/** The names of these nodes (for paths that start at a node no step names). */
export function nodesByIds(db: Db, ids: readonly string[]): NodeRef[] {
  if (!ids.length) return [];
  return db.prepare(`SELECT id, name, kind, provider FROM nodes WHERE id IN (${jsonStringRows(db)})`).all(JSON.stringify(ids)) as NodeRef[];
}

// ---- reach summaries (migration 022) ----

export interface ReachSummaryRow {
  connector_id: string; connector_name: string | null; provider: string; repositories: number;
  /** JSON [{id, name, access}] */
  repository_names: string;
  /** JSON [{id, name, type, provider, roles, grade, hops, via_trust}] */
  resources_with_roles: string;
  /** JSON [scope names] */
  scopes: string;
  privileged: number; max_privilege: string | null; trusts: number; paths: number;
}
export interface ReachComputation { id: number; recon_id: number; computed_at: string; crawl_runs: string; connectors: number; duration_ms: number }

/** The latest computation (at or before reconciliation `reconId` when given), or undefined. */
export function latestReachComputation(db: Db, reconId?: number): ReachComputation | undefined {
  return (reconId === undefined
    ? db.prepare('SELECT * FROM reach_computations ORDER BY id DESC LIMIT 1').get()
    : db.prepare('SELECT * FROM reach_computations WHERE recon_id <= ? ORDER BY recon_id DESC, id DESC LIMIT 1').get(reconId)) as ReachComputation | undefined;
}

/**
 * The reach summary of every connector (with any reach) as computed for reconciliation `reconId` — the latest
 * computation at or before it — or the latest computation; most privileged first. Empty when none was computed.
 */
export function reachSummaries(db: Db, opts: { reconId?: number } = {}): { computation: ReachComputation | undefined; rows: ReachSummaryRow[] } {
  const computation = latestReachComputation(db, opts.reconId);
  if (!computation) return { computation, rows: [] };
  const rows = db.prepare(`SELECT connector_id, connector_name, provider, repositories, repository_names, resources_with_roles, scopes,
        privileged, max_privilege, trusts, paths FROM reach_summaries WHERE computation_id = ?
      ORDER BY privileged DESC, CASE max_privilege WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
        trusts DESC, repositories DESC, connector_id`).all(computation.id) as ReachSummaryRow[];
  return { computation, rows };
}

/** Stores one computation and its rows (in one transaction); returns its id. */
export function writeReachComputation(db: Db, c: Omit<ReachComputation, 'id' | 'connectors'>, rows: Iterable<ReachSummaryRow>): number {
  return db.transaction(() => {
    const id = Number((db.prepare(`INSERT INTO reach_computations (recon_id, computed_at, crawl_runs, connectors, duration_ms) VALUES (?, ?, ?, 0, ?) RETURNING id`)
      .get(c.recon_id, c.computed_at, c.crawl_runs, c.duration_ms) as { id: number | bigint }).id);
    const batch: ReachSummaryRow[] = [];
    let n = 0;
    const insert = db.prepare(sqlFor(db, {
      sqlite: `INSERT INTO reach_summaries (computation_id, connector_id, connector_name, provider, repositories, repository_names, resources_with_roles,
                 scopes, privileged, max_privilege, trusts, paths)
               SELECT ?, ${['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].map((i) => `value ->> ${i}`).join(', ')} FROM json_each(?)`,
      postgres: `INSERT INTO reach_summaries (computation_id, connector_id, connector_name, provider, repositories, repository_names, resources_with_roles,
                 scopes, privileged, max_privilege, trusts, paths)
               SELECT ?, v->>0, v->>1, v->>2, (v->>3)::bigint, v->>4, v->>5, v->>6, (v->>7)::integer, v->>8, (v->>9)::bigint, (v->>10)::bigint
                 FROM jsonb_array_elements(CAST(? AS jsonb)) AS t(v)`,
    }));
    const flush = () => {
      if (!batch.length) return;
      insert.run(id, JSON.stringify(batch.map((r) => [r.connector_id, r.connector_name, r.provider, r.repositories, r.repository_names,
        r.resources_with_roles, r.scopes, r.privileged, r.max_privilege, r.trusts, r.paths])));
      batch.length = 0;
    };
    for (const r of rows) { batch.push(r); n++; if (batch.length === 2000) flush(); }
    flush();
    db.prepare('UPDATE reach_computations SET connectors = ? WHERE id = ?').run(n, id);
    return id;
  })();
}
