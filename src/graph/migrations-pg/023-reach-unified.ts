// PostgreSQL migration 023 (= SQLite 023-reach-unified): scope_grades.controls_workloads, CONTROLS on workload-control
// scopes only, and the same-application CREDENTIAL_OF step in the `paths` view — same columns and meaning.
import { STEP_BRANCHES as V22, controlsWith } from './022-reach-paths.ts';

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

export const STEP_BRANCHES = {
  ...V22,
  CREDENTIAL_OF: `${V22.CREDENTIAL_OF}
UNION ALL${SAME_APP}`,
  CONTROLS: `${CONTROLS_PARTS.direct}
UNION ALL${CONTROLS_PARTS.tenant}`,
} as const;

export const sql = `
ALTER TABLE scope_grades ADD COLUMN controls_workloads INTEGER CHECK (controls_workloads IN (0, 1));

CREATE INDEX nodes_connector_app_id ON nodes(provider, ${appId('')}) WHERE kind = 'connector';

DROP VIEW paths;
CREATE VIEW paths AS
${Object.values(STEP_BRANCHES).join('\nUNION ALL')};
`;
