// Named queries behind the monthly reconciliation report (reports/model.ts): which reconciliation and
// crawl runs a month's report is built on, the connectors and credentials as they were at those runs,
// findings observed by a reconciliation, scope changes between two runs, and the `reports` ledger.
// "As of run r": an object counts if it was first seen at or before r and not removed by r
// (first_seen_run <= r AND (removed_run IS NULL OR removed_run > r)); run ids only grow.
import type { Db } from './db.ts';
import type { GraphStatement } from './graph-db.ts';
import { nullsFirst, sqlFor } from './dialect.ts';
import { jsonText } from './migrations-pg/sql.ts';

export interface ReconRow {
  id: number; started_at: string; finished_at: string | null; status: string;
  /** when dates were judged (`reconcile --now`); NULL before migration 008 */
  evaluated_at?: string | null;
  inventory_file: string | null; inventory_hash: string | null; crawl_runs: string; summary: string | null;
}
export interface RunInfo { id: number; started_at: string; finished_at: string | null; status: string; providers: string; mode: string }
export interface RunResourceRow { provider: string; tenant: string; resource_type: string; status: string; objects: number; error: string | null }
export interface ReportRow {
  id: number; month: string; generated_at: string; recon_id: number | null; crawl_runs: string;
  inventory_file: string | null; inventory_hash: string | null; organisation: string; files: string; summary: string;
}
export interface ConnectorRow {
  id: string; provider: string; tenant: string | null; type: string; name: string | null; vendor: string | null;
  inventory_id: string | null; match_rule: string | null; scope_count: number; credential_count: number;
  first_seen_at: string; last_seen_at: string;
}
export interface ObservedFinding {
  id: string; rule: string; family: string; severity: string; provider: string | null; tenant: string | null;
  subject_id: string | null; subject_name: string | null; connector_id: string | null; connector_name: string | null;
  title: string; evidence: string; remediation: string; owasp: string | null; nist: string | null; observed: number;
  inventory_id: string | null; match_rule: string | null; owners: string; first_seen_at: string; first_seen_recon: number;
  /** JSON (src/reconcile/attribution.ts); NULL before migration 014. */
  attribution?: string | null;
  /** JSON (src/reconcile/acceptance.ts): the inventory acceptance covering it at that reconciliation (expired: true = re-opened); migration 013. */
  acceptance?: string | null;
}
export interface ScopeChangeRow { run_id: number; at: string; change: string; entity_id: string; provider: string; holder_name: string | null; holder_kind: string | null; scope_name: string | null }
export interface NotVerifiableRow { rule: string; subject_id: string; subject_name: string | null; provider: string | null; inventory_id: string | null; reason: string }
export interface CredentialFigures { total: number; no_expiry: number; expired: number; older_than_max_age: number; static: number; unused: number }

export const AS_OF = (a: string) => `${a}.first_seen_run <= @run AND (${a}.removed_run IS NULL OR ${a}.removed_run > @run)`;

// Where the dialects differ in these queries, the fragments side by side:
/** A string-valued property of a JSON column (compared and sorted bytewise in both, as SQLite's text). */
export const prop = (db: Db, col: string, key: string) => sqlFor(db, { sqlite: `json_extract(${col}, '$.${key}')`, postgres: jsonText(col, key) });
/** A number-valued property of a JSON column (a JSON number, else NULL in PostgreSQL). */
const jsonNumber = (db: Db, col: string, key: string) => sqlFor(db, {
  sqlite: `json_extract(${col}, '$.${key}')`,
  postgres: `(CASE jsonb_typeof(${col} -> '${key}') WHEN 'number' THEN (${col} -> '${key}')::numeric END)`,
});
/** The elements of a JSON array of strings given as a parameter, as rows of `value`. */
export const jsonValues = (db: Db, param: string) => sqlFor(db, { sqlite: `SELECT value FROM json_each(${param})`, postgres: `SELECT value FROM jsonb_array_elements_text(CAST(${param} AS jsonb))` });

// Statements the report runs once per value (people and node names in evidence), prepared once per connection.
const prepared = new WeakMap<Db, Map<string, GraphStatement>>();
function cached(db: Db, sql: string): GraphStatement {
  const m = prepared.get(db) ?? prepared.set(db, new Map()).get(db)!;
  return m.get(sql) ?? m.set(sql, db.prepare(sql)).get(sql)!;
}

/** The latest complete reconciliation that started before `before` (ISO). */
export function latestReconciliationBefore(db: Db, before: string): ReconRow | undefined {
  return db.prepare<[string], ReconRow>(`SELECT * FROM reconciliations WHERE status = 'complete' AND started_at < ?
      ORDER BY started_at DESC, id DESC LIMIT 1`).get(before);
}

export function reconciliationById(db: Db, id: number): ReconRow | undefined {
  return db.prepare<[number], ReconRow>('SELECT * FROM reconciliations WHERE id = ?').get(id);
}

