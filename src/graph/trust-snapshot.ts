// The federated trusts the reconciler reads (issue 19): the `trusts` view (migration 021) grouped per holder — each
// TRUSTS edge once, with the repositories its endpoint resolves to — so rules judge who accepts tokens from which
// workload without running SQL. Read inside the reconcile snapshot (reconcile-snapshot.ts).
// A trusting credential no connector holds (a Workload Identity pool) is judged on the connectors its admitted workloads
// may act as: those IN_TENANT of the tenant of a resource the credential CAN_ACCESS with `acts_as_connectors_for`
// naming the trust's endpoint (the connector says which access lets a workload act as every identity of that tenant,
// e.g. an impersonation role on a project). With none crawled, the credential itself stays the holder.
import type { Db } from './db.ts';
import { sqlFor } from './dialect.ts';
import { compareText } from '../util/collections.ts';

/** How a credential's admitted workloads act as the holding connector (absent: the connector trusts, or holds the credential). */
export interface ActsThrough {
  /** The credential whose TRUSTS edge this is (e.g. the pool). */
  credentialId: string;
  /** The resource the credential's access is on (e.g. the project), and the roles that access carries. */
  resourceId: string; resourceName: string | null; roles: string[];
}

/** One TRUSTS edge of a connector (its own, or a credential's it holds), with the workloads it resolves to. */
export interface TrustLink {
  /** The trusting credential, or null when the connector trusts directly. */
  credentialId: string | null;
  endpointId: string;
  issuer: string | null;
  subject: string | null;
  issuerKind: string;
  breadth: string;
  breadthReason: string | null;
  workloadKey: string | null;
  via: string | null;
  /** False when the edge says the trust admits no token now (props.enabled false: a disabled pool or provider). */
  enabled: boolean;
  /** The roles the edge names (props.roles, else props.role), for evidence. */
  roles: string[];
  /** Set when the holder is a connector the credential's workloads may act as through an access (not a HAS_CREDENTIAL). */
  actsThrough: ActsThrough | null;
  /** Live resources whose workload_keys hold the endpoint's workload_key (empty: an external or unresolved trust). */
  repositories: Array<{ id: string; name: string | null }>;
}

interface Row {
  holder_id: string; credential_id: string | null; endpoint_id: string; issuer: string | null; subject: string | null; issuer_kind: string | null;
  breadth: string | null; breadth_reason: string | null; workload_key: string | null; via: string | null; repository_id: string | null; repository_name: string | null;
  trust_props: unknown;
}
interface ActsRow extends Row { through_resource_id: string; through_resource_name: string | null; access_props: unknown }

const COLS = `t.holder_id, t.credential_id, t.endpoint_id, t.issuer, t.subject, t.issuer_kind, t.breadth, t.breadth_reason, t.workload_key, t.via,
           t.repository_id, t.repository_name, t.trust_props`;

const json = (v: unknown): Record<string, unknown> => {
  try {
    const o = typeof v === 'string' ? JSON.parse(v) as unknown : v;
    return o && typeof o === 'object' && !Array.isArray(o) ? o as Record<string, unknown> : {};
  } catch { return {}; }
};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * holder id -> its trusts, in one order on both backends. `region`: the temporary key set of an incremental
 * reconciliation's units (holders or credentials in it), or '' for the whole graph.
 */
