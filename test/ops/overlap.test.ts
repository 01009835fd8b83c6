// Two `nhi-census run`s on one database, on both backends (test/helpers/backends.ts; `run` takes the writer lock on
// PostgreSQL too): exactly one crawls, the other exits 6 naming the holder (or, with --wait, runs after it); a lock
// left by a SIGKILLed run is taken over by the next one.
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../helpers/backends.ts';
import { cli, graphReader, spawnCli, startOpsEnv, until, type OpsEnv } from './helpers.ts';

describeBackends('overlapping runs', (backend) => {
  let o: OpsEnv;
  let g: ReturnType<typeof graphReader>;
  beforeAll(async () => { o = await startOpsEnv({ database: backend.testDbLocation() }); g = graphReader(o); });
  afterAll(async () => { g?.close(); await o?.close(); });
  const q = <T>(sql: string): T[] => g.q<T>(sql);

  it('two runs started together on a new database: one crawls, the other exits 6 naming the holder', async () => {
    // Hold some requests so the first run is certainly still crawling when the second asks for the lock.
    o.hold(3000);
    const metrics = `${o.dir}/metrics/nhi.prom`;
    const ra = spawnCli(['run', '-c', o.configFile, '--log-format', 'json', '--metrics-file', metrics], o.env);
    const rb = spawnCli(['run', '-c', o.configFile, '--log-format', 'json', '--metrics-file', metrics], o.env);
    await Promise.race([ra.done, rb.done]);
    o.release();
    const [a, b] = await Promise.all([ra.done, rb.done]);
    const codes = [a.code, b.code].sort();
    expect(codes, `${a.stderr}\n${b.stderr}`).toEqual([0, 6]);
    const loser = a.code === 6 ? a : b;
    expect(loser.stderr).toMatch(/database is locked by 'nhi-census run' pid \d+ on \S+, started \d{4}-\d\d-\d\dT[\d:.]+Z/);
    expect(g.one('SELECT count(*) AS n FROM runs')).toBe(1);
    expect(q<{ status: string; exit_code: number }>('SELECT status, exit_code FROM pipeline_runs')).toEqual([{ status: 'complete', exit_code: 0 }]);
    expect(q('SELECT * FROM db_lock')).toEqual([]);
    const prom = fs.readFileSync(metrics, 'utf8');
    expect(prom).toMatch(/^nhi_census_run_exit_code 0$/m);
    expect(prom).toMatch(/^nhi_census_crawl_api_calls\{provider="github"\} \d+$/m);
    expect(fs.readdirSync(`${o.dir}/metrics`)).toEqual(['nhi.prom']);
  }, 240_000);

  it('with --wait the second run waits for the first and then runs', async () => {
    // Every request is held until the second run reports that it waits.
    o.hold(2000);
    const first = spawnCli(['run', '-c', o.configFile, '--log-format', 'json'], o.env);
    await until(() => o.held() > 0, 'the first run to crawl');
    let secondErr = '';
    const waiting = spawnCli(['run', '-c', o.configFile, '--log-format', 'json', '--wait', '300'], o.env);
    waiting.child.stderr!.on('data', (d) => { secondErr += d; });
    await until(() => secondErr.includes('database locked: waiting'), 'the second run to wait');
    o.release();
    const firstRes = await first.done;
    const second = await waiting.done;
    expect(firstRes.code).toBe(0);
    expect(second.code).toBe(0);
    const runs = q<{ id: number; started_at: string; finished_at: string; status: string }>('SELECT id, started_at, finished_at, status FROM runs ORDER BY id');
    expect(runs.map((r) => r.status)).toEqual(['complete', 'complete', 'complete']);
    // Never overlapping: each run started after the previous one finished.
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.started_at >= runs[i - 1]!.finished_at).toBe(true);
  }, 240_000);

  it('a lock left by a SIGKILLed run is recovered by the next run', async () => {
    o.hold(30_000);
    const victim = spawnCli(['run', '-c', o.configFile, '--log-format', 'json', '--full'], o.env);
    await until(() => o.held() >= 3 || victim.child.exitCode !== null, 'the victim to be mid-crawl');
    if (victim.child.exitCode !== null) throw new Error(`victim exited early: ${(await victim.done).stderr}`);
    const victimPid = victim.child.pid!;
    victim.child.kill('SIGKILL');
    const killed = await victim.done;
    o.release();
    expect(killed.signal).toBe('SIGKILL');
    const lockRow = q<{ pid: number; run_id: number | null }>('SELECT pid, run_id FROM db_lock');
    expect(lockRow).toHaveLength(1);
    expect(lockRow[0]!.pid).toBe(victimPid);
    const next = await cli(['run', '-c', o.configFile, '--log-format', 'json'], o.env);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('took over a stale lock');
    const killedRun = q<{ status: string }>(`SELECT status FROM runs WHERE pid = ${victimPid}`);
    expect(killedRun).toEqual([{ status: 'interrupted' }]);
    expect(q<{ status: string }>(`SELECT status FROM pipeline_runs WHERE pid = ${victimPid}`)).toEqual([{ status: 'interrupted' }]);
    expect(q('SELECT * FROM db_lock')).toEqual([]);
  }, 240_000);
});
