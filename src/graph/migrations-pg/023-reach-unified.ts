// PostgreSQL migration 023 (= SQLite 023-reach-unified): scope_grades.controls_workloads, CONTROLS on workload-control
// scopes only, the same-application CREDENTIAL_OF step and the acting TRUSTED_BY step in the `paths` view — same
// columns and meaning.
import { STEP_BRANCHES as V22, controlsWith } from './022-reach-paths.ts';
import { jsonText } from './sql.ts';

export const id = 23;
export const name = 'reach-unified';

const live = (a: string) => `${a}.removed_run IS NULL`;
const appId = (n: string) => `lower(${n ? `${n}.` : ''}props ->> 'app_id')`;
export const WORKLOAD_WRITE = "sg.risk IN ('critical', 'high') AND coalesce(sg.controls_workloads, 1) = 1";
const controls = controlsWith(WORKLOAD_WRITE);

export const CONTROLS_PARTS = { direct: controls('direct'), tenant: controls('tenant') } as const;

export const SAME_APP = `
SELECT e.dst, b.name, b.kind, 'CREDENTIAL_OF', s.id, s.name, s.kind, 'holder (same application)', s.provider,
       e.props || jsonb_build_object('via', 'same-app', 'application', coalesce(a.name, a.id))
  FROM edges e
  JOIN nodes a ON a.id = e.src AND ${live('a')} AND a.kind = 'connector'
  JOIN nodes b ON b.id = e.dst AND ${live('b')} AND b.kind = 'credential'
  JOIN nodes s ON s.kind = 'connector' AND s.provider = a.provider AND ${appId('s')} = ${appId('a')}
              AND coalesce(s.tenant, '') = coalesce(a.tenant, '') AND s.id <> a.id AND ${live('s')}
 WHERE e.type = 'HAS_CREDENTIAL' AND ${live('e')} AND a.props ->> 'app_id' IS NOT NULL`;

const arrayOf = (col: string, key: string) => `CASE WHEN jsonb_typeof(${col} -> '${key}') = 'array' THEN ${col} -> '${key}' END`;
export const ACTS_AS = `
SELECT w.id, w.name, w.kind, 'TRUSTED_BY', c.id, c.name, c.kind,
       ('acts as ' || coalesce((SELECT string_agg(r.value, ', ' ORDER BY r.ord) FROM jsonb_array_elements_text(${arrayOf('a.props', 'roles')}) WITH ORDINALITY AS r(value, ord)), 'access')
         || ' on ' || coalesce(rn.name, rn.id) || ' (' || coalesce(${jsonText('w.props', 'breadth')}, 'direct') || ')') COLLATE "C",
       c.provider,
       jsonb_build_object('via', 'acts_as', 'credential', cr.id, 'resource', rn.id, 'roles', coalesce(${arrayOf('a.props', 'roles')}, '[]'::jsonb),
         'breadth', coalesce(w.props ->> 'breadth', 'direct'))
         || CASE WHEN tr.props -> 'enabled' IS NOT NULL THEN jsonb_build_object('enabled', tr.props -> 'enabled') ELSE '{}'::jsonb END
  FROM edges a
  CROSS JOIN LATERAL jsonb_array_elements_text(${arrayOf('a.props', 'acts_as_connectors_for')}) AS x(value)
  JOIN nodes cr ON cr.id = a.src AND ${live('cr')} AND cr.kind = 'credential'
  JOIN nodes w ON w.id = x.value AND ${live('w')} AND w.kind = 'endpoint'
  JOIN edges tr ON tr.src = cr.id AND tr.dst = w.id AND tr.type = 'TRUSTS' AND ${live('tr')}
  JOIN nodes rn ON rn.id = a.dst AND ${live('rn')} AND rn.kind = 'resource'
  JOIN edges rt ON rt.src = rn.id AND rt.type = 'IN_TENANT' AND ${live('rt')}
  JOIN edges ct ON ct.dst = rt.dst AND ct.type = 'IN_TENANT' AND ${live('ct')}
  JOIN nodes c ON c.id = ct.src AND ${live('c')} AND c.kind = 'connector'
 WHERE a.type = 'CAN_ACCESS' AND ${live('a')}`;

export const STEP_BRANCHES = {
  ...V22,
  CREDENTIAL_OF: `${V22.CREDENTIAL_OF}
UNION ALL${SAME_APP}`,
  CONTROLS: `${CONTROLS_PARTS.direct}
UNION ALL${CONTROLS_PARTS.tenant}`,
  TRUSTED_BY: `${V22.TRUSTED_BY}
UNION ALL${ACTS_AS}`,
} as const;

export const sql = `
ALTER TABLE scope_grades ADD COLUMN controls_workloads INTEGER CHECK (controls_workloads IN (0, 1));

CREATE INDEX nodes_connector_app_id ON nodes(provider, ${appId('')}) WHERE kind = 'connector';

DROP VIEW paths;
CREATE VIEW paths AS
${Object.values(STEP_BRANCHES).join('\nUNION ALL')};
`;
