// The built-in scheduler (`nhi-census run --every`): runs again on the interval, one writer run at a
// time, and a SIGTERM between runs stops it cleanly with exit 0.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseInterval } from '../../src/cli/run.ts';
import { spawnCli, startOpsEnv, until, type OpsEnv } from './helpers.ts';

let env: OpsEnv | undefined;
afterEach(async () => { await env?.close(); env = undefined; });

describe('run --every', () => {
  it('parses intervals and refuses nonsense', () => {
    expect(parseInterval('24h')).toBe(86_400_000);
    expect(parseInterval('30m')).toBe(1_800_000);
    expect(parseInterval('90s')).toBe(90_000);
    expect(parseInterval('1d')).toBe(86_400_000);
    for (const bad of ['0s', '10', 'daily', '5x', '0.5s']) expect(() => parseInterval(bad), bad).toThrow(/--every/);
  });

  it('runs on the interval until SIGTERM, which stops it between runs with exit 0', async () => {
    env = await startOpsEnv({ only: ['github'] });
    // 5 s between starts; a GitHub-only run takes a second or two, so the SIGTERM lands while it waits
    const { child, done } = spawnCli(['run', '-c', env.configFile, '--every', '5s', '--log-format', 'json'], env.env);
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    await until(() => (stderr.match(/"msg":"next run scheduled"/g) ?? []).length >= 2, 'two scheduled runs', 120_000);
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/"msg":"next run scheduled"/);
    const db = new Database(env.dbFile, { readonly: true });
    const runs = db.prepare('SELECT status FROM runs ORDER BY id').all() as { status: string }[];
    db.close();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.slice(0, 2).every((x) => x.status === 'complete')).toBe(true);
    expect(runs.every((x) => x.status !== 'running')).toBe(true);
  });
});
