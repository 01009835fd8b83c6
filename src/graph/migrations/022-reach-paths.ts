// Migration 022: reach paths (issue 19, docs/blast-radius.md).
//  - paths: one row per one-hop reach step over the live graph — the steps `nhi-census paths` walks breadth-first, for
//    analysts' own recursive queries. OWNS, HAS_CREDENTIAL, CAN_ACCESS and HAS_SCOPE as stored; CREDENTIAL_OF (a
//    credential acts as the connector holding it); CONTROLS (a connector/credential holding a scope the catalogue grades
//    high or critical — write-class — on the provider of a repository it can access, directly or through its tenant);
//    MINTS (a repository, i.e. a resource with workload_keys, to every trust.workload endpoint whose workload_key it
//    carries); TRUSTED_BY (a TRUSTS edge read backwards). MINTS and TRUSTED_BY from a repository count only after a
//    write-class hop into it: the view lists them, the walk (src/reach/walk.ts) applies the rule.
//  - reach_computations / reach_summaries: what each connector reaches, computed after a reconciliation when the crawl
//    runs it used differ from the last computation's (src/reach/summaries.ts), removed with that reconciliation.
export const id = 22;
export const name = 'reach-paths';

const live = (a: string) => `${a}.removed_run IS NULL`;
/** A CAN_ACCESS edge's access in words: its roles, else its access level, else which repositories. */
const accessText = (p: string) => `coalesce(
  (SELECT group_concat(r.value, ', ') FROM json_each(${p}, '$.roles') r WHERE json_type(${p}, '$.roles') = 'array'),
  json_extract(${p}, '$.access'),
  'repositories: ' || json_extract(${p}, '$.repositories'),
  'access')`;

/** 022's write-class criterion on a scope's grade `sg`: graded high or critical (migration 023 narrows it). */
const HIGH_GRADE = "sg.risk IN ('critical', 'high')";
/** The holder's write-class scope on `provider` (meeting `criterion`; critical first, then by name), or its grade. */
const writeScopeWith = (criterion: string) => (holder: string, provider: string, col: 's.name' | 'sg.risk') => `(SELECT ${col} FROM edges hs
    JOIN nodes s ON s.id = hs.dst AND ${live('s')} JOIN scope_grades sg ON sg.scope_id = s.id
   WHERE hs.src = ${holder} AND hs.type = 'HAS_SCOPE' AND ${live('hs')} AND s.provider = ${provider} AND ${criterion}
   ORDER BY CASE sg.risk WHEN 'critical' THEN 0 ELSE 1 END, s.name LIMIT 1)`;
const isRepository = (r: string) => `${r}.kind = 'resource' AND json_extract(${r}.props, '$.workload_keys') IS NOT NULL AND ${live(r)}`;
/** One branch per stored edge type, so each reads edges through (src, type) or (dst, type). */
const stored = (type: string, access: string, cond = '') => `
SELECT e.src AS from_id, a.name AS from_name, a.kind AS from_kind, e.type AS step,
       e.dst AS to_id, b.name AS to_name, b.kind AS to_kind, ${access} AS access, b.provider AS provider, e.props AS props
  FROM edges e
  JOIN nodes a ON a.id = e.src AND ${live('a')}
  JOIN nodes b ON b.id = e.dst AND ${live('b')}
 WHERE e.type = '${type}' AND ${live('e')}${cond}`;
/** A CONTROLS branch whose write-class scopes meet `criterion` (exported for migration 023, which narrows it). */
export const controlsWith = (criterion: string) => (via: 'direct' | 'tenant') => { const writeScope = writeScopeWith(criterion); return `
SELECT ca.src, h.name, h.kind, 'CONTROLS', r.id, r.name, r.kind, 'write: ' || ${writeScope('ca.src', 'r.provider', 's.name')}, r.provider,
       json_object('scope', ${writeScope('ca.src', 'r.provider', 's.name')}, 'risk', ${writeScope('ca.src', 'r.provider', 'sg.risk')})
  FROM edges ca
  JOIN nodes h ON h.id = ca.src AND ${live('h')} AND +h.kind IN ('connector', 'credential')
  ${via === 'direct' ? `JOIN nodes r ON r.id = ca.dst AND ${isRepository('r')}`
    : `JOIN nodes t ON t.id = ca.dst AND ${live('t')} AND +t.kind = 'tenant'
  JOIN edges it ON it.dst = t.id AND it.type = 'IN_TENANT' AND ${live('it')}
  JOIN nodes r ON r.id = it.src AND ${isRepository('r')}`}
 WHERE ca.type = 'CAN_ACCESS' AND ${live('ca')} AND ${writeScope('ca.src', 'r.provider', 's.name')} IS NOT NULL`; };
const controls = controlsWith(HIGH_GRADE);

/** CONTROLS through a CAN_ACCESS to the repository, and through one to its tenant (the summaries read them apart). */
export const CONTROLS_PARTS = { direct: controls('direct'), tenant: controls('tenant') } as const;

