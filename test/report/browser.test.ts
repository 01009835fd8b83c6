// report.html in a real headless Chromium (Debian's chromium, driven by playwright-core): the page loads
// from file:// with no console errors and no request other than itself, every collapsed section
// expands for print, and a screenshot is kept at test/.tmp/report.png for people to look at. A second report, of the
// reach fixture (test/reach/fixture.ts) plus an AI coding agent, shows the "Blast radius" chains and the AI-agents table.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../reports/write-report.ts';
import { buildFixture, ORG, type Fixture } from './fixture.ts';
import { CHROMIUM, visit, withChromium } from './chromium.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { openTestDb } from '../helpers/backends.ts';
import { writeFixture } from '../reach/fixture.ts';
import { connector, crawlRun, inventory, NOW, withScopes } from '../reconcile/helpers.ts';

let fx: Fixture;
let html: string;
let reachHtml: string;
beforeAll(async () => {
  fx = await buildFixture();
  const r = writeReport(fx.db, fx.outDir, { month: '2026-11', organisation: ORG, now: new Date('2026-11-21T08:00:00Z') });
  html = r.files.find((f) => f.name === 'report.html')!.path;
  const db = openTestDb();
  writeFixture(db);
  crawlRun(db, 'github', { installs: withScopes(connector('github', 'i-claude', { app_slug: 'claude' }, 'claude'), ['contents:write']) }, { tenant: 'acme-agents' });
  reconcile(db, inventory([]), { now: NOW });
  const now = new Date();
  reachHtml = writeReport(db, `${fx.outDir}-reach`, { month: now.toISOString().slice(0, 7), organisation: ORG, now }).files.find((f) => f.name === 'report.html')!.path;
  db.close();
});
afterAll(() => fx?.db.close());

describe('report.html in headless Chromium', () => {
  beforeAll(() => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this`);
  });

  it('loads offline with no console errors and no network requests; screenshot and PDF are written', async () => {
    const shot = path.resolve('test/.tmp/report.png');
    const pdf = path.resolve('test/.tmp/report.pdf');
    const v = await withChromium((ctx) => visit(ctx, html, { screenshot: shot, pdf }));
    expect(v.consoleErrors).toEqual([]);
    expect(v.pageErrors).toEqual([]);
    expect(v.requests).toEqual(['file://' + html]);
    expect(fs.statSync(shot).size).toBeGreaterThan(50_000);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('renders the summary cards, charts and tables, expands <details> when printing, and draws the blast radius and AI agents', async () => {
    await withChromium(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto('file://' + html);
      expect(await page.locator('.card').count()).toBeGreaterThanOrEqual(6);
      expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('script').count()).toBe(0);
      const owner = page.locator('details.owner table').first();
      expect(await owner.isVisible()).toBe(false);
      await page.emulateMedia({ media: 'print' });
      expect(await owner.isVisible()).toBe(true);

      // the blast-radius chains and the AI-agents table (same browser: a launch is most of this test's time)
      const v = await visit(ctx, reachHtml);
      expect(v.consoleErrors).toEqual([]);
      expect(v.requests).toEqual(['file://' + reachHtml]);
      const reach = await ctx.newPage();
      await reach.goto('file://' + reachHtml);
      const chains = reach.locator('#blast-radius ~ .blast svg.chain');
      expect(await chains.count()).toBeGreaterThanOrEqual(3);
      // drawn, not collapsed: each chain has its boxes and a visible width
      const box = await chains.first().boundingBox();
      expect(box!.width).toBeGreaterThan(200);
      expect(await chains.first().locator('rect').count()).toBeGreaterThanOrEqual(2);
      expect(await reach.locator('table.agents tbody tr').count()).toBe(1);
      expect(await reach.locator('table.agents tbody tr td.name').first().innerText()).toContain('claude');
    });
  });
});
