// `crawl` into PostgreSQL (issue 18): the demo scenario's simulators crawled into a SQLite file and into a real
// PostgreSQL database, each time against the same simulators, give the same graph — every view's rows, the node and
// edge counts, the history, the page cache — first in full, then incrementally after the scenario changed (an app
// uninstalled, a deploy key added, a permission changed): the same removals and changes on both. Through the CLI:
// the writer lock (one writer per database, as with SQLite), `runs` and `db reset-state` on PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { executeCrawl } from '../../src/cli/crawl.ts';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import { tryAcquire } from '../../src/graph/lock.ts';
import { GRAPH_VIEWS } from '../../src/graph/views.ts';
import { sameViewRows } from '../../src/graph/view-compare.ts';
import type { Scenario } from '../../src/simulator/scenario.ts';
import { startScenario } from '../../src/simulator/start-all.ts';
import { createLogger } from '../../src/util/log.ts';
import { isStorageFailure } from '../../src/util/storage-error.ts';
import type { GithubScenario } from '../../connectors/github/simulator/scenario.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { runMain } from '../cli/run-main.ts';
import { usePostgres } from '../helpers/postgres.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-pg-crawl-'));
const url = usePostgres();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Crawls the same running simulators into each database in turn (`passes` times); every crawl must complete. */
async function crawlBoth(scenario: Scenario, dbs: Db[], mode: 'full' | 'incremental', passes = 1): Promise<void> {
  const specs = await loadConnectors();
  const sims = await startScenario(scenario, specs);
  try {
    const config = configFromObject({ database: ':memory:', providers: sims.providers }, specs, '(test)');
    for (let pass = 0; pass < passes; pass++) for (const db of dbs) {
      const summary = await executeCrawl({ config, db, mode, log: createLogger({ format: 'json', level: 'error', write: () => {} }), env: { ...process.env, ...sims.env } });
      expect(summary.status, JSON.stringify(summary.resources.filter((r) => r.status !== 'complete'))).toBe('complete');
    }
  } finally { await sims.close(); }
}

/** Wall-clock times and durations of the crawls (they ran a moment apart): compared as "a time", not as the instant. */
const CRAWL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const untimed = (rows: unknown[]): Array<Record<string, unknown>> => (rows as Array<Record<string, unknown>>).map((r) => Object.fromEntries(Object.entries(r)
  .map(([k, v]) => [k, (typeof v === 'string' && /(_at|^at)$/.test(k) && CRAWL_TIME.test(v)) || (k === 'duration_ms' && v !== null) ? '<time>' : v])));

function expectSameGraph(lite: Db, pg: Db): void {
  for (const t of ['nodes', 'edges', 'change_log', 'runs', 'run_resources', 'http_cache', 'crawl_state', 'scope_grades']) {
    expect(pg.prepare(`SELECT count(*) AS n FROM ${t}`).get(), t).toEqual(lite.prepare(`SELECT count(*) AS n FROM ${t}`).get());
  }
  for (const v of GRAPH_VIEWS) {
    const sql = `SELECT * FROM ${v}`;
    // change_log ids number history rows in the order the listings' pages landed: concurrent listings interleave; a
    // shared call (a provider's token) counts in the api_calls of whichever listing needed it first
    const rows = (db: Db) => untimed(db.prepare(sql).all()).map(({ id, api_calls, ...r }) => ({
      ...(v === 'changes' ? {} : { id }), ...(v === 'run_ledger' ? {} : { api_calls }), ...r }));
    expect(sameViewRows(v, rows(lite), rows(pg)), v).toBeNull();
  }
  // the graph's own columns, times and all but the instants of the crawls
  const nodes = 'SELECT id, provider, kind, type, name, tenant, props, props_hash, source, parent_id, first_seen_run, last_seen_run, removed_run, changed_run FROM nodes';
  expect(sameViewRows('nodes', pg.prepare(nodes).all() as never, lite.prepare(nodes).all() as never)).toBeNull();
  const edges = 'SELECT id, type, src, dst, provider, props, props_hash, source, parent_id, first_seen_run, last_seen_run, removed_run, changed_run FROM edges';
  expect(sameViewRows('edges', pg.prepare(edges).all() as never, lite.prepare(edges).all() as never)).toBeNull();
  // what the next incremental crawl starts from (state values: the simulators' delta tokens and the crawl's own
  // clock are each crawl's own), and the grades of the scopes
  for (const sql of ['SELECT key, provider, etag, next, base, emitted, run_id FROM http_cache', 'SELECT provider, tenant, key, run_id FROM crawl_state',
    'SELECT scope_id, provider, risk, reason, source, known FROM scope_grades']) {
    expect(sameViewRows('state', pg.prepare(sql).all() as never, lite.prepare(sql).all() as never), sql).toBeNull();
  }
  // history: the same rows, before and after byte for byte (the writer stores canonical JSON on both)
  const history = 'SELECT run_id, entity, entity_id, change, provider, kind, before, after FROM change_log';
  expect(sameViewRows('change_log', pg.prepare(history).all() as never, lite.prepare(history).all() as never)).toBeNull();
}

