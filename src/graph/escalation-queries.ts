// Named queries behind the cross-provider escalation paths (src/reconcile/escalation-paths.ts, docs/blast-radius.md
// "Cross-provider escalation"): the live trust endpoints (where every TRUSTED_BY step starts), a connector's siblings
// (same provider, tenant and app_id: an Entra application and its service principal), and who publishes a connector.
// Also the shape of an escalation path as the reconcile snapshot carries it (GraphSnapshot.escalations).
import type { Db } from './db.ts';
import { jsonStringRows, sqlFor } from './dialect.ts';
import type { NodeRef, PathStep } from './paths-queries.ts';
import type { Severity } from '../catalogue/index.ts';
import { pushTo } from '../util/collections.ts';

/** One step of an escalation path: a `paths` view row with its level (src/reach/levels.ts: 1 read … 4 acts as). */
export interface EscalationHop extends PathStep { level: number }

/** What a trust endpoint says about the workload it names (the endpoint node's props, docs/graph.md). */
export interface TrustFacts {
  endpointId: string; subject: string | null; issuer: string | null; breadth: string; breadthReason: string | null;
  environment: string | null; ref: string | null; repository: string | null;
}

/**
 * A starting connector that can act, through a path crossing a trust (a TRUSTED_BY step), as a cloud identity holding a
 * privileged role (src/catalogue/privileged-roles.ts) on a resource.
 */
export interface EscalationPath {
  origin: NodeRef;
  /** Who publishes the starting connector (PUBLISHED_BY), and whether the vendor is the organisation itself. */
  publisher: { name: string | null; firstParty: boolean | null } | null;
  /** origin → … → the privileged resource (the last hop is the CAN_ACCESS holding the role). */
  hops: EscalationHop[];
  /** Index in `hops` of the first trust crossed (a TRUSTED_BY step), and what its endpoint names. */
  trustIndex: number;
  trust: TrustFacts;
  privilege: { role: string; tier: 'owner' | 'contributor'; severity: Severity; reason: string; source: string; holder: NodeRef; resource: NodeRef };
  /** Other paths from the same origin to the same resource (less privileged or longer), not shown. */
  otherPaths: number;
  /** Connectors and credentials along this path and the others (the origin first): the incremental units its finding depends on. */
  identities: string[];
}

const parse = (v: unknown): Record<string, unknown> => {
  if (v && typeof v === 'object') return v as Record<string, unknown>;
  if (typeof v !== 'string') return {};
  try { const o = JSON.parse(v) as unknown; return o && typeof o === 'object' && !Array.isArray(o) ? o as Record<string, unknown> : {}; } catch { return {}; }
};
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Every live trust endpoint (trust.workload) with what it names, by id. */
export function trustEndpoints(db: Db): Map<string, TrustFacts> {
  const rows = db.prepare(`SELECT id, props FROM nodes WHERE kind = 'endpoint' AND type = 'trust.workload' AND removed_run IS NULL ORDER BY id`)
    .all() as Array<{ id: string; props: unknown }>;
  return new Map(rows.map((r) => {
    const p = parse(r.props);
    return [r.id, { endpointId: r.id, subject: str(p.subject), issuer: str(p.issuer), breadth: str(p.breadth) ?? 'unrecognised',
      breadthReason: str(p.breadth_reason), environment: str(p.environment), ref: str(p.ref), repository: str(p.repository) }];
  }));
}

/**
 * For each of these connectors, the live connectors one integration with it (same provider, tenant and app_id,
 * case-insensitive), itself excluded — in one query.
 */
export function siblingsOf(db: Db, connectorIds: readonly string[]): Map<string, NodeRef[]> {
  const out = new Map<string, NodeRef[]>(connectorIds.map((id) => [id, []]));
  if (!connectorIds.length) return out;
  const appId = sqlFor(db, { sqlite: "lower(CAST(json_extract(props, '$.app_id') AS TEXT))", postgres: "lower(props ->> 'app_id')" });
  const list = jsonStringRows(db);
  type Row = NodeRef & { tenant: string | null; app_id: string | null };
  // the connectors' own keys (by primary key), then one pass over the connectors carrying one of those app ids
  const own = db.prepare(`SELECT id, name, kind, provider, tenant, ${appId} AS app_id FROM nodes WHERE id IN (${list}) AND kind = 'connector'`)
    .all(JSON.stringify(connectorIds)) as Row[];
  const keyed = own.filter((r) => r.app_id !== null);
  if (!keyed.length) return out;
  const group = (r: Row) => `${r.provider}\u0000${r.tenant ?? ''}\u0000${r.app_id}`;
  const members = new Map<string, NodeRef[]>();
  for (const r of db.prepare(`SELECT id, name, kind, provider, tenant, ${appId} AS app_id FROM nodes
      WHERE kind = 'connector' AND removed_run IS NULL AND ${appId} IN (${list}) ORDER BY id`).all(JSON.stringify([...new Set(keyed.map((r) => r.app_id))])) as Row[]) {
    pushTo(members, group(r), { id: r.id, name: r.name, kind: r.kind, provider: r.provider });
  }
  for (const r of keyed) out.set(r.id, (members.get(group(r)) ?? []).filter((n) => n.id !== r.id));
  return out;
}

/** Who publishes each connector (its first live PUBLISHED_BY vendor, by vendor id): the vendor's name and `first_party` flag; one query. */
export function publishersOf(db: Db, connectorIds: readonly string[]): Map<string, { name: string | null; firstParty: boolean | null }> {
  const out = new Map<string, { name: string | null; firstParty: boolean | null }>();
  if (!connectorIds.length) return out;
  const list = jsonStringRows(db);
  const rows = db.prepare(`SELECT e.src, v.name, v.props FROM edges e JOIN nodes v ON v.id = e.dst AND v.removed_run IS NULL
      WHERE e.src IN (${list}) AND e.type = 'PUBLISHED_BY' AND e.removed_run IS NULL ORDER BY e.src, v.id`)
    .all(JSON.stringify(connectorIds)) as Array<{ src: string; name: string | null; props: unknown }>;
  for (const r of rows) {
    if (out.has(r.src)) continue;
    const fp = parse(r.props).first_party;
    out.set(r.src, { name: r.name, firstParty: fp === true || fp === 1 || fp === 'true' ? true : fp === false || fp === 0 || fp === 'false' ? false : null });
  }
  return out;
}
