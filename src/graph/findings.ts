// Named queries that persist a reconciliation: the reconciliation row, findings with their lifecycle
// (new / persisting / resolved), per-reconciliation observations, inventory matches and entries,
// identity resolution (people + SAME_PERSON edges). The caller wraps them in one transaction. Finding
// texts (title, subject, evidence, remediation, owners) are stored with every declared token format masked.
import crypto from 'node:crypto';
import type { Db } from './db.ts';
import { GraphWriter } from './writer.ts';
import { dirtyFindings } from './reconcile-units.ts';
import { sqlFor } from './dialect.ts';
import { maskDeep, maskJson, maskText } from '../util/redact.ts';

/**
 * new / persisting / resolved: an open action item's lifecycle. accepted: covered by a current inventory acceptance;
 * subsumed: folded into another finding (subsumed_by). Accepted and subsumed findings are recorded, not open, not resolved.
 */
export type FindingStatus = 'new' | 'persisting' | 'resolved' | 'accepted' | 'subsumed';

/** How a reconciliation saw a finding (finding_observations.status): an open action item, accepted, or folded into another. */
export type ObservedState = 'open' | 'accepted' | 'subsumed';

/** What a reconciliation decided about a finding besides its facts (docs/reconcile.md "Accepted risks", "Subsumption"). */
export interface FindingState { status: ObservedState; subsumedBy?: string | null; acceptance?: string | null }

export interface FindingRow {
  id: string; rule: string; family: string; severity: string; provider: string | null; tenant: string | null;
  subject_id: string | null; subject_name: string | null; connector_id: string | null; title: string; evidence: string;
  remediation: string; owasp: string | null; nist: string | null; inventory_id: string | null; match_rule: string | null;
  owners: string; depends_on: string; status: FindingStatus;
  /** JSON (src/reconcile/attribution.ts): recipients in order, departed people as context; NULL before migration 014. */
  attribution?: string | null; first_seen_recon: number; last_seen_recon: number;
  first_seen_at: string; last_seen_at: string; resolved_recon: number | null; resolved_at: string | null;
}

export type FindingInput = Omit<FindingRow, 'status' | 'first_seen_recon' | 'last_seen_recon' | 'first_seen_at' | 'last_seen_at' | 'resolved_recon' | 'resolved_at'>;

export interface ReconciliationRow { id: number; started_at: string; finished_at: string | null; status: string; crawl_runs: string; summary: string | null }

export function previousReconciliation(db: Db): ReconciliationRow | undefined {
  return db.prepare<[], ReconciliationRow>("SELECT id, started_at, finished_at, status, crawl_runs, summary FROM reconciliations WHERE status = 'complete' ORDER BY id DESC LIMIT 1").get();
}

/** `evaluatedAt`: the time dates were judged against (`reconcile --now`, or when it ran). */
export function beginReconciliation(db: Db, r: { startedAt: string; evaluatedAt: string; inventoryFile: string; inventoryHash: string; crawlRuns: Record<string, unknown> }): number {
  return Number(db.prepare(`INSERT INTO reconciliations (started_at, evaluated_at, status, inventory_file, inventory_hash, crawl_runs) VALUES (?, ?, 'running', ?, ?, ?)`)
    .run(r.startedAt, r.evaluatedAt, r.inventoryFile, r.inventoryHash, JSON.stringify(r.crawlRuns)).lastInsertRowid);
}

export function finishReconciliation(db: Db, id: number, summary: unknown): void {
  db.prepare("UPDATE reconciliations SET status = 'complete', finished_at = ?, summary = ? WHERE id = ?").run(new Date().toISOString(), JSON.stringify(maskDeep(summary)), id);
}

/**
 * What the reconciler needs of each open finding to carry or resolve it (not its evidence: memory stays small);
 * `subject_removed`: its subject node was removed — which only a complete listing (or a provider's own deletion
 * record) does, so it is evidence the problem is gone.
 */
export type OpenFindingKey = Pick<FindingRow, 'id' | 'rule' | 'provider' | 'tenant' | 'depends_on' | 'subject_id' | 'inventory_id' | 'status' | 'severity'>
  & { subject_removed: 0 | 1; subsumed_by: string | null; acceptance: string | null; content_hash: string | null };

