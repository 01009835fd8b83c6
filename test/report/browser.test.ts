// report.html in a real headless Chromium (Debian's chromium, driven by playwright-core): the page loads
// from file:// with no console errors and no request other than itself, every collapsed section
// expands for print, and a screenshot is kept at test/.tmp/report.png for people to look at.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../reports/write-report.ts';
import { buildFixture, ORG, type Fixture } from './fixture.ts';
import { CHROMIUM, visit, withChromium } from './chromium.ts';

let fx: Fixture;
let html: string;
beforeAll(async () => {
  fx = await buildFixture();
  const r = writeReport(fx.db, fx.outDir, { month: '2026-11', organisation: ORG, now: new Date('2026-11-21T08:00:00Z') });
  html = r.files.find((f) => f.name === 'report.html')!.path;
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

  it('renders the summary cards, charts and tables, and expands <details> when printing', async () => {
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
    });
  });
});
