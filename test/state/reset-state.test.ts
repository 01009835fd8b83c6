// Issue 20 item 4: `nhi-census db reset-state [--provider P]` clears crawl state explicitly — the page cache and
// the delta links / watermarks — for one provider or all; the next crawl lists everything in full (no
// conditional request), completes with the same objects and removes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { inProcess } from '../hardening/cli-in-process.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';

let sc: SimCrawl | undefined;
afterEach(async () => { await sc?.close(); sc = undefined; });

const count = (c: SimCrawl, table: string, provider: string) =>
  rows<{ n: number }>(c.db, `SELECT count(*) n FROM ${table} WHERE provider = ?`, provider)[0]!.n;
const liveIds = (c: SimCrawl) => rows<{ id: string }>(c.db, 'SELECT id FROM nodes WHERE removed_run IS NULL ORDER BY id').map((r) => r.id);

describe('db reset-state', () => {
  it('clears one provider\'s page cache and state, then all; the next crawl is a full listing', async () => {
    sc = await startSimCrawl('github', buildGithubScenario());
    await sc.crawl();
    const before = liveIds(sc);
    sc.db.prepare("INSERT INTO crawl_state (provider, tenant, key, value, run_id, updated_at) VALUES ('azure', 't', 'users.deltaLink', '{}', 1, 'x')").run();
    sc.db.prepare("INSERT INTO crawl_state (provider, tenant, key, value, run_id, updated_at) VALUES ('github', 'acme', 'k', 'v', 1, 'x')").run();
    expect(count(sc, 'http_cache', 'github')).toBeGreaterThan(0);

    const one = await inProcess(['db', 'reset-state', '--provider', 'github', '--db', sc.dbFile]);
    expect(one).toEqual({ code: 0, message: '' });
    expect(count(sc, 'http_cache', 'github')).toBe(0);
    expect(count(sc, 'crawl_state', 'github')).toBe(0);
    expect(count(sc, 'crawl_state', 'azure')).toBe(1);

    const run = await sc.crawl();
    expect(run.status).toBe('complete');
    expect(run.totals.notModified).toBe(0);
    expect(liveIds(sc)).toEqual(before);
    expect(rows(sc.db, "SELECT entity_id FROM change_log WHERE run_id = ? AND change = 'removed'", run.runId)).toEqual([]);

    expect((await inProcess(['db', 'reset-state', '--db', sc.dbFile])).code).toBe(0);
    expect(rows(sc.db, 'SELECT count(*) n FROM crawl_state')).toEqual([{ n: 0 }]);
    expect(rows(sc.db, 'SELECT count(*) n FROM http_cache')).toEqual([{ n: 0 }]);
  });

  it('refuses an unknown provider (exit 2) and a missing database (exit 7), changing nothing', async () => {
    sc = await startSimCrawl('github', buildGithubScenario());
    await sc.crawl();
    const cached = count(sc, 'http_cache', 'github');
    const bad = await inProcess(['db', 'reset-state', '--provider', 'gitlab', '--db', sc.dbFile]);
    expect(bad.code).toBe(2);
    expect(bad.message).toMatch(/unknown provider 'gitlab'.*github/);
    expect(count(sc, 'http_cache', 'github')).toBe(cached);
    expect((await inProcess(['db', 'reset-state', '--db', `${sc.dbFile}.missing`])).code).toBe(7); // no usable database (docs/cli.md)
  });
});
