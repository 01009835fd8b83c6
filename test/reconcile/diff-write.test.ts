// Findings written as a diff (issue 16): reconciling with the diff leaves exactly the findings and observations that
// rewriting every row does (the behaviour before; ReconcileOptions.rewriteAll), on the demo over two months and on a
// scaled synthetic graph with churn; and a re-reconcile of an unchanged graph writes no finding row — only the
// observation each finding gets per reconciliation. On both backends (test/helpers/backends.ts).
import { describe, expect, it } from 'vitest';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';
import type { Db } from '../../src/graph/db.ts';
import { sqlFor } from '../../src/graph/dialect.ts';
import type { GraphEdge, GraphNode } from '../../src/graph/model.ts';
import { loadInventory, type LoadedInventory } from '../../src/inventory/load.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { lastMonthScenario } from '../../scenarios/demo/last-month.ts';
import { copyTestDb, describeBackends, openTestDb } from '../helpers/backends.ts';
import { crawlScenario } from '../helpers/scenario-crawl.ts';
import { connector, crawlRun, credential, daysAgo, edge, entry, inventory, memDb, NOW, principal, withScopes, type Listing } from './helpers.ts';

/** A crawl run's wall-clock start (evidence of a scope change names it): the twins crawled at different moments. */
const wallClock = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, (t) => (Math.abs(Date.parse(t) - Date.now()) < 3_600_000 ? '<now>' : t));

/** Every finding column but the write bookkeeping (last_seen_*, content_hash) and wall-clock times. */
function state(db: Db): { findings: unknown[]; observations: unknown[] } {
  return {
    findings: (db.prepare(`SELECT id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title, evidence, remediation,
        owasp, nist, inventory_id, match_rule, owners, depends_on, attribution, status, subsumed_by, acceptance, first_seen_recon, resolved_recon
        FROM findings ORDER BY id`).all() as Array<{ evidence: string }>).map((r) => ({ ...r, evidence: wallClock(r.evidence) })),
    observations: db.prepare('SELECT recon_id, finding_id, severity, status, acceptance FROM finding_observations ORDER BY recon_id, finding_id').all(),
  };
}

/**
 * Counts rows inserted into or updated in `findings` from now on (SQLite: temporary triggers on this connection;
 * PostgreSQL: a trigger in the test's own database).
 */
function countFindingWrites(db: Db): () => number {
  db.exec(sqlFor(db, {
    sqlite: `CREATE TEMP TABLE IF NOT EXISTS finding_writes (n INTEGER NOT NULL); DELETE FROM finding_writes; INSERT INTO finding_writes VALUES (0);
    CREATE TEMP TRIGGER IF NOT EXISTS fw_ins AFTER INSERT ON main.findings BEGIN UPDATE finding_writes SET n = n + 1; END;
    CREATE TEMP TRIGGER IF NOT EXISTS fw_upd AFTER UPDATE ON main.findings BEGIN UPDATE finding_writes SET n = n + 1; END;`,
    postgres: `CREATE TABLE IF NOT EXISTS finding_writes (n INTEGER NOT NULL); DELETE FROM finding_writes; INSERT INTO finding_writes VALUES (0);
    CREATE OR REPLACE FUNCTION fw_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE finding_writes SET n = n + 1; RETURN NULL; END $$;
    DROP TRIGGER IF EXISTS fw ON findings; CREATE TRIGGER fw AFTER INSERT OR UPDATE ON findings FOR EACH ROW EXECUTE FUNCTION fw_count();`,
  }));
  return () => db.prepare('SELECT n FROM finding_writes').pluck().get() as number;
}

const GH_SCOPES = ['metadata:read', 'contents:read', 'contents:write', 'pull_requests:write', 'issues:read', 'administration:write', 'checks:write'];

