// The nhi-census binary as users run it: demo, query (read-only), runs, --help, exit codes.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.ts';

const exec = promisify(execFile);
const bin = path.resolve('bin/nhi-census.js');
const db = path.resolve('test/.tmp', `cli-${process.pid}.db`);

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('nhi-census CLI', () => {
  beforeAll(async () => {
    // its own report folder: another test's demo (another database) may own ./reports-out, which is never overwritten
    const r = await cli(['demo', '--db', db, '--out', path.resolve('test/.tmp', `cli-${process.pid}-out`), '--log-format', 'json']);
    expect(r.stderr).toContain('"msg":"crawl finished"');
    expect([0, 5]).toContain(r.code);
  }, 180_000);

  it('query answers from the graph in table, csv and json', async () => {
    const t = await cli(['query', "select provider, count(*) as n from connectors where provider = 'github' group by provider", '--db', db]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/provider\s+n\n-+\s+-+\ngithub\s+\d+/);
    const j = await cli(['query', "select count(*) as n from nodes where type = 'github.repository'", '--db', db, '--format', 'json']);
    expect(JSON.parse(j.stdout)).toEqual([{ n: 42 }]);
    const c = await cli(['query', "select name from nodes where type = 'github.organization'", '--db', db, '-f', 'csv']);
    expect(c.stdout.trim()).toBe('name\nHalcyon Logistics');
  });

  it('query refuses to write, with exit code 2', async () => {
    const r = await cli(['query', 'delete from nodes', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/read-only|readonly/i);
    const n = await cli(['query', 'select count(*) as n from nodes', '--db', db, '-f', 'json']);
    expect(JSON.parse(n.stdout)[0].n).toBeGreaterThan(100);
  });

  it('query into a pipe that closes early (| head) exits 0 without a stack trace', async () => {
    const child = spawn(process.execPath, [bin, 'query', 'select * from nodes, (select 1 union all select 2 union all select 3)', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    child.stdout.once('data', () => child.stdout.destroy()); // the reader has what it wanted
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });

  it('runs shows the ledger', async () => {
    const r = await cli(['runs', '--db', db, '-f', 'json']);
    const runs = JSON.parse(r.stdout) as Array<{ status: string; api_calls: number }>;
    expect(runs[0]!.status).toBe('complete');
    expect(runs[0]!.api_calls).toBeGreaterThan(100);
    const res = await cli(['runs', '--db', db, '--run', String((JSON.parse(r.stdout)[0] as { run: number }).run), '-f', 'json']);
    expect((JSON.parse(res.stdout) as unknown[]).length).toBeGreaterThan(10);
  });

  it('every command has --help', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    const listed = [...top.stdout.matchAll(/^  (\w[\w-]*)(?: \[options\]| <)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(listed).toEqual(expect.arrayContaining(['crawl', 'query', 'runs', 'sim', 'demo']));
    // each sub-command's help, as --help prints it (in-process: spawning one node per command is slow)
    const program = buildProgram();
    const all = (cmd: Command): Command[] => cmd.commands.flatMap((c) => [c, ...all(c)]);
    for (const c of all(program)) {
      const text = c.helpInformation();
      expect(text, c.name()).toMatch(/^Usage: /);
      expect(c.description(), c.name()).not.toBe('');
    }
    expect(all(program).map((c) => c.name())).toEqual(expect.arrayContaining(listed));
    const one = await cli(['crawl', '--help']);
    expect(one.stdout).toMatch(/Usage: nhi-census crawl/);
    expect(one.stdout).toMatch(/Exit codes/);
  });

  it('a bad config exits 2 naming the file, line and field, and writes nothing', async () => {
    const cfg = path.resolve('test/.tmp', `bad-${process.pid}.yaml`);
    const target = path.resolve('test/.tmp', `never-${process.pid}.db`);
    fs.writeFileSync(cfg, `database: ${target}\nproviders:\n  github:\n    orgs: acme\n`);
    const r = await cli(['crawl', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:4: providers.github.orgs:`);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('a missing credential exits non-zero with the variable named and no partial write of that provider', async () => {
    const cfg = path.resolve('test/.tmp', `nocred-${process.pid}.yaml`);
    const target = path.resolve('test/.tmp', `nocred-${process.pid}.db`);
    fs.writeFileSync(cfg, `database: ${target}\nproviders:\n  github:\n    orgs: [acme]\n    tokenEnv: NHI_TEST_UNSET_TOKEN\n`);
    const r = await cli(['crawl', '--config', cfg, '--log-format', 'json'], { NHI_TEST_UNSET_TOKEN: '' });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('NHI_TEST_UNSET_TOKEN');
  });
});