/** Complete reconciliations that started in [from, to), oldest first. */
export function reconciliationsBetween(db: Db, from: string, to: string): ReconRow[] {
  return db.prepare<[string, string], ReconRow>(`SELECT * FROM reconciliations WHERE status = 'complete' AND started_at >= ? AND started_at < ?
      ORDER BY started_at, id`).all(from, to);
}

/**
 * Per provider, the runs its crawl table is composed of (ascending): for each of its tenants the latest finished run
 * (any status but running) that crawled it, started before `before` — a crawl of one tenant never hides another's.
 */
export function latestRunsPerProvider(db: Db, before: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [provider, tenants] of latestRunPerTenant(db, before)) out.set(provider, [...new Set(tenants.values())].sort((a, b) => a - b));
  return out;
}

/** Per provider and tenant, the latest finished run (any status but running) that crawled it, started before `before`. */
export function latestRunPerTenant(db: Db, before: string): Map<string, Map<string, number>> {
  const rows = db.prepare<[string], { provider: string; tenant: string; run_id: number }>(`SELECT rr.provider, rr.tenant, max(r.id) AS run_id
      FROM runs r JOIN run_resources rr ON rr.run_id = r.id
     WHERE r.status <> 'running' AND r.started_at < ? GROUP BY rr.provider, rr.tenant ORDER BY rr.provider, rr.tenant`).all(before);
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) (out.get(r.provider) ?? out.set(r.provider, new Map()).get(r.provider)!).set(r.tenant, r.run_id);
  return out;
}

export function runById(db: Db, id: number): RunInfo | undefined {
  return db.prepare<[number], RunInfo>('SELECT id, started_at, finished_at, status, providers, mode FROM runs WHERE id = ?').get(id);
}

export function runResourcesOf(db: Db, runId: number, provider: string): RunResourceRow[] {
  return db.prepare<[number, string], RunResourceRow>(`SELECT provider, tenant, resource_type, status, objects, error
      FROM run_resources WHERE run_id = ? AND provider = ? ORDER BY tenant, resource_type`).all(runId, provider);
}

/**
 * The listings of `provider` composed from `runIds`: each tenant's rows from the newest of those runs that crawled it
 * (what src/graph/reconcile-snapshot.ts latestUsableCrawls composes), in tenant and resource order.
 */
export function composedRunResources(db: Db, runIds: readonly number[], provider: string): Array<RunResourceRow & { run_id: number }> {
  if (!runIds.length) return [];
  const rows = db.prepare<unknown[], RunResourceRow & { run_id: number }>(`SELECT run_id, provider, tenant, resource_type, status, objects, error
      FROM run_resources WHERE provider = ? AND run_id IN (${runIds.map(() => '?').join(', ')}) ORDER BY tenant, resource_type`).all(provider, ...runIds);
  const newest = new Map<string, number>();
  for (const r of rows) if (r.run_id > (newest.get(r.tenant) ?? -1)) newest.set(r.tenant, r.run_id);
  return rows.filter((r) => newest.get(r.tenant) === r.run_id);
}

/** What reconciliation `reconId` could not decide for lack of coverage (not_verifiable), by provider and subject. */
export function notVerifiableOf(db: Db, reconId: number): NotVerifiableRow[] {
  return db.prepare<[number], NotVerifiableRow>(`SELECT rule, subject_id, subject_name, provider, inventory_id, reason FROM not_verifiable
     WHERE recon_id = ? ORDER BY coalesce(provider, ''), coalesce(subject_name, subject_id), subject_id`).all(reconId);
}

/**
 * Every connector of `provider` as of run `run`, with its approval match (from `reconId`), vendor, scope and credential
 * counts (owners: connectorOwnersAsOf), row by row in report order (type, name, id).
 */
export function connectorsAsOf(db: Db, provider: string, run: number, reconId: number | null): IterableIterator<ConnectorRow> {
  return db.prepare(`SELECT n.id, n.provider, n.tenant, n.type, n.name,
        (SELECT v.name FROM edges e JOIN nodes v ON v.id = e.dst WHERE e.src = n.id AND e.type = 'PUBLISHED_BY' AND ${AS_OF('e')} LIMIT 1) AS vendor,
        m.inventory_id, m.match_rule,
        (SELECT count(*) FROM edges e WHERE e.src = n.id AND e.type = 'HAS_SCOPE' AND ${AS_OF('e')}) AS scope_count,
        (SELECT count(*) FROM edges e WHERE e.src = n.id AND e.type = 'HAS_CREDENTIAL' AND ${AS_OF('e')}) AS credential_count,
        n.first_seen_at, n.last_seen_at
      FROM nodes n
      LEFT JOIN (SELECT connector_id, min(inventory_id) AS inventory_id, min(match_rule) AS match_rule FROM inventory_matches
                  WHERE recon_id = @recon GROUP BY connector_id) m ON m.connector_id = n.id
     WHERE n.kind = 'connector' AND n.provider = @provider AND ${AS_OF('n')}
     ORDER BY n.type, n.name${nullsFirst(db)}, n.id`).iterate({ provider, run, recon: reconId ?? -1 }) as IterableIterator<ConnectorRow>;
}

