// Issue 13 item 15: a typo never silently turns a feature off. Unknown keys anywhere in the config are
// refused with "did you mean …"; every command-line option is validated before anything is written; exit 2
// means nothing was written — no reconciliation row, and no empty database file either.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { openDb } from '../../src/graph/db.ts';
import { cli } from '../ops/helpers.ts';
import { inProcess } from './cli-in-process.ts';
import { connector, crawlRun, entry } from '../reconcile/helpers.ts';

const dir = path.resolve('test/.tmp', `unknown-keys-${process.pid}`);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
let n = 0;
const write = (config: unknown, name = `c${++n}.yaml`) => { const f = path.join(dir, name); fs.writeFileSync(f, YAML.stringify(config)); return f; };
const github = { orgs: ['acme'] };

async function issues(config: unknown): Promise<string[]> {
  try { loadConfig(write(config), await loadConnectors()); } catch (e) { return (e as InputError).issues; }
  return [];
}

/** A database with one crawl, and a valid inventory for it. */
function seeded(name: string): { db: string; inventory: string } {
  const db = path.join(dir, `${name}.db`);
  const d = openDb(db);
  crawlRun(d, 'github', { apps: { nodes: [connector('github', 'a1', { app_slug: 'acme' }, 'acme')] } });
  d.close();
  return { db, inventory: write({ version: 1, entries: [entry('acme')] }, `${name}-inventory.yaml`) };
}
const reconciliations = (db: string) => {
  const d = openDb(db, { readonly: true });
  try { return (d.prepare('SELECT count(*) AS n FROM reconciliations').get() as { n: number }).n; } finally { d.close(); }
};

describe('config: unknown keys are refused, with a suggestion', () => {
  it('top level: `inventroy:` and `alert:`', async () => {
    const errs = await issues({ inventroy: 'inventory.yaml', alert: { minSeverity: 'high' }, providers: { github } });
    expect(errs.join('\n')).toMatch(/c\d+\.yaml:1: inventroy: unknown key 'inventroy' — did you mean 'inventory'\?/);
    expect(errs.join('\n')).toMatch(/c\d+\.yaml:\d+: alert: unknown key 'alert' — did you mean 'alerts'\?/);
  });

  it('nested sections, provider blocks and provider names', async () => {
    const errs = (await issues({
      alerts: { slak: { webhookUrlEnv: 'X' } }, schedule: { fullCrawlEveryDay: 3 }, report: { dri: 'out' },
      providers: { github: { ...github, app: { appid: 1 } }, slak: {} },
    })).join('\n');
    expect(errs).toMatch(/alerts\.slak: unknown key 'slak' — did you mean 'slack'\?/);
    expect(errs).toMatch(/schedule\.fullCrawlEveryDay: unknown key 'fullCrawlEveryDay' — did you mean 'fullCrawlEveryDays'\?/);
    expect(errs).toMatch(/report\.dri: unknown key 'dri' — did you mean 'dir'\?/);
    expect(errs).toMatch(/providers\.github\.app\.appid: unknown key 'appid' — did you mean 'appId'\?/);
    expect(errs).toMatch(/providers\.slak: unknown provider 'slak' — did you mean 'slack'\?/);
  });

  it('a key with no close match lists the known ones', async () => {
    const errs = (await issues({ frobnicate: 1, providers: { github } })).join('\n');
    expect(errs).toMatch(/frobnicate: unknown key 'frobnicate' \(known: .*database.*inventory.*\)/);
  });

  it('`run` with `inventroy:` exits 2 and creates no database', async () => {
    const db = path.join(dir, 'typo.db');
    const r = await cli(['run', '-c', write({ database: db, inventroy: 'x.yaml', providers: { github } })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean 'inventory'/);
    expect(fs.existsSync(db)).toBe(false);
  });
});

describe('options are validated before anything is written', () => {
  it('`reconcile --limit abc` on a new path: exit 2, no database file', async () => {
    const db = path.join(dir, 'new.db');
    const r = await cli(['reconcile', '--limit', 'abc', '--db', db, '-i', seeded('limit-new').inventory]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--limit/);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('`reconcile --limit abc` on an existing database: exit 2, no reconciliation written', async () => {
    const s = seeded('limit-existing');
    const r = await cli(['reconcile', '--limit', 'abc', '--db', s.db, '-i', s.inventory]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/datatype mismatch/);
    expect(reconciliations(s.db)).toBe(0);
    for (const bad of [['--wait', 'soon'], ['--limit', '-3'], ['--limit', '1.5'], ['--limit', ''], ['--fail-on', 'urgent']]) {
      expect((await inProcess(['reconcile', ...bad, '--db', s.db, '-i', s.inventory])).code, bad.join(' ')).toBe(2);
    }
    expect(reconciliations(s.db)).toBe(0);
    // and the same command with good options does write one
    expect((await inProcess(['reconcile', '--limit', '5', '--db', s.db, '-i', s.inventory])).code).toBe(0);
    expect(reconciliations(s.db)).toBe(1);
  });

  it('unknown --log-format / --log-level values are refused', async () => {
    const s = seeded('log-options');
    const spawned = await cli(['--log-format', 'xml', 'reconcile', '--db', s.db, '-i', s.inventory]);
    expect(spawned.code).toBe(2);
    expect(spawned.stderr).toMatch(/--log-format.*'xml' is invalid/);
    for (const bad of [['--log-level', 'verbose'], ['--log-level', 'INFO '], ['--log-format', 'JSON']]) {
      const r = await inProcess([...bad, 'reconcile', '--db', s.db, '-i', s.inventory]);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.message).toMatch(new RegExp(bad[0]!));
    }
    expect(reconciliations(s.db)).toBe(0);
  });

  it('other commands: numbers, formats and providers are checked first; no database is created or changed', async () => {
    const db = path.join(dir, 'other.db');
    const cfg = write({ database: db, providers: { github: { ...github, baseUrl: 'http://127.0.0.1:9' } } });
    const s = seeded('other-existing');
    const before = fs.readFileSync(s.db);
    const bad: string[][] = [
      ['crawl', '-c', cfg, '--wait', 'abc'],
      ['crawl', '-c', cfg, '--provider', 'gitlab'],
      ['run', '-c', cfg, '--providers', 'gitlab'],
      ['runs', '--db', s.db, '--limit', 'x'],
      ['runs', '--db', s.db, '--run', 'latest'],
      ['runs', '--db', s.db, '--format', 'xml'],
      ['prune', '--keep', '3', '--wait', 'x', '--db', s.db],
      ['report', '--db', s.db, '--month', '2026-13', '--out', path.join(dir, 'reports')],
    ];
    for (const args of bad) {
      const r = await inProcess(args);
      expect(r.code, args.join(' ') + '\n' + r.message).toBe(2);
      expect(fs.existsSync(db), args.join(' ')).toBe(false);
    }
    // a database that does not exist is not bad input but no usable database (exit 7, docs/cli.md): not created either
    expect((await inProcess(['inventory', 'draft', '--db', db])).code).toBe(7);
    expect(fs.existsSync(db)).toBe(false);
    expect(fs.readFileSync(s.db).equals(before)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'reports'))).toBe(false);
  });
});