const changes = (db: Db, run: number) => db.prepare(`SELECT entity, change, count(*) AS n FROM change_log WHERE run_id = ?
    GROUP BY entity, change ORDER BY entity, change`).all(run);

/** The demo a little later: one app uninstalled, a deploy key added, an installation's permission changed. */
function changed(scenario: Scenario): { scenario: Scenario; removedApp: string } {
  const gh = structuredClone(scenario.github) as GithubScenario;
  const [gone, edited] = gh.installations!;
  gh.installations = gh.installations!.filter((i) => i !== gone).map((i) => (i === edited ? { ...i, permissions: { ...(i.permissions as object), administration: 'write' } as never } : i));
  const repo = Object.keys(gh.deployKeys!)[0]!;
  const template = gh.deployKeys![repo]![0]!;
  gh.deployKeys![repo] = [...gh.deployKeys![repo]!, { ...template, id: 777_001, title: 'added-since', read_only: false }];
  return { scenario: { ...scenario, github: gh }, removedApp: gone!.app_slug as string };
}

describe('crawl into PostgreSQL', () => {
  it('writes the same graph as SQLite, in full and then incrementally after the scenario changed', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const demo = buildDemoScenario();
    const lite = openDb(path.join(dir, 'nhi-census.db'));
    const pg = openDb(to, { postgres: true });
    try {
      await crawlBoth(demo, [lite, pg], 'full');
      expect((pg.prepare('SELECT count(*) AS n FROM nodes').get() as { n: number }).n).toBeGreaterThan(100);
      expectSameGraph(lite, pg);

      // incrementally, twice against the same simulators: the changes, then nothing new (conditional requests answered
      // 304 replay what the cached pages emitted; delta links list nothing)
      const next = changed(demo);
      await crawlBoth(next.scenario, [lite, pg], 'incremental', 2);
      expectSameGraph(lite, pg);
      const notModified = 'SELECT sum(not_modified) AS n FROM run_resources WHERE run_id = 3';
      expect((pg.prepare(notModified).get() as { n: number }).n).toBeGreaterThan(0);
      expect(pg.prepare(notModified).get()).toEqual(lite.prepare(notModified).get());
      expect(changes(pg, 3)).toEqual(changes(lite, 3));
      const run = 2;
      expect(changes(pg, run)).toEqual(changes(lite, run));
      const perEntity = (db: Db) => db.prepare('SELECT entity, entity_id, change FROM change_log WHERE run_id = ? ORDER BY entity, entity_id, change').all(run);
      expect(perEntity(pg)).toEqual(perEntity(lite));
      // the changes are there: the app's connector removed, the key added, the permission a modification
      const mine = perEntity(pg) as Array<{ entity: string; entity_id: string; change: string }>;
      expect(mine.some((c) => c.change === 'removed' && c.entity === 'node')).toBe(true);
      expect(mine.some((c) => c.change === 'added' && c.entity_id.includes('777001'))).toBe(true);
      expect(mine.some((c) => c.change === 'modified' || (c.change === 'added' && c.entity === 'edge'))).toBe(true);
      expect(next.removedApp).toBeTruthy();
    } finally { lite.close(); pg.close(); }
  }, 240_000);

  it('one writer at a time: a second taker sees the holder until it lets go', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const a = openDb(to, { postgres: true });
    const b = openDb(to, { postgres: true });
    try {
      const first = tryAcquire(a, { command: 'crawl' });
      expect('lock' in first).toBe(true);
      const second = tryAcquire(b, { command: 'crawl' });
      expect('holder' in second && second.holder.command).toBe('crawl');
      if ('lock' in first) first.lock.release();
      const third = tryAcquire(b, { command: 'crawl' });
      expect('lock' in third).toBe(true);
      if ('lock' in third) third.lock.release();
    } finally { a.close(); b.close(); }
  });

  it('a lost connection is a storage failure (the crawl stops, exit 8) — not a bad page that fails its listing', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const a = openDb(to, { postgres: true });
    const b = openDb(to, { postgres: true });
    try {
      const pid = a.prepare('SELECT pg_backend_pid() AS pid').get() as { pid: number };
      b.prepare('SELECT pg_terminate_backend(?)').run(pid.pid);
      let err: unknown;
      try { a.prepare('UPDATE runs SET status = status WHERE id = 0').run(); } catch (e) { err = e; }
      expect(err).toBeDefined();
      expect(isStorageFailure(err), String(err)).toBe(true);
      expect(isStorageFailure(Object.assign(new Error('duplicate key'), { name: 'PostgresError', code: '23505' }))).toBe(false);
    } finally { try { a.close(); } catch { /* gone */ } b.close(); }
  });

  it('runs lists the PostgreSQL run ledger', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const r = await runMain(['runs', '--db', to, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const runs = JSON.parse(r.stdout) as Array<{ run: number; status: string; mode: string }>;
    expect(runs.map((x) => [x.status, x.mode])).toEqual([['complete', 'incremental'], ['complete', 'incremental'], ['complete', 'full']]);
  });

  it('nhi-census crawl --db postgres://… takes the writer lock: refused (exit 6) while another holds it, then crawls; db reset-state clears its state', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const specs = await loadConnectors();
    const sims = await startScenario(buildDemoScenario(), specs, { only: ['github'] });
    const saved = { ...process.env };
    try {
      const config = path.join(dir, 'nhi-census.yaml');
      fs.writeFileSync(config, JSON.stringify({ providers: sims.providers })); // YAML is a superset of JSON
      Object.assign(process.env, sims.env);
      const holder = openDb(to, { postgres: true });
      try {
        const held = tryAcquire(holder, { command: 'reconcile' });
        if (!('lock' in held)) throw new Error('lock not free');
        const refused = await runMain(['crawl', '-c', config, '--db', to, '--log-format', 'json']);
        expect(refused.code, refused.stderr).toBe(6);
        expect(refused.stderr).toMatch(/locked by 'nhi-census reconcile'/);
        held.lock.release();
        const before = (holder.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
        const r = await runMain(['crawl', '-c', config, '--db', to, '--log-format', 'json']);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/run \d+: complete/);
        expect(holder.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: before + 1 });
        expect(holder.prepare('SELECT count(*) AS n FROM db_lock').get()).toEqual({ n: 0 }); // released
        // db reset-state: the next crawl lists in full
        const cached = (holder.prepare("SELECT count(*) AS n FROM http_cache WHERE provider = 'github'").get() as { n: number }).n;
        expect(cached).toBeGreaterThan(0);
        const reset = await runMain(['db', 'reset-state', '-p', 'github', '--db', to]);
        expect(reset.code, reset.stderr).toBe(0);
        expect(reset.stdout).toMatch(new RegExp(`cleared ${cached} cached pages`));
        expect(holder.prepare("SELECT count(*) AS n FROM http_cache WHERE provider = 'github'").get()).toEqual({ n: 0 });
        expect(holder.prepare("SELECT count(*) AS n FROM crawl_state WHERE provider = 'github'").get()).toEqual({ n: 0 });
        expect(holder.prepare("SELECT count(*) AS n FROM crawl_state WHERE provider = 'azure'").get()).not.toEqual({ n: 0 }); // other providers' kept
      } finally { holder.close(); }
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      await sims.close();
    }
  }, 120_000);
});
