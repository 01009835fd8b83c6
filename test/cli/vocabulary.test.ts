// Issue 17 item 5: one CLI vocabulary — `-p/--provider` (repeatable, comma list) on every command that takes
// providers (`run --providers` kept as a hidden, deprecated alias), snake_case columns in every table and JSON
// output (`runs`), and duplicate column names kept (`a`, `a:1`) in every output format of `query`.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.ts';
import { openDb } from '../../src/graph/db.ts';
import { connector, crawlRun } from '../reconcile/helpers.ts';
import { runMain } from './run-main.ts';

const dir = path.resolve('test/.tmp', `vocabulary-${process.pid}`);
const dbFile = path.join(dir, 'nhi.db');
const config = path.join(dir, 'nhi-census.yaml');

beforeAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const db = openDb(dbFile);
  crawlRun(db, 'github', { 'github.apps': { nodes: [connector('github', 'app1')] } });
  db.close();
  fs.writeFileSync(config, `database: ${path.join(dir, 'cfg.db')}\nproviders:\n  slack: { teamId: T1, tokenEnv: NHI_TEST_UNSET_SLACK_TOKEN }\n  github: { orgs: [acme], tokenEnv: NHI_TEST_UNSET_GH_TOKEN }\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SNAKE = /^[a-z0-9]+(_[a-z0-9]+)*$/;

describe('-p/--provider everywhere', () => {
  it('every command that takes providers spells it -p, --provider <name...>; --providers is not shown', () => {
    const all = (c: Command): Command[] => c.commands.flatMap((s) => [s, ...all(s)]);
    const takers = all(buildProgram()).filter((c) => c.options.some((o) => /provider/.test(o.long ?? '')));
    expect(takers.map((c) => c.name()).sort()).toEqual(['crawl', 'reset-state', 'run', 'worker']);
    for (const c of takers) {
      const visible = c.options.filter((o) => /provider/.test(o.long ?? '') && !o.hidden);
      expect(visible.map((o) => o.flags), c.name()).toEqual(['-p, --provider <name...>']);
      expect(c.helpInformation(), c.name()).not.toContain('--providers');
    }
  });

  for (const [cmd, extra] of [['crawl', []], ['run', []]] as const) {
    it(`${cmd}: a comma list and a repeated -p name the same providers; an unknown one is exit 2 naming it`, async () => {
      for (const sel of [['-p', 'slack,gitlab'], ['-p', 'slack', '-p', 'gitlab'], ['--provider', 'gitlab']]) {
        const r = await runMain([cmd, '-c', config, '--db', path.join(dir, `${cmd}.db`), ...sel, ...extra]);
        expect(r.code, sel.join(' ')).toBe(2);
        expect(r.stderr).toMatch(/not configured: gitlab\b/);
        expect(r.stderr).not.toMatch(/slack/);
      }
      expect(fs.existsSync(path.join(dir, `${cmd}.db`))).toBe(false);
    });
  }

  it('run --providers still works (deprecated alias)', async () => {
    const r = await runMain(['run', '-c', config, '--db', path.join(dir, 'alias.db'), '--providers', 'gitlab']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not configured: gitlab\b/);
  });

  it('db reset-state takes -p with a comma list', async () => {
    const ok = await runMain(['db', 'reset-state', '--db', dbFile, '-p', 'github,slack']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/github, slack/);
    const bad = await runMain(['db', 'reset-state', '--db', dbFile, '-p', 'github,gitlab']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown provider 'gitlab'/);
  });
});

describe('snake_case columns', () => {
  it('runs and runs --run N, as JSON, CSV and table', async () => {
    for (const extra of [[], ['--run', '1']]) {
      const j = await runMain(['runs', '--db', dbFile, '-f', 'json', ...extra]);
      expect(j.code, j.stderr).toBe(0);
      const rows = JSON.parse(j.stdout) as Array<Record<string, unknown>>;
      expect(rows.length).toBeGreaterThan(0);
      for (const k of Object.keys(rows[0]!)) expect(k, extra.join(' ')).toMatch(SNAKE);
      const c = await runMain(['runs', '--db', dbFile, '-f', 'csv', ...extra]);
      for (const k of c.stdout.split('\n')[0]!.split(',')) expect(k).toMatch(SNAKE);
      const t = await runMain(['runs', '--db', dbFile, ...extra]);
      for (const k of t.stdout.split('\n')[0]!.split(/\s+/).filter(Boolean)) expect(k).toMatch(SNAKE);
    }
    const res = JSON.parse((await runMain(['runs', '--db', dbFile, '--run', '1', '-f', 'json'])).stdout)[0];
    expect(res).toMatchObject({ provider: 'github', resource_type: 'github.apps', api_calls: 1, listings_failed: 0 });
  });
});

describe('query keeps duplicate column names', () => {
  const SQL = 'select 1 as a, 2 as a, 3 as b, 4 as a';
  it('json', async () => {
    const r = await runMain(['query', SQL, '--db', dbFile, '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ a: 1, 'a:1': 2, b: 3, 'a:2': 4 }]);
    expect(Object.keys(JSON.parse(r.stdout)[0])).toEqual(['a', 'a:1', 'b', 'a:2']);
  });
  it('csv', async () => {
    const r = await runMain(['query', SQL, '--db', dbFile, '-f', 'csv']);
    expect(r.stdout.trim()).toBe('a,a:1,b,a:2\n1,2,3,4');
  });
  it('table', async () => {
    const r = await runMain(['query', SQL, '--db', dbFile]);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['a  a:1  b  a:2', '-  ---  -  ---', '1  2    3  4']);
  });
  it('a name that is already taken is not reused, and column order is kept for numeric names', async () => {
    const r = await runMain(['query', 'select 1 as "a:1", 2 as a, 3 as a, 4 as "2"', '--db', dbFile, '-f', 'csv']);
    expect(r.stdout.trim()).toBe('a:1,a,a:2,2\n1,2,3,4');
  });
});
