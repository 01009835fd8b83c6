// Retention, on both backends (test/helpers/backends.ts): after months of simulated runs (timestamps moved back to
// the simulated dates), `prune` deletes old runs, reconciliations, history and page cache, yet the report of a month
// in the window renders byte-identical, every finding keeps its first-seen reconciliation and every report its
// inputs. Also: `db backup` (online backup API; on PostgreSQL refused, naming pg_dump) and, SQLite only, the copy
// taken before a schema upgrade (PostgreSQL migrates in transactions on the server, with no file to copy).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { executeRun } from '../../src/cli/run.ts';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { latestSchemaVersion, openDb, type Db } from '../../src/graph/db.ts';
import { migrations } from '../../src/graph/migrations/index.ts';
import { prune } from '../../src/graph/retention.ts';
import { silentLogger } from '../../src/util/log.ts';
import { buildReportModel } from '../../reports/model.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import { renderConnectorsCsv, renderFindingsCsv, renderJson } from '../../reports/render-csv.ts';
import { describeBackends } from '../helpers/backends.ts';
import { backdate } from './backdate.ts';
import { cli, startOpsEnv, type OpsEnv } from './helpers.ts';

const NIGHTS = ['2026-07-10', '2026-07-25', '2026-08-10', '2026-08-25', '2026-09-10', '2026-09-25', '2026-10-10', '2026-10-25', '2026-11-10']
  .map((d) => `${d}T02:00:00.000Z`);
const NOW = new Date('2026-11-20T02:00:00.000Z');

