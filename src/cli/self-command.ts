// How the user can run this binary again, for hints such as the demo's closing "Try: …": `nhi-census` when that
// name on PATH is this package's binary (npm link, npm install -g, the container image), otherwise the path of
// bin/nhi-census.js run with node (a clone where `npm run demo` started it).
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../util/package-files.ts';

export function selfCommand(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const bin = path.join(PACKAGE_ROOT, 'bin', 'nhi-census.js');
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    try {
      if (fs.realpathSync(path.join(dir, 'nhi-census')) === fs.realpathSync(bin)) return 'nhi-census';
    } catch { /* not there */ }
  }
  const rel = path.relative(cwd, bin);
  return `node ${rel.startsWith('..') || path.isAbsolute(rel) ? bin : rel}`;
}
