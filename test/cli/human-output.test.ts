// Issue 17 item 4: human output on a terminal. With stderr a terminal and no --log-format, logs are short
// human lines (level, provider, resource, message), coloured only on a terminal and never with NO_COLOR;
// otherwise JSON lines, as before. The progress bar never starts as a full bar at "0/0" (a spinner counts
// until listings are scheduled), and no log or progress line says `undefined` or `null`. The terminal is
// injected (main(argv, { stderrIsTTY, env })), so both sides run here.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgress } from '../../src/crawl/progress.ts';
import { createLogger } from '../../src/util/log.ts';
import { runMain } from './run-main.ts';

const dir = path.resolve('test/.tmp', `human-output-${process.pid}`);
const config = path.join(dir, 'nhi-census.yaml');
/** An SGR sequence (colour, bold, reset): what NO_COLOR and a pipe must never get. */
const SGR = /\x1b\[[0-9;]*m/;

beforeAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // a provider whose credential is not set: the crawl fails at once (exit 4) and logs why
  fs.writeFileSync(config, `database: ${path.join(dir, 'unused.db')}\nproviders:\n  slack: { teamId: T1, tokenEnv: NHI_TEST_UNSET_SLACK_TOKEN }\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function textLines(opts: { color?: boolean } = {}) {
  const lines: string[] = [];
  return { lines, log: createLogger({ format: 'text', level: 'debug', color: opts.color, write: (l) => lines.push(l) }) };
}

describe('text log lines', () => {
  it('level, provider, resource and message first; missing fields are left out, never `undefined` or `null`', () => {
    const { lines, log } = textLines();
    const rlog = log.child({ run: 3, provider: 'github', tenant: 'acme' }).child({ resource: 'github.deploy_keys' });
    rlog.error('listing failed', { parent: undefined, error: 'HTTP 500' });
    rlog.warn('duplicate ids in listing', { parent: null, ids: ['1'] });
    log.child({ provider: 'slack' }).info('simulator up', { url: 'http://127.0.0.1:1' });
    log.info('crawl finished', { run: 3, status: 'complete' });
    expect(lines[0]).toMatch(/^ERROR github\.deploy_keys: listing failed run=3 tenant=acme error="HTTP 500"$/);
    expect(lines[1]).toMatch(/^WARN  github\.deploy_keys: duplicate ids in listing run=3 tenant=acme ids=\["1"\]$/);
    expect(lines[2]).toBe('INFO  slack: simulator up url=http://127.0.0.1:1');
    expect(lines[3]).toBe('INFO  crawl finished run=3 status=complete');
    for (const l of lines) expect(l).not.toMatch(/undefined|null|parent=/);
  });

  it('a resource outside its provider\'s namespace is shown with the provider', () => {
    const { lines, log } = textLines();
    log.warn('x', { provider: 'github', resource: 'other' });
    expect(lines[0]).toBe('WARN  github other: x');
  });

  it('colour only when asked: the level is coloured, provider text stays escaped', () => {
    const plain = textLines();
    const coloured = textLines({ color: true });
    for (const { log } of [plain, coloured]) log.error('listing failed', { provider: 'github', resource: 'github.apps', parent: 'evil\x1b[2Jname' });
    expect(plain.lines[0]).not.toMatch(SGR);
    expect(coloured.lines[0]).toMatch(/^\x1b\[31mERROR\x1b\[0m github\.apps: listing failed/);
    expect(coloured.lines[0]).toContain('parent="evil\\x1b[2Jname"');
    expect(coloured.lines[0]!.replace(/\x1b\[(31|0)m/g, '')).not.toMatch(/\x1b/);
  });
});

describe('the progress bar', () => {
  function fakeTerminal() {
    let text = '';
    const stream = { isTTY: true, columns: 120, write: (s: string) => { text += s; return true; } };
    return { stream, text: () => text };
  }
  /** What the terminal shows on the bar's line: the last frame drawn. */
  const lastFrame = (t: string) => t.split(/\r|\x1b\[1G|\x1b\[\d*K|\x1b\[2K/).map((s) => s.replace(/\x1b\[[?0-9;]*[a-zA-Z]|\x1b[78]/g, '')).filter((s) => s.trim()).pop() ?? '';

  it('counts with a spinner until listings are scheduled, then shows real totals; never `0/0` or `undefined`', () => {
    const t = fakeTerminal();
    const p = createProgress({ tty: true, log: createLogger({ write: () => {} }), stream: t.stream });
    const first = lastFrame(t.text());
    expect(first).toMatch(/^crawl [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] starting/);
    expect(first).not.toMatch(/0\/0|█|undefined|null|\{\w+\}/);
    p.add(10);
    p.tick(3, { objects: 7, resource: 'github.apps' });
    p.stop();
    const last = lastFrame(t.text());
    expect(last).toMatch(/^crawl \[[█░]+\] 3\/10 listings \| 7 objects \| github\.apps$/);
    expect(t.text()).not.toMatch(/0\/0|undefined|null/);
    expect(t.text()).not.toMatch(SGR);
  });

  it('a log line written while the bar shows goes above it, not into it', () => {
    const t = fakeTerminal();
    const p = createProgress({ tty: true, log: createLogger({ write: () => {} }), stream: t.stream });
    p.add(4);
    const log = createLogger({ format: 'text', stream: t.stream });
    log.warn('resource unsupported', { provider: 'github', resource: 'github.apps' });
    p.stop();
    // the warning starts on a cleared line and ends with a newline, so the bar is redrawn below it
    expect(t.text()).toMatch(/\r\x1b\[2KWARN  github\.apps: resource unsupported\n/);
  });
});

describe('a crawl in-process: terminal or not', () => {
  const crawl = (io: { stderrIsTTY?: boolean; env?: NodeJS.ProcessEnv }, extra: string[] = []) =>
    runMain(['crawl', '-c', config, '--db', path.join(dir, `c-${Math.random().toString(36).slice(2)}.db`), ...extra], io);

  it('on a terminal: human lines, coloured, with a progress line; no JSON, no `undefined`', async () => {
    const r = await crawl({ stderrIsTTY: true, env: {} });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/\x1b\[31mERROR\x1b\[0m slack: could not build client run=\d+ tenant=T1 error=/);
    expect(r.stderr).not.toMatch(/^\{/m);
    expect(r.stderr).toMatch(/crawl /);
    expect(r.stderr).not.toMatch(/undefined|null|0\/0/);
  });

  it('on a terminal with NO_COLOR: the same lines, no colour', async () => {
    const r = await crawl({ stderrIsTTY: true, env: { NO_COLOR: '1' } });
    expect(r.stderr).toMatch(/ERROR slack: could not build client/);
    expect(r.stderr).not.toMatch(SGR);
    // NO_COLOR set but empty does not count (no-color.org)
    const empty = await crawl({ stderrIsTTY: true, env: { NO_COLOR: '' } });
    expect(empty.stderr).toMatch(SGR);
  });

  it('not a terminal: JSON lines that parse, no colour', async () => {
    const r = await crawl({ stderrIsTTY: false, env: {} });
    expect(r.code).toBe(4);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('could not build client');
    expect(r.stderr).not.toMatch(SGR);
  });

  it('--log-format text off a terminal: human lines, never coloured', async () => {
    const r = await crawl({ stderrIsTTY: false, env: {} }, ['--log-format', 'text']);
    expect(r.stderr).toMatch(/^ERROR slack: could not build client/m);
    expect(r.stderr).not.toMatch(SGR);
  });
});
