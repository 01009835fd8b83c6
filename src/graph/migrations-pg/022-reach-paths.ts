// PostgreSQL migration 022 (= SQLite 022-reach-paths): the `paths` view (one row per one-hop reach step) and the
// reach_computations / reach_summaries tables, same columns and meaning. A repository's workload_keys are matched by
// JSONB containment (the GIN index of migration 021); roles are joined in array order.
import { jsonText, ROWID_PK, TEXT } from './sql.ts';

export const id = 22;
export const name = 'reach-paths';

const live = (a: string) => `${a}.removed_run IS NULL`;
/** A CAN_ACCESS edge's access in words: its roles, else its access level, else which repositories (as SQLite's). */
const accessText = (p: string) => `coalesce(
  (SELECT string_agg(r.value, ', ' ORDER BY r.ord) FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(${p} -> 'roles') = 'array' THEN ${p} -> 'roles' END) WITH ORDINALITY AS r(value, ord)),
  ${jsonText(p, 'access')},
  'repositories: ' || ${jsonText(p, 'repositories')},
  'access') COLLATE "C"`;

/** 022's write-class criterion on a scope's grade `sg`: graded high or critical (migration 023 narrows it). */
const HIGH_GRADE = "sg.risk IN ('critical', 'high')";
/** The holder's write-class scope on `provider` (meeting `criterion`; critical first, then by name), or its grade. */
const writeScopeWith = (criterion: string) => (holder: string, provider: string, col: 's.name' | 'sg.risk') => `(SELECT ${col} FROM edges hs
    JOIN nodes s ON s.id = hs.dst AND ${live('s')} JOIN scope_grades sg ON sg.scope_id = s.id
   WHERE hs.src = ${holder} AND hs.type = 'HAS_SCOPE' AND ${live('hs')} AND s.provider = ${provider} AND ${criterion}
   ORDER BY CASE sg.risk WHEN 'critical' THEN 0 ELSE 1 END, s.name LIMIT 1)`;
const isRepository = (r: string) => `${r}.kind = 'resource' AND jsonb_typeof(${r}.props -> 'workload_keys') IS NOT NULL
    AND jsonb_typeof(${r}.props -> 'workload_keys') <> 'null' AND ${live(r)}`;
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
       jsonb_build_object('scope', ${writeScope('ca.src', 'r.provider', 's.name')}, 'risk', ${writeScope('ca.src', 'r.provider', 'sg.risk')})
  FROM edges ca
  JOIN nodes h ON h.id = ca.src AND ${live('h')} AND h.kind IN ('connector', 'credential')
  ${via === 'direct' ? `JOIN nodes r ON r.id = ca.dst AND ${isRepository('r')}`
    : `JOIN nodes t ON t.id = ca.dst AND ${live('t')} AND t.kind = 'tenant'
  JOIN edges it ON it.dst = t.id AND it.type = 'IN_TENANT' AND ${live('it')}
  JOIN nodes r ON r.id = it.src AND ${isRepository('r')}`}
 WHERE ca.type = 'CAN_ACCESS' AND ${live('ca')} AND ${writeScope('ca.src', 'r.provider', 's.name')} IS NOT NULL`; };
const controls = controlsWith(HIGH_GRADE);

/** CONTROLS through a CAN_ACCESS to the repository, and through one to its tenant (the summaries read them apart). */
export const CONTROLS_PARTS = { direct: controls('direct'), tenant: controls('tenant') } as const;

/** Each step's SELECT (the view is their UNION ALL), as SQLite's STEP_BRANCHES. */
export const STEP_BRANCHES = {
  OWNS: stored('OWNS', "'owner'", " AND a.kind = 'principal' AND b.kind = 'connector'"),
  HAS_CREDENTIAL: stored('HAS_CREDENTIAL', "'holder'", " AND b.kind = 'credential'"),
  CAN_ACCESS: stored('CAN_ACCESS', accessText('e.props')),
  HAS_SCOPE: stored('HAS_SCOPE', "coalesce((SELECT g.risk FROM scope_grades g WHERE g.scope_id = e.dst), 'ungraded')"),
  CREDENTIAL_OF: `
SELECT e.dst, b.name, b.kind, 'CREDENTIAL_OF', e.src, a.name, a.kind, 'holder', a.provider, e.props
  FROM edges e
  JOIN nodes a ON a.id = e.src AND ${live('a')} AND a.kind = 'connector'
  JOIN nodes b ON b.id = e.dst AND ${live('b')} AND b.kind = 'credential'
 WHERE e.type = 'HAS_CREDENTIAL' AND ${live('e')}`,
  CONTROLS: `${CONTROLS_PARTS.direct}
UNION ALL${CONTROLS_PARTS.tenant}`,
  MINTS: `
SELECT r.id, r.name, r.kind, 'MINTS', w.id, w.name, w.kind, 'workflow tokens', w.provider,
       jsonb_build_object('workload_key', k.value)
  FROM nodes r
  CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.props -> 'workload_keys') = 'array' THEN r.props -> 'workload_keys' END) AS k(value)
  JOIN nodes w ON (w.props ->> 'workload_key') = k.value AND w.type = 'trust.workload' AND w.kind = 'endpoint' AND ${live('w')}
 WHERE ${isRepository('r')}`,
  TRUSTED_BY: `
SELECT e.dst, w.name, w.kind, 'TRUSTED_BY', e.src, s.name, s.kind,
       coalesce(${jsonText('e.props', 'via')}, 'trust') || ' (' || coalesce(${jsonText('w.props', 'breadth')}, 'direct') || ')',
       s.provider, e.props || jsonb_build_object('breadth', coalesce(w.props ->> 'breadth', 'direct'))
  FROM edges e
  JOIN nodes s ON s.id = e.src AND ${live('s')}
  JOIN nodes w ON w.id = e.dst AND ${live('w')}
 WHERE e.type = 'TRUSTS' AND ${live('e')}`,
} as const;

export const sql = `
CREATE INDEX nodes_trust_workload_key ON nodes((props ->> 'workload_key')) WHERE type = 'trust.workload';

CREATE VIEW paths AS
${Object.values(STEP_BRANCHES).join('\nUNION ALL')};

CREATE TABLE reach_computations (
  id           ${ROWID_PK},
  recon_id     BIGINT NOT NULL REFERENCES reconciliations(id) ON DELETE CASCADE,
  computed_at  ${TEXT} NOT NULL,
  crawl_runs   ${TEXT} NOT NULL,
  connectors   BIGINT NOT NULL,
  duration_ms  BIGINT NOT NULL
);
CREATE INDEX reach_computations_recon ON reach_computations(recon_id);

CREATE TABLE reach_summaries (
  computation_id BIGINT NOT NULL REFERENCES reach_computations(id) ON DELETE CASCADE,
  connector_id   ${TEXT} NOT NULL,
  connector_name ${TEXT},
  provider       ${TEXT} NOT NULL,
  repositories   BIGINT NOT NULL,
  repository_names ${TEXT} NOT NULL,
  resources_with_roles ${TEXT} NOT NULL,
  scopes         ${TEXT} NOT NULL,
  privileged     INTEGER NOT NULL,
  max_privilege  ${TEXT},
  trusts         BIGINT NOT NULL,
  paths          BIGINT NOT NULL,
  PRIMARY KEY (computation_id, connector_id)
);
`;
