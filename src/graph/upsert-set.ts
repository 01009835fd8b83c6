// Set-wise upserts of prepared pages (issue 16): the nodes and edges of many pages are written with one
// `INSERT … SELECT FROM jsonb_each(?) … ON CONFLICT(id) DO UPDATE … WHERE` per table, which rewrites a row only
// when its content hash (props_hash, migration 016) or a column beside it differs, or it was not yet seen this
// run. The stored props are read back only for rows that are new, revived or whose hash differs, and history
// rows are written only for real changes — the same rules as one object at a time (see GraphWriter):
//  - a new or revived object is 'added'; a changed name or configuration is 'modified' (observation props
//    alone are not history); a reference creates a missing node and never overwrites, claims or revives one;
//  - a patch changes only the props it names on a live node (applied at its place in order, one at a time).
// Objects are written in the order given; when an id comes back in the same set with other content, the set
// is cut there, so the result is what writing the pages one at a time gives.
import { hash } from 'node:crypto';
import type { Db } from './db.ts';
import { sqlFor } from './dialect.ts';
import { dialectOf } from './graph-db.ts';
import { OBSERVATION_PROPS } from './model.ts';
import { canonicalJson } from '../util/canonical-json.ts';

/** A node ready to write: masked, canonical, hashed (GraphWriter.preparePage). */
export interface PreparedNode {
  id: string; provider: string; kind: string; type: string; name: string | null; tenant: string; props: string; hash: string;
  source: string | null; parent_id: string | null; ref: boolean;
  /** A patch: only these (masked) props change on the live node. */
  patch?: Record<string, unknown>;
}
export interface PreparedEdge { id: string; type: string; src: string; dst: string; provider: string; props: string; hash: string; source: string; parent_id: string | null }
export interface SetCounts { nodes: number; edges: number; added: number; modified: number }

/**
 * Props as written, from props read back: on SQLite the stored text itself; PostgreSQL's jsonb comes back with its
 * own key order and spacing, made canonical again (what history rows and comparisons need).
 */
export function storedProps(db: Db): (props: string) => string {
  return dialectOf(db) === 'postgres' ? (props) => canonicalJson(JSON.parse(props)) : (props) => props;
}

/** A stable hash of a canonical props document (the props_hash column). */
export function propsHash(canonical: string): string {
  return hash('sha1', canonical, 'base64');
}

interface NodeBefore { i: number; id: string | null; name: string | null; props: string | null; removed_run: number | null }
interface EdgeBefore { i: number; id: string | null; props: string | null; removed_run: number | null }

export class SetUpsert {
  private readonly s;

  /** Props read back, as written (storedProps). */
  private readonly stored: (props: string) => string;
  /** PostgreSQL: rows that other transactions may lock too (shared nodes, scope grades) are written in id order. */
  private readonly stableOrder: boolean;

