// Issue 13 item 13: a report written onto a full disk must not destroy the previous one. A first report is
// written; a second, for a different reconciliation, fails midway (an injected ENOSPC after some bytes, and
// — where this user may mount one — a real tmpfs too small for both sets): every earlier file, manifest
// included, is byte-identical afterwards, no temporary file is left, nothing is recorded in `reports`,
// and the command exits 8 with one line naming the file and the cause. A successful report ends with a
// manifest.json (written last) naming the reconciliation and every file's SHA-256.
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { writeReport } from '../../reports/write-report.ts';
import { main } from '../../src/cli/main.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { sqliteOnly, type Db } from '../../src/graph/db.ts';
import { StorageError } from '../../src/util/storage-error.ts';
import { cli } from '../ops/helpers.ts';
import { diskFillsAfter, mountTmpfs, tmpfsMountPoint, unmountQuietly } from './disk-full.ts';
import { connector, smallGraph } from '../report/small-graph.ts';

/** Spawned CLI runs on a busy CI machine (two cores shared by several test workers). */
const SLOW = 240_000;

const base = path.resolve('test/.tmp', `atomic-report-${process.pid}`);
fs.rmSync(base, { recursive: true, force: true });
fs.mkdirSync(base, { recursive: true });
let n = 0;

/** A graph with reconciliation 1 (findings open) at 2026-11-10. */
function graph(): Db {
  return smallGraph({
    connectors: [connector('github:app_installation:1', 'deploy-bot'), connector('github:app_installation:2', 'ci-runner')],
    findings: [
      { id: 'f1', family: 'orphans', severity: 'high', subject: 'github:app_installation:1', title: 'No owner', evidence: { note: 'x'.repeat(2000) }, owners: [] },
      { id: 'f2', family: 'scope-drift', severity: 'medium', subject: 'github:app_installation:2', title: 'Scope drift', evidence: { note: 'y'.repeat(2000) }, owners: ['a@example.com'] },
    ],
  });
}

/** Reconciliation 2, later in the month: the next report is built from it. */
function addSecondReconciliation(db: Db): void {
  db.prepare(`INSERT INTO reconciliations (id, started_at, finished_at, status, inventory_file, inventory_hash, crawl_runs)
      VALUES (2, '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:01.000Z', 'complete', 'inv.yaml', 'beef', (SELECT crawl_runs FROM reconciliations WHERE id = 1))`).run();
  db.prepare("INSERT INTO finding_observations (recon_id, finding_id, severity) VALUES (2, 'f1', 'high')").run();
  db.prepare("UPDATE findings SET last_seen_recon = 2, status = 'persisting' WHERE id = 'f1'").run();
  db.prepare("UPDATE findings SET status = 'resolved', resolved_recon = 2 WHERE id = 'f2'").run();
}

function fileDb(db: Db): string {
  const file = path.join(base, `g${++n}.db`);
  db.exec(`VACUUM INTO '${file}'`);
  return file;
}

const snapshot = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f))]));
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

function expectConsistentSet(dir: string, reconId: number): void {
  const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  expect(m.reconciliation_id).toBe(reconId);
  expect(m.month).toBe('2026-11');
  expect(m.files.map((f: { name: string }) => f.name).sort()).toEqual(['blast-radius.csv', 'connectors.csv', 'findings.csv', 'report.html', 'report.json', 'report.md']);
  for (const f of m.files) expect(sha(fs.readFileSync(path.join(dir, f.name))), f.name).toBe(f.sha256);
  expect(fs.readdirSync(dir).sort()).toEqual([...m.files.map((f: { name: string }) => f.name), 'manifest.json'].sort());
}

async function quietMain(argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const w = process.stdout.write; const e = process.stderr.write;
  let stdout = ''; let stderr = '';
  process.stdout.write = ((s: string) => { stdout += s; return true; }) as never;
  process.stderr.write = ((s: string) => { stderr += s; return true; }) as never;
  process.exitCode = undefined;
  try { return { code: await main(['node', 'nhi-census', ...argv]), stderr, stdout }; } finally {
    process.stdout.write = w; process.stderr.write = e; process.exitCode = undefined;
  }
}

afterEach(() => { vi.restoreAllMocks(); });

