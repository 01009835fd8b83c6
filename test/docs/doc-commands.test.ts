// Keeps the docs honest: every nhi-census command shown in a ```sh block of README.md, docs/*.md or
// docs/providers/*.md — and every statement of a ```sql block, through `nhi-census query` — runs against the demo database with exit 0 (in-process through main(), in a scratch
// folder where the demo database is `nhi-census.db`). Convention for doc authors: ```sh is runnable as shown
// on a machine that ran the demo; an example that needs your own organisation's credentials or config, a
// human step in between, or a synopsis with placeholders goes in a ```console block (not run).
// Other lines of a ```sh block must run a project tool (npm, node, npx: CI runs those itself); production paths
// (/var/lib/nhi-census/…) are mapped into the scratch folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../cli/run-main.ts';
import { docFiles, fencedBlocks, nhiCensusArgs, shellCommands } from './doc-blocks.ts';

const PROJECT_TOOLS = new Set(['npm', 'node', 'npx']);
const PATH_MAP: Array<[RegExp, (dir: string) => string]> = [[/^\/var\/lib\/nhi-census\//, (dir) => `${dir}/`]];

interface DocCommand { where: string; text: string; args: string[] }
const commands: DocCommand[] = [];
const strangers: string[] = [];
for (const file of docFiles()) {
  for (const block of fencedBlocks(file)) {
    if (block.lang === 'sql') {
      // each statement of a ```sql block runs through `nhi-census query`
      const sql = block.lines.map((l) => l.text.replace(/--.*$/, '')).join('\n');
      for (const stmt of sql.split(/;\s*(?:\n|$)/).map((t) => t.trim()).filter(Boolean)) {
        commands.push({ where: `${file}:${block.line} (sql)`, text: stmt, args: ['query', stmt, '-f', 'json'] });
      }
      continue;
    }
    if (!['sh', 'bash', 'shell'].includes(block.lang)) continue;
    for (const { line, text } of block.lines) {
      for (const words of shellCommands(text)) {
        const args = nhiCensusArgs(words);
        if (args) commands.push({ where: `${file}:${line}`, text: text.trim(), args });
        else if (!PROJECT_TOOLS.has(words[0]!)) strangers.push(`${file}:${line}: ${text.trim()}`);
      }
    }
  }
}

const scratch = path.resolve('test/.tmp', `doc-commands-${process.pid}`);
const home = process.cwd();


describe('commands shown in the docs', () => {
  beforeAll(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.mkdirSync(scratch, { recursive: true });
    process.chdir(scratch);
    const demo = await runMain(['demo', '--db', 'nhi-census.db', '--out', 'reports-out', '--log-format', 'json']);
    expect(demo.code, demo.stderr.slice(-2000)).toBe(0);
  }, 180_000);
  afterAll(() => { process.chdir(home); });

  it('the docs show commands to check, and every ```sh line is nhi-census or a project tool', () => {
    expect(commands.length).toBeGreaterThan(5);
    expect(strangers, 'move these to a ```console block, or run them through nhi-census').toEqual([]);
  });

  it.each(commands.map((c) => [c.where, c] as const))('%s', async (_where, c) => {
    const args = c.args.map((a) => PATH_MAP.reduce((v, [re, to]) => v.replace(re, to(scratch)), a));
    const r = await runMain(args);
    expect(r.code, `${c.where}: ${c.text}\n${r.stderr.slice(-1500)}`).toBe(0);
  });
});