/** The e-mails of every person identity resolution (the latest reconciliation) says has departed. */
export function departedEmails(db: Db): Set<string> {
  return new Set(db.prepare(sqlFor(db, {
    sqlite: `SELECT DISTINCT lower(j.value) FROM people p, json_each(p.emails) j WHERE p.departed = 1`,
    postgres: 'SELECT DISTINCT lower(j.value) FROM people p, jsonb_array_elements_text(p.emails) j(value) WHERE p.departed = 1',
  })).pluck().all() as string[]);
}

/** One owner of a connector with its status (departed 1/0 per identity resolution, NULL: no provider knows them). */
export interface ConnectorOwnerRow { connector_id: string; role: 'inventory' | 'provider' | 'installer'; email: string | null; name: string; departed: 0 | 1 | null }

/**
 * The owners of the connectors of `provider` present at run `run`: the inventory entry's owners (technical, then business;
 * the entry the reconciliation matched), the provider-side owners (OWNS) and installers (INSTALLED_BY) as of the run,
 * with their status from the latest identity resolution (the people table).
 */
export function connectorOwnersAsOf(db: Db, provider: string, run: number, reconId: number | null): IterableIterator<ConnectorOwnerRow> {
  // departed per e-mail: PostgreSQL looks each one up through the GIN index on people.emails; SQLite has no index into
  // a JSON array, so it takes every person's e-mails apart once (the CTE `email_departed`, which it materialises and
  // indexes automatically) instead of scanning all people for each owner
  const emailDeparted = (col: string) => sqlFor(db, {
    sqlite: `(SELECT d.departed_max FROM email_departed d WHERE d.address = lower(${col}))`, // names no column of the caller's
    postgres: `(SELECT max(pe.departed) FROM people pe WHERE pe.emails @> jsonb_build_array(lower(${col})))`, // the GIN index
  });
  const emailDepartedCte = sqlFor(db, {
    sqlite: 'email_departed AS MATERIALIZED (SELECT j.value AS address, max(pe.departed) AS departed_max FROM people pe, json_each(pe.emails) j GROUP BY j.value),',
    postgres: '',
  });
  return db.prepare(`
    WITH ${emailDepartedCte}
    cs AS (SELECT n.id FROM nodes n WHERE n.kind = 'connector' AND n.provider = @provider AND ${AS_OF('n')}),
    entries AS (SELECT m.connector_id, min(m.inventory_id) AS inventory_id FROM inventory_matches m JOIN cs ON cs.id = m.connector_id
                 WHERE m.recon_id = @recon GROUP BY m.connector_id),
    inv AS (SELECT x.connector_id, 0 AS ord, v.technical_owner AS email FROM entries x
              JOIN reconciliations r ON r.id = @recon JOIN inventory_version_entries v ON v.inventory_hash = coalesce(r.inventory_hash, '') AND v.id = x.inventory_id
            UNION ALL
            SELECT x.connector_id, 1, v.business_owner FROM entries x
              JOIN reconciliations r ON r.id = @recon JOIN inventory_version_entries v ON v.inventory_hash = coalesce(r.inventory_hash, '') AND v.id = x.inventory_id)
    SELECT connector_id, 'inventory' AS role, lower(email) AS email, lower(email) AS name, ${emailDeparted('email')} AS departed, ord
      FROM inv WHERE email IS NOT NULL AND email <> ''
    UNION ALL
    SELECT e.dst, 'provider', coalesce(lower(${prop(db, 'p.props', 'email')}), pe.person_key), p.name, pe.departed, 2
      FROM edges e JOIN cs ON cs.id = e.dst JOIN nodes p ON p.id = e.src LEFT JOIN people pe ON pe.principal_id = p.id
     WHERE e.type = 'OWNS' AND ${AS_OF('e')}
    UNION ALL
    SELECT e.src, 'installer', coalesce(lower(${prop(db, 'p.props', 'email')}), pe.person_key), p.name, pe.departed, 3
      FROM edges e JOIN cs ON cs.id = e.src JOIN nodes p ON p.id = e.dst LEFT JOIN people pe ON pe.principal_id = p.id
     WHERE e.type = 'INSTALLED_BY' AND ${AS_OF('e')}
     ORDER BY 1, ord, 3${nullsFirst(db)}`).iterate({ provider, run, recon: reconId ?? -1 }) as IterableIterator<ConnectorOwnerRow>;
}


/**
 * Connectors of `provider` present at run `toRun` but not at `fromRun` (added), and the reverse (removed), each in the
 * in index order (one scan each, instead of two id sets of every connector).
 */