describe('a report that fails midway leaves the previous one intact', () => {
  it('writeReport: ENOSPC after the first file leaves every earlier file byte-identical, no temp file, no reports row', () => {
    const db = graph();
    const dir = path.join(base, 'lib');
    const first = writeReport(db, dir, { month: '2026-11', organisation: 'Acme', now: new Date('2026-11-12T00:00:00Z') });
    expect(first.manifest.path).toBe(path.join(dir, 'manifest.json'));
    expectConsistentSet(dir, 1);
    const before = snapshot(dir);
    addSecondReconciliation(db);
    // the new set's size, from a copy of the database: fail on its first byte, inside its second file, and in the manifest
    const copy = new Database(sqliteOnly(db, 'serialize').serialize());
    const probe = writeReport(copy, path.join(base, 'lib-probe'), { month: '2026-11', organisation: 'Acme', now: new Date('2026-11-21T00:00:00Z') });
    copy.close();
    const total = [...probe.files, probe.manifest].reduce((a, f) => a + f.bytes, 0);
    for (const budget of [0, probe.files[0]!.bytes + 100, total - 10]) {
      const spy = diskFillsAfter(budget);
      let err: unknown;
      try { writeReport(db, dir, { month: '2026-11', organisation: 'Acme', now: new Date('2026-11-21T00:00:00Z') }); } catch (e) { err = e; }
      spy.mockRestore();
      expect(err).toBeInstanceOf(StorageError);
      expect((err as Error).message).toMatch(new RegExp(`^storage error: ${dir.replaceAll('/', '\\/')}\\/[a-z.]+: ENOSPC: no space left on device`));
      expect((err as Error).message).not.toContain('\n');
      expect(snapshot(dir)).toEqual(before);
      expect(db.prepare('SELECT count(*) FROM reports').pluck().get()).toBe(1);
    }
    // with room again, the next attempt writes the new set, manifest last and consistent
    writeReport(db, dir, { month: '2026-11', organisation: 'Acme', now: new Date('2026-11-21T00:00:00Z') });
    expectConsistentSet(dir, 2);
    expect(snapshot(dir)['report.md']).not.toEqual(before['report.md']);
    db.close();
  }, SLOW);

  it('nhi-census report: exit 8 and one line naming the file and the cause; the earlier set is untouched', async () => {
    const db = graph();
    const dbFile = fileDb(db);
    addSecondReconciliation(db);
    const dbFile2 = fileDb(db);
    db.close();
    const dir = path.join(base, 'cli');
    const ok = await quietMain(['report', '--db', dbFile, '--out', dir, '-m', '2026-11', '--organisation', 'Acme']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(path.join(dir, 'manifest.json'));
    expectConsistentSet(dir, 1);
    const before = snapshot(dir);
    diskFillsAfter(30_000);
    const r = await quietMain(['report', '--db', dbFile2, '--out', dir, '-m', '2026-11', '--organisation', 'Acme']);
    vi.restoreAllMocks();
    expect(r.code).toBe(EXIT.STORAGE);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^nhi-census: storage error: .*cli\/[a-z.]+: ENOSPC: no space left on device, write; no file of the set was replaced$/);
    expect(snapshot(dir)).toEqual(before);
  }, SLOW);

  // A real full disk: a tmpfs with room for one report set but not for the old and the new side by side.
  const mountPoint = tmpfsMountPoint(path.join(os.tmpdir(), `nhi-census-tmpfs-${process.pid}`));
  afterAll(() => unmountQuietly(mountPoint));

  it.skipIf(!mountPoint)('on a real tmpfs that fills up (needs root and mount)', async () => {
    const db = graph();
    const dbFile = fileDb(db);
    addSecondReconciliation(db);
    const dbFile2 = fileDb(db);
    // size the tmpfs from a report written elsewhere: room for one set, not for two
    const probe = writeReport(db, path.join(base, 'probe'), { month: '2026-11', organisation: 'Acme' });
    db.close();
    const pages = [...probe.files, probe.manifest].reduce((a, f) => a + Math.ceil(f.bytes / 4096), 0);
    mountTmpfs(mountPoint!, Math.ceil(pages * 1.5) * 4);
    const dir = path.join(mountPoint!, 'reports');
    const ok = await cli(['report', '--db', dbFile, '--out', dir, '-m', '2026-11', '--organisation', 'Acme']);
    expect(ok.code, ok.stderr).toBe(0);
    expectConsistentSet(dir, 1);
    const before = snapshot(dir);
    const r = await cli(['report', '--db', dbFile2, '--out', dir, '-m', '2026-11', '--organisation', 'Acme']);
    expect(r.code).toBe(EXIT.STORAGE);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^nhi-census: storage error: .*reports\/[a-z.]+: ENOSPC: no space left on device/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(snapshot(dir)).toEqual(before);
    expectConsistentSet(dir, 1);
  }, SLOW);
});
