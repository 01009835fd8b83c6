// View texts more than one PostgreSQL migration creates. PostgreSQL binds a view to its tables when it is created
// (SQLite re-reads the text at every query), so a view is recreated where SQLite's would have followed on its own:
// current_findings (`f.*`) after findings gains columns (013, 014, 017), inventory_owners when inventory_entries
// turns from a table into a view (007). Frozen like the migrations that use them: a new meaning is a new constant.

/** SQLite 003's current_findings: open findings, most severe first (NULLS FIRST: SQLite sorts NULL lowest). */
export const CURRENT_FINDINGS_003 = `
CREATE VIEW current_findings AS
SELECT f.*, CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END AS severity_rank
  FROM findings f
 WHERE f.status IN ('new','persisting')
 ORDER BY severity_rank, f.rule, f.subject_name NULLS FIRST;
`;

/**
 * SQLite 004's inventory_owners. json_each(p.emails) j WHERE j.value = o.email is spelt as JSONB containment, which
 * the GIN index people_emails serves; group_concat's unspecified order is the principal id's here; `role` is
 * collated "C" like every other text column.
 */
export const INVENTORY_OWNERS_004 = `
CREATE VIEW inventory_owners AS
WITH latest AS (SELECT max(id) AS id FROM reconciliations WHERE status = 'complete'),
owners AS (
  SELECT e.id AS inventory_id, e.name, 'business' COLLATE "C" AS role, e.business_owner AS email FROM inventory_entries e JOIN latest l ON e.recon_id = l.id
  UNION ALL
  SELECT e.id, e.name, 'technical', e.technical_owner FROM inventory_entries e JOIN latest l ON e.recon_id = l.id)
SELECT o.inventory_id, o.name, o.role, o.email,
       (SELECT string_agg(p.principal_id, ',' ORDER BY p.principal_id) FROM people p
         WHERE o.email IS NOT NULL AND p.emails @> jsonb_build_array(o.email)) AS principals,
       (SELECT max(p.departed) FROM people p WHERE o.email IS NOT NULL AND p.emails @> jsonb_build_array(o.email)) AS departed
  FROM owners o;
`;
