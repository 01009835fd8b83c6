// Migration 018: what an incremental reconciliation needs to know about the previous one (issue 16 item 5,
// docs/reconcile.md "Incremental reconciliation"):
//  - reconcile_units: each connector, credential, sibling group (`sib:` key) and inventory entry (`inventory:` key)
//    with the unit it belongs to — the connected set whose findings depend on one another (siblings, a credential
//    and the connectors holding it, an entry and the connectors it approves). A unit is evaluated whole or not at all;
//  - reconcile_revisits: per unit, the earliest instant at which a verdict or a day count of its findings changes with
//    no new data (src/reconcile/clock.ts): at or after it the unit is evaluated again;
//  - reconcile_principals: per principal, a digest of what identity resolution decided (person, e-mails, departure):
//    a principal whose digest changed makes the units its person touches dirty;
//  - reconciliations.basis: what else must be unchanged for the next reconciliation to be incremental (rule set,
//    inventory policy and entry order/match rules, crawl coverage per provider). NULL: the next one is full.
export const id = 18;
export const name = 'reconcile-units';
export const sql = `
CREATE TABLE reconcile_units (
  key   TEXT PRIMARY KEY,
  unit  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX reconcile_units_unit ON reconcile_units(unit);
CREATE TABLE reconcile_revisits (
  unit  TEXT PRIMARY KEY,
  at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE reconcile_principals (
  principal_id  TEXT PRIMARY KEY,
  digest        TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE reconciliations ADD COLUMN basis TEXT;
ALTER TABLE reconciliations ADD COLUMN mode TEXT;
`;
