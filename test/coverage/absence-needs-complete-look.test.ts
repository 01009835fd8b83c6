// Issue 14, "what happens today" (b): with Slack's users.list answering missing_scope and team.integrationLogs
// not_an_admin (no Slack app can be seen at all), and Google's users.list refused (so no user's OAuth grants
// were read), reconcile raised approved-not-found for every Slack and Google OAuth entry of the inventory,
// advising owners to delete them. Absence is evidence only after a complete look: those entries are
// "not verifiable (coverage)" instead — recorded with the reconciliation and shown in the report beside each entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportModel } from '../../reports/model.ts';
import { renderHtml } from '../../reports/render-html.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import { configFromObject } from '../../src/config/config.ts';
import { executeCrawl } from '../../src/cli/crawl.ts';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import { loadInventory, type LoadedInventory } from '../../src/inventory/load.ts';
import { reconcile, type ReconcileSummary } from '../../src/reconcile/engine.ts';
import type { Fault } from '../../src/simulator/faults.ts';
import { startScenario } from '../../src/simulator/start-all.ts';
import { createLogger } from '../../src/util/log.ts';
import { buildGoogleScenario } from '../../scenarios/demo/google.ts';
import { buildSlackScenario } from '../../scenarios/demo/slack.ts';
import { NOW } from '../reconcile/helpers.ts';

type ProviderFault = Fault & { provider: string };
const FAULTS: ProviderFault[] = [
  { provider: 'slack', route: 'users.list', kind: 'status', status: 200, body: { ok: false, error: 'missing_scope', needed: 'users:read', provided: 'admin,team:read' } },
  { provider: 'slack', route: 'team.integrationLogs', kind: 'status', status: 200, body: { ok: false, error: 'not_an_admin' } },
  { provider: 'google', route: 'users', kind: 'status', status: 403, body: { error: { code: 403, message: 'Not Authorized to access this resource/api',
    errors: [{ message: 'Not Authorized to access this resource/api', domain: 'global', reason: 'forbidden' }] } } },
];

let db: Db;
let inv: LoadedInventory;
let summary: ReconcileSummary;
beforeAll(async () => {
  const specs = await loadConnectors();
  const sims = await startScenario({ name: 'refused', slack: buildSlackScenario(), google: buildGoogleScenario() }, specs, { faults: FAULTS });
  db = openDb(':memory:');
  try {
    const config = configFromObject({ database: ':memory:', providers: sims.providers }, specs, '(coverage test)');
    await executeCrawl({ config, db, log: createLogger({ format: 'json', level: 'error', write: () => {} }), env: { ...process.env, ...sims.env } });
  } finally { await sims.close(); }
  inv = loadInventory(DEMO_INVENTORY);
  summary = reconcile(db, inv, { now: NOW });
});
afterAll(() => db?.close());

const entriesNaming = (provider: string, key: string) => inv.inventory.entries.filter((e) => (e.match as Record<string, Record<string, unknown> | undefined>)[provider]?.[key] !== undefined);
const ledger = (provider: string) => Object.fromEntries((db.prepare('SELECT resource_type, status FROM run_resources WHERE provider = ?').all(provider) as Array<{ resource_type: string; status: string }>)
  .map((r) => [r.resource_type, r.status]));

describe('refused listings never make an approved connector look gone', () => {
  it('the refused listings are unsupported (and what fans out from them)', () => {
    expect(ledger('slack')).toMatchObject({ 'slack.users': 'unsupported', 'slack.integration_logs': 'unsupported', 'slack.bots': 'unsupported' });
    expect(ledger('google')).toMatchObject({ 'google.users': 'unsupported', 'google.oauth_tokens': 'unsupported', 'google.service_accounts': 'complete' });
  });

  it('raises no approved-not-found for Slack or Google', () => {
    const found = db.prepare("SELECT provider, subject_id FROM current_findings WHERE rule = 'approved-not-found'").all() as Array<{ provider: string }>;
    expect(found.filter((f) => f.provider === 'slack' || f.provider === 'google')).toEqual([]);
    expect(summary.byRule['approved-not-found']!.new).toBe(0);
  });

  it('records each such entry as not verifiable (coverage), naming the listings that did not complete', () => {
    const rowsNv = db.prepare('SELECT inventory_id, provider, reason FROM not_verifiable WHERE recon_id = ?').all(summary.reconId) as Array<{ inventory_id: string; provider: string; reason: string }>;
    const slackIds = entriesNaming('slack', 'app_id').map((e) => e.id).sort();
    expect(slackIds.length).toBeGreaterThanOrEqual(10);
    expect(rowsNv.filter((r) => r.provider === 'slack').map((r) => r.inventory_id).sort()).toEqual(slackIds);
    const slackReason = rowsNv.find((r) => r.provider === 'slack')!.reason;
    expect(slackReason).toContain('slack.users (unsupported)');
    expect(slackReason).toContain('slack.integration_logs (unsupported)');
    // Google OAuth clients come only from users' grants (refused); service accounts were listed completely
    const googleNv = rowsNv.filter((r) => r.provider === 'google').map((r) => r.inventory_id);
    const oauthOnly = entriesNaming('google', 'oauth_client_id').filter((e) => !(e.match as { google?: { service_account_email?: unknown } }).google?.service_account_email).map((e) => e.id);
    expect(oauthOnly.length).toBeGreaterThanOrEqual(10);
    for (const id of oauthOnly) expect(googleNv).toContain(id);
    expect(rowsNv.find((r) => r.provider === 'google')!.reason).toContain('google.oauth_tokens (unsupported)');
    expect(summary.notVerifiable).toBe(rowsNv.length);
  });

  it('the report says so beside each entry, and in the coverage notice', () => {
    const m = buildReportModel(db, { month: new Date().toISOString().slice(0, 7), organisation: 'Halcyon' });
    const slackEntry = entriesNaming('slack', 'app_id')[0]!;
    const item = m.notVerifiable.find((n) => n.inventoryId === slackEntry.id && n.provider === 'slack');
    expect(item).toMatchObject({ name: slackEntry.name, status: 'not verifiable (coverage)' });
    expect(m.warnings.some((w) => /approved inventory entr(y|ies) could not be verified/.test(w))).toBe(true);
    const md = renderMarkdown(m);
    const row = md.split('\n').find((l) => l.includes(slackEntry.name.replace(/([\\`*_{}[\]|~])/g, '\\$1')) && l.includes('not verifiable (coverage)'));
    expect(row, 'a Markdown row names the entry beside its status').toBeDefined();
    expect(renderHtml(m)).toContain('not verifiable (coverage)');
  });
});
