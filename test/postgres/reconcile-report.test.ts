// reconcile and report on PostgreSQL (issue 18): the demo graph crawled into SQLite and copied into a real PostgreSQL
// with `db copy`, then reconciled on both with the same inventory and the same later --now (findings change: some
// resolve, some are new), and once more incrementally (no new crawl), must leave identical findings, observations and
// summary counts; `report` on both for the same month writes byte-identical files (manifest.json's paths and write
// times aside).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, type TestContext } from 'vitest';
import { openDb, type Db } from '../../src/graph/db.ts';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';
import { findingsOpenAt } from '../../src/graph/report-queries.ts';
import { GRAPH_VIEWS } from '../../src/graph/views.ts';
import { sameViewRows } from '../../src/graph/view-compare.ts';
import { runMain } from '../cli/run-main.ts';
import { startPostgres, type PostgresOrSkip } from '../helpers/postgres.ts';

let server: PostgresOrSkip;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-pg-recon-'));
const lite = path.join(dir, 'nhi-census.db');
beforeAll(async () => {
  server = await startPostgres();
  const demo = await runMain(['demo', '--db', lite, '--out', path.join(dir, 'demo-reports'), '--log-format', 'json']);
  expect(demo.code, demo.stderr.slice(-2000)).toBe(0);
  if ('url' in server) {
    const copy = await runMain(['db', 'copy', '--from', lite, '--to', server.url]);
    expect(copy.code, copy.stderr).toBe(0);
  }
}, 180_000);
afterAll(async () => { if ('url' in server) await server.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

const url = (ctx: TestContext): string | null => {
  if ('skipped' in server) { console.warn(server.skipped); ctx.skip(); return null; }
  return server.url;
};

/**
 * `nhi-census <args>` with the wall clock stopped at `at`: both databases get the same write times (first_seen_at,
 * started_at, generated_at), so every column compares, not only those the clock does not write.
 */
async function runAt(at: Date, args: string[]): Promise<string> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  try {
    const r = await runMain(args);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  } finally { vi.useRealTimers(); }
}

function rows(db: Db, sql: string): Array<Record<string, unknown>> {
  return db.prepare(sql).all() as Array<Record<string, unknown>>;
}

/** Every row and column reconciliations write (JSON columns compared as data: jsonb keeps its own key order). */
function state(db: Db): Record<string, unknown> {
  const recons = rows(db, 'SELECT * FROM reconciliations ORDER BY id')
    .map((r) => ({ ...r, crawl_runs: JSON.parse(String(r.crawl_runs)), basis: r.basis && JSON.parse(String(r.basis)), summary: r.summary && JSON.parse(String(r.summary)) }));
  return {
    findings: rows(db, 'SELECT * FROM findings ORDER BY id'),
    observations: rows(db, 'SELECT * FROM finding_observations ORDER BY recon_id, finding_id'),
    matches: rows(db, 'SELECT * FROM inventory_matches ORDER BY recon_id, connector_id, inventory_id'),
    notVerifiable: rows(db, 'SELECT * FROM not_verifiable ORDER BY recon_id, rule, subject_id'),
    people: rows(db, 'SELECT * FROM people ORDER BY principal_id')
      .map((r) => ({ ...r, emails: JSON.parse(String(r.emails)) })),
    units: rows(db, 'SELECT key, unit FROM reconcile_units ORDER BY key'),
    revisits: rows(db, 'SELECT unit, at FROM reconcile_revisits ORDER BY unit'),
    principals: rows(db, 'SELECT principal_id, digest FROM reconcile_principals ORDER BY principal_id'),
    entries: rows(db, 'SELECT inventory_hash, id, entry FROM inventory_version_entries ORDER BY inventory_hash, id').map((r) => ({ ...r, entry: JSON.parse(String(r.entry)) })),
    sameEdges: rows(db, "SELECT id, src, dst, removed_run FROM edges WHERE type = 'SAME_PERSON' ORDER BY id"),
    recons,
  };
}

function compare(to: string): { a: Record<string, unknown>; b: Record<string, unknown> } {
  const a = openDb(lite, { readonly: true });
  const b = openDb(to, { readonly: true, postgres: true });
  try { return { a: state(a), b: state(b) }; } finally { a.close(); b.close(); }
}

describe('reconcile and report on PostgreSQL, against SQLite on the same graph', () => {
  it('a reconciliation at a later date, then an incremental one, write the same findings, observations and counts', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const inventory = DEMO_INVENTORY;
    const before = compare(to);
    expect(before.b).toEqual(before.a);
    const now = new Date(Date.now() + 200 * 86400_000).toISOString().slice(0, 10);
    const at = new Date();
    const outputs: string[] = [];
    for (const db of [lite, to]) outputs.push(await runAt(at, ['reconcile', '--db', db, '--inventory', inventory, '--now', now, '--limit', '1000']));
    expect(outputs[1]).toEqual(outputs[0]);
    const first = compare(to);
    const recon = (first.a.recons as Array<Record<string, unknown>>).at(-1)!;
    const counts = (recon.summary as { counts: Record<string, number> }).counts;
    // the later date changed the findings: some new, some resolved
    expect(counts.new).toBeGreaterThan(0);
    expect(counts.resolved).toBeGreaterThan(0);
    expect(first.b).toEqual(first.a);

    const again: string[] = [];
    const later = new Date(at.getTime() + 3600_000);
    for (const db of [lite, to]) again.push(await runAt(later, ['reconcile', '--db', db, '--inventory', inventory, '--now', now, '--limit', '1000']));
    expect(again[0]).toMatch(/\(incremental;/);
    expect(again[1]).toEqual(again[0]);
    const second = compare(to);
    expect(second.b).toEqual(second.a);
  }, 120_000);

  it('report on both writes the same files', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const month = new Date(Date.now() + 200 * 86400_000).toISOString().slice(0, 7);
    const outs = [path.join(dir, 'out-lite'), path.join(dir, 'out-pg')];
    const at = new Date(Date.now() + 7200_000);
    const printed: string[] = [];
    for (const [i, db] of [lite, to].entries()) printed.push(await runAt(at, ['report', '--db', db, '--month', month, '--out', outs[i]!, '--organisation', 'Demo company']));
    expect(printed[1]!.replaceAll(outs[1]!, '<out>')).toEqual(printed[0]!.replaceAll(outs[0]!, '<out>'));
    // the reports ledger: the same row (the folder written aside)
    const a = openDb(lite, { readonly: true });
    const b = openDb(to, { readonly: true, postgres: true });
    try {
      const ledger = (db: Db) => rows(db, 'SELECT * FROM reports ORDER BY id').map((r) => ({ ...r, out_dir: null, files: JSON.parse(String(r.files)), summary: JSON.parse(String(r.summary)) }));
      expect(ledger(b)).toEqual(ledger(a));
    } finally { a.close(); b.close(); }
    const files = fs.readdirSync(outs[0]!).sort();
    expect(fs.readdirSync(outs[1]!).sort()).toEqual(files);
    for (const f of ['report.md', 'findings.csv', 'connectors.csv', 'report.json']) expect(files).toContain(f);
    for (const f of files) {
      if (f === 'manifest.json') {
        // the same files, hashes and inputs; only where the database is differs (a file path, a URL)
        const [a, b] = outs.map((o) => JSON.parse(fs.readFileSync(path.join(o, f), 'utf8')) as Record<string, unknown>);
        expect(b!.database_file).toMatch(/^postgres:\/\/[^:@]+@/);
        expect({ ...b, database_file: null }).toEqual({ ...a, database_file: null });
        continue;
      }
      const a = fs.readFileSync(path.join(outs[0]!, f));
      const b = fs.readFileSync(path.join(outs[1]!, f));
      if (!b.equals(a)) expect(b.toString('utf8'), f).toEqual(a.toString('utf8')); // a readable diff
      expect(b.equals(a), `${f} differs`).toBe(true);
    }
  }, 120_000);

  it('prune on both deletes the same rows and keeps the same graph', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    // a year on, keeping only that month: the history before the last report's runs goes, what reports and findings need stays
    const at = new Date(Date.now() + 400 * 86400_000);
    const dry = [await runAt(at, ['prune', '--db', lite, '--keep', '0', '--dry-run']), await runAt(at, ['prune', '--db', to, '--keep', '0', '--dry-run'])];
    const table = (text: string) => text.split('\n').filter((l) => !/ MB -> /.test(l)).join('\n'); // sizes differ
    expect(table(dry[1]!)).toEqual(table(dry[0]!));
    const done = [await runAt(at, ['prune', '--db', lite, '--keep', '0']), await runAt(at, ['prune', '--db', to, '--keep', '0'])];
    expect(table(done[1]!)).toEqual(table(done[0]!));
    expect(done[0]).toMatch(/deleted/);
    const deleted = [...done[0]!.matchAll(/^(\w+)\s+(\d+)$/gm)].reduce((n, m) => n + Number(m[2]), 0);
    expect(deleted).toBeGreaterThan(0);
    const a = openDb(lite, { readonly: true });
    const b = openDb(to, { readonly: true, postgres: true });
    try {
      for (const t of ['nodes', 'edges', 'change_log', 'runs', 'run_resources', 'findings', 'finding_observations', 'reconciliations', 'reports', 'reconcile_units']) {
        expect(b.prepare(`SELECT count(*) AS n FROM ${t}`).get(), t).toEqual(a.prepare(`SELECT count(*) AS n FROM ${t}`).get());
      }
      for (const v of GRAPH_VIEWS) expect(sameViewRows(v, a.prepare(`SELECT * FROM ${v}`).all() as never, b.prepare(`SELECT * FROM ${v}`).all() as never), v).toBeNull();
    } finally { a.close(); b.close(); }
  });

  it('orders missing values as SQLite does: NULLs first', async (ctx) => {
    const to = url(ctx);
    if (!to) return;
    const dbs = [openDb(lite, { mustExist: true }), openDb(to, { mustExist: true, postgres: true })];
    try {
      for (const db of dbs) {
        // copies of an open finding without provider and subject name, observed open by the latest reconciliation
        const recon = (db.prepare("SELECT max(id) AS id FROM reconciliations WHERE status = 'complete'").get() as { id: number }).id;
        const f = db.prepare("SELECT id FROM findings WHERE status IN ('new','persisting') ORDER BY id LIMIT 1").get() as { id: string };
        for (const [suffix, provider, subject] of [['a', null, null], ['b', null, 'zz'], ['c', 'github', null]] as const) {
          db.prepare(`INSERT INTO findings (id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title, evidence, remediation,
              owasp, nist, inventory_id, match_rule, owners, depends_on, status, first_seen_recon, last_seen_recon, first_seen_at, last_seen_at)
            SELECT id || ?, rule, family, severity, ?, tenant, subject_id, ?, connector_id, title, evidence, remediation,
              owasp, nist, inventory_id, match_rule, owners, depends_on, status, first_seen_recon, last_seen_recon, first_seen_at, last_seen_at FROM findings WHERE id = ?`)
            .run(`-${suffix}`, provider, subject, f.id);
          db.prepare("INSERT INTO finding_observations (recon_id, finding_id, severity, status) SELECT ?, id, severity, 'open' FROM findings WHERE id = ?").run(recon, `${f.id}-${suffix}`);
        }
      }
      const recon = (dbs[0]!.prepare("SELECT max(id) AS id FROM reconciliations WHERE status = 'complete'").get() as { id: number }).id;
      const order = (db: Db) => [...findingsOpenAt(db, recon)].map((r) => r.id);
      const [a, b] = dbs.map(order);
      expect(a!.filter((id) => /-[abc]$/.test(id)).map((id) => id.slice(-1))).toEqual(['a', 'b', 'c']); // NULL provider first, then NULL subject
      expect(b).toEqual(a);
    } finally { for (const db of dbs) db.close(); }
  });
});
