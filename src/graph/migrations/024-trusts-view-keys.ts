// Migration 024: the `trusts` view (021) matches repositories to trust endpoints through their workload keys read
// once — each repository's keys expanded by json_each in one subquery, joined on the endpoint's workload_key (SQLite
// builds an automatic index on it) — instead of expanding every repository's keys again for every TRUSTS edge: at
// 100,000 connectors, 5,000 repositories and 2,000 trusts the whole view read in 0.29 s instead of 11 s
// (bench/reconcile-scale.ts --trusts 2000), the same rows. A repository listing a key twice still gives one row.
// PostgreSQL's view matches by JSONB containment through a GIN index already (migrations-pg/024 only says so). The
// view's columns and filter are 021's own (TRUSTS_SELECT, TRUSTS_WHERE): only the repository join is new.
import { TRUSTS_SELECT, TRUSTS_WHERE } from './021-trusts-view.ts';

export const id = 24;
export const name = 'trusts-view-keys';
export const sql = `
DROP VIEW trusts;
CREATE VIEW trusts AS${TRUSTS_SELECT}  LEFT JOIN (SELECT DISTINCT r.id, r.name, k.value AS workload_key FROM nodes r, json_each(r.props, '$.workload_keys') k
              WHERE r.kind = 'resource' AND r.removed_run IS NULL AND json_extract(r.props, '$.workload_keys') IS NOT NULL) r
         ON r.workload_key = json_extract(t.props, '$.workload_key')
${TRUSTS_WHERE};
`;
