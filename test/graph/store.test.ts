// The graph store: migrations (fresh and in-place upgrade with a backup), removal only on completed
// listings, cascade to children, references that never overwrite, history with before/after. The writer's rules run
// on both backends (test/helpers/backends.ts); the migration tests are SQLite's (files, VACUUM INTO backups,
// user_version) — PostgreSQL's migrations are test/postgres/schema-parity.test.ts's.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestSchemaVersion, openDb, schemaVersion } from '../../src/graph/db.ts';
import { migrations } from '../../src/graph/migrations/index.ts';
import { GraphWriter } from '../../src/graph/writer.ts';
import { beginRun } from '../../src/graph/runs.ts';
import type { Emitted } from '../../src/graph/model.ts';
import { describeBackends, jsonProp, storedJson } from '../helpers/backends.ts';

const tmp = (name: string) => { const f = path.resolve('test/.tmp', `${name}-${process.pid}.db`); for (const x of [f, `${f}-wal`, `${f}-shm`]) fs.rmSync(x, { force: true }); return f; };

function page(writer: GraphWriter, scope: string, emitted: Emitted, parentId: string | null = null) {
  return writer.writePage({ provider: 'p', tenant: 't', scope, parentId, emitted });
}
const node = (id: string, props: Record<string, unknown> = {}, extra: Partial<Emitted['nodes'][number]> = {}) =>
  ({ id: `p:${id}`, kind: 'connector' as const, type: 'p.thing', name: id, props, ...extra });

