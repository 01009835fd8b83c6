// Named queries of incremental reconciliation (src/reconcile/incremental.ts, migration 018): the unit map
// (connector, credential, sibling and inventory keys -> unit), revisit times, principal digests, what changed in the
// graph since the previous reconciliation's crawls, and the set-wise copy of everything a clean unit keeps (its
// findings' observations, inventory matches and not-verifiable rows) into the new reconciliation.
// The dirty units of one reconciliation live in the temporary table recon_dirty (unit); findings are placed in
// units by their connector, else their subject, else their inventory entry (FINDING_UNIT).
import type { Db } from './db.ts';
import { sqlFor, tempKeySet } from './dialect.ts';

/** The unit of the key an SQL expression gives (NULL: not in the map). */
const UNIT_OF = (key: string) => `(SELECT unit FROM reconcile_units u WHERE u.key = ${key})`;
/** The unit a row `f` naming a subject belongs to: its subject, else its inventory entry (not-verifiable rows). */
const SUBJECT_UNIT = `coalesce(${UNIT_OF('f.subject_id')}, ${UNIT_OF("'inventory:' || f.inventory_id")})`;
/** The unit a finding row `f` belongs to: its connector, else as SUBJECT_UNIT (NULL: none — the reconciliation is then full). */
const FINDING_UNIT = `coalesce(${UNIT_OF('f.connector_id')}, ${SUBJECT_UNIT})`;
/** This connection's temporary tables: SQLite's temp schema, PostgreSQL's pg_temp (the session's). */
const tempOf = (db: Db) => sqlFor(db, { sqlite: 'temp.', postgres: 'pg_temp.' });
const DIRTY = (db: Db, expr: string) => `(${expr}) IN (SELECT unit FROM ${tempOf(db)}recon_dirty)`;
const CLEAN_FINDING = (db: Db) => `NOT ${DIRTY(db, FINDING_UNIT)}`; // (a unit is never NULL here: unplacedFindings() made it full)
const OPEN = "f.status IN ('new','persisting','accepted','subsumed')";

export interface Basis {
  rules: string; policy: string; entries: string; coverage: Record<string, string>;
}

export function reconciliationBasis(db: Db, reconId: number): { basis: Basis | null; evaluatedAt: string | null } {
  const r = db.prepare<[number], { basis: string | null; evaluated_at: string | null }>('SELECT basis, evaluated_at FROM reconciliations WHERE id = ?').get(reconId);
  return { basis: r?.basis ? JSON.parse(r.basis) as Basis : null, evaluatedAt: r?.evaluated_at ?? null };
}

export function recordBasis(db: Db, reconId: number, mode: 'full' | 'incremental', basis: Basis | null): void {
  db.prepare('UPDATE reconciliations SET basis = ?, mode = ? WHERE id = ?').run(basis ? JSON.stringify(basis) : null, mode, reconId);
}

export function hasUnits(db: Db): boolean {
  return !!db.prepare('SELECT 1 FROM reconcile_units LIMIT 1').get();
}

/** Forget the unit map: the next reconciliation is full (retention removed history it would rely on). */
export function forgetUnits(db: Db): void {
  db.exec('DELETE FROM reconcile_units; DELETE FROM reconcile_revisits; DELETE FROM reconcile_principals;');
}

/**
 * The node ids a provider's crawls after run `afterRun` added, changed (any prop: observations such as a newer last
 * use included, which change_log leaves out) or removed, with both ends of every such edge — later runs included, even
 * failed ones: what the graph holds now is what is evaluated (nodes/edges changed_run, migration 019; removed_run).
 */
export function changedSince(db: Db, provider: string, afterRun: number): string[] {
  const out = new Set<string>();
  for (const r of db.prepare<[string, number, string, number], { id: string }>(`SELECT id FROM nodes WHERE provider = ? AND changed_run > ?
      UNION SELECT id FROM nodes WHERE provider = ? AND removed_run > ?`).all(provider, afterRun, provider, afterRun)) out.add(r.id);
  for (const r of db.prepare<[string, number, string, number], { src: string; dst: string }>(`SELECT src, dst FROM edges WHERE provider = ? AND changed_run > ?
      UNION SELECT src, dst FROM edges WHERE provider = ? AND removed_run > ?`).all(provider, afterRun, provider, afterRun)) { out.add(r.src); out.add(r.dst); }
  return [...out];
}

