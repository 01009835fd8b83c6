// Runs once before the test workers start: the scratch folder for test databases and logs, and Debian's
// chromium for the report's browser test (installed here when missing and this user may install
// packages, as on CI; otherwise that test says how to install it).
// (The scratch folder is not wiped: several vitest processes may share it, and test files name their
// files by pid; only what is over an hour old — left by earlier runs — is removed.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const CHROMIUM = '/usr/bin/chromium';

export default function setup(): void {
  const scratch = path.resolve('test/.tmp');
  fs.mkdirSync(scratch, { recursive: true });
  const stale = Date.now() - 3_600_000;
  for (const name of fs.readdirSync(scratch)) {
    const file = path.join(scratch, name);
    try { if (fs.statSync(file).mtimeMs < stale) fs.rmSync(file, { recursive: true, force: true }); } catch { /* gone meanwhile */ }
  }
  if (fs.existsSync(CHROMIUM) || process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) return;
  process.stderr.write('test set-up: installing Debian chromium for the report browser test (apt-get)...\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', env });
}
