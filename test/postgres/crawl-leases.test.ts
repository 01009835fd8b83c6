// Crawl leases on PostgreSQL (issue 18): a crawl takes one db_lock row per (provider, tenant) it crawls, so crawls of
// different tenants run side by side in one database, while the same tenant twice waits (--wait) or exits 6 naming the
// holder, and 'writer' (reconcile, report, prune, run) excludes every crawl and the other way round. A stale lease
// (dead pid, old heartbeat) is taken over and its crawl run marked interrupted. Reconcile reads one consistent snapshot
// (rows another connection commits during its read phase are not seen), and a page write that meets a deadlock is
// run again. Against a real server (test/helpers/postgres.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { executeCrawl } from '../../src/cli/crawl.ts';
import { lockForCrawl } from '../../src/cli/common.ts';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';
import { configFromObject, type LoadedConfig } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { crawlTargets } from '../../src/crawl/targets.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import { readSnapshot } from '../../src/graph/dialect.ts';
import { GroupCommit } from '../../src/graph/group-commit.ts';
import { acquireLock, crawlLeaseName, LockedError, lockHolders, tryAcquire } from '../../src/graph/lock.ts';
import { beginRun } from '../../src/graph/runs.ts';
import { GraphWriter } from '../../src/graph/writer.ts';
import { loadInventory } from '../../src/inventory/load.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { startScenario, type RunningSimulators } from '../../src/simulator/start-all.ts';
import { createLogger } from '../../src/util/log.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { runMain } from '../cli/run-main.ts';
import { startPostgres, type PostgresOrSkip } from '../helpers/postgres.ts';

let server: PostgresOrSkip;
let sims: RunningSimulators | undefined;
let config: LoadedConfig;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-pg-leases-'));
const configFile = path.join(dir, 'nhi-census.yaml');
const saved = { ...process.env };
const quiet = createLogger({ format: 'json', level: 'error', write: () => {} });