  constructor(db: Db, private readonly runId: number) {
    // The two dialects differ in how a JSON array parameter becomes rows (SQLite's jsonb_each over text; PostgreSQL's
    // jsonb_array_elements, ordinality 1-based), in null-safe inequality (IS NOT / IS DISTINCT FROM), in ->> (SQLite
    // gives the SQL value, PostgreSQL text) and in untyped parameters and jsonb columns (casts on PostgreSQL).
    const pg = dialectOf(db) === 'postgres';
    this.stableOrder = pg;
    this.stored = storedProps(db);
    const ne = pg ? 'IS DISTINCT FROM' : 'IS NOT';
    const rowsOf = (param: string) => (pg ? `jsonb_array_elements(${param}::jsonb) AS t(v)` : `(SELECT value AS v FROM jsonb_each(${param})) WHERE true`);
    const run = pg ? 'CAST(@run AS bigint)' : '@run';
    const at = pg ? 'CAST(@at AS text)' : '@at';
    const props = pg ? '(v->>6)::jsonb' : 'v->>6';
    this.s = {
      // new (id NULL), revived, or content differs: what may need history. A reference matters only when missing.
      nodesBefore: db.prepare<[string], NodeBefore>(sqlFor(db, {
        sqlite: `SELECT j.key AS i, n.id, n.name, n.props, n.removed_run
          FROM jsonb_each(?) j LEFT JOIN nodes n ON n.id = j.value->>0
          WHERE n.id IS NULL OR (j.value->>1 = 0 AND (n.removed_run IS NOT NULL OR n.props_hash IS NOT j.value->>2 OR n.name IS NOT j.value->>3))`,
        postgres: `SELECT j.ord - 1 AS i, n.id, n.name, n.props, n.removed_run
          FROM jsonb_array_elements(?::jsonb) WITH ORDINALITY AS j(value, ord) LEFT JOIN nodes n ON n.id = j.value->>0
          WHERE n.id IS NULL OR (j.value->>1 = '0' AND (n.removed_run IS NOT NULL OR n.props_hash IS DISTINCT FROM j.value->>2 OR n.name IS DISTINCT FROM j.value->>3))`,
      })),
      upsertNodes: db.prepare(`INSERT INTO nodes (id, provider, kind, type, name, tenant, props, props_hash, source, parent_id,
            first_seen_run, last_seen_run, first_seen_at, last_seen_at, changed_run)
          SELECT v->>0, v->>1, v->>2, v->>3, v->>4, v->>5, ${props}, v->>7, v->>8, v->>9, ${run}, ${run}, ${at}, ${at}, ${run}
            FROM ${rowsOf('@rows')}
          ON CONFLICT(id) DO UPDATE SET
            changed_run = CASE WHEN nodes.removed_run IS NOT NULL OR nodes.props_hash ${ne} excluded.props_hash OR nodes.name ${ne} excluded.name
              OR nodes.kind ${ne} excluded.kind OR nodes.type ${ne} excluded.type OR nodes.tenant ${ne} excluded.tenant
              THEN excluded.changed_run ELSE nodes.changed_run END,
            name = excluded.name, props = excluded.props, props_hash = excluded.props_hash,
            kind = excluded.kind, type = excluded.type, source = excluded.source, parent_id = excluded.parent_id, tenant = excluded.tenant,
            last_seen_run = excluded.last_seen_run, last_seen_at = excluded.last_seen_at, removed_run = NULL, removed_at = NULL
          WHERE nodes.last_seen_run ${ne} excluded.last_seen_run OR nodes.removed_run IS NOT NULL
            OR nodes.props_hash ${ne} excluded.props_hash OR nodes.name ${ne} excluded.name OR nodes.kind ${ne} excluded.kind
            OR nodes.type ${ne} excluded.type OR nodes.source ${ne} excluded.source OR nodes.parent_id ${ne} excluded.parent_id
            OR nodes.tenant ${ne} excluded.tenant`),
      insertRefs: db.prepare(`INSERT INTO nodes (id, provider, kind, type, name, tenant, props, props_hash, source, parent_id,
            first_seen_run, last_seen_run, first_seen_at, last_seen_at, changed_run)
          SELECT v->>0, v->>1, v->>2, v->>3, v->>4, v->>5, ${props}, v->>7, NULL, NULL, ${run}, ${run}, ${at}, ${at}, ${run}
            FROM ${rowsOf('@rows')}
          ON CONFLICT(id) DO NOTHING`),
      edgesBefore: db.prepare<[string], EdgeBefore>(sqlFor(db, {
        sqlite: `SELECT j.key AS i, e.id, e.props, e.removed_run
          FROM jsonb_each(?) j LEFT JOIN edges e ON e.id = j.value->>0
          WHERE e.id IS NULL OR e.removed_run IS NOT NULL OR e.props_hash IS NOT j.value->>1`,
        postgres: `SELECT j.ord - 1 AS i, e.id, e.props, e.removed_run
          FROM jsonb_array_elements(?::jsonb) WITH ORDINALITY AS j(value, ord) LEFT JOIN edges e ON e.id = j.value->>0
          WHERE e.id IS NULL OR e.removed_run IS NOT NULL OR e.props_hash IS DISTINCT FROM j.value->>1`,
      })),
      upsertEdges: db.prepare(`INSERT INTO edges (id, type, src, dst, provider, props, props_hash, source, parent_id,
            first_seen_run, last_seen_run, first_seen_at, last_seen_at, changed_run)
          SELECT v->>0, v->>1, v->>2, v->>3, v->>4, ${pg ? '(v->>5)::jsonb' : 'v->>5'}, v->>6, v->>7, v->>8, ${run}, ${run}, ${at}, ${at}, ${run}
            FROM ${rowsOf('@rows')}
          ON CONFLICT(id) DO UPDATE SET
            changed_run = CASE WHEN edges.removed_run IS NOT NULL OR edges.props_hash ${ne} excluded.props_hash THEN excluded.changed_run ELSE edges.changed_run END,
            props = excluded.props, props_hash = excluded.props_hash, source = excluded.source,
            parent_id = excluded.parent_id, last_seen_run = excluded.last_seen_run, last_seen_at = excluded.last_seen_at,
            removed_run = NULL, removed_at = NULL
          WHERE edges.last_seen_run ${ne} excluded.last_seen_run OR edges.removed_run IS NOT NULL
            OR edges.props_hash ${ne} excluded.props_hash OR edges.source ${ne} excluded.source OR edges.parent_id ${ne} excluded.parent_id`),
      getNode: db.prepare<[string], { name: string | null; props: string; removed_run: number | null }>('SELECT name, props, removed_run FROM nodes WHERE id = ?'),
      patchNode: db.prepare('UPDATE nodes SET props = ?, props_hash = ?, changed_run = ? WHERE id = ?'),
      change: db.prepare(`INSERT INTO change_log (run_id, at, entity, entity_id, change, provider, kind, before, after)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      changes: db.prepare(`INSERT INTO change_log (run_id, at, entity, entity_id, change, provider, kind, before, after)
          SELECT ${run}, ${at}, v->>0, v->>1, v->>2, v->>3, v->>4, v->>5, v->>6 FROM ${pg ? 'jsonb_array_elements(@rows::jsonb) AS t(v)' : '(SELECT value AS v FROM jsonb_each(@rows))'}`),
    };
  }

  /**
   * Writes `nodes` then `edges` of a run of pages (the caller's transaction); returns the counts of
   * GraphWriter.writePage. `scopeNodes` gets, once they are written, the ids of the scope nodes (for their grades).
   */
  write(pages: Array<{ nodes: PreparedNode[]; edges: PreparedEdge[] }>, at: string, scopeNodes: (id: string) => void): SetCounts {
    const counts: SetCounts = { nodes: 0, edges: 0, added: 0, modified: 0 };
    let nodes = new Map<string, PreparedNode>();
    let edges = new Map<string, PreparedEdge>();
    const flushNodes = () => { if (nodes.size) this.writeNodes([...nodes.values()], at, counts); nodes = new Map(); };
    const flushEdges = () => { if (edges.size) this.writeEdges([...edges.values()], at, counts); edges = new Map(); };
    const scopes: string[] = [];
    for (const page of pages) {
      for (const n of page.nodes) {
        if (n.patch) { flushNodes(); this.patch(n, at, counts); continue; }
        if (n.kind === 'scope') scopes.push(n.id);
        if (!n.ref) counts.nodes++;
        const seen = nodes.get(n.id);
        if (seen && (n.ref || sameNode(seen, n))) continue; // it exists by now; the same content again changes nothing
        if (seen) flushNodes(); // other content for the same id: written after what came before it
        nodes.set(n.id, n);
      }
      for (const e of page.edges) {
        counts.edges++;
        const seen = edges.get(e.id);
        if (seen && sameEdge(seen, e)) continue;
        if (seen) flushEdges();
        edges.set(e.id, e);
      }
    }
    flushNodes();
    flushEdges();
    if (this.stableOrder) scopes.sort(byId);
    for (const id of scopes) scopeNodes(id); // graded once written
    return counts;
  }

  private writeNodes(rows: PreparedNode[], at: string, counts: SetCounts): void {
    const before = this.s.nodesBefore.all(JSON.stringify(rows.map((n) => [n.id, n.ref ? 1 : 0, n.hash, n.name])));
    // a concurrent crawl (PostgreSQL) upserting the same shared nodes locks them in the same order: no deadlock
    const owned = rows.filter((n) => !n.ref);
    const refs = rows.filter((n) => n.ref);
    if (this.stableOrder) { owned.sort(byId); refs.sort(byId); }
    const cols = (n: PreparedNode) => [n.id, n.provider, n.kind, n.type, n.name, n.tenant, n.props, n.hash, n.source, n.parent_id];
    if (owned.length) this.s.upsertNodes.run({ rows: JSON.stringify(owned.map(cols)), run: this.runId, at });
    if (refs.length) this.s.insertRefs.run({ rows: JSON.stringify(refs.map(cols)), run: this.runId, at });
    const changes: unknown[][] = [];
    for (const b of before) {
      const n = rows[b.i]!;
      if (b.props !== null) b.props = this.stored(b.props);
      if (b.id === null || b.removed_run !== null) {
        changes.push(['node', n.id, 'added', n.provider, n.kind, null, nodeSnapshot(n.name, n.props)]);
        counts.added++;
      } else if (b.name !== n.name || configurationChanged(b.props!, n.props)) {
        changes.push(['node', n.id, 'modified', n.provider, n.kind, nodeSnapshot(b.name, b.props!), nodeSnapshot(n.name, n.props)]);
        counts.modified++;
      }
    }
    this.history(changes, at);
  }

  private writeEdges(rows: PreparedEdge[], at: string, counts: SetCounts): void {
    const before = this.s.edgesBefore.all(JSON.stringify(rows.map((e) => [e.id, e.hash])));
    this.s.upsertEdges.run({ rows: JSON.stringify(rows.map((e) => [e.id, e.type, e.src, e.dst, e.provider, e.props, e.hash, e.source, e.parent_id])),
      run: this.runId, at });
    const changes: unknown[][] = [];
    for (const b of before) {
      const e = rows[b.i]!;
      if (b.props !== null) b.props = this.stored(b.props);
      if (b.id === null || b.removed_run !== null) {
        changes.push(['edge', e.id, 'added', e.provider, e.type, null, e.props]);
        counts.added++;
      } else if (b.props !== e.props) {
        changes.push(['edge', e.id, 'modified', e.provider, e.type, b.props, e.props]);
        counts.modified++;
      }
    }
    this.history(changes, at);
  }

  /** History rows (entity, id, change, provider, kind, before, after), in one statement. */
  private history(changes: unknown[][], at: string): void {
    if (changes.length) this.s.changes.run({ rows: JSON.stringify(changes), run: this.runId, at });
  }

  /** Only the props a patch names change, on a live node; history only for a configuration change. */
  private patch(n: PreparedNode, at: string, counts: SetCounts): void {
    const existing = this.s.getNode.get(n.id);
    if (!existing || existing.removed_run !== null) return;
    existing.props = this.stored(existing.props);
    const props = canonicalJson({ ...JSON.parse(existing.props), ...n.patch });
    if (props === existing.props) return;
    this.s.patchNode.run(props, propsHash(props), this.runId, n.id);
    if (!configurationChanged(existing.props, props)) return; // e.g. only a newer last use
    this.s.change.run(this.runId, at, 'node', n.id, 'modified', n.provider, n.kind, nodeSnapshot(existing.name, existing.props), nodeSnapshot(existing.name, props));
    counts.modified++;
  }
}

function byId(a: string | { id: string }, b: string | { id: string }): number {
  const [x, y] = [typeof a === 'string' ? a : a.id, typeof b === 'string' ? b : b.id];
  return x < y ? -1 : x > y ? 1 : 0;
}

function sameNode(a: PreparedNode, b: PreparedNode): boolean {
  return !a.ref && a.hash === b.hash && a.name === b.name && a.kind === b.kind && a.type === b.type && a.source === b.source
    && a.parent_id === b.parent_id && a.tenant === b.tenant;
}

function sameEdge(a: PreparedEdge, b: PreparedEdge): boolean {
  return a.hash === b.hash && a.source === b.source && a.parent_id === b.parent_id;
}

/** Whether two props documents differ beyond the observation props (OBSERVATION_PROPS). */
export function configurationChanged(before: string, after: string): boolean {
  if (before === after) return false;
  const strip = (json: string) => {
    const o = JSON.parse(json) as Record<string, unknown>;
    for (const k of OBSERVATION_PROPS) delete o[k];
    return canonicalJson(o);
  };
  return strip(before) !== strip(after);
}

export function nodeSnapshot(name: string | null, props: string): string {
  return `{"name":${JSON.stringify(name)},"props":${props}}`;
}
