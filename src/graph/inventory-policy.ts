// Named queries for the inventory policy a reconciliation used (migration 015): the organisation and the
// validated defaults of each inventory version, and this database's identity (recorded in report manifests).
import path from 'node:path';
import type { Db } from './db.ts';
import { sqlFor } from './dialect.ts';
import { dialectOf } from './graph-db.ts';

export interface InventoryPolicyRow { organisation: string | null; defaults: Record<string, unknown> }

/** Records an inventory version's organisation and defaults once (a reconciliation of an unchanged inventory writes nothing). */
export function recordInventoryPolicy(db: Db, inventoryHash: string, organisation: string | undefined, defaults: unknown): void {
  db.prepare(sqlFor(db, {
    sqlite: `INSERT OR IGNORE INTO inventory_versions (inventory_hash, organisation, defaults, recorded_at) VALUES (?, ?, ?, ?)`,
    postgres: 'INSERT INTO inventory_versions (inventory_hash, organisation, defaults, recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  }))
    .run(inventoryHash, organisation?.trim() || null, JSON.stringify(defaults), new Date().toISOString());
}

/** The policy of the inventory version a reconciliation used; undefined for reconciliations from before migration 015. */
export function inventoryPolicyOf(db: Db, reconId: number): InventoryPolicyRow | undefined {
  const row = db.prepare<[number], { organisation: string | null; defaults: string }>(`SELECT v.organisation, v.defaults
      FROM reconciliations r JOIN inventory_versions v ON v.inventory_hash = coalesce(r.inventory_hash, '') WHERE r.id = ?`).get(reconId);
  if (!row) return undefined;
  let defaults: Record<string, unknown> = {};
  try { const v = JSON.parse(row.defaults); if (v && typeof v === 'object' && !Array.isArray(v)) defaults = v; } catch { /* stored by us; kept empty if unreadable */ }
  return { organisation: row.organisation, defaults };
}

/** Where this database is, as report manifests record it: the SQLite file's absolute path, or the PostgreSQL URL (no password). */
export function databaseLocation(db: Db): string {
  return dialectOf(db) === 'postgres' || db.name === ':memory:' ? db.name : path.resolve(db.name);
}

/** This database's random identity (migration 015). */
export function databaseIdentity(db: Db): string {
  return db.prepare('SELECT id FROM database_identity LIMIT 1').pluck().get() as string;
}
