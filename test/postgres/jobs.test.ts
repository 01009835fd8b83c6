// The crawl job queue on a real PostgreSQL server (src/graph/jobs.ts, migration 020): a claim is exclusive across
// connections and skips rows another transaction has locked instead of waiting (FOR UPDATE SKIP LOCKED); a worker only
// gets jobs of the (provider, tenant)s it has configured; a lease nobody heartbeats is requeued — its crawl run marked
// interrupted, its listings failed, its crawl lease freed — until max_attempts, then failed 'lease lost'; a clean stop
// gives the attempt back; a deadline cancels what is left; error texts are stored masked and no column can hold a
// credential. `worker` and `run --distributed` refuse a SQLite database (exit 2).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import {
  batchStatus, cancelBatch, claim, enqueueBatch, failJob, finishJob, heartbeat, leaseOf, newBatch, releaseJob, requeueExpired, setJobRun,
  type JobRow, type WorkerIdentity,
} from '../../src/graph/jobs.ts';
import { tryAcquire, crawlLeaseName } from '../../src/graph/lock.ts';
import { beginRun, saveResourceResult } from '../../src/graph/runs.ts';
import { runMain } from '../cli/run-main.ts';
import { startPostgres, type PostgresOrSkip } from '../helpers/postgres.ts';