/**
 * The trusted-workload endpoints (TRUSTS targets, type trust.workload) whose workload_key one of these resources
 * carries (props.workload_keys, removed resources included): a repository added, changed or removed changes which
 * repositories a trust resolves to (the `trusts` view), though no edge joins them.
 */
export function trustEndpointsResolvingTo(db: Db, ids: Iterable<string>): string[] {
  const props = db.prepare<[string], { props: string }>(`SELECT props FROM nodes WHERE id = ? AND kind = 'resource'`);
  const byKey = db.prepare<[string], { id: string }>(sqlFor(db, {
    sqlite: `SELECT id FROM nodes WHERE kind = 'endpoint' AND type = 'trust.workload' AND json_extract(props, '$.workload_key') = ?`,
    postgres: `SELECT id FROM nodes WHERE kind = 'endpoint' AND type = 'trust.workload' AND props ->> 'workload_key' = ?`,
  }));
  const keys = new Set<string>();
  for (const id of ids) {
    const r = props.get(id);
    if (!r || !r.props.includes('workload_keys')) continue;
    const k = (typeof r.props === 'string' ? JSON.parse(r.props) : r.props as unknown) as { workload_keys?: unknown };
    if (Array.isArray(k.workload_keys)) for (const x of k.workload_keys) if (typeof x === 'string') keys.add(x);
  }
  const out = new Set<string>();
  for (const k of keys) for (const r of byKey.all(k)) out.add(r.id);
  return [...out];
}

/** key -> unit for the keys given (absent: not in the map). */
export function unitsOfKeys(db: Db, keys: Iterable<string>): Map<string, string> {
  const q = db.prepare<[string], { unit: string }>('SELECT unit FROM reconcile_units WHERE key = ?');
  const out = new Map<string, string>();
  for (const k of keys) { const r = q.get(k); if (r) out.set(k, r.unit); }
  return out;
}

/** Kind of each node id given that exists (removed or not). */
export function nodeKinds(db: Db, ids: Iterable<string>): Map<string, string> {
  const q = db.prepare<[string], { kind: string }>('SELECT kind FROM nodes WHERE id = ?');
  const out = new Map<string, string>();
  for (const id of ids) { const r = q.get(id); if (r) out.set(id, r.kind); }
  return out;
}

/** The nodes at the other end of every edge (current or removed) touching `id`. */
export function neighbours(db: Db, id: string): string[] {
  return db.prepare<[string, string], { other: string }>('SELECT dst AS other FROM edges WHERE src = ? UNION SELECT src FROM edges WHERE dst = ?')
    .all(id, id).map((r) => r.other);
}

export function keysOfUnits(db: Db, units: Iterable<string>): string[] {
  const q = db.prepare<[string], { key: string }>('SELECT key FROM reconcile_units WHERE unit = ?');
  const out: string[] = [];
  for (const u of units) for (const r of q.all(u)) out.push(r.key);
  return out;
}

/** Units due to be judged again at `nowMs` (a threshold crossed or a day count ticked). */
export function dueUnits(db: Db, nowMs: number): string[] {
  return db.prepare<[number], { unit: string }>('SELECT unit FROM reconcile_revisits WHERE at <= ?').all(nowMs).map((r) => r.unit);
}

/** Units of the open (not resolved) findings of these rules, and of the not-verifiable rows of a reconciliation. */
export function unitsOfFindings(db: Db, rules: string[], reconId: number): string[] {
  const out = new Set<string>();
  const q = db.prepare<[string], { unit: string | null }>(`SELECT ${FINDING_UNIT} AS unit FROM findings f WHERE f.rule = ? AND ${OPEN}`);
  for (const r of rules) for (const x of q.all(r)) if (x.unit) out.add(x.unit);
  for (const x of db.prepare<[number], { unit: string | null }>(`SELECT ${SUBJECT_UNIT} AS unit FROM not_verifiable f WHERE f.recon_id = ?`).all(reconId)) if (x.unit) out.add(x.unit);
  return [...out];
}