export function connectorIdsChangedBetween(db: Db, provider: string, fromRun: number, toRun: number): { added: string[]; removed: string[] } {
  const at = (a: string, run: string) => `(${a}.first_seen_run <= ${run} AND (${a}.removed_run IS NULL OR ${a}.removed_run > ${run}))`;
  const ids = (present: string, absent: string) => db.prepare(`SELECT n.id FROM nodes n WHERE n.kind = 'connector' AND n.provider = @provider
      AND ${at('n', present)} AND NOT ${at('n', absent)}`).pluck().all({ provider, from: fromRun, to: toRun }) as string[];
  return { added: ids('@to', '@from'), removed: ids('@from', '@to') };
}

export function connectorsByIds(db: Db, ids: string[]): { id: string; provider: string; type: string; name: string | null; first_seen_at: string; removed_at: string | null }[] {
  if (!ids.length) return [];
  return db.prepare(`SELECT id, provider, type, name, first_seen_at, removed_at FROM nodes WHERE id IN (${jsonValues(db, '?')})
      ORDER BY provider, type, name${nullsFirst(db)}`).all(JSON.stringify(ids)) as never;
}

/** Credential hygiene figures for `provider` as of run `run`, judged at `at` (ISO) with the given windows (days). */
export function credentialFiguresAsOf(db: Db, provider: string, run: number, at: string, maxAgeDays: number, dormantDays: number): CredentialFigures {
  // no expiry and age are judged on static credentials only: a user's OAuth grant or a federated credential has
  // no expiry by design and nothing to rotate, and would drown the figure
  return db.prepare(`${sqlFor(db, {
    sqlite: `SELECT count(*) AS total,
        coalesce(sum(json_extract(n.props, '$.static') IN (1, 'true') AND json_extract(n.props, '$.expires_at') IS NULL), 0) AS no_expiry,
        coalesce(sum(json_extract(n.props, '$.expires_at') < @at), 0) AS expired,
        coalesce(sum(json_extract(n.props, '$.static') IN (1, 'true') AND json_extract(n.props, '$.created_at') < @ageCut), 0) AS older_than_max_age,
        coalesce(sum(json_extract(n.props, '$.static') IN (1, 'true')), 0) AS static,
        coalesce(sum(json_extract(n.props, '$.last_used_at') < @dormantCut), 0) AS unused
      FROM nodes n`,
    // static: JSON true or 1 (->> gives 'true' / '1'), or the string 'true'; a condition counts its rows
    postgres: `SELECT count(*) AS total,
        count(*) FILTER (WHERE n.props ->> 'static' IN ('1', 'true') AND n.props ->> 'expires_at' IS NULL) AS no_expiry,
        count(*) FILTER (WHERE ${jsonText('n.props', 'expires_at')} < @at) AS expired,
        count(*) FILTER (WHERE n.props ->> 'static' IN ('1', 'true') AND ${jsonText('n.props', 'created_at')} < @ageCut) AS older_than_max_age,
        count(*) FILTER (WHERE n.props ->> 'static' IN ('1', 'true')) AS static,
        count(*) FILTER (WHERE ${jsonText('n.props', 'last_used_at')} < @dormantCut) AS unused
      FROM nodes n`,
  })} WHERE n.kind = 'credential' AND n.provider = @provider AND ${AS_OF('n')}`)
    .get({ provider, run, at, ageCut: daysBefore(at, maxAgeDays), dormantCut: daysBefore(at, dormantDays) }) as CredentialFigures;
}

/**
 * Findings open at a reconciliation, most severe first: those it observed (with the observed severity),
 * plus those it carried open without re-checking them (their provider's crawl was incomplete) — carried
 * ones have no observation row, so they are taken from the findings' lifecycle (first seen at or before
 * the reconciliation, not resolved by it) with `observed = 0`. One scan of findings (fast at 100k).
 */
// An accepted or subsumed finding is observed as such by every reconciliation it is live in (migration 013), so one
// without an observation row was carried open; observations from before 013 are all 'open'.
const OPEN_IF = `((o.finding_id IS NOT NULL AND o.status = 'open')
     OR (o.finding_id IS NULL AND f.first_seen_recon <= @recon AND (f.resolved_recon IS NULL OR f.resolved_recon > @recon)))`;
const OPEN_AT = `FROM findings f LEFT JOIN finding_observations o ON o.recon_id = @recon AND o.finding_id = f.id
  WHERE ${OPEN_IF}`;

const OPEN_COLUMNS = `SELECT f.id, f.rule, f.family, coalesce(o.severity, f.severity) AS severity, o.finding_id IS NOT NULL AS observed,
        f.provider, f.tenant, f.subject_id, f.subject_name, f.connector_id,
        CASE WHEN f.connector_id = f.subject_id THEN f.subject_name ELSE (SELECT c.name FROM nodes c WHERE c.id = f.connector_id) END AS connector_name,
        f.title, f.evidence, f.remediation, f.owasp, f.nist, f.inventory_id, f.match_rule, f.owners, f.attribution, f.first_seen_at, f.first_seen_recon, o.acceptance`;