/** A GitHub crawl of `n` connectors over `apps` apps (scopes, credentials, installers of whom some left); `churn` varies it. */
function scaledCrawl(db: Db, n: number, apps: number, churn = 0): void {
  const users: GraphNode[] = Array.from({ length: 100 }, (_, i) => principal('github', `u${i}`, { email: `p${i}@example.com`, status: i % 13 === churn % 13 ? 'disabled' : 'active' }));
  const listings: Listing[] = [];
  const edges: GraphEdge[] = [];
  const creds: GraphNode[] = [];
  for (let i = 0; i < n; i++) {
    if (churn && i % 17 === churn) continue; // removed since
    const app = i % apps;
    const scopes = [0, 1, 2].map((k) => GH_SCOPES[(k === 2 && (i + churn) % 25 === 0) ? GH_SCOPES.length - 1 : (i + k) % (GH_SCOPES.length - 2)]!);
    const c = connector('github', `c${i}`, { app_slug: `app-${app}`, created_at: daysAgo(i % 900), last_used_at: daysAgo((i + churn) % 200) }, `app-${app} #${i}`);
    listings.push(withScopes(c, [...new Set(scopes)]));
    edges.push(edge('INSTALLED_BY', c.id, `github:user:u${i % 100}`));
    if (i % 5 === 0) {
      const k = credential('github', `k${i}`, { credential_type: 'github_fine_grained_pat', created_at: daysAgo(i % 500), expires_at: i % 15 === 0 ? null : daysAgo(-(i % 400) + 30 - churn) });
      creds.push(k);
      edges.push(edge('HAS_CREDENTIAL', c.id, k.id));
    }
  }
  crawlRun(db, 'github', {
    'github.users': { nodes: users },
    'github.connectors': { nodes: [...listings.flatMap((l) => l.nodes ?? []), ...creds], edges: [...listings.flatMap((l) => l.edges ?? []), ...edges] },
  });
}

function scaledInventory(approvedUpTo: number, variant = 0): LoadedInventory {
  return inventory(Array.from({ length: approvedUpTo }, (_, a) => entry(`app-${a}`, {
    business_owner: `p${(a + variant) % 100}@example.com`, technical_owner: `p${(a + 1) % 100}@example.com`,
    approval_expires: a % 40 === variant ? '2026-01-01' : '2027-12-31', match: { github: { app_slug: `app-${a}` } },
    scopes: { github: GH_SCOPES.slice(0, a % 9 === 0 ? -3 : -2) }, ...(a % 30 === 0 ? { rotation_days: 180 } : {}) })));
}

/** Runs the same steps on two copies of a database: one reconciling as a diff, one rewriting every row; they must agree. */
function twins(a: Db, b: Db) {
  return (inv: LoadedInventory) => {
    const d = reconcile(a, inv, { now: NOW });
    const f = reconcile(b, inv, { now: NOW, rewriteAll: true });
    expect(d.counts).toEqual(f.counts);
    expect(d.byRule).toEqual(f.byRule);
    expect(state(a)).toEqual(state(b));
    return d;
  };
}

describeBackends('findings written as a diff', () => {

  it('the demo over two months: the same findings and observations as rewriting every row; a re-reconcile writes no finding row', async () => {
    const scenario = buildDemoScenario();
    const a = openTestDb();
    await crawlScenario(a, lastMonthScenario(scenario));
    const b = copyTestDb(a);
    const inv = loadInventory(DEMO_INVENTORY);
    const step = twins(a, b);
    step(inv);
    await crawlScenario(a, scenario);
    await crawlScenario(b, scenario);
    const second = step(inv);
    expect(second.counts.resolved + second.counts.new).toBeGreaterThan(0); // the month changed something
    const written = countFindingWrites(a);
    step(inv); // new -> persisting: status-only writes
    const third = step(inv);
    const observed = a.prepare('SELECT count(*) FROM finding_observations WHERE recon_id = ?').pluck().get(third.reconId) as number;
    expect(observed).toBeGreaterThan(20);
    expect(written()).toBe(second.counts.new); // only the new -> persisting status changes, once
  }, 120_000);

  it('a scaled graph with churn (removed connectors, scope and expiry changes, a new inventory version): identical findings', () => {
    const a = memDb(); const b = memDb();
    const step = twins(a, b);
    for (const db of [a, b]) scaledCrawl(db, 1500, 300);
    const first = step(scaledInventory(250));
    expect(first.counts.new).toBeGreaterThan(500);
    const writes = countFindingWrites(a);
    step(scaledInventory(250));
    const afterStatus = writes();
    expect(afterStatus).toBe(first.counts.new); // every finding persisted: its status only
    step(scaledInventory(250));
    expect(writes()).toBe(afterStatus); // unchanged graph and inventory: no finding row written
    for (const db of [a, b]) scaledCrawl(db, 1500, 300, 3);
    const churned = step(scaledInventory(240, 1));
    expect(churned.counts.resolved).toBeGreaterThan(0);
    expect(churned.counts.new).toBeGreaterThan(0);
    const changedRows = writes() - afterStatus;
    // only what changed is rewritten: far fewer rows than findings raised
    expect(changedRows).toBeGreaterThan(0);
    expect(changedRows).toBeLessThan(churned.counts.persisting + churned.counts.new + churned.counts.resolved);
    for (const db of [a, b]) scaledCrawl(db, 1500, 300, 5);
    step(scaledInventory(250));
  }, 120_000);
});
