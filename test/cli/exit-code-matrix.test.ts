// Issue 17 item 5: one exit code per condition across every command that opens a database. docs/cli.md's
// exit-code table is the contract: a database that cannot be used (missing where the command needs an
// existing one, not a database, a schema newer than this binary) is 7; a database that cannot be written
// (read-only file or folder) is 8 for the commands that write, and no error for the commands that only read;
// a bad option is 2. `db info` and `db backup` read a newer schema (they report / copy it, nothing more).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestSchemaVersion, openDb } from '../../src/graph/db.ts';
import { connector, crawlRun } from '../reconcile/helpers.ts';
import { runMain } from './run-main.ts';

const base = path.resolve('test/.tmp', `exit-matrix-${process.pid}`);
const source = path.join(base, 'source.db');
const config = path.join(base, 'nhi-census.yaml');
const inventory = path.resolve('scenarios/demo/inventory.yaml');
const month = new Date().toISOString().slice(0, 7);

type Condition = 'missing' | 'not-a-database' | 'read-only file' | 'read-only folder' | 'newer schema' | 'bad option';
const WRITERS = ['crawl', 'run', 'reconcile', 'report', 'prune', 'db reset-state'] as const;
const READERS = ['query', 'runs', 'paths', 'inventory draft', 'db info', 'db backup'] as const;
type Cmd = typeof WRITERS[number] | typeof READERS[number];

const args: Record<Cmd, (db: string, out: string) => string[]> = {
  crawl: (db) => ['crawl', '-c', config, '--db', db],
  run: (db) => ['run', '-c', config, '--db', db],
  reconcile: (db) => ['reconcile', '--db', db, '-i', inventory],
  report: (db, out) => ['report', '--db', db, '--organisation', 'Acme', '-m', month, '-o', path.join(out, 'report')],
  prune: (db) => ['prune', '--keep', '12', '--db', db],
  'db reset-state': (db) => ['db', 'reset-state', '--db', db],
  query: (db) => ['query', 'select count(*) as n from nodes', '--db', db],
  runs: (db) => ['runs', '--db', db],
  paths: (db) => ['paths', '--from', 'github:connector:app1', '--db', db],
  'inventory draft': (db) => ['inventory', 'draft', '--db', db],
  'db info': (db) => ['db', 'info', '--db', db],
  'db backup': (db, out) => ['db', 'backup', path.join(out, 'backup.db'), '--db', db],
};

/** The documented code (docs/cli.md, "Exit codes") for a command meeting a condition. */
function expected(cmd: Cmd, c: Condition): number {
  const writes = (WRITERS as readonly string[]).includes(cmd);
  switch (c) {
    case 'bad option': return 2;
    case 'missing': case 'not-a-database': return 7;
    case 'newer schema': return cmd === 'db info' || cmd === 'db backup' ? 0 : 7;
    case 'read-only file': case 'read-only folder': return writes ? 8 : 0;
  }
}

/** Makes a file or folder unwritable — for root too (chattr +i), where chmod does not stop root. */
function lock(p: string): void {
  if (process.getuid?.() === 0) execFileSync('chattr', ['+i', p], { stdio: 'ignore' });
  else fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o555 : 0o444);
}
function unlockAll(): void {
  if (!fs.existsSync(base)) return;
  if (process.getuid?.() === 0) { try { execFileSync('chattr', ['-R', '-i', base], { stdio: 'ignore' }); } catch { /* not locked */ } }
  else execFileSync('chmod', ['-R', 'u+w', base]);
}
/** Whether this machine lets the test make a file unwritable (chattr may be refused in a container). */
function canLock(): boolean {
  const probe = path.join(base, 'probe');
  fs.writeFileSync(probe, '');
  try { lock(probe); } catch { return false; }
  try { fs.appendFileSync(probe, 'x'); return false; } catch { return true; } finally { unlockAll(); fs.rmSync(probe, { force: true }); }
}

let counter = 0;
/** A fresh folder holding the database for one command and one condition. */
function setUp(c: Condition): { db: string; out: string } {
  const dir = path.join(base, `case-${++counter}`);
  const out = path.join(base, `out-${counter}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(out, { recursive: true });
  const db = path.join(dir, 'nhi.db');
  if (c === 'missing') return { db, out };
  if (c === 'not-a-database') { fs.writeFileSync(db, 'this is a text file, not a SQLite database\n'.repeat(50)); return { db, out }; }
  fs.copyFileSync(source, db);
  if (c === 'newer schema') {
    const d = openDb(db); // an upgrade-free open: it is at this binary's version
    d.pragma(`user_version = ${latestSchemaVersion + 1}`);
    d.close();
  }
  if (c === 'read-only file') lock(db);
  if (c === 'read-only folder') lock(dir);
  return { db, out };
}

let lockable = false;
beforeAll(() => {
  unlockAll();
  fs.rmSync(base, { recursive: true, force: true });
  fs.mkdirSync(base, { recursive: true });
  lockable = canLock();
  const db = openDb(source);
  crawlRun(db, 'github', { 'github.apps': { nodes: [connector('github', 'app1')] } });
  db.close(); // the last connection checkpoints the WAL: the copy is one file
  fs.writeFileSync(config, `database: ${path.join(base, 'unused.db')}\norganisation: Acme\nproviders:\n  slack: { teamId: T1, tokenEnv: NHI_TEST_UNSET_SLACK_TOKEN }\n`);
});
afterAll(() => { unlockAll(); fs.rmSync(base, { recursive: true, force: true }); });

const CONDITIONS: Condition[] = ['missing', 'not-a-database', 'read-only file', 'read-only folder', 'newer schema', 'bad option'];

describe('one exit code per condition, every command that opens a database', () => {
  for (const cmd of [...WRITERS, ...READERS]) {
    it(cmd, async () => {
      const seen: string[] = [];
      const want: string[] = [];
      for (const c of CONDITIONS) {
        // crawl and run create a missing database: that is not an error
        if (c === 'missing' && (cmd === 'crawl' || cmd === 'run')) continue;
        if (c.startsWith('read-only') && !lockable) continue;
        const { db, out } = setUp(c);
        const r = await runMain([...args[cmd](db, out), ...(c === 'bad option' ? ['--no-such-option'] : [])]);
        seen.push(`${c}: ${r.code}${r.code === expected(cmd, c) ? '' : ` (${r.stderr.trim().split('\n').pop()})`}`);
        want.push(`${c}: ${expected(cmd, c)}`);
        if (r.code !== 0) {
          expect(r.stderr, `${cmd} / ${c}`).toMatch(c === 'bad option' ? /unknown option/ : /^nhi-census: /m);
          expect(r.stderr, `${cmd} / ${c}: one line, no stack trace`).not.toMatch(/\n\s+at /);
        }
        if (c === 'missing') expect(fs.existsSync(db), `${cmd} created the missing database`).toBe(false);
      }
      expect(seen).toEqual(want);
    });
  }

  it('a reader opens a read-only database that SQLite cannot put its -shm beside', async () => {
    if (!lockable) return;
    const { db } = setUp('read-only folder');
    const r = await runMain(['query', 'select count(*) as n from nodes', '--db', db, '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ n: 1 }]);
  });
});