let server: PostgresOrSkip;
let a: Db;
let b: Db;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-pg-jobs-'));
beforeAll(async () => {
  server = await startPostgres();
  await loadConnectors(); // every provider's token formats are masked
  if ('url' in server) { a = openDb(server.url, { postgres: true }); b = openDb(server.url, { postgres: true }); }
}, 120_000);
afterAll(async () => {
  a?.close(); b?.close();
  if ('url' in server) await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ready = (ctx: TestContext): boolean => {
  if ('skipped' in server) { console.warn(server.skipped); ctx.skip(); return false; }
  a.exec('DELETE FROM crawl_jobs; DELETE FROM db_lock');
  return true;
};

const GH = [{ provider: 'github', tenant: 'org-a' }, { provider: 'github', tenant: 'org-b' }];
const W1: WorkerIdentity = { worker: 'host-1:101', host: 'host-1', pid: 101 };
const W2: WorkerIdentity = { worker: 'host-2:202', host: 'host-2', pid: 202 };
const job = (db: Db, id: number) => db.prepare<[number], JobRow>('SELECT * FROM crawl_jobs WHERE id = ?').get(id)!;

describe('crawl job queue on PostgreSQL', () => {
  it('a claim is exclusive across connections, oldest first, and only of the (provider, tenant)s the worker has configured', (ctx) => {
    if (!ready(ctx)) return;
    const batch = newBatch();
    const jobs = enqueueBatch(a, batch, [...GH, { provider: 'slack', tenant: 'T1' }].map((t) => ({ ...t, mode: 'full' as const })));
    expect(jobs.map((j) => [j.provider, j.tenant, j.status, j.attempts])).toEqual([
      ['github', 'org-a', 'queued', 0], ['github', 'org-b', 'queued', 0], ['slack', 'T1', 'queued', 0]]);
    const first = claim(a, { targets: GH, who: W1, leaseSeconds: 60 })!;
    const second = claim(b, { targets: GH, who: W2, leaseSeconds: 60 })!;
    expect([first.tenant, second.tenant]).toEqual(['org-a', 'org-b']);
    expect([first.worker, second.worker]).toEqual([W1.worker, W2.worker]);
    expect(first.lease_token).not.toEqual(second.lease_token);
    // the slack job is there, but neither worker has slack configured
    expect(claim(a, { targets: GH, who: W1, leaseSeconds: 60 })).toBeUndefined();
    expect(claim(b, { targets: [{ provider: 'slack', tenant: 'T2' }], who: W2, leaseSeconds: 60 })).toBeUndefined();
    const slack = claim(b, { targets: [{ provider: 'slack', tenant: 'T1' }], who: W2, leaseSeconds: 60 })!;
    expect(slack.tenant).toBe('T1');
    expect(batchStatus(a, batch).counts).toEqual({ queued: 0, running: 3, done: 0, failed: 0, cancelled: 0 });
    // only the lease's own token finishes it
    expect(finishJob(a, { id: first.id, token: second.lease_token! }, { runId: 1, exitStatus: 'complete' })).toBe(false);
    expect(finishJob(a, leaseOf(first), { runId: 1, exitStatus: 'complete' })).toBe(true);
    expect(finishJob(b, leaseOf(second), { runId: 2, exitStatus: 'partial' })).toBe(true);
    expect(finishJob(b, leaseOf(slack), { runId: 3, exitStatus: 'failed' })).toBe(true);
    expect(batchStatus(b, batch)).toMatchObject({ finished: true, counts: { done: 2, failed: 1, running: 0 } });
    expect(job(a, first.id)).toMatchObject({ status: 'done', exit_status: 'complete', lease_token: null });
  });

  it('a claim skips a row another transaction holds locked instead of waiting for it (SKIP LOCKED)', async (ctx) => {
    if (!ready(ctx)) return;
    enqueueBatch(a, newBatch(), GH.map((t) => ({ ...t, mode: 'full' as const })));
    const firstId = (a.prepare('SELECT min(id) AS id FROM crawl_jobs').get() as { id: number }).id;
    const holder = new pg.Client({ connectionString: (server as { url: string }).url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM crawl_jobs WHERE id = $1 FOR UPDATE', [firstId]);
      // a claim that waited for the row would block this (synchronous) connection: fail it after 3 s instead
      b.exec("SET lock_timeout = '3s'");
      const t0 = Date.now();
      const got = claim(b, { targets: GH, who: W2, leaseSeconds: 60 })!;
      expect(got.id).toBe(firstId + 1);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(claim(b, { targets: GH, who: W2, leaseSeconds: 60 })).toBeUndefined(); // the locked one is skipped, not taken
      await holder.query('COMMIT');
      expect(claim(b, { targets: GH, who: W2, leaseSeconds: 60 })!.id).toBe(firstId);
    } finally {
      b.exec('RESET lock_timeout');
      await holder.end();
    }
  });

  it('an expired lease is requeued with its crawl run interrupted and its crawl lease freed; after max_attempts it fails "lease lost"', (ctx) => {
    if (!ready(ctx)) return;
    const batch = newBatch();
    const [queued] = enqueueBatch(a, batch, [{ ...GH[0]!, mode: 'incremental' }], { maxAttempts: 2 });
    const past = Date.now() - 120_000;
    // attempt 1: the worker claimed, started its run, took its crawl lease, and died (no heartbeat since)
    const one = claim(a, { targets: GH, who: W1, leaseSeconds: 30, now: past })!;
    expect(one).toMatchObject({ id: queued!.id, attempts: 1, status: 'running' });
    const runId = beginRun(a, { providers: ['github'], mode: 'incremental', version: 'test' });
    saveResourceResult(a, runId, { provider: 'github', tenant: 'org-a', resourceType: 'github.repository', status: 'running', listings: 1, listingsFailed: 0,
      objects: 3, apiCalls: 1, notModified: 0, retries: 0, removed: 0, error: null, startedAt: new Date(past).toISOString(), finishedAt: null, durationMs: null });
    expect(setJobRun(a, leaseOf(one), runId)).toBe(true);
    a.prepare(`INSERT INTO db_lock (name, token, pid, host, command, started_at, heartbeat_at, run_id) VALUES (?, 'dead', ?, ?, 'worker', ?, ?, ?)`)
      .run(crawlLeaseName('github', 'org-a'), W1.pid, W1.host, new Date(past).toISOString(), new Date(past).toISOString(), runId);
    // someone else's live lease on another tenant stays
    const other = tryAcquire(b, { command: 'crawl', names: [crawlLeaseName('github', 'org-b')] });
    expect('lock' in other).toBe(true);

    expect(requeueExpired(b, Date.now() - 200_000)).toEqual([]); // not expired yet at that time
    const requeued = requeueExpired(b);
    expect(requeued.map((r) => [r.job.id, r.to])).toEqual([[one.id, 'queued']]);
    expect(job(a, one.id)).toMatchObject({ status: 'queued', attempts: 1, lease_token: null, exit_status: 'interrupted' });
    expect(job(a, one.id).error).toMatch(/lease lost: host-1:101 sent no heartbeat since/);
    expect(a.prepare('SELECT status FROM runs WHERE id = ?').get(runId)).toEqual({ status: 'interrupted' });
    expect(a.prepare('SELECT status, error FROM run_resources WHERE run_id = ?').get(runId)).toEqual({ status: 'failed', error: 'run interrupted' });
    expect(a.prepare('SELECT name FROM db_lock ORDER BY name').all()).toEqual([{ name: crawlLeaseName('github', 'org-b') }]);
    // the dead worker's lease is worthless now
    expect(heartbeat(a, leaseOf(one), 30)).toBe(false);
    expect(finishJob(a, leaseOf(one), { runId, exitStatus: 'complete' })).toBe(false);

    // attempt 2 dies too: max_attempts reached — failed, not requeued
    const two = claim(b, { targets: GH, who: W2, leaseSeconds: 30, now: past })!;
    expect(two).toMatchObject({ id: one.id, attempts: 2, worker: W2.worker });
    expect(requeueExpired(a).map((r) => r.to)).toEqual(['failed']);
    expect(job(a, one.id)).toMatchObject({ status: 'failed', attempts: 2, error: 'lease lost' });
    expect(job(a, one.id).finished_at).not.toBeNull();
    expect(claim(a, { targets: GH, who: W1, leaseSeconds: 30 })).toBeUndefined();
    if ('lock' in other) other.lock.release();
  });

  it('a live lease is heartbeated on; a clean stop gives the attempt back; a failure retries until max_attempts; a deadline cancels the rest', (ctx) => {
    if (!ready(ctx)) return;
    const batch = newBatch();
    enqueueBatch(a, batch, GH.map((t) => ({ ...t, mode: 'full' as const })), { maxAttempts: 2 });
    const soon = Date.now() - 25_000;
    const j = claim(a, { targets: GH, who: W1, leaseSeconds: 30, now: soon })!; // 5 s left
    expect(heartbeat(a, leaseOf(j), 30)).toBe(true);
    expect(requeueExpired(b, Date.now() + 10_000)).toEqual([]); // pushed on: still ours in 10 s
    expect(releaseJob(a, leaseOf(j), 'interrupted by SIGTERM')).toBe(true);
    expect(job(a, j.id)).toMatchObject({ status: 'queued', attempts: 0, error: 'interrupted by SIGTERM' });

    const again = claim(b, { targets: GH, who: W2, leaseSeconds: 30 })!;
    expect(again).toMatchObject({ id: j.id, attempts: 1 });
    expect(failJob(b, leaseOf(again), 'tenant github:org-a is locked by another crawl')).toBe('queued');
    const last = claim(b, { targets: GH, who: W2, leaseSeconds: 30 })!;
    expect(last).toMatchObject({ id: j.id, attempts: 2 });
    // a credential in an error text is stored masked
    const token = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;
    expect(failJob(b, leaseOf(last), `Bad credentials for ${token}`)).toBe('failed');
    expect(job(a, j.id).error).toMatch(/^Bad credentials for /);
    expect(job(a, j.id).error).not.toContain(token);

    const running = claim(a, { targets: GH, who: W1, leaseSeconds: 30 })!;
    expect(running.tenant).toBe('org-b');
    const cancelled = cancelBatch(b, batch, 'deadline of 5 s passed');
    expect(cancelled.map((c) => [c.id, c.status])).toEqual([[running.id, 'running']]);
    expect(job(a, running.id)).toMatchObject({ status: 'cancelled', error: 'deadline of 5 s passed' });
    expect(heartbeat(a, leaseOf(running), 30)).toBe(false); // the worker learns it on its next beat and stops
    expect(batchStatus(a, batch)).toMatchObject({ finished: true, counts: { failed: 1, cancelled: 1 } });
  });

  it('the row says what to crawl, never how: no column for configuration or credentials', (ctx) => {
    if (!ready(ctx)) return;
    const cols = (a.prepare("SELECT column_name FROM information_schema.columns WHERE table_name = 'crawl_jobs' ORDER BY ordinal_position").all() as Array<{ column_name: string }>)
      .map((c) => c.column_name);
    expect(cols).toEqual(['id', 'batch', 'provider', 'tenant', 'mode', 'status', 'attempts', 'max_attempts', 'worker', 'previous_worker', 'worker_host', 'worker_pid',
      'lease_token', 'lease_until', 'heartbeat_at', 'run_id', 'exit_status', 'error', 'enqueued_at', 'started_at', 'finished_at']);
  });
});

describe('worker and run --distributed need PostgreSQL', () => {
  it('refuse a SQLite database with exit 2 and say why, creating nothing', async () => {
    const config = path.join(dir, 'nhi-census.yaml');
    const dbFile = path.join(dir, 'graph.db');
    fs.writeFileSync(config, JSON.stringify({ database: dbFile, providers: { github: { orgs: ['acme'], tokenEnv: 'GH_TOKEN' } } }));
    const w = await runMain(['worker', '-c', config, '--once']);
    expect(w.code, w.stderr).toBe(2);
    expect(w.stderr).toMatch(/worker needs a PostgreSQL database \(--db postgres:\/\/…; docs\/postgres\.md\)/);
    const r = await runMain(['run', '--distributed', '-c', config, '--db', dbFile]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/run --distributed needs a PostgreSQL database/);
    expect(fs.existsSync(dbFile)).toBe(false);
    const d = await runMain(['run', '--deadline', '5', '-c', config, '--db', dbFile]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--deadline applies to run --distributed only/);
  });
});