const OPEN_ORDER = (db: Db) => `ORDER BY CASE coalesce(o.severity, f.severity) WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
              f.family, f.provider${nullsFirst(db)}, f.subject_name${nullsFirst(db)}, f.id`;

/** The open findings at a reconciliation, row by row (the report builds each item as it reads it; tens of thousands at scale). */
export function findingsOpenAt(db: Db, reconId: number): IterableIterator<ObservedFinding> {
  return db.prepare(`${OPEN_COLUMNS} ${OPEN_AT} ${OPEN_ORDER(db)}`).iterate({ recon: reconId }) as IterableIterator<ObservedFinding>;
}

/** The ids of the findings open at a reconciliation (what "persisting since the previous report" is judged against). */
export function openFindingIdsAt(db: Db, reconId: number): Set<string> {
  const ids = new Set<string>();
  for (const id of db.prepare(`SELECT f.id ${OPEN_AT}`).pluck().iterate({ recon: reconId }) as IterableIterator<string>) ids.add(id);
  return ids;
}

/** The distinct subjects and connectors of the findings open at a reconciliation (what the work list reads reach and nodes for). */
export interface FindingSubjectRow { provider: string | null; subject_id: string | null; connector_id: string | null }

export function openFindingSubjectsAt(db: Db, reconId: number): FindingSubjectRow[] {
  return db.prepare(`SELECT DISTINCT f.provider, f.subject_id, f.connector_id ${OPEN_AT}`).all({ recon: reconId }) as FindingSubjectRow[];
}

/**
 * Findings open at reconciliation `baseRecon` that are not open at `reconId` and were not set aside by it (observed
 * accepted or subsumed: not resolved either), in findingsOpenAt's order; with no `reconId`, every one open at `baseRecon`.
 * Any observation at `reconId` means it is open or set aside there; without one it is open there if its lifecycle says so.
 */
export function findingsResolvedSince(db: Db, baseRecon: number, reconId: number | null): ObservedFinding[] {
  return db.prepare(`${OPEN_COLUMNS} ${OPEN_AT}
       AND (${sqlFor(db, { sqlite: '@current', postgres: 'CAST(@current AS bigint)' })} IS NULL OR (NOT EXISTS (SELECT 1 FROM finding_observations c WHERE c.recon_id = @current AND c.finding_id = f.id)
       AND NOT (f.first_seen_recon <= @current AND (f.resolved_recon IS NULL OR f.resolved_recon > @current))))
     ${OPEN_ORDER(db)}`).all({ recon: baseRecon, current: reconId }) as ObservedFinding[];
}

/**
 * Findings a reconciliation observed as accepted (an inventory acceptance covers them) or subsumed (folded into
 * `subsumed_by`): recorded, not open — the report lists the accepted ones, and neither kind counts as resolved.
 */
export function findingsSetAsideAt(db: Db, reconId: number): Array<ObservedFinding & { state: 'accepted' | 'subsumed'; subsumed_by: string | null }> {
  return db.prepare(`SELECT f.id, f.rule, f.family, o.severity, 1 AS observed, f.provider, f.tenant, f.subject_id, f.subject_name, f.connector_id,
        CASE WHEN f.connector_id = f.subject_id THEN f.subject_name ELSE (SELECT c.name FROM nodes c WHERE c.id = f.connector_id) END AS connector_name,
        f.title, f.evidence, f.remediation, f.owasp, f.nist, f.inventory_id, f.match_rule, f.owners, f.attribution, f.first_seen_at, f.first_seen_recon,
        o.acceptance, o.status AS state, f.subsumed_by
      FROM finding_observations o JOIN findings f ON f.id = o.finding_id
     WHERE o.recon_id = @recon AND o.status IN ('accepted','subsumed')
     ORDER BY CASE o.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
              f.rule, f.provider${nullsFirst(db)}, f.subject_name${nullsFirst(db)}, f.id`).all({ recon: reconId }) as never;
}

/** Findings open at a reconciliation counted by severity (for trends; same definition as findingsOpenAt). */
export function severityCounts(db: Db, reconId: number): Record<string, number> {
  const rows = db.prepare(`SELECT coalesce(o.severity, f.severity) AS severity, count(*) AS n ${OPEN_AT} GROUP BY 1`)
    .all({ recon: reconId }) as { severity: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.severity, r.n]));
}

/** Connectors of `provider` present at run `run` (a count, for trends). */
export function connectorCountAsOf(db: Db, provider: string, run: number): number {
  return db.prepare(`SELECT count(*) FROM nodes n WHERE n.kind = 'connector' AND n.provider = @provider AND ${AS_OF('n')}`)
    .pluck().get({ provider, run }) as number;
}

