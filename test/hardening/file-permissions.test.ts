// Issue 13 item 4: every file nhi-census creates that holds graph data or evidence — the database and its
// -wal/-shm, `db backup` output, the `.pre-vN.bak` copy taken before an upgrade, every report file, a
// drafted inventory, the demo's inventory copy — is created 0600, and every folder it creates 0700,
// under the common umask 022 (which would otherwise make them world-readable).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestSchemaVersion, openDb } from '../../src/graph/db.ts';
import { migrations } from '../../src/graph/migrations/index.ts';
import { cli } from '../ops/helpers.ts';

/** Spawned CLI runs on a busy CI machine (two cores shared by several test workers). */
const SLOW = 240_000;

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const octal = (p: string) => `${path.basename(p)} ${mode(p).toString(8).padStart(4, '0')}`;

describe('files holding graph data or evidence are private whatever the umask', () => {
  const base = path.resolve('test/.tmp', `perm-${process.pid}`);
  const dataDir = path.join(base, 'data', 'graph');
  const outDir = path.join(base, 'out', '2026-11');
  const dbFile = path.join(dataDir, 'nhi.db');
  let oldUmask: number;

  beforeAll(async () => {
    // umask 022 in this process and (inherited) in the CLI it spawns
    oldUmask = process.umask(0o022);
    fs.rmSync(base, { recursive: true, force: true });
    fs.mkdirSync(base, { recursive: true });
    const r = await cli(['demo', '--db', dbFile, '--out', outDir, '--log-format', 'json', '--log-level', 'error']);
    expect(r.code, r.stderr).toBe(0);
  }, SLOW);
  afterAll(() => { process.umask(oldUmask); });

  it('demo: the database, the folders it created, every report file, the manifest and the demo inventory', () => {
    for (const d of [path.join(base, 'data'), dataDir, path.join(base, 'out'), outDir]) expect(octal(d)).toBe(`${path.basename(d)} 0700`);
    const files = fs.readdirSync(outDir).map((f) => path.join(outDir, f));
    expect(files.map((f) => path.basename(f)).sort()).toEqual(expect.arrayContaining(
      ['connectors.csv', 'demo-inventory.yaml', 'findings.csv', 'report.html', 'report.json', 'report.md']));
    for (const f of [dbFile, ...files]) expect(octal(f)).toBe(`${path.basename(f)} 0600`);
  }, SLOW);

  it('the -wal and -shm files SQLite creates beside the database', () => {
    const db = openDb(dbFile);
    try {
      db.prepare("INSERT INTO runs (started_at, status) VALUES ('2026-01-01T00:00:00Z', 'complete')").run();
      for (const f of [`${dbFile}-wal`, `${dbFile}-shm`]) expect(octal(f)).toBe(`${path.basename(f)} 0600`);
    } finally { db.close(); }
    // a database created in this process (umask 022) too
    const fresh = path.join(base, 'fresh', 'x.db');
    const db2 = openDb(fresh);
    try {
      db2.prepare("INSERT INTO runs (started_at, status) VALUES ('2026-01-01T00:00:00Z', 'complete')").run();
      for (const f of [fresh, `${fresh}-wal`, `${fresh}-shm`]) expect(octal(f)).toBe(`${path.basename(f)} 0600`);
      expect(octal(path.dirname(fresh))).toBe('fresh 0700');
    } finally { db2.close(); }
  }, SLOW);

  it('db backup output', async () => {
    const target = path.join(base, 'backups', 'b.db');
    const r = await cli(['db', 'backup', target, '--db', dbFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(octal(target)).toBe('b.db 0600');
    expect(octal(path.dirname(target))).toBe('backups 0700');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['b.db']);
  }, SLOW);

  it('the .pre-vN.bak copy taken before a schema upgrade', () => {
    const file = path.join(base, 'old.db');
    const old = new Database(file);
    old.exec(migrations[0]!.sql);
    old.pragma('user_version = 1');
    old.close();
    fs.chmodSync(file, 0o600);
    openDb(file).close();
    const bak = `${file}.pre-v${latestSchemaVersion}.bak`;
    expect(octal(bak)).toBe(`${path.basename(bak)} 0600`);
    expect(fs.readdirSync(base).filter((f) => f.startsWith('old.db.pre-'))).toEqual([path.basename(bak)]);
  }, SLOW);

  it('inventory draft --out', async () => {
    const target = path.join(base, 'inventory', 'draft.yaml');
    const r = await cli(['inventory', 'draft', '--db', dbFile, '--out', target]);
    expect(r.code, r.stderr).toBe(0);
    expect(octal(target)).toBe('draft.yaml 0600');
    expect(octal(path.dirname(target))).toBe('inventory 0700');
  }, SLOW);

  it('report written by `report` into new nested folders', async () => {
    const dir = path.join(base, 'monthly', 'a', 'b');
    const r = await cli(['report', '--db', dbFile, '--out', dir, '--month', new Date().toISOString().slice(0, 7)]);
    expect(r.code, r.stderr).toBe(0);
    for (const d of [path.join(base, 'monthly'), path.join(base, 'monthly', 'a'), dir]) expect(octal(d)).toBe(`${path.basename(d)} 0700`);
    const files = fs.readdirSync(dir);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(octal(path.join(dir, f))).toBe(`${f} 0600`);
  }, SLOW);
});
