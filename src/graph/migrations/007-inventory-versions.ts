// Migration 007: the approved inventory is kept once per version (its content hash), not copied into every
// reconciliation — a 5,000-entry inventory reconciled nightly was ~2.5 MB a night, the largest table of a
// year's database. `inventory_entries` stays as a view with the same columns (recon_id included), so
// queries written against it keep working; prune removes versions no kept reconciliation uses.
export const id = 7;
export const name = 'inventory-versions';
export const sql = `
CREATE TABLE inventory_version_entries (
  inventory_hash    TEXT NOT NULL,     -- reconciliations.inventory_hash ('' when no inventory was given)
  id                TEXT NOT NULL,
  name              TEXT NOT NULL,
  vendor            TEXT,
  business_owner    TEXT,
  technical_owner   TEXT,
  approved_on       TEXT,
  approval_expires  TEXT,
  temporary         INTEGER NOT NULL DEFAULT 0,
  end_date          TEXT,
  entry             TEXT NOT NULL,     -- JSON: the whole validated entry
  PRIMARY KEY (inventory_hash, id)
);

INSERT OR IGNORE INTO inventory_version_entries
  (inventory_hash, id, name, vendor, business_owner, technical_owner, approved_on, approval_expires, temporary, end_date, entry)
SELECT coalesce(r.inventory_hash, ''), e.id, e.name, e.vendor, e.business_owner, e.technical_owner, e.approved_on,
       e.approval_expires, e.temporary, e.end_date, e.entry
  FROM inventory_entries e JOIN reconciliations r ON r.id = e.recon_id
 ORDER BY e.recon_id;

DROP TABLE inventory_entries;

-- The inventory each reconciliation used, entry by entry (as the table of the same name did before 007).
CREATE VIEW inventory_entries AS
SELECT r.id AS recon_id, v.id, v.name, v.vendor, v.business_owner, v.technical_owner, v.approved_on, v.approval_expires,
       v.temporary, v.end_date, v.entry
  FROM reconciliations r JOIN inventory_version_entries v ON v.inventory_hash = coalesce(r.inventory_hash, '');
`;