describeBackends('prune', (backend) => {
  let o: OpsEnv;
  const org = 'Halcyon Logistics';
  const dbFile = () => o.dbFile;
  beforeAll(async () => {
    o = await startOpsEnv({ database: backend.testDbLocation() });
    const config = configFromObject({ ...o.config }, await loadConnectors(), '(test)');
    const gh = o.scenario.github as { installations: Array<{ id: number; app_id: number; app_slug: string; client_id: string; permissions: Record<string, string> }>; apps: Array<Record<string, unknown>> };
    for (const [i, night] of NIGHTS.entries()) {
      // Churn: an app comes and goes, another one's permissions change.
      if (i % 2 === 1) { gh.installations.push({ ...gh.installations[2]!, id: 9800 + i, app_id: 980 + i, app_slug: `trial-app-${i}`, client_id: `Iv1.trial${i}` });
        gh.apps.push({ ...gh.apps[2]!, id: 980 + i, slug: `trial-app-${i}`, name: `trial-app-${i}` }); }
      else if (i > 0) { gh.installations.pop(); gh.apps.pop(); }
      gh.installations[1]!.permissions = i % 3 === 0 ? { contents: 'read', metadata: 'read' } : { contents: 'read', metadata: 'read', pull_requests: 'write' };
      const r = await executeRun({ config, dbFile: o.dbFile, log: silentLogger, env: o.env, now: () => new Date(night), full: i % 4 === 0 });
      expect([0, 3]).toContain(r.exitCode);
      const db = openDb(o.dbFile, { postgres: true });
      try { backdate(db, r.crawl!.runId, r.reconcile?.reconId, r.pipelineId, night); } finally { db.close(); }
    }
  }, 300_000);
  afterAll(async () => { await o?.close(); });

  function render(db: Db, month: string): string[] {
    const m = buildReportModel(db, { month, organisation: org, now: NOW, expectedProviders: ['azure', 'github', 'google', 'slack'] });
    return [renderMarkdown(m), renderJson(m), renderFindingsCsv(m), renderConnectorsCsv(m)];
  }

  it('keeps the reports of the window identical and every finding\'s first-seen evidence', async () => {
    const db = openDb(dbFile(), { postgres: true });
    try {
      expect(db.prepare('SELECT month FROM reports ORDER BY month').pluck().all()).toEqual(['2026-07', '2026-08', '2026-09', '2026-10']);
      const before = { oct: render(db, '2026-10'), nov: render(db, '2026-11') };
      const findingsBefore = db.prepare('SELECT * FROM findings ORDER BY id').all();
      const counts = (t: string) => Number(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
      const tables = ['runs', 'run_resources', 'reconciliations', 'finding_observations', 'change_log', 'nodes', 'edges', 'http_cache', 'pipeline_runs'];
      const n0 = Object.fromEntries(tables.map((t) => [t, counts(t)]));

      const dry = prune(db, { keepMonths: 1, now: NOW, dryRun: true });
      expect(Object.fromEntries(tables.map((t) => [t, counts(t)]))).toEqual(n0);
      const r = prune(db, { keepMonths: 1, now: NOW });
      expect(r.cutoff).toBe('2026-10-01T00:00:00.000Z');
      expect(r.deleted).toEqual(dry.deleted);
      expect(r.deleted.runs).toBeGreaterThan(0);
      expect(r.deleted.reconciliations).toBeGreaterThan(0);
      expect(r.deleted.change_log).toBeGreaterThan(0);
      expect(counts('runs')).toBeLessThan(n0.runs!);

      // The report of a month in the window (and its comparison with the previous report) is unchanged.
      expect(render(db, '2026-10')).toEqual(before.oct);
      expect(render(db, '2026-11')).toEqual(before.nov);
      // Findings keep their evidence and the reconciliation (and its crawl runs) that first saw them.
      expect(db.prepare('SELECT * FROM findings ORDER BY id').all()).toEqual(findingsBefore);
      expect(Number(db.prepare(`SELECT count(*) FROM findings f WHERE NOT EXISTS (SELECT 1 FROM reconciliations r WHERE r.id = f.first_seen_recon)`).pluck().get())).toBe(0);
      // Every report keeps its reconciliation and crawl runs.
      for (const rep of db.prepare('SELECT recon_id, crawl_runs FROM reports').all() as { recon_id: number; crawl_runs: string }[]) {
        expect(Number(db.prepare('SELECT count(*) FROM reconciliations WHERE id = ?').pluck().get(rep.recon_id))).toBe(1);
        for (const run of Object.values(JSON.parse(rep.crawl_runs) as Record<string, number>)) {
          expect(Number(db.prepare('SELECT count(*) FROM runs WHERE id = ?').pluck().get(run))).toBe(1);
          expect(Number(db.prepare('SELECT count(*) FROM run_resources WHERE run_id = ?').pluck().get(run))).toBeGreaterThan(0);
        }
      }
      if (backend.name === 'sqlite') { // PostgreSQL checks every foreign key as the rows are deleted: a dangling one fails the prune
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
      }
    } finally { db.close(); }

    // The next run after a prune (page cache partly gone) completes and removes nothing that is still there.
    const config = configFromObject({ ...o.config }, await loadConnectors(), '(test)');
    const next = await executeRun({ config, dbFile: dbFile(), log: silentLogger, env: o.env, now: () => NOW });
    expect(next.exitCode).toBe(0);
    expect(next.crawl!.totals.removed).toBe(0);
  }, 240_000);

  if (backend.name === 'sqlite') {
    it('prune and db backup from the command line', async () => {
      const copy = path.join(o.dir, 'backup.db');
      const b = await cli(['db', 'backup', copy, '--db', dbFile()]);
      expect(b.code).toBe(0);
      const live = new Database(dbFile(), { readonly: true });
      const bak = new Database(copy, { readonly: true });
      try {
        for (const t of ['runs', 'nodes', 'edges', 'findings', 'reports']) {
          expect(bak.prepare(`SELECT count(*) FROM ${t}`).pluck().get()).toBe(live.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
        }
        expect(bak.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally { live.close(); bak.close(); }
      expect((await cli(['db', 'backup', copy, '--db', dbFile()])).code).toBe(2);
      const p = await cli(['prune', '--keep', '1', '--db', copy, '--vacuum']);
      expect(p.code).toBe(0);
      expect(p.stdout).toMatch(/pruned before \d{4}-\d\d-01/);
      expect(p.stdout).toContain('(vacuumed)');
    }, 120_000);
  } else {
    it('prune from the command line; db backup refuses, naming pg_dump (PostgreSQL: the server\'s own backups)', async () => {
      const b = await cli(['db', 'backup', path.join(o.dir, 'backup.db'), '--db', dbFile()]);
      expect(b.code).toBe(2);
      expect(b.stderr).toContain('is a PostgreSQL database: back it up with the server\'s own tools, e.g. pg_dump --format=custom');
      expect(b.stderr).not.toMatch(/postgres:\/\/[^@\s]*:[^@\s]*@/); // no password
      expect(fs.existsSync(path.join(o.dir, 'backup.db'))).toBe(false);
      const p = await cli(['prune', '--keep', '1', '--db', dbFile(), '--vacuum']);
      expect(p.code, p.stderr).toBe(0);
      expect(p.stdout).toMatch(/pruned before \d{4}-\d\d-01/);
      expect(p.stdout).not.toContain('(vacuumed)'); // autovacuum's work on a server
    }, 120_000);
  }

  if (backend.name === 'sqlite') {
    it('copies the database aside before a schema upgrade, and upgrades in transactions', () => {
      const file = path.join(o.dir, 'old-schema.db');
      const old = new Database(file);
      for (const m of migrations.slice(0, -1)) { old.exec(m.sql); old.pragma(`user_version = ${m.id}`); }
      old.prepare("INSERT INTO runs (started_at, status) VALUES ('2026-01-01T00:00:00Z', 'complete')").run();
      old.close();
      const db = openDb(file);
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
        const bakFile = `${file}.pre-v${latestSchemaVersion}.bak`;
        expect(fs.existsSync(bakFile)).toBe(true);
        const bak = new Database(bakFile, { readonly: true });
        try {
          expect(bak.pragma('user_version', { simple: true })).toBe(migrations.at(-2)!.id);
          expect(bak.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
        } finally { bak.close(); }
      } finally { db.close(); }
    });
  }
});
