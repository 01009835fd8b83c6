// Migration 011 on a database written before it: the run ledger keeps every row (and the run_ledger view
// still reads them), accepts `not_applicable`, still refuses an unknown status, and old rows have no `provides`
// (read as "could produce any key" by the absence rule).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { openDb } from '../../src/graph/db.ts';
import { migrations } from '../../src/graph/migrations/index.ts';
import { saveResourceResult } from '../../src/graph/runs.ts';

const dir = path.resolve('test/.tmp', `ledger-migration-${process.pid}`);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('rebuilds run_resources with not_applicable allowed, keeping rows and the run_ledger view', () => {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'old.db');
  const old = new Database(file);
  const before = migrations.filter((m) => m.id < 11);
  for (const m of before) old.exec(m.sql);
  old.pragma(`user_version = ${before.at(-1)!.id}`);
  old.prepare("INSERT INTO runs (id, started_at, status, mode, providers) VALUES (1, '2026-11-01T00:00:00Z', 'complete', 'full', '[\"slack\"]')").run();
  old.prepare(`INSERT INTO run_resources (run_id, provider, tenant, resource_type, status, listings, objects, error, started_at)
    VALUES (1, 'slack', 'T1', 'slack.workflows', 'unsupported', 1, 0, 'admin.workflows.search: Slack answered not_an_enterprise', '2026-11-01T00:00:00Z')`).run();
  expect(() => old.prepare("UPDATE run_resources SET status = 'not_applicable'").run()).toThrow(/CHECK/);
  old.close();

  const db = openDb(file, { noBackup: true });
  try {
    expect(db.prepare('SELECT resource_type, status, error, provides FROM run_resources').all())
      .toEqual([{ resource_type: 'slack.workflows', status: 'unsupported', error: 'admin.workflows.search: Slack answered not_an_enterprise', provides: null }]);
    expect(db.prepare('SELECT run_id, resource_type, status FROM run_ledger').all()).toEqual([{ run_id: 1, resource_type: 'slack.workflows', status: 'unsupported' }]);
    const at = '2026-12-01T00:00:00Z';
    saveResourceResult(db, 1, { provider: 'slack', tenant: 'T1', resourceType: 'slack.approved_apps', status: 'not_applicable', listings: 1, listingsFailed: 0,
      objects: 0, apiCalls: 0, notModified: 0, retries: 0, removed: 0, error: 'Enterprise Grid only', startedAt: at, finishedAt: at, durationMs: 0, provides: ['app_id'] });
    expect(db.prepare("SELECT status, provides FROM run_resources WHERE resource_type = 'slack.approved_apps'").get()).toEqual({ status: 'not_applicable', provides: '["app_id"]' });
    expect(() => db.prepare("UPDATE run_resources SET status = 'maybe'").run()).toThrow(/CHECK/);
    expect(db.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'not_verifiable'").get()).toEqual({ n: 1 });
  } finally { db.close(); }
});