/**
 * Findings not resolved: open (new, persisting), accepted or subsumed — the problem is still there. `dirtyUnitsOnly`:
 * only those of the units an incremental reconciliation evaluates (src/graph/reconcile-units.ts markDirty).
 */
export function openFindings(db: Db, dirtyUnitsOnly = false): OpenFindingKey[] {
  return db.prepare<[], OpenFindingKey>(`SELECT f.id, f.rule, f.provider, f.tenant, f.depends_on, f.subject_id, f.inventory_id, f.status, f.severity,
      f.subsumed_by, f.acceptance, f.content_hash, CASE WHEN n.removed_run IS NOT NULL THEN 1 ELSE 0 END AS subject_removed
      FROM findings f LEFT JOIN nodes n ON n.id = f.subject_id WHERE f.status IN ('new','persisting','accepted','subsumed')${dirtyUnitsOnly ? ` AND ${dirtyFindings(db)}` : ''}`).all();
}

/** What a rule could not decide in a reconciliation because the listings it needs did not complete. */
export interface NotVerifiableInput { rule: string; subject_id: string; subject_name: string | null; provider: string | null; inventory_id: string | null; reason: string }

export function findingStatuses(db: Db): Map<string, FindingStatus> {
  const m = new Map<string, FindingStatus>();
  for (const r of db.prepare<[], { id: string; status: FindingStatus }>('SELECT id, status FROM findings').iterate()) m.set(r.id, r.status);
  return m;
}

