// Incremental reconciliation (issue 16 item 5) judged against a full one, night after night: the demo company with
// the year-of-nights churn (apps tried and removed, permission changes, keys added and rotated, people joining and
// leaving), plus an inventory owner departing, an entry edited, and time jumping past dormancy, expiry and an
// acceptance's end. Each night the graph is crawled once, copied, and reconciled twice from the same state: the
// original incrementally, the copy with `full: true`. Findings (every column but timestamps), the night's
// observations, matches, not-verifiable rows and the summary must be identical — and most nights must really have
// been incremental, evaluating a fraction of the units. On both backends (test/helpers/backends.ts).
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { executeCrawl } from '../../src/cli/crawl.ts';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { Db } from '../../src/graph/db.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { reconcile, type ReconcileSummary } from '../../src/reconcile/engine.ts';
import { startScenario } from '../../src/simulator/start-all.ts';
import { createLogger } from '../../src/util/log.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { demoChurn } from '../../scenarios/demo/churn.ts';
import { describeBackends } from '../helpers/backends.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-11-23T02:00:00Z');
// day offsets of the nights: daily, then jumps past the dormancy window, expiries, and the demo acceptance (2027-05-31)
const NIGHTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 40, 41, 42, 200, 201, 202];
const log = createLogger({ format: 'json', level: 'error', write: () => {} });

const FINDING_COLUMNS = `id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title, evidence, remediation, owasp, nist,
  inventory_id, match_rule, owners, depends_on, attribution, status, subsumed_by, acceptance, content_hash, first_seen_recon, last_seen_recon, resolved_recon`;

function state(db: Db, reconId: number) {
  return {
    findings: db.prepare(`SELECT ${FINDING_COLUMNS} FROM findings ORDER BY id`).all(),
    observations: db.prepare('SELECT finding_id, severity, status, acceptance FROM finding_observations WHERE recon_id = ? ORDER BY finding_id').all(reconId),
    notVerifiable: db.prepare('SELECT rule, subject_id, subject_name, provider, inventory_id, reason FROM not_verifiable WHERE recon_id = ? ORDER BY rule, subject_id').all(reconId),
    matches: db.prepare('SELECT connector_id, inventory_id, match_rule, match_value FROM inventory_matches WHERE recon_id = ? ORDER BY connector_id').all(reconId),
  };
}
const summaryFacts = (s: ReconcileSummary) => ({ counts: s.counts, byRule: s.byRule, bySeverity: s.bySeverity, notVerifiable: s.notVerifiable,
  connectors: s.connectors, matched: s.matched, crawlRuns: s.crawlRuns });

describeBackends('incremental reconciliation', ({ openTestDb, copyTestDb }) => {
  const scenario = buildDemoScenario();
  const churn = demoChurn(scenario, 7);
  const inventoryText = fs.readFileSync(DEMO_INVENTORY, 'utf8');
  let sims: Awaited<ReturnType<typeof startScenario>>;
  let config: ReturnType<typeof configFromObject>;
  beforeAll(async () => {
    const specs = await loadConnectors();
    sims = await startScenario(scenario, specs);
    config = configFromObject({ database: ':memory:', providers: sims.providers }, specs, '(test)');
  });
  afterAll(async () => { await sims?.close(); });

  it('gives the findings a full reconciliation gives, every night, evaluating only what changed', async () => {
    const db = openTestDb();
    const modes: string[] = [];
    const evaluated: number[] = [];
    try {
      for (const [night, offset] of NIGHTS.entries()) {
        churn(night, START);
        let text = inventoryText;
        // night 4: an inventory owner leaves (suspended in Google); night 6: an entry's owner is edited in the inventory
        if (night >= 4) {
          const users = (scenario.google as { users: Array<{ primaryEmail: string; suspended?: boolean }> }).users;
          for (const u of users) if (u.primaryEmail.startsWith('linh.nguyen@')) u.suspended = true;
        }
        if (night >= 6) text = text.replace('technical_owner: jide.okafor@halcyon-logistics.com', 'technical_owner: maria.silva@halcyon-logistics.com');
        const inv = parseInventory(DEMO_INVENTORY, text);
        const crawl = await executeCrawl({ config, db, log, env: { ...process.env, ...sims.env }, mode: night % 7 === 0 ? 'full' : 'incremental' });
        expect(crawl.status).toBe('complete');
        const now = new Date(START + offset * DAY);
        const other = copyTestDb(db);
        const inc = reconcile(db, inv, { now });
        try {
          const full = reconcile(other, inv, { now, full: true });
          expect(full.mode).toBe('full');
          expect(summaryFacts(inc), `night ${night} (day ${offset}): summary`).toEqual(summaryFacts(full));
          const a = state(db, inc.reconId);
          const b = state(other, full.reconId);
          expect(a.findings, `night ${night}: findings`).toEqual(b.findings);
          expect(a.observations, `night ${night}: observations`).toEqual(b.observations);
          expect(a.notVerifiable, `night ${night}: not verifiable`).toEqual(b.notVerifiable);
          expect(a.matches, `night ${night}: matches`).toEqual(b.matches);
        } finally { other.close(); }
        modes.push(inc.mode);
        const units = db.prepare('SELECT count(DISTINCT unit) AS n FROM reconcile_units').get() as { n: number };
        const summary = JSON.parse((db.prepare('SELECT summary FROM reconciliations WHERE id = ?').get(inc.reconId) as { summary: string }).summary) as { unitsEvaluated?: number };
        if (inc.mode === 'incremental') evaluated.push(summary.unitsEvaluated! / units.n);
      }
    } finally { db.close(); }
    // the first night is full (nothing to compare with); the inventory edit makes night 6 full only if a match rule changed (it did not)
    expect(modes[0]).toBe('full');
    expect(modes.filter((m) => m === 'incremental').length).toBeGreaterThanOrEqual(NIGHTS.length - 3);
    // daily nights touch a fraction of the units (jumps of weeks or months may touch most: every day count ticks)
    expect(Math.min(...evaluated)).toBeLessThan(0.5);
  }, 240_000);
});
