// Issue 13 items 9 and 10: hostile names in the monthly report. A right-to-left override (U+202E) in a
// name must not reverse the report's own sentence around it (checked by where headless Chromium lays out
// each character), and is neutralised in Markdown and CSV; four 1 MB names must not make report.html
// megabytes long or the page millions of pixels wide — displayed strings are capped at 200 characters
// and wrap, while report.json and the CSVs keep the full value.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeReport } from '../../reports/write-report.ts';
import type { Db } from '../../src/graph/db.ts';
import { CHROMIUM, withChromium } from './chromium.ts';
import { connector, smallGraph } from './small-graph.ts';

const RLO = 'invoice\u202Egpj.exe';
const RLO_OWNER = 'mal\u202Eory';
/** A right-to-left name with no control character at all: only isolation keeps " — 1 finding" after it in order. */
const ARABIC_OWNER = '\u0645\u0631\u062d\u0628\u0627';
const LONG = [1, 2, 3, 4].map((i) => `long${i}-` + 'x'.repeat(1_000_000));
const SUFFIX = ' is not in the approved inventory';
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const outDir = path.resolve('test/.tmp', `bidi-caps-${process.pid}`);
let db: Db;
const read = (name: string) => fs.readFileSync(path.join(outDir, name), 'utf8');
const longestRun = (text: string) => Math.max(0, ...(text.match(/x{100,}/g) ?? []).map((r) => r.length));

beforeAll(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
  const names = [RLO, ...LONG, 'plain-app'];
  db = smallGraph({
    connectors: names.map((n, i) => connector(`github:app_installation:${i}`, n)),
    findings: names.map((n, i) => ({
      id: `f${i}`, family: 'inventory', severity: 'high', subject: `github:app_installation:${i}`, title: `Connector ${n}${SUFFIX}`,
      evidence: { app: n }, owners: [i === 0 ? RLO_OWNER : i === names.length - 1 ? ARABIC_OWNER : n], remediation: `Approve ${n} or remove it.`,
    })),
  });
  writeReport(db, outDir, { month: '2026-11', organisation: 'Acme', now: new Date('2026-11-12T00:00:00Z') });
});
afterAll(() => { db?.close(); fs.rmSync(outDir, { recursive: true, force: true }); });

describe('report: bidi controls are neutralised', () => {
  it('Markdown and CSV carry no raw bidi control, and show it as a visible escape', () => {
    for (const name of ['report.md', 'findings.csv', 'connectors.csv']) expect(read(name), name).not.toMatch(BIDI);
    expect(read('report.md')).toContain('invoice\\\\u202egpj.exe');
    expect(read('findings.csv')).toContain('invoice\\u202egpj.exe');
  });

  it('report.json keeps the exact value', () => {
    const json = JSON.parse(read('report.json')) as { findings: { connector: string; owners: string[] }[] };
    expect(json.findings.map((f) => f.connector)).toContain(RLO);
    expect(json.findings.flatMap((f) => f.owners)).toContain(RLO_OWNER);
  });
});

describe('report: long names are capped for display, kept in full as data', () => {
  it('report.html and report.md stay small: a name shows at most 200 characters, a sentence embedding one 300', () => {
    const shownNames = { 'report.html': /<bdi>long\d-(x+)…<\/bdi>/g, 'report.md': /\| long\d-(x+)… \|/g };
    for (const [name, re] of Object.entries(shownNames)) {
      const text = read(name);
      expect(fs.statSync(path.join(outDir, name)).size, name).toBeLessThan(1_000_000);
      const names = [...text.matchAll(re)].map((m) => 'long1-'.length + m[1]!.length + 1);
      expect(names.length, name).toBeGreaterThanOrEqual(LONG.length);
      expect(Math.max(...names), name).toBe(200);
      expect(longestRun(text), name).toBeLessThanOrEqual(300);
    }
  });

  it('report.json and the CSVs keep the full 1 MB value', () => {
    const json = JSON.parse(read('report.json')) as { findings: { connector: string }[] };
    expect(json.findings.map((f) => f.connector)).toEqual(expect.arrayContaining(LONG));
    expect(longestRun(read('findings.csv'))).toBe(1_000_000);
    expect(longestRun(read('connectors.csv'))).toBe(1_000_000);
  });
});

/**
 * Where Chromium draws each character of `text` (the first text node holding it, in an element matching
 * `selector` whose text includes `near`): the number of neighbouring characters on one line, and how
 * many of them run right to left.
 */
async function layoutOf(page: Page, selector: string, near: string, text: string): Promise<{ pairs: number; backwards: number }> {
  // runs in the page (this project compiles without the DOM library, so the page code is a string)
  return page.evaluate(`((sel, nearby, wanted) => {
    for (const el of document.querySelectorAll(sel)) {
      if (!el.textContent.includes(nearby)) continue;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(wanted);
        if (at < 0) continue;
        const rects = [];
        for (let i = at; i < at + wanted.length; i++) {
          const r = document.createRange();
          r.setStart(node, i); r.setEnd(node, i + 1);
          rects.push(r.getBoundingClientRect());
        }
        let pairs = 0; let backwards = 0;
        for (let i = 1; i < rects.length; i++) {
          if (Math.abs(rects[i].top - rects[i - 1].top) > 2 || !rects[i].width || !rects[i - 1].width) continue;
          pairs++;
          if (rects[i].left < rects[i - 1].left) backwards++;
        }
        return { pairs, backwards };
      }
    }
    return { pairs: 0, backwards: 0 };
  })(${JSON.stringify(selector)}, ${JSON.stringify(near)}, ${JSON.stringify(text)})`);
}

describe('report.html in headless Chromium: hostile names cannot reorder or widen the page', () => {
  beforeAll(() => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this`);
  });

  it('the text after a right-to-left override or a right-to-left name reads left to right, and the name shows the override', async () => {
    await withChromium(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto('file://' + path.join(outDir, 'report.html'));
      // the finding's sentence after the name, and the owner heading after the owner's name
      const title = await layoutOf(page, '#findings ~ table td', 'invoice', SUFFIX);
      expect(title.pairs).toBeGreaterThan(10);
      expect(title.backwards).toBe(0);
      const owner = await layoutOf(page, 'details.owner > summary', 'mal', ' — 1 finding');
      expect(owner.pairs).toBeGreaterThan(5);
      expect(owner.backwards).toBe(0);
      const rtl = await layoutOf(page, 'details.owner > summary', ARABIC_OWNER, ' — 1 finding');
      expect(rtl.pairs).toBeGreaterThan(5);
      expect(rtl.backwards).toBe(0);
      const shown = await page.locator('td.name').allInnerTexts();
      expect(shown.some((t) => t.includes('invoice\\u202egpj.exe'))).toBe(true);
      expect(shown.join('')).not.toMatch(BIDI);
    });
  });

  it('1 MB names wrap: the page and the findings table stay within the window', async () => {
    await withChromium(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto('file://' + path.join(outDir, 'report.html'));
      const widths = await page.evaluate<{ page: number; tables: number[] }>(`({
        page: document.documentElement.scrollWidth,
        tables: Array.from(document.querySelectorAll('table')).map((t) => t.scrollWidth),
      })`);
      expect(widths.page).toBeLessThanOrEqual(1280);
      expect(Math.max(...widths.tables)).toBeLessThan(1280);
    });
  });
});
