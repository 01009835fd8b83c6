// Issue 20: the migration that moves crawl state holding absolute URLs (the page cache's next links, delta
// links in crawl_state) to the relative form with the base they were issued for. A database at the previous
// schema with such state is opened; its state reads back as the same URLs on the same base, and as discarded
// (`base URL changed`) on another.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestSchemaVersion, openDb, schemaVersion } from '../../src/graph/db.ts';
import { migrations } from '../../src/graph/migrations/index.ts';
import { resolveCachedNext, resolveStoredValue } from '../../src/crawl/base-relative.ts';

const tmp = (name: string) => { const f = path.resolve('test/.tmp', `${name}-${process.pid}.db`); for (const x of [f, `${f}-wal`, `${f}-shm`]) fs.rmSync(x, { force: true }); return f; };

const GHE = 'https://ghe.example.com/api/v3';
const NEXT = `${GHE}/organizations/7/repos?per_page=100&page=2`;
const DELTA = 'https://graph.microsoft.com/v1.0/applications/delta?$deltatoken=abc123&$select=id,appId';

describe('migration: crawl state URLs become relative to the base they were issued for', () => {
  it('moves absolute next links and delta links to path and query plus base; other state is left as it was', () => {
    const mine = migrations.find((m) => m.name === 'base-relative-state');
    expect(mine, 'the migration is registered').toBeDefined();
    const file = tmp('state-migration');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    for (const m of migrations.filter((x) => x.id < mine!.id)) old.exec(m.sql);
    old.pragma(`user_version = ${mine!.id - 1}`);
    const cache = old.prepare('INSERT INTO http_cache (key, provider, etag, next, emitted, fetched_at, run_id) VALUES (?, ?, ?, ?, ?, ?, 1)');
    cache.run('github|acme|/orgs/acme/repos?per_page=100', 'github', 'W/"1"', NEXT, '{"nodes":[],"edges":[],"children":[]}', '2026-11-01T00:00:00Z');
    cache.run(`github|acme|/organizations/7/repos?per_page=100&page=2`, 'github', 'W/"2"', null, '{"nodes":[],"edges":[],"children":[]}', '2026-11-01T00:00:00Z');
    const state = old.prepare("INSERT INTO crawl_state (provider, tenant, key, value, run_id, updated_at) VALUES (?, 't1', ?, ?, 1, '2026-11-01T00:00:00Z')");
    state.run('azure', 'applications.deltaLink', DELTA);
    state.run('azure', 'applications.lastFullReason', '2026-11-01T00:00:00.000Z full crawl requested');
    state.run('google', 'token_events_watermark', '2026-11-01T00:00:00.000Z');
    state.run('slack', 'integration_log:T1', '{"watermark":1,"atWatermark":[],"integrations":[]}');
    old.close();

    const db = openDb(file);
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    const rowsOf = db.prepare('SELECT key, base, next FROM http_cache ORDER BY key').all() as Array<{ key: string; base: string | null; next: string | null }>;
    expect(rowsOf).toEqual([
      // the last page has no next link: it is known to be from the same base as its listing's other pages
      { key: 'github|acme|/organizations/7/repos?per_page=100&page=2', base: 'https://ghe.example.com', next: null },
      { key: 'github|acme|/orgs/acme/repos?per_page=100', base: 'https://ghe.example.com', next: '/api/v3/organizations/7/repos?per_page=100&page=2' },
    ]);
    const value = (key: string) => (db.prepare('SELECT value FROM crawl_state WHERE key = ?').get(key) as { value: string }).value;
    expect(JSON.parse(value('applications.deltaLink'))).toEqual({ base: 'https://graph.microsoft.com', rel: '/v1.0/applications/delta?$deltatoken=abc123&$select=id,appId' });
    expect(value('applications.lastFullReason')).toBe('2026-11-01T00:00:00.000Z full crawl requested');
    expect(value('token_events_watermark')).toBe('2026-11-01T00:00:00.000Z');
    expect(value('integration_log:T1')).toBe('{"watermark":1,"atWatermark":[],"integrations":[]}');
    // no absolute URL is left in the state
    expect(db.prepare("SELECT count(*) n FROM http_cache WHERE next LIKE 'http%'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) n FROM crawl_state WHERE value LIKE 'http%'").get()).toEqual({ n: 0 });

    // read back: the same URLs where the base is the same (a GHES base keeps its /api/v3 path) …
    expect(resolveCachedNext(rowsOf[1]!.next!, rowsOf[1]!.base, { base: GHE })).toBe(NEXT);
    expect(resolveStoredValue(value('applications.deltaLink'), { base: 'https://graph.microsoft.com/v1.0' })).toBe(new URL(DELTA).toString());
    // … and discarded where the configured address changed since
    expect(resolveCachedNext(rowsOf[1]!.next!, rowsOf[1]!.base, { base: 'https://ghe2.example.com/api/v3' }))
      .toEqual({ discard: 'base URL changed', from: 'https://ghe.example.com' });
    expect(resolveStoredValue(value('applications.deltaLink'), { base: 'https://graph.microsoft.us/v1.0' }))
      .toEqual({ discard: 'base URL changed', from: 'https://graph.microsoft.com' });
    db.close();
  });
});
