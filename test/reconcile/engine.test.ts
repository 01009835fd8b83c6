// The reconciliation engine: stable finding ids and lifecycle (new / persisting / resolved) across
// runs, partial crawls never resolving findings or raising approved-but-not-found, framework references
// on every finding, --fail-on threshold, and the reconcile command's exit code. The engine's suites run on both
// backends (test/helpers/backends.ts); the command's on SQLite (on PostgreSQL: test/postgres/reconcile-report.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { main } from '../../src/cli/main.ts';
import { openDb } from '../../src/graph/db.ts';
import { openAtOrAbove, reconcile } from '../../src/reconcile/engine.ts';
import { prune } from '../../src/graph/retention.ts';
import { RULES } from '../../src/reconcile/rules/index.ts';
import { connector, crawlRun, entry, findings, inventory, memDb, merge, NOW, withScopes } from './helpers.ts';
import { describeBackends } from '../helpers/backends.ts';

const gh = (slug: string, scopes: string[]) => withScopes(connector('github', slug, { app_slug: slug }), scopes);

describeBackends('reconciliation engine', () => {
describe('the inventory each reconciliation used', () => {
  it('is stored once per inventory version, and inventory_entries still lists it per reconciliation', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: merge(gh('a', []), gh('b', [])) });
    const v1 = inventory([entry('a'), entry('b')]);
    const r1 = reconcile(db, v1, { now: NOW }).reconId;
    const r2 = reconcile(db, v1, { now: NOW }).reconId; // unchanged inventory: nothing new stored
    expect(db.prepare('SELECT count(*) AS n FROM inventory_version_entries').get()).toEqual({ n: 2 });
    const v2 = inventory([entry('a'), entry('b', { technical_owner: 'new@example.com' }), entry('c')]);
    const r3 = reconcile(db, v2, { now: NOW }).reconId;
    expect(db.prepare('SELECT count(*) AS n FROM inventory_version_entries').get()).toEqual({ n: 5 });
    const perRecon = db.prepare('SELECT recon_id, id, technical_owner FROM inventory_entries ORDER BY recon_id, id').all();
    expect(perRecon).toEqual([
      { recon_id: r1, id: 'a', technical_owner: 'tech@example.com' }, { recon_id: r1, id: 'b', technical_owner: 'tech@example.com' },
      { recon_id: r2, id: 'a', technical_owner: 'tech@example.com' }, { recon_id: r2, id: 'b', technical_owner: 'tech@example.com' },
      { recon_id: r3, id: 'a', technical_owner: 'tech@example.com' }, { recon_id: r3, id: 'b', technical_owner: 'new@example.com' },
      { recon_id: r3, id: 'c', technical_owner: 'tech@example.com' },
    ]);
    expect(db.prepare('SELECT inventory_id, role, email FROM inventory_owners WHERE inventory_id = ? ORDER BY role').all('b'))
      .toEqual([{ inventory_id: 'b', role: 'business', email: 'boss@example.com' }, { inventory_id: 'b', role: 'technical', email: 'new@example.com' }]);
  });

  it('prune drops an inventory version no kept reconciliation uses', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: gh('a', []) });
    // reconciliations are stamped with the real clock: date the first two back into July
    const dated = (daysBack: number, inv: ReturnType<typeof inventory>) => {
      const id = reconcile(db, inv, { now: NOW }).reconId;
      db.prepare('UPDATE reconciliations SET started_at = ? WHERE id = ?').run(new Date(NOW.getTime() - daysBack * 86_400_000).toISOString(), id);
    };
    dated(125, inventory([entry('a', { name: 'older name' })]));
    dated(124, inventory([entry('a', { name: 'old name' })])); // the last of that month: kept
    dated(0, inventory([entry('a')]));
    expect(db.prepare('SELECT count(*) AS n FROM inventory_version_entries').get()).toEqual({ n: 3 });
    const r = prune(db, { keepMonths: 1, now: NOW });
    expect(r.deleted.inventory_version_entries).toBe(1);
    expect(db.prepare('SELECT name FROM inventory_version_entries ORDER BY name').all()).toEqual([{ name: 'a' }, { name: 'old name' }]);
    expect(db.prepare('SELECT name FROM inventory_entries ORDER BY recon_id').all()).toEqual([{ name: 'old name' }, { name: 'a' }]);
  });
});