export function loadTrusts(db: Db, region = ''): Map<string, TrustLink[]> {
  const where = region ? ` WHERE t.holder_id IN (SELECT id FROM ${region}) OR t.credential_id IN (SELECT id FROM ${region})` : '';
  const rows = db.prepare<[], Row>(`
    SELECT ${COLS}
      FROM trusts t${where}
     ORDER BY t.holder_id, t.credential_id, t.endpoint_id, t.repository_id`).all();
  // only trusts held by a credential itself can resolve to connectors acting through it: none, no second query
  const unheld = rows.some((r) => r.credential_id !== null && r.holder_id === r.credential_id);
  const actsFor = sqlFor(db, {
    sqlite: `EXISTS (SELECT 1 FROM json_each(a.props, '$.acts_as_connectors_for') x WHERE x.value = t.endpoint_id)`,
    postgres: `EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(a.props -> 'acts_as_connectors_for') = 'array'
                 THEN a.props -> 'acts_as_connectors_for' END) x(value) WHERE x.value = t.endpoint_id)`,
  });
  const actsRows = !unheld ? [] : db.prepare<[], ActsRow>(`
    SELECT c.id AS acting_holder, ${COLS}, a.dst AS through_resource_id, rn.name AS through_resource_name, a.props AS access_props
      FROM trusts t
      JOIN edges a ON a.src = t.credential_id AND a.type = 'CAN_ACCESS' AND a.removed_run IS NULL
      JOIN nodes rn ON rn.id = a.dst AND rn.kind = 'resource' AND rn.removed_run IS NULL
      JOIN edges rt ON rt.src = a.dst AND rt.type = 'IN_TENANT' AND rt.removed_run IS NULL
      JOIN edges ct ON ct.dst = rt.dst AND ct.type = 'IN_TENANT' AND ct.removed_run IS NULL
      JOIN nodes c ON c.id = ct.src AND c.kind = 'connector' AND c.removed_run IS NULL
     WHERE t.holder_id = t.credential_id AND ${actsFor}${region ? ` AND (c.id IN (SELECT id FROM ${region}) OR t.credential_id IN (SELECT id FROM ${region}))` : ''}
     ORDER BY c.id, t.credential_id, t.endpoint_id, a.dst, t.repository_id`).all() as Array<ActsRow & { acting_holder: string }>;

  const out = new Map<string, TrustLink[]>();
  const seen = new Map<string, TrustLink>();
  const add = (holder: string, r: Row, actsThrough: ActsThrough | null) => {
    const key = `${holder}\u0000${r.credential_id ?? ''}\u0000${r.endpoint_id}`;
    let t = seen.get(key);
    if (!t) {
      const p = json(r.trust_props);
      const roles = strings(p.roles);
      t = { credentialId: r.credential_id, endpointId: r.endpoint_id, issuer: r.issuer, subject: r.subject, issuerKind: r.issuer_kind ?? 'unknown',
        breadth: r.breadth ?? 'unrecognised', breadthReason: r.breadth_reason, workloadKey: r.workload_key, via: r.via, enabled: p.enabled !== false,
        roles: roles.length ? roles : typeof p.role === 'string' && p.role ? [p.role] : [], actsThrough, repositories: [] };
      seen.set(key, t);
      const list = out.get(holder);
      if (list) list.push(t); else out.set(holder, [t]);
    }
    if (r.repository_id && !t.repositories.some((x) => x.id === r.repository_id)) t.repositories.push({ id: r.repository_id, name: r.repository_name });
  };
  for (const r of rows) add(r.holder_id, r, null);
  // a credential's trust that resolves to connectors it acts as is theirs (not also the credential's), unless a connector
  // already trusts the same endpoint itself (one finding per identity and workload)
  const resolved = new Set<string>();
  for (const r of actsRows) {
    const own = out.get(r.acting_holder)?.some((t) => t.endpointId === r.endpoint_id && t.actsThrough === null) ?? false;
    resolved.add(`${r.credential_id}\u0000${r.endpoint_id}`);
    if (own) continue;
    add(r.acting_holder, r, { credentialId: r.credential_id!, resourceId: r.through_resource_id, resourceName: r.through_resource_name,
      roles: strings(json(r.access_props).roles) });
  }
  for (const [holder, list] of out) {
    const kept = list.filter((t) => !(t.actsThrough === null && t.credentialId === holder && resolved.has(`${holder}\u0000${t.endpointId}`)));
    if (!kept.length) out.delete(holder); else if (kept.length !== list.length) out.set(holder, kept);
  }
  return new Map([...out].sort(([a], [b]) => compareText(a, b)));
}
