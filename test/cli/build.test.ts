// The compiled binary: bin/nhi-census.js runs a build (dist/, or NHI_CENSUS_DIST — the tests' own build of this
// run's sources, test/global-setup.ts), finds the package's files from it, says how to build when the build is
// missing, and warns in a clone when a source is newer than the build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/graph/db.ts';
import { selfCommand } from '../../src/cli/self-command.ts';

const BIN = path.resolve('bin/nhi-census.js');
const scratch = path.resolve('test/.tmp', `build-${process.pid}`);
const version = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string }).version;

function run(bin: string, args: string[], env: Record<string, string | undefined> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the compiled nhi-census binary', () => {
  it('runs the build made for this test run, compiled JavaScript only', () => {
    const dist = process.env.NHI_CENSUS_DIST;
    expect(dist, 'test/global-setup.ts builds the CLI and sets NHI_CENSUS_DIST').toBeTruthy();
    expect(fs.existsSync(path.join(dist!, 'src/cli/main.js'))).toBe(true);
    const files = fs.readdirSync(dist!, { recursive: true }).map(String);
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    // every file the core loads by listing connectors/<p>/ exists compiled
    for (const f of fs.readdirSync('connectors', { recursive: true }).map(String)) {
      if (/^[^/]+\/(index|catalogue|secret-patterns|remediation)\.ts$/.test(f)) expect(files).toContain(path.join('connectors', f.replace(/\.ts$/, '.js')));
    }
    const r = run(BIN, ['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('loads every provider\'s token formats from the build: a token in an error message is masked', () => {
    fs.mkdirSync(scratch, { recursive: true });
    const dbFile = path.join(scratch, 'empty.db');
    openDb(dbFile).close();
    const token = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
    const r = run(BIN, ['query', `select * from ${token}`, '--db', dbFile]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('no such table: [REDACTED]');
    expect(r.stderr).not.toContain(token);
  });

  it('says how to build when the build is missing', () => {
    fs.mkdirSync(path.join(scratch, 'empty'), { recursive: true });
    const r = run(BIN, ['--version'], { NHI_CENSUS_DIST: path.join(scratch, 'empty') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/src\/cli\/main\.js is missing: build it with `npm run build`/);
  });

  it('in a clone, warns when a source is newer than dist/, and not once rebuilt', () => {
    // a clone-shaped folder: bin/, dist/ (this run's build), src/ with one source file
    const clone = path.join(scratch, 'clone');
    fs.mkdirSync(path.join(clone, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(clone, 'src'), { recursive: true });
    fs.copyFileSync(BIN, path.join(clone, 'bin/nhi-census.js'));
    fs.cpSync(process.env.NHI_CENSUS_DIST!, path.join(clone, 'dist'), { recursive: true });
    const source = path.join(clone, 'src/edited.ts');
    fs.writeFileSync(source, 'export {};\n');
    const built = Date.now() / 1000 - 60;
    fs.utimesSync(path.join(clone, 'dist/BUILD'), built, built);
    const stale = run(path.join(clone, 'bin/nhi-census.js'), ['--version'], { NHI_CENSUS_DIST: undefined });
    expect(stale.status).toBe(0);
    expect(stale.stdout.trim()).toBe(version);
    expect(stale.stderr).toMatch(/warning: the build in .*dist is older than src\/edited\.ts: run `npm run build` in /);
    fs.utimesSync(source, built - 60, built - 60);
    const fresh = run(path.join(clone, 'bin/nhi-census.js'), ['--version'], { NHI_CENSUS_DIST: undefined });
    expect(fresh.status).toBe(0);
    expect(fresh.stderr).toBe('');
  });
});

describe('the command the demo suggests running next', () => {
  it('is `nhi-census` when that name on PATH is this binary, else node and the path of bin/nhi-census.js', () => {
    const linked = path.join(scratch, 'path-bin');
    fs.mkdirSync(linked, { recursive: true });
    fs.rmSync(path.join(linked, 'nhi-census'), { force: true });
    expect(selfCommand({ PATH: linked }, process.cwd())).toBe('node bin/nhi-census.js');
    expect(selfCommand({ PATH: linked }, path.join(scratch, 'elsewhere'))).toBe(`node ${BIN}`);
    fs.symlinkSync(BIN, path.join(linked, 'nhi-census'));
    expect(selfCommand({ PATH: ['/nonexistent', linked].join(path.delimiter) }, '/')).toBe('nhi-census');
    // another program of that name is not this binary
    fs.rmSync(path.join(linked, 'nhi-census'));
    fs.writeFileSync(path.join(linked, 'nhi-census'), '#!/bin/sh\n', { mode: 0o755 });
    expect(selfCommand({ PATH: linked }, process.cwd())).toBe('node bin/nhi-census.js');
  });
});
