// Issue 13 item 14: a full disk under the database during `run`, `crawl` or `reconcile` ends with exit 8
// (EXIT.STORAGE) and one line naming the database file and the cause — no stack trace, no unhandled
// rejection — and the crawl run, its resource rows, the pipeline run and its steps are closed as failed
// where the database still accepts writes. SQLite reports the full disk itself: NHI_CENSUS_TEST_MAX_PAGE_COUNT
// (test only) caps the database's pages, so growing it fails with SQLITE_FULL while updating rows in place
// still works; where this user may mount one, a real tmpfs that fills up is used too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { executeRun } from '../../src/cli/run.ts';
import { loadConfig } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { createLogger } from '../../src/util/log.ts';
import { openDb } from '../../src/graph/db.ts';
import { StorageError } from '../../src/util/storage-error.ts';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';
import { cli, startOpsEnv, type CliResult, type OpsEnv } from '../ops/helpers.ts';
import { diskFillsAfter, mountTmpfs, resizeTmpfs, tmpfsMountPoint, unmountQuietly } from './disk-full.ts';

/** Spawned CLI runs on a busy CI machine (two cores shared by several test workers). */
const SLOW = 240_000;

function q<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try { return db.prepare(sql).all(...params) as T[]; } finally { db.close(); }
}

/** A fresh database with the schema; its page count. */
function freshDb(file: string): number {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = openDb(file);
  try { db.pragma('wal_checkpoint(TRUNCATE)'); return db.pragma('page_count', { simple: true }) as number; } finally { db.close(); }
}

/** The one line a person reads: stderr without the JSON log lines; no stack trace anywhere. */
function expectOneLine(r: CliResult, dbFile: string): void {
  const plain = r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('{'));
  expect(plain, r.stderr.slice(-3000)).toHaveLength(1);
  expect(plain[0]).toMatch(new RegExp(`^nhi-census: storage error: database ${dbFile.replaceAll('/', '\\/').replaceAll('.', '\\.')}: database or disk is full`));
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/SqliteError:|Unhandled|uncaught/i);
}

function expectNothingLeftRunning(dbFile: string): void {
  expect(q(dbFile, "SELECT id FROM runs WHERE status = 'running'")).toEqual([]);
  expect(q(dbFile, "SELECT run_id, resource_type FROM run_resources WHERE status = 'running'")).toEqual([]);
  expect(q(dbFile, "SELECT id FROM pipeline_runs WHERE status = 'running'")).toEqual([]);
  expect(q(dbFile, "SELECT pipeline_run_id, step FROM run_steps WHERE status = 'running'")).toEqual([]);
  expect(q(dbFile, "SELECT id FROM reconciliations WHERE status = 'running'")).toEqual([]);
  expect(q(dbFile, 'SELECT count(*) AS n FROM db_lock')).toEqual([{ n: 0 }]);
}

