// PostgreSQL migration 007 (= SQLite 007-inventory-versions): the inventory kept once per version; inventory_entries
// becomes a view with the same columns. PostgreSQL will not drop a table a view is bound to, so inventory_owners is
// dropped first and recreated over the new view (SQLite's followed by name). INSERT OR IGNORE -> ON CONFLICT DO NOTHING.
import { INVENTORY_OWNERS_004 } from './shared-views.ts';
import { TEXT } from './sql.ts';

export const id = 7;
export const name = 'inventory-versions';
export const sql = `
CREATE TABLE inventory_version_entries (
  inventory_hash    ${TEXT} NOT NULL,
  id                ${TEXT} NOT NULL,
  name              ${TEXT} NOT NULL,
  vendor            ${TEXT},
  business_owner    ${TEXT},
  technical_owner   ${TEXT},
  approved_on       ${TEXT},
  approval_expires  ${TEXT},
  temporary         INTEGER NOT NULL DEFAULT 0,
  end_date          ${TEXT},
  entry             JSONB NOT NULL,
  PRIMARY KEY (inventory_hash, id)
);

INSERT INTO inventory_version_entries
  (inventory_hash, id, name, vendor, business_owner, technical_owner, approved_on, approval_expires, temporary, end_date, entry)
SELECT coalesce(r.inventory_hash, ''), e.id, e.name, e.vendor, e.business_owner, e.technical_owner, e.approved_on,
       e.approval_expires, e.temporary, e.end_date, e.entry
  FROM inventory_entries e JOIN reconciliations r ON r.id = e.recon_id
 ORDER BY e.recon_id
ON CONFLICT DO NOTHING;

DROP VIEW inventory_owners;
DROP TABLE inventory_entries;

CREATE VIEW inventory_entries AS
SELECT r.id AS recon_id, v.id, v.name, v.vendor, v.business_owner, v.technical_owner, v.approved_on, v.approval_expires,
       v.temporary, v.end_date, v.entry
  FROM reconciliations r JOIN inventory_version_entries v ON v.inventory_hash = coalesce(r.inventory_hash, '');
${INVENTORY_OWNERS_004}`;
