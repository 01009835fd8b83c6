// Named queries behind the report's reach figures (docs/report.md "Blast radius", "AI agents with access", the
// connector list's reach column): the reach summaries stored for a reconciliation (migration 022, written by
// src/reach/summaries.ts), read row by row; the type of the nodes they name; the connectors of a provider as of a
// run with what classifies them (props, vendor, the matched inventory entry's `category:`); the scopes a few
// connectors hold (directly or through their credentials); and the approval facts of inventory entries.
import type { Db } from './db.ts';
import { nullsFirst } from './dialect.ts';
import { latestReachComputation, type ReachComputation, type ReachSummaryRow } from './paths-queries.ts';
import { AS_OF, jsonValues, prop } from './report-queries.ts';

export type { ReachComputation, ReachSummaryRow };

/** The reach computation a report of reconciliation `reconId` reads: the latest made at or before it; none without one. */
export function reachComputationOf(db: Db, reconId: number | null): ReachComputation | undefined {
  return reconId === null ? undefined : latestReachComputation(db, reconId);
}

/** Every summary of a computation, row by row in connector id order (one row per connector that reaches anything). */
export function reachSummaryRows(db: Db, computationId: number): IterableIterator<ReachSummaryRow> {
  return db.prepare(`SELECT connector_id, connector_name, provider, repositories, repository_names, resources_with_roles, scopes,
        privileged, max_privilege, trusts, paths FROM reach_summaries WHERE computation_id = ? ORDER BY connector_id`)
    .iterate(computationId) as IterableIterator<ReachSummaryRow>;
}

/** A node's name, kind, type and provider (what a reach text or a path's box shows). */
export interface NodeTypeRow { id: string; name: string | null; kind: string; type: string; provider: string }

export function nodeTypesOf(db: Db, ids: readonly string[]): Map<string, NodeTypeRow> {
  if (!ids.length) return new Map();
  const rows = db.prepare(`SELECT id, name, kind, type, provider FROM nodes WHERE id IN (${jsonValues(db, '?')})`).all(JSON.stringify(ids)) as NodeTypeRow[];
  return new Map(rows.map((r) => [r.id, r]));
}

/** A connector as the category classifier reads it (src/categories), with the inventory entry the reconciliation matched. */
export interface ClassifyRow {
  id: string; provider: string; type: string; name: string | null; props: unknown; vendor: string | null;
  inventory_id: string | null; entry_category: string | null;
}

/** The connectors of `provider` as of run `run`, row by row, with vendor and the matched entry's `category:` (reconciliation `reconId`). */
export function connectorsToClassifyAsOf(db: Db, provider: string, run: number, reconId: number | null): IterableIterator<ClassifyRow> {
  return db.prepare(`SELECT n.id, n.provider, n.type, n.name, n.props,
        (SELECT v.name FROM edges e JOIN nodes v ON v.id = e.dst WHERE e.src = n.id AND e.type = 'PUBLISHED_BY' AND ${AS_OF('e')} LIMIT 1) AS vendor,
        m.inventory_id,
        (SELECT ${prop(db, 'ie.entry', 'category')} FROM inventory_entries ie WHERE ie.recon_id = @recon AND ie.id = m.inventory_id) AS entry_category
      FROM nodes n
      LEFT JOIN (SELECT connector_id, min(inventory_id) AS inventory_id FROM inventory_matches WHERE recon_id = @recon GROUP BY connector_id) m
        ON m.connector_id = n.id
     WHERE n.kind = 'connector' AND n.provider = @provider AND ${AS_OF('n')}
     ORDER BY n.id`).iterate({ provider, run, recon: reconId ?? -1 }) as IterableIterator<ClassifyRow>;
}

/** The scopes each of `ids` holds as of run `run`: its own HAS_SCOPE edges and those of the credentials it holds. */
export function scopesHeldAsOf(db: Db, run: number, ids: readonly string[]): Array<{ holder_id: string; scope: string; provider: string }> {
  if (!ids.length) return [];
  return db.prepare(`SELECT DISTINCT x.holder_id, s.name AS scope, s.provider FROM (
        SELECT e.src AS holder_id, e.dst AS scope_id FROM edges e WHERE e.type = 'HAS_SCOPE' AND ${AS_OF('e')} AND e.src IN (${jsonValues(db, '@ids')})
        UNION ALL
        SELECT hc.src, e.dst FROM edges hc JOIN edges e ON e.src = hc.dst AND e.type = 'HAS_SCOPE' AND ${AS_OF('e')}
         WHERE hc.type = 'HAS_CREDENTIAL' AND ${AS_OF('hc')} AND hc.src IN (${jsonValues(db, '@ids')})) x
      JOIN nodes s ON s.id = x.scope_id AND s.kind = 'scope'
     ORDER BY x.holder_id, s.name${nullsFirst(db)}`).all({ run, ids: JSON.stringify(ids) }) as Array<{ holder_id: string; scope: string; provider: string }>;
}

/** Who approved an inventory entry: its owners, ticket and approval date, as the reconciliation `reconId` read the inventory. */
export interface EntryApprovalRow { id: string; business_owner: string | null; technical_owner: string | null; approved_on: string | null; ticket: string | null }

export function entryApprovalsOf(db: Db, reconId: number, ids: readonly string[]): Map<string, EntryApprovalRow> {
  if (!ids.length) return new Map();
  const rows = db.prepare(`SELECT id, business_owner, technical_owner, approved_on, ${prop(db, 'entry', 'ticket')} AS ticket
      FROM inventory_entries WHERE recon_id = ? AND id IN (${jsonValues(db, '?')})`).all(reconId, JSON.stringify(ids)) as EntryApprovalRow[];
  return new Map(rows.map((r) => [r.id, r]));
}