beforeAll(async () => {
  server = await startPostgres();
  if (!('url' in server)) return;
  const specs = await loadConnectors();
  sims = await startScenario(buildDemoScenario(), specs, { only: ['github', 'slack'] });
  config = configFromObject({ database: ':memory:', providers: sims.providers }, specs, '(test)');
  fs.writeFileSync(configFile, JSON.stringify({ providers: sims.providers })); // YAML is a superset of JSON
  Object.assign(process.env, sims.env);
}, 120_000);
afterAll(async () => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  await sims?.close();
  if ('url' in server) await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const url = (ctx: TestContext): string | null => {
  if ('skipped' in server) { console.warn(server.skipped); ctx.skip(); return null; }
  return server.url;
};

/** Connections opened by a test, closed after it whatever happens. */
async function withDbs<T>(to: string, n: number, fn: (...dbs: Db[]) => Promise<T> | T): Promise<T> {
  const dbs = Array.from({ length: n }, () => openDb(to, { postgres: true }));
  try { return await fn(...dbs); } finally { for (const db of dbs) if (db.open) db.close(); }
}

/** A pid that certainly is not running: a child that has already exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', 'process.pid']).pid!;

const count = (db: Db, sql: string, ...params: unknown[]): number => Number((db.prepare(sql).get(...params) as { n: number | string }).n);

describe('crawl leases on PostgreSQL', () => {
  it('two crawls of different tenants run at the same time into one database, each under its own leases, and both complete', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    await withDbs(to, 3, async (a, b, observer) => {
      const github = crawlTargets(config, ['github']);
      const slack = crawlTargets(config, ['slack']);
      expect(github.length).toBeGreaterThan(0);
      const la = await lockForCrawl(a, github, quiet);
      const lb = await lockForCrawl(b, slack, quiet); // not refused: other tenants
      try {
        expect(lockHolders(observer).map((h) => h.name).sort())
          .toEqual([...github, ...slack].map((t) => crawlLeaseName(t.provider, t.tenant)).sort());
        const [sa, sb] = await Promise.all([
          executeCrawl({ config, db: a, providers: ['github'], mode: 'full', log: quiet }),
          executeCrawl({ config, db: b, providers: ['slack'], mode: 'full', log: quiet }),
        ]);
        expect(sa.status, JSON.stringify(sa.resources.filter((r) => r.status !== 'complete'))).toBe('complete');
        expect(sb.status, JSON.stringify(sb.resources.filter((r) => r.status !== 'complete'))).toBe('complete');
        // they overlapped in time: each started before the other finished
        const runs = observer.prepare('SELECT id, started_at, finished_at FROM runs WHERE id IN (?, ?) ORDER BY id').all(sa.runId, sb.runId) as Array<{ started_at: string; finished_at: string }>;
        expect(runs).toHaveLength(2);
        expect(runs[0]!.started_at < runs[1]!.finished_at && runs[1]!.started_at < runs[0]!.finished_at).toBe(true);
        expect(count(observer, "SELECT count(*) AS n FROM nodes WHERE provider = 'github' AND removed_run IS NULL")).toBeGreaterThan(10);
        expect(count(observer, "SELECT count(*) AS n FROM nodes WHERE provider = 'slack' AND removed_run IS NULL")).toBeGreaterThan(10);
        expect(la.held() && lb.held()).toBe(true);
      } finally { la.release(); lb.release(); }
      expect(count(observer, 'SELECT count(*) AS n FROM db_lock')).toBe(0);
    });
  }, 180_000);

  it('the same tenant twice: the second crawl exits 6 naming the holder, or waits for it with --wait; another tenant crawls meanwhile', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    await withDbs(to, 2, async (holder, other) => {
      const github = crawlTargets(config, ['github']);
      const lease = await lockForCrawl(holder, github, quiet);
      try {
        const err = await lockForCrawl(other, github, quiet).catch((e) => e);
        expect(err).toBeInstanceOf(LockedError);
        expect(err.exitCode).toBe(6);
        expect(err.message).toContain(`tenant github:${github[0]!.tenant} is locked by 'nhi-census crawl' pid ${process.pid} on ${os.hostname()}`);

        const refused = await runMain(['crawl', '-c', configFile, '--db', to, '-p', 'github', '--log-format', 'json']);
        expect(refused.code, refused.stderr).toBe(6);
        expect(refused.stderr).toContain(`github:${github[0]!.tenant} is locked by 'nhi-census crawl' pid ${process.pid}`);
        const slack = await runMain(['crawl', '-c', configFile, '--db', to, '-p', 'slack', '--log-format', 'json']);
        expect(slack.code, slack.stderr).toBe(0);
        expect(slack.stdout).toMatch(/run \d+: complete/);

        // db info lists every holder
        const second = await lockForCrawl(other, crawlTargets(config, ['slack']), quiet);
        try {
          const info = await runMain(['db', 'info', '--db', to]);
          expect(info.code, info.stderr).toBe(0);
          expect(info.stdout).toContain(`crawling github:${github[0]!.tenant}`);
          expect(info.stdout).toMatch(/locked by 'nhi-census crawl' .*crawling slack:/);
        } finally { second.release(); }
      } finally {
        setTimeout(() => lease.release(), 300);
      }
      const waited = await runMain(['crawl', '-c', configFile, '--db', to, '-p', 'github', '--wait', '30', '--log-format', 'json']);
      expect(waited.code, waited.stderr).toBe(0);
      expect(waited.stderr).toContain('database locked: waiting');
      expect(count(holder, 'SELECT count(*) AS n FROM db_lock')).toBe(0);
    });
  }, 180_000);

  it("'writer' is refused while a crawl lease is live, and a crawl lease while 'writer' is held", async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    await withDbs(to, 2, async (a, b) => {
      const lease = await lockForCrawl(a, crawlTargets(config, ['slack']), quiet);
      const writer = tryAcquire(b, { command: 'reconcile' });
      const slackTenant = crawlTargets(config, ['slack'])[0]!.tenant;
      expect('holder' in writer && writer.holder.name).toBe(crawlLeaseName('slack', slackTenant));
      const refused = await acquireLock(b, { command: 'reconcile' }).catch((e) => e);
      expect(refused).toBeInstanceOf(LockedError);
      expect(refused.message).toMatch(new RegExp(`^database is locked by 'nhi-census crawl' pid ${process.pid} .*, crawling slack:${slackTenant};`));
      lease.release();
      const held = tryAcquire(b, { command: 'reconcile' });
      if (!('lock' in held)) throw new Error('writer lock not free');
      try {
        const err = await lockForCrawl(a, crawlTargets(config, ['github']), quiet).catch((e) => e);
        expect(err).toBeInstanceOf(LockedError);
        expect(err.message).toMatch(/^database is locked by 'nhi-census reconcile' pid \d+/);
        // all or nothing: the refused crawl left no lease behind
        expect(lockHolders(a).map((h) => h.name)).toEqual(['writer']);
      } finally { held.lock.release(); }
    });
  });

  it('a stale crawl lease (dead pid, or an old heartbeat elsewhere) is taken over and its run marked interrupted; a live one beside it is kept', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    await withDbs(to, 2, async (a, b) => {
      const [gh] = crawlTargets(config, ['github']);
      const [sl] = crawlTargets(config, ['slack']);
      const live = await lockForCrawl(b, [sl!], quiet);
      try {
        const pid = deadPid();
        const runId = beginRun(a, { providers: ['github'], mode: 'full', version: 'test' });
        const now = new Date().toISOString();
        a.prepare(`INSERT INTO db_lock (name, token, pid, host, command, started_at, heartbeat_at, run_id) VALUES (?, 'dead', ?, ?, 'crawl', ?, ?, ?)`)
          .run(crawlLeaseName(gh!.provider, gh!.tenant), pid, os.hostname(), now, now, runId);
        const takeovers: string[] = [];
        const lock = await lockForCrawl(a, [gh!], createLogger({ format: 'json', level: 'warn', write: (l: string) => { takeovers.push(l); } }));
        expect(takeovers.join('\n')).toContain(`pid ${pid} is not running on ${os.hostname()}`);
        expect(a.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId)).toBe('interrupted');
        expect(lockHolders(a).map((h) => [h.name, h.pid])).toEqual([[crawlLeaseName(gh!.provider, gh!.tenant), process.pid], [crawlLeaseName(sl!.provider, sl!.tenant), process.pid]]);
        expect(live.held()).toBe(true);
        lock.release();

        // another host's lease: kept while its heartbeat is fresh, taken over once it is older than the maximum
        const name = crawlLeaseName(gh!.provider, gh!.tenant);
        a.prepare(`INSERT INTO db_lock (name, token, pid, host, command, started_at, heartbeat_at, run_id) VALUES (?, 'pod', 1, 'nhi-census-worker-7f9c', 'worker', ?, ?, NULL)`)
          .run(name, now, now);
        await expect(lockForCrawl(a, [gh!], quiet, { staleAfterSeconds: 600 })).rejects.toThrow(/'nhi-census worker' pid 1 on nhi-census-worker-7f9c/);
        const old = new Date(Date.now() - 3600_000).toISOString();
        a.prepare("UPDATE db_lock SET heartbeat_at = ? WHERE token = 'pod'").run(old);
        const took = await lockForCrawl(a, [gh!], quiet, { staleAfterSeconds: 600 });
        expect(lockHolders(a).find((h) => h.name === name)?.pid).toBe(process.pid);
        took.release();
      } finally { live.release(); }
    });
  });

  it('a heartbeat refreshes every row of a lock; held() turns false once any row was taken over', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    await withDbs(to, 2, async (a, b) => {
      const targets = crawlTargets(config);
      expect(targets.length).toBeGreaterThan(1);
      const lock = await lockForCrawl(a, targets, quiet);
      try {
        b.prepare("UPDATE db_lock SET heartbeat_at = '2000-01-01T00:00:00.000Z'").run();
        lock.heartbeat();
        expect(count(b, "SELECT count(*) AS n FROM db_lock WHERE heartbeat_at > '2001'")).toBe(targets.length);
        lock.setRunId(4242);
        expect(count(b, 'SELECT count(*) AS n FROM db_lock WHERE run_id = 4242')).toBe(targets.length);
        expect(lock.held()).toBe(true);
        // judged stale by someone: one of its rows is taken over
        b.prepare("UPDATE db_lock SET heartbeat_at = '2000-01-01T00:00:00.000Z'").run();
        const taker = await lockForCrawl(b, [targets[0]!], quiet, { staleAfterSeconds: 60 });
        expect(lock.held()).toBe(false);
        taker.release();
      } finally { lock.release(); }
      expect(count(b, 'SELECT count(*) AS n FROM db_lock')).toBe(0);
    });
  });

  it('a reconciliation reads one snapshot: a connector another connection commits during its read phase is not seen', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    await withDbs(to, 2, async (a, b) => {
      const inventory = loadInventory(DEMO_INVENTORY);
      const live = () => count(b, "SELECT count(*) AS n FROM nodes WHERE kind = 'connector' AND removed_run IS NULL");
      const before = live();
      expect(before).toBeGreaterThan(0);
      // the late row is committed by `b` once the reconciliation has read its first rows and before it reads the connectors
      let injected = false;
      const watched = new Proxy(a, {
        get(target, prop) {
          const v = Reflect.get(target, prop, target);
          if (prop !== 'prepare') return typeof v === 'function' ? v.bind(target) : v;
          return (source: string) => {
            if (!injected && /kind IN \('connector',\s*'credential'\)/.test(source)) {
              injected = true;
              b.prepare(`INSERT INTO nodes (id, provider, kind, type, name, tenant, props, props_hash, source, parent_id, first_seen_run, last_seen_run,
                  first_seen_at, last_seen_at, changed_run)
                SELECT id || ':late', provider, kind, type, name, tenant, props, props_hash, source, parent_id, first_seen_run, last_seen_run,
                  first_seen_at, last_seen_at, changed_run FROM nodes WHERE kind = 'connector' AND removed_run IS NULL ORDER BY id LIMIT 1`).run();
            }
            return target.prepare(source);
          };
        },
      });
      const first = reconcile(watched, inventory, { full: true });
      expect(injected).toBe(true);
      expect(live()).toBe(before + 1);
      expect(first.connectors).toBe(before); // not the late one
      const second = reconcile(a, inventory, { full: true });
      expect(second.connectors).toBe(before + 1);
    });
  }, 120_000);

  it('readSnapshot: PostgreSQL reads one snapshot and refuses writes in it; SQLite reads one WAL snapshot', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    await withDbs(to, 2, (a, b) => {
      const n = () => count(a, 'SELECT count(*) AS n FROM runs');
      const seen = readSnapshot(a, () => {
        const first = n();
        beginRun(b, { providers: ['github'], mode: 'full', version: 'other connection' });
        return [first, n()];
      });
      expect(seen[1]).toBe(seen[0]);
      expect(n()).toBe(seen[0]! + 1);
      expect(() => readSnapshot(a, () => a.prepare("UPDATE runs SET tool_version = 'x' WHERE id = 0").run())).toThrow(/read-only transaction/);
      expect(a.inTransaction).toBe(false);
    });
    const file = path.join(dir, 'snapshot.db');
    const a = openDb(file);
    const b = openDb(file);
    try {
      const n = () => count(a, 'SELECT count(*) AS n FROM runs');
      const seen = readSnapshot(a, () => {
        const first = n();
        beginRun(b, { providers: ['github'], mode: 'full', version: 'other connection' });
        return [first, n()];
      });
      expect(seen[1]).toBe(seen[0]);
      expect(n()).toBe(seen[0]! + 1);
    } finally { a.close(); b.close(); }
  });

  it('a page write that meets a deadlock (40P01) is run again; one that keeps meeting it fails its listing only', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    await withDbs(to, 1, (db) => {
      // a trigger that answers the first `limit` grades of a marked scope with a deadlock, as PostgreSQL would (the grade
      // is written last in a page's transaction: the nodes before it are rolled back with it)
      db.exec(`CREATE TABLE deadlock_limit (n int); INSERT INTO deadlock_limit VALUES (2);
        CREATE SEQUENCE deadlocks;
        CREATE FUNCTION fake_deadlock() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.scope_id LIKE 'github:scope:deadlock%' AND nextval('deadlocks') <= (SELECT n FROM deadlock_limit) THEN
            RAISE EXCEPTION 'deadlock detected (simulated)' USING ERRCODE = '40P01';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER fake_deadlock BEFORE INSERT ON scope_grades FOR EACH ROW EXECUTE FUNCTION fake_deadlock();`);
      try {
        const write = (tag: string): { failed: unknown[] } => {
          const writer = new GraphWriter(db, beginRun(db, { providers: ['github'], mode: 'full', version: 'test' }));
          const commit = new GroupCommit(db, writer, { maxRows: 1000, maxMs: 60_000 });
          const failed: unknown[] = [];
          const listing = commit.listing(`github|t|${tag}`, (err) => failed.push(err));
          commit.page(listing, { provider: 'github', tenant: 't', scope: `github|t|${tag}`, parentId: null, emitted: { nodes: [
            { id: `github:app:deadlock-${tag}`, kind: 'connector', type: 'github.app', name: tag, props: {} },
            { id: `github:scope:deadlock-${tag}`, kind: 'scope', type: 'github.permission', name: 'administration:write', props: {} },
          ], edges: [] } });
          commit.close();
          return { failed };
        };
        const once = write('once');
        expect(once.failed).toEqual([]);
        expect(count(db, "SELECT last_value AS n FROM deadlocks")).toBe(3); // two deadlocks met, the third run went through
        expect(count(db, "SELECT count(*) AS n FROM nodes WHERE id LIKE 'github:%deadlock-once'")).toBe(2);
        // the scope graded by the run that went through, although the transactions that graded it before were rolled back
        expect(count(db, "SELECT count(*) AS n FROM scope_grades WHERE scope_id = 'github:scope:deadlock-once'")).toBe(1);

        db.exec('UPDATE deadlock_limit SET n = 1000');
        const always = write('always');
        expect(always.failed).toHaveLength(1);
        expect((always.failed[0] as { code?: string }).code).toBe('40P01');
        expect(count(db, "SELECT count(*) AS n FROM nodes WHERE id LIKE 'github:%deadlock-always'")).toBe(0);
      } finally {
        db.exec('DROP TRIGGER fake_deadlock ON scope_grades; DROP FUNCTION fake_deadlock(); DROP SEQUENCE deadlocks; DROP TABLE deadlock_limit;');
      }
    });
  });
});
