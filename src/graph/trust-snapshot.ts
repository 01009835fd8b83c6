// The federated trusts the reconciler reads (issue 19): the `trusts` view (migration 021) grouped per holder — each
// TRUSTS edge once, with the repositories its endpoint resolves to — so rules judge who accepts tokens from which
// workload without running SQL. Read inside the reconcile snapshot (reconcile-snapshot.ts).
import type { Db } from './db.ts';

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
  /** Live resources whose workload_keys hold the endpoint's workload_key (empty: an external or unresolved trust). */
  repositories: Array<{ id: string; name: string | null }>;
}

interface Row {
  holder_id: string; credential_id: string | null; endpoint_id: string; issuer: string | null; subject: string | null; issuer_kind: string | null;
  breadth: string | null; breadth_reason: string | null; workload_key: string | null; via: string | null; repository_id: string | null; repository_name: string | null;
}

/**
 * holder id -> its trusts, in one order on both backends. `region`: the temporary key set of an incremental
 * reconciliation's units (holders or credentials in it), or '' for the whole graph.
 */
export function loadTrusts(db: Db, region = ''): Map<string, TrustLink[]> {
  const where = region ? ` WHERE t.holder_id IN (SELECT id FROM ${region}) OR t.credential_id IN (SELECT id FROM ${region})` : '';
  const rows = db.prepare<[], Row>(`
    SELECT t.holder_id, t.credential_id, t.endpoint_id, t.issuer, t.subject, t.issuer_kind, t.breadth, t.breadth_reason, t.workload_key, t.via,
           t.repository_id, t.repository_name
      FROM trusts t${where}
     ORDER BY t.holder_id, t.credential_id, t.endpoint_id, t.repository_id`).all();
  const out = new Map<string, TrustLink[]>();
  const seen = new Map<string, TrustLink>();
  for (const r of rows) {
    const key = `${r.holder_id}\u0000${r.credential_id ?? ''}\u0000${r.endpoint_id}`;
    let t = seen.get(key);
    if (!t) {
      t = { credentialId: r.credential_id, endpointId: r.endpoint_id, issuer: r.issuer, subject: r.subject, issuerKind: r.issuer_kind ?? 'unknown',
        breadth: r.breadth ?? 'unrecognised', breadthReason: r.breadth_reason, workloadKey: r.workload_key, via: r.via, repositories: [] };
      seen.set(key, t);
      const list = out.get(r.holder_id);
      if (list) list.push(t); else out.set(r.holder_id, [t]);
    }
    if (r.repository_id && !t.repositories.some((x) => x.id === r.repository_id)) t.repositories.push({ id: r.repository_id, name: r.repository_name });
  }
  return out;
}
