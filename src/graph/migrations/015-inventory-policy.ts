// Migration 015: what the report needs of an inventory beyond its entries, and which database wrote a report.
//  - inventory_versions: per inventory version (its content hash, as inventory_version_entries), the organisation
//    it names and its validated `defaults` (rotation_days, sla_days, …) as JSON — the report's due dates and its
//    rotation figure use the policy the reconciliation used, not today's file. A reconciliation from before 015 has
//    no row: the report falls back to the schema's defaults and says so.
//  - database_identity: one random id per database, created here; the report's manifest records it, so a report
//    folder written from another database is never overwritten by mistake (nhi-census report --force overrides).
export const id = 15;
export const name = 'inventory-policy';
export const sql = `
CREATE TABLE inventory_versions (
  inventory_hash  TEXT PRIMARY KEY,   -- reconciliations.inventory_hash ('' when no inventory was given)
  organisation    TEXT,
  defaults        TEXT NOT NULL,      -- JSON: the validated inventory defaults
  recorded_at     TEXT NOT NULL
);

CREATE TABLE database_identity (
  id          TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
INSERT INTO database_identity (id, created_at) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
`;
