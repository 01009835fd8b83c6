// Crash safety, on both backends (test/helpers/backends.ts): a run SIGKILLed mid-crawl (at points chosen by holding
// the simulators' requests after the N-th) leaves the database consistent — the next run marks it 'interrupted'
// (taking over the dead run's writer lock), completes, and nothing is marked removed because of the killed run.
// SIGTERM/SIGINT stop the run with exit 130. PostgreSQL kills at two of SQLite's four points and skips SIGINT (the run
// is the same code; the points exercise the crawl engine, which test/crawl runs on both), to keep the file's time down.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../helpers/backends.ts';
import { cli, graphReader, spawnCli, startOpsEnv, until, type OpsEnv } from './helpers.ts';

describeBackends('killed runs', (backend) => {
  let o: OpsEnv;
  let g: ReturnType<typeof graphReader>;
  let baseline: { connectors: number; nodes: number; edges: number };
  beforeAll(async () => {
    o = await startOpsEnv({ database: backend.testDbLocation() });
    g = graphReader(o);
    const first = await cli(['run', '-c', o.configFile, '--log-format', 'json'], o.env);
    expect(first.code, first.stderr).toBe(0);
    baseline = counts();
  }, 120_000);
  afterAll(async () => { g?.close(); await o?.close(); });

  const q = <T>(sql: string, ...params: unknown[]): T[] => g.q<T>(sql, ...params);
  const one = (sql: string, ...params: unknown[]): number => g.one(sql, ...params);
  function counts() {
    return { connectors: one('SELECT count(*) FROM connectors'), nodes: one('SELECT count(*) FROM nodes WHERE removed_run IS NULL'),
      edges: one('SELECT count(*) FROM edges WHERE removed_run IS NULL') };
  }

  /** Starts a run, waits until a request after the first `after` (per simulator) is being held, and signals it. */
  async function interrupt(signal: NodeJS.Signals, after: number, holdMs: number, extra: string[] = []) {
    o.hold(holdMs, after);
    const victim = spawnCli(['run', '-c', o.configFile, '--log-format', 'json', ...extra], o.env);
    await until(() => o.held() >= 1 || victim.child.exitCode !== null, 'the run to be mid-crawl');
    expect(victim.child.exitCode).toBeNull();
    const runId = one("SELECT coalesce(max(id), 0) FROM runs WHERE status = 'running'");
    expect(runId).toBeGreaterThan(0);
    victim.child.kill(signal);
    const res = await victim.done;
    o.release();
    return { res, runId, pid: victim.child.pid! };
  }

  function expectNothingRemovedBy(runId: number) {
    expect(one('SELECT count(*) FROM nodes WHERE removed_run = ?', runId)).toBe(0);
    expect(one('SELECT count(*) FROM edges WHERE removed_run = ?', runId)).toBe(0);
    expect(one("SELECT count(*) FROM change_log WHERE run_id = ? AND change = 'removed'", runId)).toBe(0);
  }

  const points = backend.name === 'sqlite'
    ? [[0, '--full'], [4, '--full'], [30, '--full'], [10, 'incremental']] as const
    : [[4, '--full'], [10, 'incremental']] as const;
  for (const [after, mode] of points) {
    it(`SIGKILL after ${after} requests per simulator (${mode}): the next run completes, nothing removed, the killed run is 'interrupted'`, async () => {
      const { res, runId, pid } = await interrupt('SIGKILL', after, 30_000, mode === '--full' ? ['--full'] : []);
      expect(res.signal).toBe('SIGKILL');
      expectNothingRemovedBy(runId);
      const next = await cli(['run', '-c', o.configFile, '--log-format', 'json'], o.env);
      expect(next.code, next.stderr.split('\n').filter((l) => /error|warn/i.test(l)).join('\n')).toBe(0);
      expect(q('SELECT status FROM runs WHERE id = ?', runId)).toEqual([{ status: 'interrupted' }]);
      expect(q('SELECT status FROM pipeline_runs WHERE pid = ?', pid)).toEqual([{ status: 'interrupted' }]);
      const nextRun = one("SELECT max(id) FROM runs WHERE status = 'complete'");
      expect(nextRun).toBeGreaterThan(runId);
      expectNothingRemovedBy(runId);
      expectNothingRemovedBy(nextRun);
      expect(counts()).toEqual(baseline);
      expect(one("SELECT count(*) FROM run_resources WHERE run_id = ? AND status = 'running'", runId)).toBe(0);
      expect(one('SELECT count(*) FROM db_lock')).toBe(0);
      if (backend.name === 'sqlite') { // PostgreSQL has no file to check: its WAL recovers every committed transaction
        const db = new Database(o.dbFile, { readonly: true });
        try { expect(db.pragma('integrity_check', { simple: true })).toBe('ok'); } finally { db.close(); }
      }
    }, 180_000);
  }

  it('SIGTERM while requests hang: exit 130 within the grace period, run recorded interrupted, lock released', async () => {
    const { res, runId } = await interrupt('SIGTERM', 3, 60_000, ['--full']);
    expect(res.code).toBe(130);
    expect(res.stderr).toContain('received SIGTERM');
    expect(q('SELECT status FROM runs WHERE id = ?', runId)).toEqual([{ status: 'interrupted' }]);
    expect(q<{ status: string; exit_code: number }>('SELECT status, exit_code FROM pipeline_runs ORDER BY id DESC LIMIT 1'))
      .toEqual([{ status: 'interrupted', exit_code: 130 }]);
    expect(one('SELECT count(*) FROM db_lock')).toBe(0);
    expectNothingRemovedBy(runId);
  }, 180_000);

  // SIGINT and SIGTERM take the same path through the run (src/cli/run.ts); SQLite only, to keep the file's time down
  if (backend.name === 'sqlite') it('SIGINT with short requests: the engine stops after in-flight requests, exit 130, run interrupted', async () => {
    const { res, runId } = await interrupt('SIGINT', 3, 300, ['--full']);
    expect(res.code).toBe(130);
    expect(q('SELECT status FROM runs WHERE id = ?', runId)).toEqual([{ status: 'interrupted' }]);
    expectNothingRemovedBy(runId);
    const next = await cli(['run', '-c', o.configFile, '--log-format', 'json'], o.env);
    expect(next.code, next.stderr.split('\n').filter((l) => /error|warn/i.test(l)).join('\n')).toBe(0);
    expect(counts()).toEqual(baseline);
  }, 180_000);
});
