// `nhi-census query` with no statement: on a terminal an interactive prompt (driven here through injected
// streams), otherwise exit 2 with a message saying what to pass.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openDb } from '../../src/graph/db.ts';
import { injectPromptIo } from '../../src/cli/query-prompt.ts';

const dir = path.resolve('test/.tmp', `query-prompt-${process.pid}`);
const dbFile = path.join(dir, 'graph.db');
const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => { text += String(d); });
  return { stream, text: () => text };
}

async function session(lines: string[], opts: { isTTY?: boolean; historyFile?: string | null; args?: string[] } = {}) {
  const out = sink(); const err = sink();
  let stderr = '';
  const restore = injectPromptIo({ input: Readable.from(lines.map((l) => `${l}\n`)), output: out.stream, error: err.stream,
    isTTY: opts.isTTY ?? true, historyFile: opts.historyFile ?? null });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    const code = await main(['node', 'nhi-census', 'query', '--db', dbFile, ...(opts.args ?? [])]);
    return { code, out: out.text(), err: err.text(), stderr };
  } finally { restore(); e.mockRestore(); process.exitCode = undefined; }
}

describe('query: the interactive prompt', () => {
  beforeAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const db = openDb(dbFile, { noBackup: true });
    db.prepare(`insert into runs (id, started_at, status) values (1, '2026-12-01T00:00:00Z', 'complete')`).run();
    db.close();
  });

  it('runs statements (one line or several) with the query formatters, and the dot commands', async () => {
    const r = await session([
      '.tables', '.schema connectors', '.mode', 'select 1 as a, \'x\' as b;', '.mode csv', 'select 1 as a, \'x\' as b;',
      '.mode json', 'select', '  2 as n', ';', '.help', '.quit', 'select 7 as after_quit;',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^nhi-census query on .*graph\.db \(read-only\)/);
    expect(r.out).toMatch(/views: +.*\bconnectors\b.*\bcurrent_findings\b/);
    expect(r.out).toMatch(/tables: .*\bnodes\b/);
    expect(r.out).toContain('CREATE VIEW connectors AS');
    expect(r.out).toContain('mode: table');
    expect(r.out).toMatch(/a  b\n-  -\n1  x\n\(1 row\)/);
    expect(r.out).toContain('a,b\n1,x\n');
    expect(JSON.parse(/\[\s*\{[^\]]*\]/.exec(r.out)![0])).toEqual([{ n: 2 }]);
    expect(r.out).toContain('.schema NAME');
    expect(r.out).not.toContain('after_quit'); // nothing runs after .quit (a value alone could sit in the temp path)
  });

  it('a bad statement, a write, an unknown view or command is said on the error stream and the prompt goes on', async () => {
    const r = await session(['select * from nowhere;', 'delete from runs;', '.schema nothing', '.mode xml', '.frob', 'select count(*) as n from runs;']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/error: query: no such table: nowhere/);
    expect(r.err).toMatch(/error: query: .*read-?only/i);
    expect(r.err).toContain('error: no view or table named nothing');
    expect(r.err).toContain('error: usage: .mode table|csv|json');
    expect(r.err).toContain('error: unknown command .frob');
    expect(r.out).toMatch(/n\n-\n1\n\(1 row\)/);
  });

  it('keeps history across sessions in a 0600 file, secrets masked', async () => {
    const file = path.join(dir, 'history');
    await session([`select '${TOKEN}' as t;`, '.tables'], { historyFile: file });
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('.tables');
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain(TOKEN);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('without a terminal and without a statement: exit 2, saying what to pass (nothing read from stdin)', async () => {
    const r = await session(['select 1;'], { isTTY: false });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no SQL statement given/);
    expect(r.out).toBe('');
  });

  it('with a statement, the one-shot query is unchanged (no prompt, even on a terminal)', async () => {
    let stdout = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
    try {
      const r = await session(['select 5;'], { args: ['select 7 as n', '-f', 'json'] });
      expect(r.code).toBe(0);
      expect(r.out).toBe('');
    } finally { o.mockRestore(); }
    expect(JSON.parse(stdout)).toEqual([{ n: 7 }]);
  });
});