/**
 * HAS_SCOPE edges of `provider` added, removed or modified by runs in (fromRun, toRun], on holders present at
 * both runs (the scopes of a connector that appeared or disappeared belong to that change, not to a scope change).
 */
export function scopeChangesBetween(db: Db, provider: string, fromRun: number, toRun: number): ScopeChangeRow[] {
  return db.prepare(`SELECT l.run_id, l.at, l.change, l.entity_id, l.provider, h.name AS holder_name, h.kind AS holder_kind, s.name AS scope_name
      FROM change_log l
      JOIN edges e ON e.id = l.entity_id
      LEFT JOIN nodes h ON h.id = e.src
      LEFT JOIN nodes s ON s.id = e.dst
     WHERE l.entity = 'edge' AND l.kind = 'HAS_SCOPE' AND l.provider = @provider AND l.run_id > @from AND l.run_id <= @to
       AND h.first_seen_run <= @from AND (h.removed_run IS NULL OR h.removed_run > @to)
     ORDER BY l.run_id, h.name${nullsFirst(db)}, s.name${nullsFirst(db)}, l.change`).all({ provider, from: fromRun, to: toRun }) as ScopeChangeRow[];
}

/** The latest recorded report on an earlier reconciliation (or earlier runs), at or before `month`. */
export function previousReport(db: Db, month: string, reconId: number | null, excludeId?: number): ReportRow | undefined {
  return db.prepare(`SELECT * FROM reports WHERE month <= @month AND id <> @exclude
        AND (${sqlFor(db, { sqlite: '@recon', postgres: 'CAST(@recon AS bigint)' })} IS NULL OR recon_id IS NULL OR recon_id < @recon)
      ORDER BY month DESC, id DESC LIMIT 1`).get({ month, recon: reconId, exclude: excludeId ?? -1 }) as ReportRow | undefined;
}

export function recordReport(db: Db, r: Omit<ReportRow, 'id'> & { out_dir: string; tool_version: string }): number {
  const info = db.prepare(`INSERT INTO reports (month, generated_at, recon_id, crawl_runs, inventory_file, inventory_hash, organisation, out_dir, files, summary, tool_version)
      VALUES (@month, @generated_at, @recon_id, @crawl_runs, @inventory_file, @inventory_hash, @organisation, @out_dir, @files, @summary, @tool_version)`).run(r);
  return Number(info.lastInsertRowid);
}

/** How many recorded reports were written to `outDir` (an absolute path). */
export function reportsWrittenTo(db: Db, outDir: string): number {
  return db.prepare('SELECT count(*) FROM reports WHERE out_dir = ?').pluck().get(outDir) as number;
}

export function listReports(db: Db): ReportRow[] {
  return db.prepare<[], ReportRow>('SELECT * FROM reports ORDER BY id').all();
}

/**
 * How far each of `ids` (connectors or credentials of `provider`) reaches as of run `run` (the report's "Fix these
 * first" order, docs/report.md): `resources` — distinct resources it can access (CAN_ACCESS to a resource; CAN_ACCESS
 * to a whole tenant counts every resource in that tenant, and sets `tenant_wide`); `users` — distinct people who
 * installed or granted it (INSTALLED_BY from it, or from a credential it holds: each user's OAuth grant);
 * `third_party` — its publisher (PUBLISHED_BY) is not the organisation itself (vendor `first_party` false) and it
 * is not the platform's own app (connector `first_party` true). Provider-neutral: only edge types and these props.
 */
export interface ReachRow { id: string; resources: number; tenant_wide: number; users: number; third_party: number; vendor: string | null }

