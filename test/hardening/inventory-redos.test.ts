// Issue 13 item 7: an inventory name_pattern cannot hang reconcile. `^(a+)+$` against `aaaa…a!` backtracks
// exponentially in a backtracking engine; patterns run on a linear-time engine (RE2), unsupported syntax is
// refused at validation naming file:line:field, and over-long names are never pattern-matched.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/config/yaml-errors.ts';
import { openDb } from '../../src/graph/db.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { InventoryMatcher, MAX_PATTERN_INPUT } from '../../src/inventory/match.ts';
import { connector, crawlRun, entry, inventory } from '../reconcile/helpers.ts';

const dir = path.resolve('test/.tmp', `redos-${process.pid}`);
fs.mkdirSync(dir, { recursive: true });
const BIN = path.resolve('bin/nhi-census.js');

/** Spawns the CLI; kills it after `killAfterMs` (a backtracking regex never yields, so the test must not wait on it). */
function run(args: string[], killAfterMs: number): Promise<{ code: number | null; killed: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    let killed = false;
    const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, killAfterMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, killed, stderr }); });
  });
}

describe('inventory name_pattern: no catastrophic backtracking', () => {
  it('`^(a+)+$` against a 40-character name reconciles in well under a second', async () => {
    const dbFile = path.join(dir, 'redos.db');
    fs.rmSync(dbFile, { force: true });
    const db = openDb(dbFile);
    const evil = 'a'.repeat(39) + '!';
    crawlRun(db, 'github', { apps: { nodes: [connector('github', 'evil', {}, evil), connector('github', 'plain', {}, 'AAAA')] } });
    db.close();
    const inv = path.join(dir, 'redos-inventory.yaml');
    fs.writeFileSync(inv, YAML.stringify({ version: 1, entries: [entry('aaa', { match: { name_pattern: '^(a+)+$' } })] }));

    const r = await run(['reconcile', '--db', dbFile, '-i', inv], 30_000);
    expect(r.killed, 'reconcile was still running after 30 s').toBe(false);
    expect(r.code, r.stderr).toBe(0);
    const check = openDb(dbFile, { readonly: true });
    const recon = check.prepare("SELECT started_at, finished_at FROM reconciliations WHERE status = 'complete'").get() as { started_at: string; finished_at: string };
    const matches = check.prepare('SELECT connector_id, match_rule FROM inventory_matches').all();
    check.close();
    expect(Date.parse(recon.finished_at) - Date.parse(recon.started_at)).toBeLessThan(1000);
    // the pattern still means what it says: case-insensitive, anchored, 'AAAA' matches and 'aaa…a!' does not
    expect(matches).toEqual([{ connector_id: 'github:connector:plain', match_rule: 'name_pattern' }]);
  }, 60_000);

  it('matches only names up to the input cap: a longer name is not approved by a pattern', () => {
    const m = new InventoryMatcher(inventory([entry('x', { match: { name_pattern: '^legacy' } })]).inventory);
    const at = (name: string) => m.match({ id: 'github:connector:1', provider: 'github', name, props: {}, hosts: [] });
    expect(at('legacy ' + 'x'.repeat(MAX_PATTERN_INPUT - 7))?.rule).toBe('name_pattern');
    expect(at('legacy ' + 'x'.repeat(MAX_PATTERN_INPUT))).toBeNull();
  });

  it('refuses, at validation, pattern syntax the linear-time engine cannot run (backreferences, lookahead) and over-long patterns', () => {
    const errs = (pattern: string) => {
      try { parseInventory('inv.yaml', YAML.stringify({ entries: [entry('x', { match: { name_pattern: pattern } })] })); return []; }
      catch (e) { return (e as InputError).issues; }
    };
    expect(errs('^legacy reporting$')).toEqual([]);
    expect(errs('^(a+)+$')).toEqual([]);
    expect(errs('^(a)\\1$').join('\n')).toMatch(/inv\.yaml:\d+: entries\.0\.match\.name_pattern: .*(not supported|invalid)/);
    expect(errs('^(?=a)b').join('\n')).toMatch(/entries\.0\.match\.name_pattern: /);
    expect(errs('(['). join('\n')).toMatch(/entries\.0\.match\.name_pattern: /);
    expect(errs('a'.repeat(2000)).join('\n')).toMatch(/entries\.0\.match\.name_pattern: .*at most/);
  });
});
