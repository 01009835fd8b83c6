#!/usr/bin/env node
// Entry point of the nhi-census binary: runs the compiled CLI in dist/ (JavaScript; built by scripts/build.mjs,
// which `npm ci`/`npm install` run through `prepare` and `npm pack` through `prepack`). NHI_CENSUS_DIST=<folder>
// runs another build (the tests build a fresh one per run: test/global-setup.ts). In a clone, a build older than
// the sources is reported on stderr (`npm run build` refreshes it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.env.NHI_CENSUS_DIST ? path.resolve(process.env.NHI_CENSUS_DIST) : path.join(root, 'dist');
const entry = path.join(dist, 'src/cli/main.js');

if (!fs.existsSync(entry)) {
  process.stderr.write(`nhi-census: ${entry} is missing: build it with \`npm run build\` (needs the development dependencies)\n`);
  process.exit(1);
}
if (!process.env.NHI_CENSUS_DIST) warnIfStale();

const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv);

/** In a clone (the sources are beside dist/; an installed package ships none), say when a source is newer than the build. */
function warnIfStale() {
  const built = fs.statSync(path.join(dist, 'BUILD'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  for (const dir of ['src', 'connectors', 'reports', 'scenarios']) {
    let names;
    try { names = fs.readdirSync(path.join(root, dir), { recursive: true }); } catch { continue; }
    for (const name of names) {
      const file = path.join(root, dir, name);
      if (name.endsWith('.ts') && !name.endsWith('.test.ts') && fs.statSync(file).mtimeMs > built) {
        process.stderr.write(`nhi-census: warning: the build in ${dist} is older than ${path.relative(root, file)}: run \`npm run build\` in ${root}\n`);
        return;
      }
    }
  }
}
