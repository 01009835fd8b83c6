// Issue 13 item 8: provider text cannot drive the terminal or forge output. Names planted with an OSC
// title sequence, a clear-screen sequence, a C1 CSI, a bidi override and a newline followed by a forged
// log line go through the real commands (query table/CSV/JSON, runs, reconcile), the crawl summary,
// the top-level error line and the text logger: no raw control character reaches stdout, stderr or a
// log line, no forged line appears, and the escapes stay visible.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { printSummary } from '../../src/cli/crawl.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { openDb } from '../../src/graph/db.ts';
import { createLogger } from '../../src/util/log.ts';
import { connector, crawlRun, entry } from '../reconcile/helpers.ts';

const exec = promisify(execFile);
const BIN = path.resolve('bin/nhi-census.js');
const dir = path.resolve('test/.tmp', `terminal-${process.pid}`);
const dbFile = path.join(dir, 'terminal.db');
const invFile = path.join(dir, 'inventory.yaml');

const FORGED = '2026-11-23T00:00:00.000Z INFO  crawl finished run=1 status=complete removed=0';
const TITLE = 'title\x1b]0;pwned\x07bot';
const CLEAR = 'clear\x1b[2Jscreen';
const C1 = 'csi\u009b2Jbot';
const RLO = 'invoice\u202Egpj.exe';
const FORGE = `slug\n${FORGED}`;
const ERROR = `boom\x1b[31m\r\n${FORGED}`;
const NAMES = [TITLE, CLEAR, C1, RLO, FORGE];

/** Any character a terminal acts on, except the newline our own formatting uses. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [BIN, ...args], { timeout: 60_000, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function expectInert(text: string): void {
  expect(text).not.toMatch(RAW);
  expect(text.split('\n').some((l) => l.startsWith(FORGED.slice(0, 24)))).toBe(false);
}

beforeAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const db = openDb(dbFile);
  const run = crawlRun(db, 'github', { apps: { nodes: NAMES.map((n, i) => connector('github', `app${i}`, {}, n)) } });
  db.prepare('UPDATE run_resources SET error = ? WHERE run_id = ?').run(ERROR, run);
  db.close();
  fs.writeFileSync(invFile, YAML.stringify({ version: 1, entries: [entry('approved-one')] }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('terminal output escapes control and bidi characters', () => {
  it('query as a table: one row per connector, escapes visible', async () => {
    const r = await cli(['query', 'select name from connectors order by id', '--db', dbFile]);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r.stdout);
    expect(r.stdout).toContain('title\\x1b]0;pwned\\x07bot');
    expect(r.stdout).toContain('clear\\x1b[2Jscreen');
    expect(r.stdout).toContain('csi\\x9b2Jbot');
    expect(r.stdout).toContain('invoice\\u202egpj.exe');
    expect(r.stdout).toContain('slug\\n2026-11-23');
    expect(r.stdout).toContain(`(${NAMES.length} rows)`);
  });

  it('query as CSV: one line per row, escapes visible, no formula cells', async () => {
    const r = await cli(['query', "select name, '=1+1' as f, -3 as n from connectors order by id", '--db', dbFile, '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r.stdout);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(NAMES.length + 1);
    expect(lines[1]).toBe("title\\x1b]0;pwned\\x07bot,'=1+1,-3");
  });

  it('query as JSON keeps the exact values (escaped the JSON way, C1 and bidi too)', async () => {
    const r = await cli(['query', 'select name from connectors order by id', '--db', dbFile, '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect((JSON.parse(r.stdout) as { name: string }[]).map((x) => x.name)).toEqual(NAMES);
  });

  it('runs --run N: the error column is escaped', async () => {
    const r = await cli(['runs', '--db', dbFile, '--run', '1']);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r.stdout);
    expect(r.stdout).toContain('boom\\x1b[31m\\r\\n2026');
    const csv = await cli(['runs', '--db', dbFile, '--run', '1', '-f', 'csv']);
    expectInert(csv.stdout);
  });

  it('reconcile: the summary and open-findings tables are escaped', async () => {
    const r = await cli(['reconcile', '--db', dbFile, '-i', invFile, '--log-format', 'text']);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r.stdout);
    expectInert(r.stderr);
    expect(r.stdout).toContain('title\\x1b]0;pwned\\x07bot');
  });

  it('the error line on stderr is escaped', async () => {
    const r = await cli(['query', `select "${CLEAR}" from nowhere\x1b]0;pwned\x07`, '--db', dbFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nhi-census: /);
    expectInert(r.stderr);
  });

  it('the crawl summary is escaped', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      printSummary({
        runId: 7, status: 'partial', durationMs: 1200, totals: { objects: 1, apiCalls: 2, notModified: 0, retries: 0, removed: 0 },
        resources: [{ provider: 'github', tenant: TITLE, resourceType: 'github.apps', status: 'failed', objects: 0, apiCalls: 1, notModified: 0, retries: 0,
          removed: 0, durationMs: 3, error: ERROR }],
      } as unknown as CrawlSummary);
      const text = write.mock.calls.map((c) => String(c[0])).join('');
      expectInert(text);
      expect(text).toContain('boom\\x1b[31m\\r\\n2026');
    } finally { write.mockRestore(); }
  });
});

describe('text logs escape control characters', () => {
  it('a value or message holding a newline stays on its line and cannot pose as more fields', () => {
    const lines: string[] = [];
    const log = createLogger({ format: 'text', write: (l) => lines.push(l) });
    log.error('listing failed', { parent: FORGE, title: TITLE, spoof: 'x removed=0', c1: C1, rlo: RLO });
    log.warn(`received ${CLEAR}`, { empty: '' });
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l).not.toMatch(RAW);
      expect(l).not.toContain('\n');
    }
    expect(lines[0]).toContain(` parent="slug\\n${FORGED.replaceAll('"', '\\"')}"`);
    expect(lines[0]).toContain(' title="title\\x1b]0;pwned\\x07bot"');
    expect(lines[0]).toContain(' spoof="x removed=0"');
    expect(lines[0]).toContain(' c1="csi\\x9b2Jbot"');
    expect(lines[0]).toContain(' rlo="invoice\\u202egpj.exe"');
    expect(lines[1]).toContain('received clear\\x1b[2Jscreen empty=""');
  });

  it('JSON logs keep exact values but write C1 and bidi controls as \\u escapes', () => {
    const lines: string[] = [];
    createLogger({ format: 'json', write: (l) => lines.push(l) }).info('x', { c1: C1, rlo: RLO });
    expect(lines[0]).not.toMatch(RAW);
    expect(JSON.parse(lines[0]!)).toMatchObject({ c1: C1, rlo: RLO });
  });
});