describe('graph store', () => {
  it('creates the schema, and upgrades an older database in place after copying it aside', () => {
    const file = tmp('upgrade');
    const old = new Database(file);
    old.exec(migrations[0]!.sql);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO runs (started_at, status) VALUES ('2026-01-01T00:00:00Z', 'complete')").run();
    old.close();
    const db = openDb(file);
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    expect(db.prepare('SELECT count(*) n FROM runs').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) n FROM connectors').get()).toEqual({ n: 0 });
    expect(fs.existsSync(`${file}.pre-v${latestSchemaVersion}.bak`)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('migration 007 keeps the inventory of every reconciliation, stored once per version', () => {
    const file = tmp('inventory-versions');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    for (const m of migrations.filter((x) => x.id <= 6)) old.exec(m.sql);
    old.pragma('user_version = 6');
    const recon = old.prepare("INSERT INTO reconciliations (started_at, status, inventory_file, inventory_hash, crawl_runs) VALUES (?, 'complete', 'inv.yaml', ?, '{}')");
    const r1 = Number(recon.run('2026-10-01T00:00:00Z', 'h1').lastInsertRowid);
    const r2 = Number(recon.run('2026-10-02T00:00:00Z', 'h1').lastInsertRowid);
    const r3 = Number(recon.run('2026-10-03T00:00:00Z', 'h2').lastInsertRowid);
    const entry = old.prepare(`INSERT INTO inventory_entries (recon_id, id, name, vendor, business_owner, technical_owner, approved_on, approval_expires,
        temporary, end_date, entry) VALUES (?, ?, ?, 'Acme', 'b@x.com', 't@x.com', '2026-01-01', NULL, 0, NULL, '{}')`);
    for (const [r, id] of [[r1, 'a'], [r1, 'b'], [r2, 'a'], [r2, 'b'], [r3, 'a']] as const) entry.run(r, id, id);
    old.close();
    const db = openDb(file);
    expect(db.prepare('SELECT recon_id, id FROM inventory_entries ORDER BY recon_id, id').all())
      .toEqual([{ recon_id: r1, id: 'a' }, { recon_id: r1, id: 'b' }, { recon_id: r2, id: 'a' }, { recon_id: r2, id: 'b' }, { recon_id: r3, id: 'a' }]);
    expect(db.prepare('SELECT inventory_hash, id FROM inventory_version_entries ORDER BY 1, 2').all())
      .toEqual([{ inventory_hash: 'h1', id: 'a' }, { inventory_hash: 'h1', id: 'b' }, { inventory_hash: 'h2', id: 'a' }]);
    db.close();
  });

  it('refuses a database from a newer nhi-census', () => {
    const file = tmp('newer');
    const d = new Database(file); d.pragma(`user_version = ${latestSchemaVersion + 1}`); d.close();
    expect(() => openDb(file)).toThrow(/newer than this nhi-census/);
  });
});

describeBackends('graph writer', ({ openTestDb }) => {

  it('marks removed only what a completed listing did not return, and cascades to what hangs off it', () => {
    const db = openTestDb();
    const r1 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    page(r1, 'repos', { nodes: [node('a'), node('b')], edges: [] });
    page(r1, 'keys|a', { nodes: [node('k1', {}, { kind: 'credential' })], edges: [{ type: 'CAN_ACCESS', from: 'p:k1', to: 'p:a' }] }, 'p:a');
    r1.completeListing('repos');
    r1.completeListing('keys|a');

    const r2 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    page(r2, 'repos', { nodes: [node('b')], edges: [] });
    // a listing that failed: never completed, so nothing it owns is removed
    const removed = r2.completeListing('repos');
    expect(removed).toBe(2); // a, and k1 hanging off a
    const live = db.prepare('SELECT id FROM nodes WHERE removed_run IS NULL ORDER BY id').all();
    expect(live).toEqual([{ id: 'p:b' }]);
    expect(db.prepare("SELECT count(*) n FROM edges WHERE removed_run IS NULL").get()).toEqual({ n: 0 });
    const changes = db.prepare('SELECT entity_id, change FROM change_log WHERE run_id = ? ORDER BY entity_id').all(r2.runId);
    expect(changes).toEqual([
      { entity_id: 'p:a', change: 'removed' },
      { entity_id: 'p:k1', change: 'removed' },
      { entity_id: 'p:k1|CAN_ACCESS|p:a', change: 'removed' },
    ]);
  });

  it('an unfinished listing removes nothing', () => {
    const db = openTestDb();
    const r1 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    page(r1, 'repos', { nodes: [node('a'), node('b')], edges: [] });
    r1.completeListing('repos');
    const r2 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    page(r2, 'repos', { nodes: [node('a')], edges: [] });
    expect(db.prepare('SELECT count(*) n FROM nodes WHERE removed_run IS NULL').get()).toEqual({ n: 2 });
  });

  it('records modifications with before and after, and revives a removed object as added', () => {
    const db = openTestDb();
    const w1 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    page(w1, 's', { nodes: [node('a', { perms: ['x'] })], edges: [] });
    w1.completeListing('s');
    const w2 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    page(w2, 's', { nodes: [node('a', { perms: ['x', 'y'] })], edges: [] });
    const mod = db.prepare("SELECT before, after FROM change_log WHERE change = 'modified'").get() as { before: string; after: string };
    expect(JSON.parse(mod.before)).toEqual({ name: 'a', props: { perms: ['x'] } });
    expect(JSON.parse(mod.after)).toEqual({ name: 'a', props: { perms: ['x', 'y'] } });
    const w3 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    w3.completeListing('s');
    const w4 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    page(w4, 's', { nodes: [node('a', { perms: ['x', 'y'] })], edges: [] });
    expect(db.prepare('SELECT change FROM change_log WHERE run_id = ?').all(w4.runId)).toEqual([{ change: 'added' }]);
  });

  it('a change in observation props alone (last use, last login) updates the node without a history row', () => {
    const db = openTestDb();
    const r1 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    page(r1, 'keys', { nodes: [node('k', { scopes: ['a'], last_used_at: '2026-11-01T00:00:00Z' })], edges: [] });
    const r2 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    expect(page(r2, 'keys', { nodes: [node('k', { scopes: ['a'], last_used_at: '2026-11-30T00:00:00Z' })], edges: [] }).modified).toBe(0);
    expect(db.prepare(`SELECT ${jsonProp(db, 'props', 'last_used_at')} AS u FROM nodes WHERE id = 'p:k'`).get()).toEqual({ u: '2026-11-30T00:00:00Z' });
    expect(db.prepare('SELECT count(*) AS n FROM change_log WHERE run_id = 2').get()).toEqual({ n: 0 });
    const r3 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    expect(page(r3, 'keys', { nodes: [node('k', { scopes: ['a', 'b'], last_used_at: '2026-12-01T00:00:00Z' })], edges: [] }).modified).toBe(1);
    expect(db.prepare('SELECT before, after FROM change_log WHERE run_id = 3').all()).toEqual([{
      before: '{"name":"k","props":{"last_used_at":"2026-11-30T00:00:00Z","scopes":["a"]}}',
      after: '{"name":"k","props":{"last_used_at":"2026-12-01T00:00:00Z","scopes":["a","b"]}}' }]);
  });

  it('a reference never overwrites the real object and is not owned by the listing that made it', () => {
    const db = openTestDb();
    const w = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    page(w, 'members', { nodes: [{ id: 'p:user:x', kind: 'principal', type: 'p.user', name: 'x', props: { status: 'active' } }], edges: [] });
    page(w, 'keys', { nodes: [{ id: 'p:user:x', kind: 'principal', type: 'p.user', name: 'x', props: { status: 'unknown' }, ref: true },
      { id: 'p:user:gone', kind: 'principal', type: 'p.user', name: 'gone', props: { status: 'unknown' }, ref: true }], edges: [] });
    w.completeListing('keys');
    const rowsNow = db.prepare(`SELECT id, ${jsonProp(db, 'props', 'status')} status, source, removed_run FROM nodes ORDER BY id`).all();
    expect(rowsNow).toEqual([
      { id: 'p:user:gone', status: 'unknown', source: null, removed_run: null },
      { id: 'p:user:x', status: 'active', source: 'members', removed_run: null },
    ]);
  });

  it('a patch changes only the props it names on a live node, never creates, revives or claims one', () => {
    const db = openTestDb();
    const r1 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
    page(r1, 'grants', { nodes: [node('g1', { scopes: ['a'], last_used_at: null }), node('g2')], edges: [] });
    r1.completeListing('grants');
    page(r1, 'gone', { nodes: [node('g3')], edges: [] });
    db.prepare("UPDATE nodes SET removed_run = 1 WHERE id = 'p:g3'").run();
    const r2 = new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'incremental', version: 't' }));
    const counts = page(r2, 'usage', { nodes: [
      node('g1', { last_used_at: '2026-11-30T00:00:00Z' }, { patch: true, name: '' }),
      node('g2', {}, { patch: true, name: '' }), // nothing new: no change
      node('g3', { last_used_at: '2026-11-30T00:00:00Z' }, { patch: true }), // removed: stays removed
      node('g4', { last_used_at: '2026-11-30T00:00:00Z' }, { patch: true }), // unknown: not created
      node('g2', { enabled: false }, { patch: true, name: '' }), // a configuration prop: history records it
    ], edges: [] });
    expect(counts).toEqual({ nodes: 0, edges: 0, added: 0, modified: 1 });
    expect(db.prepare("SELECT id, name, props, source, last_seen_run, removed_run FROM nodes ORDER BY id").all()).toEqual([
      { id: 'p:g1', name: 'g1', props: storedJson(db, '{"last_used_at":"2026-11-30T00:00:00Z","scopes":["a"]}'), source: 'grants', last_seen_run: 1, removed_run: null },
      { id: 'p:g2', name: 'g2', props: storedJson(db, '{"enabled":false}'), source: 'grants', last_seen_run: 1, removed_run: null },
      { id: 'p:g3', name: 'g3', props: storedJson(db, '{}'), source: 'gone', last_seen_run: 1, removed_run: 1 },
    ]);
    // a newer last use is an observation, kept on the node but not history; the configuration change is
    expect(db.prepare("SELECT entity_id, change, before, after FROM change_log WHERE run_id = 2").all()).toEqual([{ entity_id: 'p:g2', change: 'modified',
      before: '{"name":"g2","props":{}}', after: '{"name":"g2","props":{"enabled":false}}' }]);
    // the patching listing owns nothing: completing it removes nothing
    expect(r2.completeListing('usage')).toBe(0);
  });
});