describe('a full disk under the database', () => {
  let o: OpsEnv;
  beforeAll(async () => { o = await startOpsEnv(); }, SLOW);
  afterAll(async () => { await o?.close(); });

  it('StorageError carries the documented exit code', () => {
    expect(new StorageError('x.db', new Error('boom')).exitCode).toBe(EXIT.STORAGE);
  });

  it('run: exit 8, one line naming the database, the crawl run, its resources, the pipeline and its steps closed as failed', async () => {
    const pages = freshDb(o.dbFile);
    const r = await cli(['run', '-c', o.configFile, '--log-format', 'json'], { ...o.env, NHI_CENSUS_TEST_MAX_PAGE_COUNT: String(pages + 40) });
    expect(r.code, r.stderr.slice(-3000)).toBe(EXIT.STORAGE);
    expectOneLine(r, o.dbFile);
    expectNothingLeftRunning(o.dbFile);
    expect(q(o.dbFile, 'SELECT status FROM runs')).toEqual([{ status: 'failed' }]);
    expect(q(o.dbFile, 'SELECT status, exit_code FROM pipeline_runs')).toEqual([{ status: 'failed', exit_code: EXIT.STORAGE }]);
    expect(q(o.dbFile, "SELECT status FROM run_steps WHERE step = 'crawl'")).toEqual([{ status: 'failed' }]);
    expect(q<{ n: number }>(o.dbFile, 'SELECT count(*) AS n FROM run_resources')[0]!.n).toBeGreaterThan(0);
    // with room again, the next run completes
    const next = await cli(['run', '-c', o.configFile, '--log-format', 'json'], o.env);
    expect(next.code, next.stderr.slice(-2000)).toBe(0);
  }, SLOW);

  it('crawl: exit 8, one line, the run and its resources closed as failed', async () => {
    const pages = freshDb(o.dbFile);
    const r = await cli(['crawl', '-c', o.configFile, '--log-format', 'json'], { ...o.env, NHI_CENSUS_TEST_MAX_PAGE_COUNT: String(pages + 40) });
    expect(r.code, r.stderr.slice(-3000)).toBe(EXIT.STORAGE);
    expectOneLine(r, o.dbFile);
    expectNothingLeftRunning(o.dbFile);
    expect(q(o.dbFile, 'SELECT status FROM runs')).toEqual([{ status: 'failed' }]);
  }, SLOW);

  it('run: a report folder on a full disk fails the report step, exit 8; the crawl and reconciliation are kept, no temp file left', async () => {
    freshDb(o.dbFile);
    const config = loadConfig(o.configFile, await loadConnectors());
    const log = createLogger({ format: 'json', level: 'error', write: () => {} });
    const spy = diskFillsAfter(0);
    let r;
    try { r = await executeRun({ config, dbFile: o.dbFile, log, report: true, env: o.env }); } finally { spy.mockRestore(); }
    expect(r.exitCode).toBe(EXIT.STORAGE);
    const reportDir = path.join(o.dir, 'reports');
    expect(r.storageError).toMatch(new RegExp(`^storage error: ${reportDir}/\\d{4}-\\d{2}/[a-z.]+: ENOSPC: no space left on device, write; no file of the set was replaced$`));
    expect(q(o.dbFile, 'SELECT step, status FROM run_steps ORDER BY step')).toEqual(expect.arrayContaining([
      { step: 'crawl', status: 'complete' }, { step: 'reconcile', status: 'complete' }, { step: 'report', status: 'failed' }]));
    expect(q(o.dbFile, 'SELECT status, exit_code FROM pipeline_runs')).toEqual([{ status: 'failed', exit_code: EXIT.STORAGE }]);
    expect(q(o.dbFile, 'SELECT count(*) AS n FROM reports')).toEqual([{ n: 0 }]);
    const left = fs.readdirSync(reportDir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
    expect(left).toEqual([]);
    expectNothingLeftRunning(o.dbFile);
  }, SLOW);

  it('reconcile: exit 8, one line, nothing half-written', async () => {
    freshDb(o.dbFile);
    const crawl = await cli(['crawl', '-c', o.configFile, '--log-format', 'json'], o.env);
    expect(crawl.code, crawl.stderr.slice(-2000)).toBe(0);
    const db = new Database(o.dbFile);
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    db.close();
    const r = await cli(['reconcile', '--db', o.dbFile, '-i', DEMO_INVENTORY, '--log-format', 'json'], { NHI_CENSUS_TEST_MAX_PAGE_COUNT: String(pages + 2 - free) });
    expect(r.code, r.stderr.slice(-3000)).toBe(EXIT.STORAGE);
    expectOneLine(r, o.dbFile);
    expectNothingLeftRunning(o.dbFile);
    expect(q(o.dbFile, 'SELECT count(*) AS n FROM reconciliations')).toEqual([{ n: 0 }]);
  }, SLOW);

  // A real full disk: the database on a tmpfs with a little room beyond the empty schema.
  const mountPoint = tmpfsMountPoint(path.join(os.tmpdir(), `nhi-census-dbfull-${process.pid}`));
  afterAll(() => unmountQuietly(mountPoint));

  it.skipIf(!mountPoint)('run on a real tmpfs that fills up (needs root and mount): exit 8, one line; the next run with room completes', async () => {
    const probe = path.join(o.dir, 'probe.db');
    freshDb(probe);
    const bytes = fs.statSync(probe).size;
    mountTmpfs(mountPoint!, Math.ceil((bytes + 160 * 1024) / 4096) * 4);
    const dbFile = path.join(mountPoint!, 'nhi-census.db');
    fs.copyFileSync(probe, dbFile);
    o.writeConfig({ database: dbFile });
    try {
      const r = await cli(['run', '-c', o.configFile, '--log-format', 'json'], o.env);
      expect(r.code, r.stderr.slice(-3000)).toBe(EXIT.STORAGE);
      expectOneLine(r, dbFile);
      // room again: the next run completes, and nothing of the failed one is left 'running'
      resizeTmpfs(mountPoint!, 65536);
      const next = await cli(['run', '-c', o.configFile, '--log-format', 'json'], o.env);
      expect(next.code, next.stderr.slice(-2000)).toBe(0);
      expectNothingLeftRunning(dbFile);
    } finally {
      o.writeConfig({ database: o.dbFile });
    }
  }, SLOW);
});