export class FindingStore {
  private readonly s;
  constructor(private readonly db: Db, private readonly reconId: number, private readonly at: string) {
    this.s = {
      insert: db.prepare(`INSERT INTO findings (id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title,
          evidence, remediation, owasp, nist, inventory_id, match_rule, owners, depends_on, attribution, status, first_seen_recon, last_seen_recon,
          first_seen_at, last_seen_at, subsumed_by, acceptance, content_hash)
        VALUES (@id, @rule, @family, @severity, @provider, @tenant, @subject_id, @subject_name, @connector_id, @title, @evidence,
          @remediation, @owasp, @nist, @inventory_id, @match_rule, @owners, @depends_on, @attribution, CASE @state WHEN 'open' THEN 'new' ELSE @state END, @recon, @recon, @at, @at, @subsumed_by, @acceptance, @content_hash)
        ON CONFLICT(id) DO UPDATE SET rule = excluded.rule, family = excluded.family, severity = excluded.severity,
          provider = excluded.provider, tenant = excluded.tenant, subject_id = excluded.subject_id, subject_name = excluded.subject_name,
          connector_id = excluded.connector_id, title = excluded.title, evidence = excluded.evidence, remediation = excluded.remediation,
          owasp = excluded.owasp, nist = excluded.nist, inventory_id = excluded.inventory_id, match_rule = excluded.match_rule,
          owners = excluded.owners, depends_on = excluded.depends_on, attribution = excluded.attribution,
          status = CASE WHEN excluded.status <> 'new' THEN excluded.status WHEN findings.status IN ('new','persisting') THEN 'persisting' ELSE 'new' END,
          subsumed_by = excluded.subsumed_by, acceptance = excluded.acceptance, content_hash = excluded.content_hash,
          last_seen_recon = excluded.last_seen_recon, last_seen_at = excluded.last_seen_at, resolved_recon = NULL, resolved_at = NULL`),
      observe: db.prepare(sqlFor(db, {
        sqlite: 'INSERT OR REPLACE INTO finding_observations (recon_id, finding_id, severity, status, acceptance) VALUES (?, ?, ?, ?, ?)',
        postgres: `INSERT INTO finding_observations (recon_id, finding_id, severity, status, acceptance) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (recon_id, finding_id) DO UPDATE SET severity = excluded.severity, status = excluded.status, acceptance = excluded.acceptance`,
      })),
      resolve: db.prepare("UPDATE findings SET status = 'resolved', resolved_recon = ?, resolved_at = ? WHERE id = ?"),
      // a status change only (the content is unchanged): no rewrite of the row's texts
      setStatus: db.prepare('UPDATE findings SET status = ?, last_seen_recon = ?, last_seen_at = ? WHERE id = ?'),
      carry: db.prepare("UPDATE findings SET status = 'persisting' WHERE id = ? AND status <> 'persisting'"),
      carryAs: db.prepare('UPDATE findings SET status = ? WHERE id = ? AND status <> ?'),
      notVerifiable: db.prepare(sqlFor(db, {
        sqlite: `INSERT OR REPLACE INTO not_verifiable (recon_id, rule, subject_id, subject_name, provider, inventory_id, reason)
        VALUES (?, ?, ?, ?, ?, ?, ?)`,
        postgres: `INSERT INTO not_verifiable (recon_id, rule, subject_id, subject_name, provider, inventory_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (recon_id, rule, subject_id) DO UPDATE SET subject_name = excluded.subject_name, provider = excluded.provider,
          inventory_id = excluded.inventory_id, reason = excluded.reason`,
      })),
      match: db.prepare(sqlFor(db, {
        sqlite: 'INSERT OR REPLACE INTO inventory_matches (recon_id, connector_id, inventory_id, match_rule, match_value) VALUES (?, ?, ?, ?, ?)',
        postgres: `INSERT INTO inventory_matches (recon_id, connector_id, inventory_id, match_rule, match_value) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (recon_id, connector_id, inventory_id) DO UPDATE SET match_rule = excluded.match_rule, match_value = excluded.match_value`,
      })),
      // one copy per inventory version: a reconciliation of an unchanged inventory writes nothing here
      entry: db.prepare(sqlFor(db, {
        sqlite: `INSERT OR IGNORE INTO inventory_version_entries (inventory_hash, id, name, vendor, business_owner, technical_owner,
          approved_on, approval_expires, temporary, end_date, entry)
          VALUES ((SELECT coalesce(inventory_hash, '') FROM reconciliations WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        postgres: `INSERT INTO inventory_version_entries (inventory_hash, id, name, vendor, business_owner, technical_owner,
          approved_on, approval_expires, temporary, end_date, entry)
          VALUES ((SELECT coalesce(inventory_hash, '') FROM reconciliations WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      })),
    };
  }

  /**
   * Records a finding observed in this reconciliation: open (new if not open before, persisting if it was; an accepted
   * or subsumed finding coming back re-opens as new, with its id), accepted, or subsumed by another finding.
   * `prev`: the finding as the previous reconciliation left it, if not resolved (openFindings) — the row is written
   * as a diff: not at all when its content (content_hash) and status are unchanged, only its status when just that changed.
   * Returns what was written to the findings table.
   */
  observe(f: FindingInput, state: FindingState = { status: 'open' }, prev?: Pick<OpenFindingKey, 'status' | 'content_hash'>): 'row' | 'status' | 'none' {
    const acceptance = state.acceptance ? maskJson(state.acceptance) : null;
    const row = { ...f, subject_name: f.subject_name && maskText(f.subject_name), title: maskText(f.title),
      evidence: maskJson(f.evidence), remediation: maskText(f.remediation), owners: maskJson(f.owners), attribution: f.attribution ? maskJson(f.attribution) : null, match_rule: f.match_rule && maskText(f.match_rule),
      recon: this.reconId, at: this.at, state: state.status, subsumed_by: state.subsumedBy ?? null, acceptance, content_hash: '' };
    row.content_hash = contentHash(row);
    this.s.observe.run(this.reconId, f.id, f.severity, state.status, acceptance);
    if (prev?.content_hash === row.content_hash) {
      const status = state.status !== 'open' ? state.status : prev.status === 'new' || prev.status === 'persisting' ? 'persisting' : 'new';
      if (status === prev.status) return 'none';
      this.s.setStatus.run(status, this.reconId, this.at, f.id);
      return 'status';
    }
    this.s.insert.run(row);
    return 'row';
  }

  resolve(id: string): void { this.s.resolve.run(this.reconId, this.at, id); }

  /** An open finding this reconciliation could not re-evaluate (its crawl was not complete): stays open. */
  carry(id: string): void { this.s.carry.run(id); }

  /** An accepted or subsumed finding this reconciliation could not re-evaluate: keeps that state, observed as such. */
  carryAs(id: string, severity: string, status: 'accepted' | 'subsumed', acceptance: string | null): void {
    this.s.carryAs.run(status, id, status);
    this.s.observe.run(this.reconId, id, severity, status, acceptance);
  }

  /** Records what a rule could not decide (not a finding): shown in the report as "not verifiable (coverage)". */
  notVerifiable(n: NotVerifiableInput): void {
    this.s.notVerifiable.run(this.reconId, n.rule, n.subject_id, n.subject_name && maskText(n.subject_name), n.provider, n.inventory_id, maskText(n.reason));
  }

  match(connectorId: string, inventoryId: string, rule: string, value: string): void {
    this.s.match.run(this.reconId, connectorId, inventoryId, rule, maskText(value));
  }

  entry(e: { id: string; name: string; vendor: string; business_owner: string; technical_owner: string; approved_on: string;
    approval_expires?: string; temporary: boolean; end_date?: string }): void {
    this.s.entry.run(this.reconId, e.id, e.name, e.vendor, e.business_owner, e.technical_owner, e.approved_on,
      e.approval_expires ?? null, e.temporary ? 1 : 0, e.end_date ?? null, JSON.stringify(e));
  }
}

/** What a finding row stores besides its lifecycle columns, hashed (masked, as stored; the observed state included). */
const HASHED = ['rule', 'family', 'severity', 'provider', 'tenant', 'subject_id', 'subject_name', 'connector_id', 'title', 'evidence', 'remediation',
  'owasp', 'nist', 'inventory_id', 'match_rule', 'owners', 'depends_on', 'attribution', 'state', 'subsumed_by', 'acceptance'] as const;

function contentHash(row: Record<(typeof HASHED)[number], unknown>): string {
  let text = '';
  for (const k of HASHED) { const v = row[k]; text += v === null || v === undefined ? '-;' : `${String(v).length}:${String(v)};`; } // length-prefixed: unambiguous
  return crypto.createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

export interface PersonRow { principalId: string; personKey: string | null; emails: string[]; provider: string; tenant: string | null; departed: boolean; reason: string | null }

/**
 * Writes identity resolution: the people table (replaced) and SAME_PERSON edges, stamped with the
 * latest crawl run (they are derived from it); links no longer derived are marked removed.
 */
export function writeIdentities(db: Db, reconId: number, people: PersonRow[], links: Array<[string, string]>): void {
  db.prepare('DELETE FROM people').run();
  const ins = db.prepare('INSERT INTO people (principal_id, person_key, emails, provider, tenant, departed, reason, recon_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const p of people) ins.run(p.principalId, p.personKey, JSON.stringify(maskDeep(p.emails)), p.provider, p.tenant, p.departed ? 1 : 0, p.reason && maskText(p.reason), reconId);
  const latestRun = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM runs').get()?.id;
  if (!latestRun) return;
  const writer = new GraphWriter(db, latestRun);
  const scope = 'identity|*|same_person|';
  const CHUNK = 5000;
  for (let i = 0; i < links.length; i += CHUNK) {
    writer.writePage({ provider: 'identity', tenant: '*', scope, parentId: null, emitted: { nodes: [],
      edges: links.slice(i, i + CHUNK).map(([from, to]) => ({ type: 'SAME_PERSON' as const, from, to, props: { by: 'email' } })) } });
  }
  writer.completeListing(scope);
}

/** Open (new or persisting) findings counted by severity: accepted and subsumed findings are not open action items (nor --fail-on). */
export function openFindingsBySeverity(db: Db): Array<{ severity: string; n: number }> {
  return db.prepare<[], { severity: string; n: number }>(
    "SELECT severity, count(*) AS n FROM findings WHERE status IN ('new','persisting') GROUP BY severity").all();
}

/** The first `limit` open findings, most severe first (the current_findings view). */
export function listOpenFindings(db: Db, limit: number): Array<Record<string, unknown>> {
  return db.prepare<[number], Record<string, unknown>>(`SELECT severity, rule, status, provider, subject_name AS subject, title
      FROM current_findings LIMIT ?`).all(limit);
}
