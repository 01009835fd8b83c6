// Drives Debian's chromium (/usr/bin/chromium) with playwright-core for the report's browser test and
// the bench: a fresh profile, no network features, and a record of every request and console error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export interface PageVisit { requests: string[]; consoleErrors: string[]; pageErrors: string[]; loadMs: number }

export async function withChromium<T>(fn: (ctx: BrowserContext) => Promise<T>): Promise<T> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-report-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** Opens a file:// page, records requests and errors, optionally saves a full-page screenshot. */
export async function visit(ctx: BrowserContext, file: string, opts: { screenshot?: string; pdf?: string } = {}): Promise<PageVisit> {
  const page = await ctx.newPage();
  const v: PageVisit = { requests: [], consoleErrors: [], pageErrors: [], loadMs: 0 };
  page.on('request', (r) => v.requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') v.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => v.pageErrors.push(String(e)));
  const t0 = performance.now();
  await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
  v.loadMs = performance.now() - t0;
  if (opts.screenshot) await page.screenshot({ path: opts.screenshot, fullPage: true });
  if (opts.pdf) await page.pdf({ path: opts.pdf, format: 'A4', printBackground: true });
  await page.close();
  return v;
}

export type { Browser };