/**
 * Each step's SELECT (the view is their UNION ALL). Exported, frozen with this migration, for the reach summaries
 * (src/graph/paths-queries.ts): read one step at a time, a branch is planned on its own indexes — through the view
 * SQLite would scan every branch. `extra` (HAS_SCOPE only) is appended to the branch's WHERE.
 */
export const STEP_BRANCHES = {
  OWNS: stored('OWNS', "'owner'", " AND +a.kind = 'principal' AND +b.kind = 'connector'"),
  HAS_CREDENTIAL: stored('HAS_CREDENTIAL', "'holder'", " AND +b.kind = 'credential'"),
  CAN_ACCESS: stored('CAN_ACCESS', accessText('e.props')),
  HAS_SCOPE: stored('HAS_SCOPE', "coalesce((SELECT g.risk FROM scope_grades g WHERE g.scope_id = e.dst), 'ungraded')"),
  CREDENTIAL_OF: `
SELECT e.dst, b.name, b.kind, 'CREDENTIAL_OF', e.src, a.name, a.kind, 'holder', a.provider, e.props
  FROM edges e
  JOIN nodes a ON a.id = e.src AND ${live('a')} AND +a.kind = 'connector'
  JOIN nodes b ON b.id = e.dst AND ${live('b')} AND +b.kind = 'credential'
 WHERE e.type = 'HAS_CREDENTIAL' AND ${live('e')}`,
  CONTROLS: `${CONTROLS_PARTS.direct}
UNION ALL${CONTROLS_PARTS.tenant}`,
  MINTS: `
SELECT r.id, r.name, r.kind, 'MINTS', w.id, w.name, w.kind, 'workflow tokens', w.provider,
       json_object('workload_key', k.value)
  FROM nodes r
  JOIN json_each(r.props, '$.workload_keys') k
  JOIN nodes w ON json_extract(w.props, '$.workload_key') = k.value AND w.type = 'trust.workload' AND +w.kind = 'endpoint' AND ${live('w')}
 WHERE ${isRepository('r')} AND json_type(r.props, '$.workload_keys') = 'array'`,
  TRUSTED_BY: `
SELECT e.dst, w.name, w.kind, 'TRUSTED_BY', e.src, s.name, s.kind,
       coalesce(json_extract(e.props, '$.via'), 'trust') || ' (' || coalesce(json_extract(w.props, '$.breadth'), 'direct') || ')',
       s.provider, json_set(e.props, '$.breadth', coalesce(json_extract(w.props, '$.breadth'), 'direct'))
  FROM edges e
  JOIN nodes s ON s.id = e.src AND ${live('s')}
  JOIN nodes w ON w.id = e.dst AND ${live('w')}
 WHERE e.type = 'TRUSTS' AND ${live('e')}`,
} as const;

export const sql = `
-- a trust endpoint by the workload it names (MINTS joins a repository's workload_keys to it)
CREATE INDEX nodes_trust_workload_key ON nodes(json_extract(props, '$.workload_key')) WHERE type = 'trust.workload';

CREATE VIEW paths AS
${Object.values(STEP_BRANCHES).join('\nUNION ALL')};

CREATE TABLE reach_computations (
  id           INTEGER PRIMARY KEY,
  recon_id     INTEGER NOT NULL REFERENCES reconciliations(id) ON DELETE CASCADE,
  computed_at  TEXT NOT NULL,
  crawl_runs   TEXT NOT NULL,               -- JSON {provider: [run ids]}: the runs the graph it read came from
  connectors   INTEGER NOT NULL,            -- connectors summarised (rows in reach_summaries)
  duration_ms  INTEGER NOT NULL
);
CREATE INDEX reach_computations_recon ON reach_computations(recon_id);

CREATE TABLE reach_summaries (
  computation_id INTEGER NOT NULL REFERENCES reach_computations(id) ON DELETE CASCADE,
  connector_id   TEXT NOT NULL,
  connector_name TEXT,
  provider       TEXT NOT NULL,
  repositories   INTEGER NOT NULL,          -- repositories it controls (write) or can read
  repository_names TEXT NOT NULL,           -- JSON [{id, name, access}] (first 50, controlled first)
  resources_with_roles TEXT NOT NULL,       -- JSON [{id, name, type, provider, roles, grade, hops, via_trust}]
  scopes         TEXT NOT NULL,             -- JSON: scopes graded high or critical it holds or reaches
  privileged     INTEGER NOT NULL,          -- 1: reaches a role or scope graded high or critical
  max_privilege  TEXT,                      -- the worst grade at the end of any of its paths
  trusts         INTEGER NOT NULL,          -- trusts crossed (distinct TRUSTED_BY steps)
  paths          INTEGER NOT NULL,          -- nodes reached (one shortest path each)
  PRIMARY KEY (computation_id, connector_id)
);
`;
