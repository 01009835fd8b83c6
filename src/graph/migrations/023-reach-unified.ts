// Migration 023: one notion of "write" and the same-application step in the `paths` view (issue 19,
// docs/blast-radius.md).
//  - scope_grades.controls_workloads: 1 when the provider's catalogue lists the scope as changing what a repository's
//    workflows run (`workloadControl`, src/catalogue/privileged-roles.ts), 0 when it keeps such a list without it,
//    NULL when it keeps none. Filled by the graph writer's grading (src/graph/scope-grades.ts) like `risk`.
//  - paths: CONTROLS needs a scope graded high or critical that controls workloads (NULL: any such scope), so the
//    view, `nhi-census paths`, the reach summaries and cross-provider-escalation agree on what crosses a trust;
//    CREDENTIAL_OF gains the same-application step: a credential of a connector acts also as the connectors of the
//    same provider, tenant and app_id (an Entra application's federated credential yields tokens for its service
//    principal, which holds the roles) — props.via 'same-app', props.application the holder's name;
//    TRUSTED_BY gains the acting step: a trust held by a credential no connector holds (a Workload Identity pool) whose
//    access to a resource names the trust's endpoint in `acts_as_connectors_for` (an impersonation role on a project)
//    admits that endpoint's workloads as every connector IN_TENANT of the resource's tenant — props.via 'acts_as',
//    the credential, the resource and its roles, and the TRUSTS edge's `enabled` (a disabled pool admits nothing).
import { STEP_BRANCHES as V22, controlsWith } from './022-reach-paths.ts';

export const id = 23;
export const name = 'reach-unified';

const live = (a: string) => `${a}.removed_run IS NULL`;
const appId = (n: string) => `lower(CAST(json_extract(${n ? `${n}.` : ''}props, '$.app_id') AS TEXT))`;
/** A write-class scope: graded high or critical and, where the catalogue keeps the list, one that controls workloads. */
export const WORKLOAD_WRITE = "sg.risk IN ('critical', 'high') AND coalesce(sg.controls_workloads, 1) = 1";
const controls = controlsWith(WORKLOAD_WRITE);

/** CONTROLS through a CAN_ACCESS to the repository, and through one to its tenant (the summaries read them apart). */
export const CONTROLS_PARTS = { direct: controls('direct'), tenant: controls('tenant') } as const;

/** The credential of a connector to the other connectors of the same application (provider, tenant, app_id). */
export const SAME_APP = `
SELECT e.dst, b.name, b.kind, 'CREDENTIAL_OF', s.id, s.name, s.kind, 'holder (same application)', s.provider,
       json_set(e.props, '$.via', 'same-app', '$.application', coalesce(a.name, a.id))
  FROM edges e
  JOIN nodes a ON a.id = e.src AND ${live('a')} AND +a.kind = 'connector'
  JOIN nodes b ON b.id = e.dst AND ${live('b')} AND +b.kind = 'credential'
  JOIN nodes s ON s.kind = 'connector' AND s.provider = a.provider AND ${appId('s')} = ${appId('a')}
              AND coalesce(s.tenant, '') = coalesce(a.tenant, '') AND s.id <> a.id AND ${live('s')}
 WHERE e.type = 'HAS_CREDENTIAL' AND ${live('e')} AND json_extract(a.props, '$.app_id') IS NOT NULL`;

/** An endpoint to the connectors a credential's workloads act as (see the header), one row per connector. */
export const ACTS_AS = `
SELECT w.id, w.name, w.kind, 'TRUSTED_BY', c.id, c.name, c.kind,
       'acts as ' || coalesce((SELECT group_concat(r.value, ', ') FROM json_each(a.props, '$.roles') r WHERE json_type(a.props, '$.roles') = 'array'), 'access')
         || ' on ' || coalesce(rn.name, rn.id) || ' (' || coalesce(json_extract(w.props, '$.breadth'), 'direct') || ')',
       c.provider,
       json_patch(json_object('via', 'acts_as', 'credential', cr.id, 'resource', rn.id, 'roles', json(coalesce(json_extract(a.props, '$.roles'), '[]')),
         'breadth', coalesce(json_extract(w.props, '$.breadth'), 'direct')),
         CASE WHEN json_type(tr.props, '$.enabled') IS NOT NULL THEN json_object('enabled', json(tr.props -> '$.enabled')) ELSE '{}' END)
  FROM edges a
  JOIN json_each(a.props, '$.acts_as_connectors_for') x
  JOIN nodes cr ON cr.id = a.src AND ${live('cr')} AND +cr.kind = 'credential'
  JOIN nodes w ON w.id = x.value AND ${live('w')} AND +w.kind = 'endpoint'
  JOIN edges tr ON tr.src = cr.id AND tr.dst = w.id AND tr.type = 'TRUSTS' AND ${live('tr')}
  JOIN nodes rn ON rn.id = a.dst AND ${live('rn')} AND +rn.kind = 'resource'
  JOIN edges rt ON rt.src = rn.id AND rt.type = 'IN_TENANT' AND ${live('rt')}
  JOIN edges ct ON ct.dst = rt.dst AND ct.type = 'IN_TENANT' AND ${live('ct')}
  JOIN nodes c ON c.id = ct.src AND ${live('c')} AND +c.kind = 'connector'
 WHERE a.type = 'CAN_ACCESS' AND ${live('a')} AND json_type(a.props, '$.acts_as_connectors_for') = 'array'`;

/** Each step's SELECT (the view is their UNION ALL), frozen with this migration (src/graph/paths-queries.ts reads them). */
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

-- the connectors of an application (the same-application step)
CREATE INDEX nodes_connector_app_id ON nodes(provider, ${appId('')}) WHERE kind = 'connector';

DROP VIEW paths;
CREATE VIEW paths AS
${Object.values(STEP_BRANCHES).join('\nUNION ALL')};
`;
