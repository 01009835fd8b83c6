// The writer lock, on both backends (test/helpers/backends.ts): one holder at a time, the holder named, stale holders
// (dead pid on this host, or no heartbeat for longer than the maximum) taken over, their crawl run marked
// interrupted. Two connections to one database (a file, or a PostgreSQL database) stand for two processes. Where a
// live crawl is noted by `query`: on SQLite a crawl holds the writer lock, on PostgreSQL its tenant's crawl lease.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/graph/db.ts';
import { acquireLock, crawlLeaseName, LockedError, lockHolder, tryAcquire, WRITER_LOCK } from '../../src/graph/lock.ts';
import { beginRun } from '../../src/graph/runs.ts';
import { describeBackends } from '../helpers/backends.ts';

/** A pid that certainly is not running: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
}

describeBackends('writer lock', (backend) => {
  const opened: Db[] = [];
  const open = (location: string): Db => { const db = openDb(location, { postgres: true, noBackup: true }); opened.push(db); return db; };
  afterEach(() => { for (const db of opened.splice(0)) if (db.open) db.close(); });
  const fresh = () => backend.testDbLocation('lock');

  it('lets one connection hold it and names the holder to the next', async () => {
    const f = fresh();
    const a = open(f); const b = open(f);
    const lock = await acquireLock(a, { command: 'run' });
    const r = tryAcquire(b, { command: 'crawl' });
    expect('holder' in r).toBe(true);
    const err = await acquireLock(b, { command: 'crawl', waitSeconds: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect(err.exitCode).toBe(6);
    expect(err.message).toContain(`database is locked by 'nhi-census run' pid ${process.pid} on ${os.hostname()}`);
    expect(err.message).toMatch(/started \d{4}-\d\d-\d\dT/);
    lock.release();
    const second = await acquireLock(b, { command: 'crawl' });
    expect(lockHolder(a)?.command).toBe('crawl');
    second.release();
    expect(lockHolder(a)).toBeUndefined();
  });

  it('waits for the holder when asked to, then takes the lock', async () => {
    const f = fresh();
    const a = open(f); const b = open(f);
    const lock = await acquireLock(a, { command: 'run' });
    let waited = false;
    const pending = acquireLock(b, { command: 'run', waitSeconds: 30, pollMs: 20, onWait: () => { waited = true; } });
    setTimeout(() => lock.release(), 200);
    const got = await pending;
    expect(waited).toBe(true);
    expect(got.held()).toBe(true);
    got.release();
  });

  it('takes over a lock whose holder died on this host and marks its crawl run interrupted', async () => {
    const db = open(fresh());
    const pid = deadPid();
    const runId = beginRun(db, { providers: ['github'], mode: 'full', version: 'test' });
    db.prepare('UPDATE runs SET pid = ? WHERE id = ?').run(pid, runId);
    db.prepare(`INSERT INTO db_lock (name, token, pid, host, command, started_at, heartbeat_at, run_id)
        VALUES ('writer', 'dead', ?, ?, 'run', ?, ?, ?)`).run(pid, os.hostname(), new Date().toISOString(), new Date().toISOString(), runId);
    const takeovers: string[] = [];
    const lock = await acquireLock(db, { command: 'run', onTakeover: (_h, reason) => takeovers.push(reason) });
    expect(takeovers).toEqual([`pid ${pid} is not running on ${os.hostname()}`]);
    expect(db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId)).toBe('interrupted');
    expect(lockHolder(db)?.pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock from another host only when its heartbeat is older than the maximum', async () => {
    const db = open(fresh());
    const old = new Date(Date.now() - 2 * 3600_000).toISOString();
    db.prepare(`INSERT INTO db_lock (name, token, pid, host, command, started_at, heartbeat_at, run_id)
        VALUES ('writer', 'pod', 1, 'nhi-census-cron-28391-abcde', 'run', ?, ?, NULL)`).run(old, old);
    await expect(acquireLock(db, { command: 'run', staleAfterSeconds: 3 * 3600 })).rejects.toBeInstanceOf(LockedError);
    const lock = await acquireLock(db, { command: 'run', staleAfterSeconds: 3600 });
    expect(lockHolder(db)?.host).toBe(os.hostname());
    lock.release();
  });

  it('keeps a live holder whose heartbeat is refreshed', async () => {
    const f = fresh();
    const a = open(f); const b = open(f);
    const lock = await acquireLock(a, { command: 'run', heartbeatMs: 20 });
    const before = lockHolder(a)!.heartbeat_at;
    await new Promise((r) => setTimeout(r, 120));
    expect(lockHolder(b)!.heartbeat_at > before).toBe(true);
    lock.release();
  });

  // what a live crawl holds: the writer lock on SQLite, its tenant's crawl lease on PostgreSQL (src/cli/common.ts lockForCrawl)
  const crawlHolds = backend.name === 'sqlite' ? WRITER_LOCK : crawlLeaseName('github', 'acme');
  it(`query says on stderr when a live crawl (holding '${crawlHolds}') is still writing, not when its holder is dead`, async () => {
    const f = fresh();
    const db = open(f);
    const runId = beginRun(db, { providers: ['github'], mode: 'full', version: 'test' });
    const hold = (pid: number) => {
      db.prepare('DELETE FROM db_lock').run();
      db.prepare(`INSERT INTO db_lock (name, token, pid, host, command, started_at, heartbeat_at, run_id)
          VALUES (?, 't', ?, ?, 'crawl', ?, ?, ?)`).run(crawlHolds, pid, os.hostname(), new Date().toISOString(), new Date().toISOString(), runId);
    };
    const query = () => spawnSync(process.execPath, [path.resolve('bin/nhi-census.js'), 'query', 'select count(*) as n from connectors', '--db', f, '-f', 'json'], { encoding: 'utf8' });
    hold(process.pid); // this test process: alive
    const live = query();
    expect(live.status, live.stderr).toBe(0);
    expect(JSON.parse(live.stdout)).toEqual([{ n: 0 }]); // stdout stays clean JSON
    expect(live.stderr).toContain(`note: crawl run #${runId}`);
    expect(live.stderr).toContain('still writing');
    hold(deadPid());
    const dead = query();
    expect(dead.status).toBe(0);
    expect(dead.stderr).not.toContain('still writing');
  });
});
