// Runs once before the test workers start: the scratch folder for test databases and logs, a build of the CLI
// for the tests that spawn bin/nhi-census.js (below), and Debian's
// chromium for the report's browser test (installed here when missing and this user may install
// packages, as on CI; otherwise that test says how to install it).
// (The scratch folder is not wiped: several vitest processes may share it, and test files name their
// files by pid; only what is over an hour old — left by earlier runs — is removed.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const CHROMIUM = '/usr/bin/chromium';

export default function setup(): () => void {
  prepare();
  return teardown;
}

function prepare(): void {
  const scratch = path.resolve('test/.tmp');
  fs.mkdirSync(scratch, { recursive: true });
  const stale = Date.now() - 3_600_000;
  for (const name of fs.readdirSync(scratch)) {
    const file = path.join(scratch, name);
    try { if (fs.statSync(file).mtimeMs < stale) fs.rmSync(file, { recursive: true, force: true }); } catch { /* gone meanwhile */ }
  }
  buildForThisRun(scratch);
  if (fs.existsSync(CHROMIUM) || process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) return;
  process.stderr.write('test set-up: installing Debian chromium for the report browser test (apt-get)...\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', env });
}

// Tests that spawn bin/nhi-census.js run a build of the sources made for this run (scripts/build.mjs, under a
// second), never dist/, which may be older than the sources: NHI_CENSUS_DIST, inherited by the test workers and
// the processes they start, points the binary at it. Removed when the run ends.
let testBuild: string | undefined;

function buildForThisRun(scratch: string): void {
  testBuild = path.join(scratch, `dist-${process.pid}`);
  const r = spawnSync(process.execPath, ['scripts/build.mjs', testBuild], { encoding: 'utf8' });
  // a source that does not build fails the tests that spawn the binary (its build is missing), not the others
  if (r.status !== 0) process.stderr.write(`test set-up: building the CLI failed; tests that run bin/nhi-census.js will fail:\n${r.stderr}${r.stdout}\n`);
  process.env.NHI_CENSUS_DIST = testBuild;
}

function teardown(): void {
  if (testBuild) fs.rmSync(testBuild, { recursive: true, force: true });
}