export function reachAsOf(db: Db, provider: string, run: number, ids: string[]): ReachRow[] {
  if (!ids.length) return [];
  return db.prepare(`SELECT n.id,
        (SELECT count(DISTINCT x) FROM (
            SELECT e.dst AS x FROM edges e JOIN nodes r ON r.id = e.dst AND r.kind = 'resource'
             WHERE e.src = n.id AND e.type = 'CAN_ACCESS' AND ${AS_OF('e')}
            UNION ALL
            SELECT t.src FROM edges e JOIN nodes tn ON tn.id = e.dst AND tn.kind = 'tenant'
              JOIN edges t ON t.dst = e.dst AND t.type = 'IN_TENANT' AND ${AS_OF('t')}
              JOIN nodes rr ON rr.id = t.src AND rr.kind = 'resource' AND ${AS_OF('rr')}
             WHERE e.src = n.id AND e.type = 'CAN_ACCESS' AND ${AS_OF('e')}) AS reached) AS resources,
        EXISTS (SELECT 1 FROM edges e JOIN nodes tn ON tn.id = e.dst AND tn.kind = 'tenant'
                 WHERE e.src = n.id AND e.type = 'CAN_ACCESS' AND ${AS_OF('e')}) AS tenant_wide,
        (SELECT count(DISTINCT p) FROM (
            SELECT e.dst AS p FROM edges e WHERE e.src = n.id AND e.type = 'INSTALLED_BY' AND ${AS_OF('e')}
            UNION ALL
            SELECT g.dst FROM edges hc JOIN edges g ON g.src = hc.dst AND g.type = 'INSTALLED_BY' AND ${AS_OF('g')}
             WHERE hc.src = n.id AND hc.type = 'HAS_CREDENTIAL' AND ${AS_OF('hc')}) AS installers) AS users,
        ${sqlFor(db, {
          sqlite: `(coalesce(json_extract(n.props, '$.first_party'), 0) NOT IN (1, 'true') AND EXISTS (SELECT 1 FROM edges e JOIN nodes v ON v.id = e.dst
            WHERE e.src = n.id AND e.type = 'PUBLISHED_BY' AND ${AS_OF('e')} AND json_extract(v.props, '$.first_party') IN (0, 'false')))`,
          postgres: `(coalesce(n.props ->> 'first_party', '0') NOT IN ('1', 'true') AND EXISTS (SELECT 1 FROM edges e JOIN nodes v ON v.id = e.dst
            WHERE e.src = n.id AND e.type = 'PUBLISHED_BY' AND ${AS_OF('e')} AND (v.props ->> 'first_party') IN ('0', 'false')))`,
        })} AS third_party,
        (SELECT v.name FROM edges e JOIN nodes v ON v.id = e.dst WHERE e.src = n.id AND e.type = 'PUBLISHED_BY' AND ${AS_OF('e')} LIMIT 1) AS vendor
      FROM nodes n WHERE n.id IN (${jsonValues(db, '@ids')}) AND n.provider = @provider`)
    .all({ provider, run, ids: JSON.stringify(ids) }) as ReachRow[];
}

/** Nodes by id with their type and props (remediation commands are built from them), and each one's tenant node's props. */
export interface NodeInfoRow { id: string; provider: string; type: string; name: string | null; tenant: string | null; props: string; tenant_props: string | null }

export function nodesByIds(db: Db, ids: string[]): NodeInfoRow[] {
  if (!ids.length) return [];
  const rows = db.prepare(`SELECT n.id, n.provider, n.type, n.name, n.tenant, n.props FROM nodes n
      WHERE n.id IN (${jsonValues(db, '?')})`).all(JSON.stringify(ids)) as Omit<NodeInfoRow, 'tenant_props'>[];
  // the tenant node of (provider, tenant): the one whose id ends in ':<tenant>' (a workspace, an organisation), else the first
  const tenants = db.prepare(`SELECT id, provider, tenant, props FROM nodes WHERE kind = 'tenant' ORDER BY length(id), id`)
    .all() as { id: string; provider: string; tenant: string | null; props: string }[];
  const tenantOf = (p: string, t: string | null) => {
    const same = tenants.filter((x) => x.provider === p && x.tenant === t);
    return (same.find((x) => t !== null && x.id.endsWith(`:${t}`)) ?? same[0])?.props ?? null;
  };
  return rows.map((r) => ({ ...r, tenant_props: tenantOf(r.provider, r.tenant) }));
}

/** What each of `ids` can access now (live CAN_ACCESS edges): the resource's name and the edge's props. */
export function accessOf(db: Db, ids: string[]): { src: string; resource: string | null; props: string }[] {
  if (!ids.length) return [];
  return db.prepare(`SELECT e.src, r.name AS resource, e.props FROM edges e JOIN nodes r ON r.id = e.dst
      WHERE e.type = 'CAN_ACCESS' AND e.removed_run IS NULL AND e.src IN (${jsonValues(db, '?')}) ORDER BY e.src, r.name${nullsFirst(db)}`)
    .all(JSON.stringify(ids)) as { src: string; resource: string | null; props: string }[];
}

/** What the report shows of each inventory entry a reconciliation used: its approval ticket and rotation policy. */
export function entryFactsOf(db: Db, reconId: number): Map<string, { ticket: string | null; rotation_days: number | null }> {
  const rows = db.prepare<[number], { id: string; ticket: string | null; rotation_days: number | null }>(`SELECT id,
        ${prop(db, 'entry', 'ticket')} AS ticket, ${jsonNumber(db, 'entry', 'rotation_days')} AS rotation_days
      FROM inventory_entries WHERE recon_id = ?`).all(reconId);
  return new Map(rows.map((r) => [r.id, { ticket: r.ticket, rotation_days: r.rotation_days }]));
}

/**
 * Static credentials of `provider` as of run `run` with what their rotation age is judged on (the
 * credential-rotation-overdue rule's inputs): type, props, and the rotation_days of the inventory entry the
 * reconciliation matched to a connector holding it (NULL: the inventory's default applies).
 */
export interface CredentialRotationRow { id: string; credential_type: string | null; props: string; entry_rotation_days: number | null }

