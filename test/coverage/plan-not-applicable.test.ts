// Issue 14, "what happens today" (c): a normal (non-Grid) Slack workspace got the red "coverage is
// incomplete" banner every month for the Enterprise-Grid-only listings. Those are `not_applicable` (the
// plan does not have the feature), distinct from `unsupported` (the token lacks a permission): the report
// shows them as an informational line, outside the red notice. A token that lacks a scope still gets the red notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportModel } from '../../reports/model.ts';
import { renderHtml } from '../../reports/render-html.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { loadInventory } from '../../src/inventory/load.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { buildSlackScenario } from '../../scenarios/demo/slack.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

const GRID_ONLY = ['slack.app_requests', 'slack.approved_apps', 'slack.restricted_apps', 'slack.workflows'];
const month = () => new Date().toISOString().slice(0, 7);

describe('a standalone Slack workspace (not Enterprise Grid)', () => {
  let c: SimCrawl;
  let run: CrawlSummary;
  beforeAll(async () => {
    const s = buildSlackScenario();
    expect(s.enterprise).toBeUndefined();
    c = await startSimCrawl('slack', s);
    run = await c.crawl();
  });
  afterAll(async () => { await c?.close(); });

  it('records the Grid-only listings as not_applicable, asking Slack nothing for them', () => {
    const ledger = rows<{ resource_type: string; status: string; error: string | null }>(c.db,
      'SELECT resource_type, status, error FROM run_resources WHERE run_id = ? ORDER BY resource_type', run.runId);
    for (const t of GRID_ONLY) {
      const r = ledger.find((x) => x.resource_type === t)!;
      expect(r.status, t).toBe('not_applicable');
      expect(r.error, t).toMatch(/Enterprise Grid/);
    }
    for (const r of ledger.filter((x) => !GRID_ONLY.includes(x.resource_type))) expect(r.status, r.resource_type).toBe('complete');
    expect(run.status).toBe('complete');
    expect(c.sim.log.filter((e) => e.route.startsWith('admin.'))).toEqual([]);
  });

  it('the report has no red notice for them, but an informational "not available on this plan" line', () => {
    reconcile(c.db, loadInventory(DEMO_INVENTORY));
    const m = buildReportModel(c.db, { month: month(), organisation: 'Halcyon' });
    expect(m.warnings.filter((w) => w.startsWith('slack'))).toEqual([]);
    expect(m.crawls[0]!.completeness).toBe('complete');
    const note = m.notes.find((n) => n.startsWith('slack'));
    expect(note).toMatch(/not available on this plan/);
    for (const t of GRID_ONLY) expect(note).toContain(t);
    const md = renderMarkdown(m);
    expect(md).not.toContain('Read this first');
    expect(md).toContain('not available on this plan');
    const html = renderHtml(m);
    expect(html).not.toContain('class="callout"');
    expect(html).toContain('not available on this plan');
  });
});

describe('the same workspace with a token that lacks a scope', () => {
  it('keeps the red notice for what the token cannot see, naming the scope, and the plan line for the rest', async () => {
    const s = buildSlackScenario();
    s.token.scopes = s.token.scopes.filter((x) => x !== 'admin');
    const c = await startSimCrawl('slack', s);
    try {
      await c.crawl();
      const m = buildReportModel(c.db, { month: month(), organisation: 'Halcyon' });
      const red = m.warnings.filter((w) => w.startsWith('slack'));
      expect(red).toHaveLength(1);
      expect(red[0]).toContain('slack.integration_logs');
      expect(red[0]).toMatch(/needs admin/);
      for (const t of GRID_ONLY) expect(red[0]).not.toContain(t);
      expect(m.notes.find((n) => n.startsWith('slack'))).toMatch(/not available on this plan/);
    } finally { await c.close(); }
  });
});