/** Open findings that belong to no unit (a full reconciliation places them). */
export function unplacedFindings(db: Db): number {
  return db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM findings f WHERE ${OPEN} AND ${FINDING_UNIT} IS NULL`).get()!.n;
}

export function principalDigests(db: Db): Map<string, string> {
  return new Map(db.prepare<[], { principal_id: string; digest: string }>('SELECT principal_id, digest FROM reconcile_principals').all()
    .map((r) => [r.principal_id, r.digest]));
}

/** Fills temp.recon_dirty with the units this reconciliation evaluates. */
export function markDirty(db: Db, units: Iterable<string>): void {
  tempKeySet(db, 'recon_dirty', 'unit', units);
}

/** The not-resolved findings of dirty units (what the reconciliation re-evaluates, resolves or carries): a condition on `f`. */
export const dirtyFindings = (db: Db): string => DIRTY(db, FINDING_UNIT);

/**
 * Carries every clean unit's state into reconciliation `reconId` as a full evaluation would leave it (same data,
 * same verdicts): its inventory matches, not-verifiable rows and finding observations copied from `prevId`; an open
 * finding it raised last time is persisting now (a status change only, as FindingStore.observe writes it), one it
 * carried stays carried. Returns the counts a full evaluation would have added for those findings.
 */
export function carryCleanUnits(db: Db, prevId: number, reconId: number, at: string): {
  byStatus: Record<'open' | 'accepted' | 'subsumed', number>; openByRule: Map<string, number>; carried: number; notVerifiable: number; matched: number;
} {
  const matched = db.prepare(`INSERT INTO inventory_matches (recon_id, connector_id, inventory_id, match_rule, match_value)
      SELECT ?, m.connector_id, m.inventory_id, m.match_rule, m.match_value FROM inventory_matches m
       WHERE m.recon_id = ? AND NOT ${DIRTY(db, UNIT_OF('m.connector_id'))}`).run(reconId, prevId).changes;
  const notVerifiable = db.prepare(`INSERT INTO not_verifiable (recon_id, rule, subject_id, subject_name, provider, inventory_id, reason)
      SELECT ?, f.rule, f.subject_id, f.subject_name, f.provider, f.inventory_id, f.reason FROM not_verifiable f
       WHERE f.recon_id = ? AND NOT ${DIRTY(db, SUBJECT_UNIT)}`).run(reconId, prevId).changes;
  // the clean findings (not resolved, in a unit not evaluated), placed once
  const temp = tempOf(db);
  db.exec(sqlFor(db, { // produced: 0/1 in SQLite, a boolean in PostgreSQL (EXISTS, and WHERE produced, on both)
    sqlite: `CREATE TEMP TABLE IF NOT EXISTS recon_clean (id TEXT PRIMARY KEY, produced INTEGER NOT NULL) WITHOUT ROWID; DELETE FROM temp.recon_clean;`,
    postgres: 'CREATE TEMP TABLE IF NOT EXISTS recon_clean (id TEXT COLLATE "C" PRIMARY KEY, produced BOOLEAN NOT NULL); DELETE FROM pg_temp.recon_clean;',
  }));
  db.prepare(`INSERT INTO ${temp}recon_clean (id, produced) SELECT f.id, EXISTS (SELECT 1 FROM finding_observations o WHERE o.recon_id = ? AND o.finding_id = f.id)
      FROM findings f WHERE ${OPEN} AND ${CLEAN_FINDING(db)}`).run(prevId);
  const byStatus = { open: 0, accepted: 0, subsumed: 0 };
  const openByRule = new Map<string, number>();
  for (const r of db.prepare<[number], { status: 'open' | 'accepted' | 'subsumed'; rule: string; n: number }>(`SELECT o.status, f.rule, count(*) AS n
      FROM ${temp}recon_clean c JOIN finding_observations o ON o.recon_id = ? AND o.finding_id = c.id JOIN findings f ON f.id = c.id
     GROUP BY o.status, f.rule`).all(prevId)) {
    byStatus[r.status] += r.n;
    if (r.status === 'open') openByRule.set(r.rule, (openByRule.get(r.rule) ?? 0) + r.n);
  }
  const carried = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${temp}recon_clean c JOIN findings f ON f.id = c.id
      WHERE f.status IN ('new','persisting') AND NOT c.produced`).get()!.n;
  // raised again unchanged: a status change only (new -> persisting), as FindingStore.observe writes it; carried: carry()
  db.prepare(`UPDATE findings SET status = 'persisting', last_seen_recon = ?, last_seen_at = ? WHERE status = 'new'
      AND id IN (SELECT id FROM ${temp}recon_clean WHERE produced)`).run(reconId, at);
  db.prepare(`UPDATE findings SET status = 'persisting' WHERE status = 'new' AND id IN (SELECT id FROM ${temp}recon_clean WHERE NOT produced)`).run();
  db.prepare(`INSERT INTO finding_observations (recon_id, finding_id, severity, status, acceptance)
      SELECT ?, o.finding_id, o.severity, o.status, o.acceptance FROM ${temp}recon_clean c JOIN finding_observations o ON o.recon_id = ? AND o.finding_id = c.id`).run(reconId, prevId);
  return { byStatus, openByRule, carried, notVerifiable, matched };
}