describe('finding lifecycle', () => {
  it('keeps ids stable across reconciliations: new, then persisting, then resolved after a complete crawl', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: merge(gh('rogue', ['contents:write']), gh('ok', [])) });
    const inv = inventory([entry('ok')]);
    reconcile(db, inv, { now: NOW });
    const first = findings(db);
    expect(first.length).toBeGreaterThan(0);
    expect(new Set(first.map((f) => f.status))).toEqual(new Set(['new']));
    // recorded besides the open ones: the rogue app's "no owner known" and high-risk permission, folded into its
    // unapproved-connector finding (docs/reconcile.md "Subsumption")
    const recorded = (db.prepare('SELECT id FROM findings ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
    expect(db.prepare("SELECT rule FROM findings WHERE status = 'subsumed' ORDER BY rule").pluck().all()).toEqual(['high-risk-permission', 'orphaned-connector']);
    expect(recorded.length).toBe(first.length + 2);
    crawlRun(db, 'github', { apps: merge(gh('rogue', ['contents:write']), gh('ok', [])) });
    reconcile(db, inv, { now: NOW });
    const second = findings(db);
    expect(second.map((f) => f.id)).toEqual(first.map((f) => f.id));
    expect(new Set(second.map((f) => f.status))).toEqual(new Set(['persisting']));
    crawlRun(db, 'github', { apps: gh('ok', []) });
    const s = reconcile(db, inv, { now: NOW });
    expect(findings(db)).toEqual([]);
    expect(s.counts.resolved).toBe(recorded.length);
    const resolved = db.prepare("SELECT id, resolved_recon FROM findings WHERE status = 'resolved' ORDER BY id").all() as Array<{ id: string; resolved_recon: number }>;
    expect(resolved.map((r) => r.id)).toEqual(recorded);
    expect(resolved.every((r) => r.resolved_recon === s.reconId)).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM finding_observations').get()).toEqual({ n: recorded.length * 2 });
  });

  it('a partial crawl never resolves findings nor raises approved-but-not-found', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: merge(gh('rogue', ['administration:write']), gh('ok', [])) });
    const inv = inventory([entry('ok'), entry('elsewhere')]);
    reconcile(db, inv, { now: NOW });
    const before = findings(db).map((f) => f.id);
    expect(findings(db, 'approved-not-found').map((f) => f.subject_id)).toEqual(['inventory:elsewhere:github']);
    // the app listing fails: nothing is removed, nothing resolves, nothing new "not found"
    crawlRun(db, 'github', { apps: { status: 'failed' } });
    const s = reconcile(db, inventory([entry('ok'), entry('elsewhere'), entry('new-entry')]), { now: NOW });
    expect(s.counts.resolved).toBe(0);
    expect(findings(db).map((f) => f.id).sort()).toEqual([...before].sort());
    expect(findings(db, 'approved-not-found').map((f) => f.subject_id)).toEqual(['inventory:elsewhere:github']);
    expect(db.prepare("SELECT count(*) AS n FROM findings WHERE status = 'resolved'").get()).toEqual({ n: 0 });
    // a partial crawl where the app is really gone still resolves nothing
    crawlRun(db, 'github', { apps: { nodes: [], status: 'partial' } });
    expect(reconcile(db, inv, { now: NOW }).counts.resolved).toBe(0);
  });

  it('ids depend only on rule, subject and detail', () => {
    const a = memDb(); const b = memDb();
    crawlRun(a, 'github', { apps: gh('rogue', ['contents:write']) });
    crawlRun(b, 'github', { apps: merge(gh('rogue', ['contents:write']), gh('other', [])) });
    reconcile(a, inventory([]), { now: NOW });
    reconcile(b, inventory([]), { now: NOW });
    const ids = (db: typeof a) => new Set(findings(db).filter((f) => f.subject_id === 'github:connector:rogue').map((f) => f.id));
    expect(ids(a)).toEqual(ids(b));
  });

  it('every finding carries OWASP NHI 2025 ids, NIST CSF 2.0 subcategories, remediation and evidence', () => {
    for (const r of RULES) {
      expect(r.owasp.length, r.id).toBeGreaterThan(0);
      for (const o of r.owasp) expect(o, r.id).toMatch(/^NHI(10|[1-9]):2025$/);
      for (const n of r.nist) expect(n, r.id).toMatch(/^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$/);
      expect(r.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
    const db = memDb();
    crawlRun(db, 'github', { apps: gh('rogue', ['administration:write']) });
    reconcile(db, inventory([]), { now: NOW });
    const rows = db.prepare('SELECT owasp, nist, remediation, evidence, first_seen_at, last_seen_at FROM findings').all() as Array<{ owasp: string; nist: string; remediation: string; evidence: string }>;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) { expect(r.owasp).toMatch(/NHI/); expect(r.nist).toMatch(/\./); expect(r.remediation.length).toBeGreaterThan(10); expect(JSON.parse(r.evidence)).toBeTypeOf('object'); }
  });

  it('counts open findings at or above a threshold', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: gh('rogue', ['administration:write']) });
    reconcile(db, inventory([]), { now: NOW });
    expect(openAtOrAbove(db, 'critical')).toBe(1);
    expect(openAtOrAbove(db, 'info')).toBe(findings(db).length);
  });
});
});

describe('nhi-census reconcile', () => {
  const dir = path.resolve('test/.tmp', `reconcile-cli-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  const dbFile = path.join(dir, 'g.db');
  const db = openDb(dbFile);
  crawlRun(db, 'github', { apps: gh('rogue', ['administration:write']) });
  db.close();
  const invFile = path.join(dir, 'inv.yaml');
  fs.writeFileSync(invFile, YAML.stringify({ version: 1, entries: [entry('ok')] }));
  const quiet = async (argv: string[]) => {
    const w = process.stdout.write; const e = process.stderr.write;
    process.stdout.write = (() => true) as never; process.stderr.write = (() => true) as never;
    process.exitCode = undefined;
    try { return await main(['node', 'nhi-census', ...argv]); } finally { process.stdout.write = w; process.stderr.write = e; process.exitCode = undefined; }
  };

  it('exits 5 with --fail-on at or below the worst open finding, 0 above it or without it', async () => {
    expect(await quiet(['reconcile', '--db', dbFile, '-i', invFile, '--fail-on', 'high'])).toBe(5);
    expect(await quiet(['reconcile', '--db', dbFile, '-i', invFile])).toBe(0);
    expect(await quiet(['reconcile', '--db', dbFile, '-i', invFile, '--fail-on', 'bogus'])).toBe(2);
  });

  it('an invalid inventory exits 2 and writes nothing', async () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'version: 1\nentries:\n  - id: x\n    name: X\n');
    const count = () => { const d = openDb(dbFile, { readonly: true }); try { return d.prepare('SELECT (SELECT count(*) FROM reconciliations) + (SELECT count(*) FROM findings) AS n').get(); } finally { d.close(); } };
    const before = count();
    expect(await quiet(['reconcile', '--db', dbFile, '-i', bad])).toBe(2);
    expect(count()).toEqual(before);
  });
});