export function credentialsForRotationAsOf(db: Db, provider: string, run: number, reconId: number | null): CredentialRotationRow[] {
  // CROSS JOIN: SQLite joins in the order written — the credential's few HAS_CREDENTIAL edges, then each holder's match
  // by primary key — instead of scanning every match of the reconciliation per credential (its planner's choice with
  // no statistics); PostgreSQL treats it as the inner join it is and plans it freely
  return db.prepare(`SELECT n.id, ${prop(db, 'n.props', 'credential_type')} AS credential_type, n.props,
        (SELECT ${jsonNumber(db, 'v.entry', 'rotation_days')} FROM edges h
           CROSS JOIN inventory_matches m CROSS JOIN inventory_entries v
          WHERE h.dst = n.id AND h.type = 'HAS_CREDENTIAL' AND ${AS_OF('h')}
            AND m.connector_id = h.src AND m.recon_id = @recon AND v.recon_id = @recon AND v.id = m.inventory_id
          ORDER BY m.inventory_id LIMIT 1) AS entry_rotation_days
      FROM nodes n WHERE n.kind = 'credential' AND n.provider = @provider AND ${AS_OF('n')}
       AND ${sqlFor(db, { sqlite: "coalesce(json_extract(n.props, '$.static'), 1) NOT IN (0, 'false')", postgres: "coalesce(n.props ->> 'static', '1') NOT IN ('0', 'false')" })}`).all({ provider, run, recon: reconId ?? -1 }) as CredentialRotationRow[];
}

function daysBefore(at: string, days: number): string {
  return new Date(Date.parse(at) - days * 86400_000).toISOString();
}

/**
 * Demo only (`nhi-census demo`): moves every timestamp recorded so far back by `ms`, so the demo's first
 * crawl and reconciliation (the simulated company as it was last month) are dated last month and the
 * report has a previous month to compare with. Applies to every `*_at` / `at` column of every table,
 * so it stays correct as tables are added; property JSON (the providers' own dates) is not touched.
 */
export function shiftRecordedTimes(db: Db, ms: number): void {
  const seconds = `-${(ms / 1000).toFixed(3)} seconds`;
  // PostgreSQL: the text columns of the base tables (an integer `at`, e.g. reconcile_revisits', is no ISO time there either)
  const tables = db.prepare(sqlFor(db, { sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    postgres: "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name" })).pluck().all() as string[];
  const shifted = (c: string) => sqlFor(db, { sqlite: `strftime('%Y-%m-%dT%H:%M:%fZ', "${c}", ?)`,
    postgres: `to_char(("${c}"::timestamptz + ?::interval) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` });
  db.transaction(() => {
    for (const t of tables) {
      const cols = (db.prepare(sqlFor(db, { sqlite: `SELECT name FROM pragma_table_info(?)`,
        postgres: "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND data_type = 'text' ORDER BY ordinal_position" }))
        .pluck().all(t) as string[]).filter((c) => c === 'at' || c.endsWith('_at'));
      for (const c of cols) {
        db.prepare(`UPDATE "${t}" SET "${c}" = ${shifted(c)} WHERE "${c}" LIKE '____-__-__T%'`).run(seconds);
      }
    }
  })();
}

/** A principal a finding's evidence may name, with what shows it as a person (reports/evidence-text.ts). */
export interface PrincipalNameRow { id: string; name: string | null; display_name: string | null; email: string | null; person_key: string | null }

/**
 * The principals `value` names — a principal node id, or a person's e-mail (people.person_key) — together with the
 * other accounts of the same person, so that evidence naming a login or an object id reads as the person's name
 * and e-mail. Empty when `value` names no principal. Index lookups only (nodes.id, people.principal_id / person_key).
 */
export function principalsNamed(db: Db, value: string): PrincipalNameRow[] {
  return cached(db, `WITH hit(id) AS (SELECT id FROM nodes WHERE id = @v AND kind = 'principal'
                 UNION SELECT principal_id FROM people WHERE person_key = lower(@v)),
       same(id) AS (SELECT id FROM hit UNION SELECT o.principal_id FROM people p JOIN people o ON o.person_key = p.person_key
                    WHERE p.principal_id IN (SELECT id FROM hit) AND p.person_key IS NOT NULL)
      SELECT n.id, n.name, coalesce(${prop(db, 'n.props', 'display_name')}, ${prop(db, 'n.props', 'full_name')}) AS display_name,
             ${prop(db, 'n.props', 'email')} AS email, p.person_key
        FROM nodes n LEFT JOIN people p ON p.principal_id = n.id
       WHERE n.id IN (SELECT id FROM same) AND n.kind = 'principal' ORDER BY n.id`).all({ v: value }) as PrincipalNameRow[];
}

/** A node's display name by id (the report shows names where evidence holds node ids); undefined when unknown. */
export function nodeName(db: Db, id: string): string | undefined {
  return (cached(db, 'SELECT name FROM nodes WHERE id = ?').get(id) as { name: string | null } | undefined)?.name ?? undefined;
}