/**
 * Writes the unit map, revisit times and principal digests of what this reconciliation evaluated: everything
 * (`dirty` null: a full evaluation) or the dirty units' rows replaced (keys that left them, e.g. removed nodes, dropped).
 */
export function writeUnits(db: Db, dirty: Iterable<string> | null, units: Map<string, string>, revisits: Map<string, number>, principals: Map<string, string>): void {
  if (dirty === null) db.exec('DELETE FROM reconcile_units; DELETE FROM reconcile_revisits;');
  else {
    const delKeys = db.prepare('DELETE FROM reconcile_units WHERE unit = ?');
    const delRevisit = db.prepare('DELETE FROM reconcile_revisits WHERE unit = ?');
    for (const u of dirty) { delKeys.run(u); delRevisit.run(u); }
  }
  const ins = db.prepare(sqlFor(db, {
    sqlite: 'INSERT OR REPLACE INTO reconcile_units (key, unit) VALUES (?, ?)',
    postgres: 'INSERT INTO reconcile_units (key, unit) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET unit = excluded.unit',
  }));
  for (const [k, u] of units) ins.run(k, u);
  const rev = db.prepare(sqlFor(db, {
    sqlite: 'INSERT OR REPLACE INTO reconcile_revisits (unit, at) VALUES (?, ?)',
    postgres: 'INSERT INTO reconcile_revisits (unit, at) VALUES (?, ?) ON CONFLICT (unit) DO UPDATE SET at = excluded.at',
  }));
  for (const [u, at] of revisits) rev.run(u, at);
  db.exec('DELETE FROM reconcile_principals');
  const p = db.prepare('INSERT INTO reconcile_principals (principal_id, digest) VALUES (?, ?)');
  for (const [id, d] of principals) p.run(id, d);
}

/** Connectors not removed, and how many of them reconciliation `reconId` matched. */
export function connectorCounts(db: Db, reconId: number): { connectors: number; matched: number } {
  const connectors = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM nodes WHERE kind = 'connector' AND removed_run IS NULL").get()!.n;
  const matched = db.prepare<[number], { n: number }>('SELECT count(DISTINCT connector_id) AS n FROM inventory_matches WHERE recon_id = ?').get(reconId)!.n;
  return { connectors, matched };
}

/** Entry id -> the entry as stored (JSON) in the inventory version reconciliation `reconId` used. */
export function entriesOfReconciliation(db: Db, reconId: number): Map<string, string> {
  return new Map(db.prepare<[number], { id: string; entry: string }>(`SELECT v.id, v.entry FROM reconciliations r
      JOIN inventory_version_entries v ON v.inventory_hash = coalesce(r.inventory_hash, '') WHERE r.id = ?`).all(reconId).map((r) => [r.id, r.entry]));
}
