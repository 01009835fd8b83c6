// PostgreSQL migration 015 (= SQLite 015-inventory-policy): the inventory policy per inventory version, and one
// random id per database for report manifests. lower(hex(randomblob(16))) -> 32 hex digits of gen_random_uuid()
// (PostgreSQL 13+); strftime('%Y-%m-%dT%H:%M:%fZ', 'now') -> the same ISO-8601 UTC text with milliseconds.
import { TEXT } from './sql.ts';

export const id = 15;
export const name = 'inventory-policy';
export const sql = `
CREATE TABLE inventory_versions (
  inventory_hash  ${TEXT} PRIMARY KEY,
  organisation    ${TEXT},
  defaults        ${TEXT} NOT NULL,
  recorded_at     ${TEXT} NOT NULL
);

CREATE TABLE database_identity (
  id          ${TEXT} NOT NULL,
  created_at  ${TEXT} NOT NULL
);
INSERT INTO database_identity (id, created_at)
VALUES (replace(gen_random_uuid()::text, '-', ''), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
`;
