// Where the package's own files are, whether the code runs from the TypeScript sources (tests, benches: tsx) or
// from the build (dist/, one bundle plus chunks: the installed binary). Files read at run time (package.json, the
// demo inventory) and code loaded by listing (connectors/<p>/*.ts) are found from the package root, never from
// this module's position, which differs between the two layouts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** True when running the .ts sources; false when running the compiled dist/ code. */
export const FROM_SOURCE = here.endsWith('.ts');

function findPackageRoot(start: string): { root: string; pkg: { name: string; version: string } } {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name: string; version: string };
      if (pkg.name === 'nhi-census') return { root: dir, pkg };
    }
    if (path.dirname(dir) === dir) throw new Error(`nhi-census: no package.json of nhi-census above ${start}`);
  }
}

const found = findPackageRoot(path.dirname(here));

/** The folder holding nhi-census's package.json (the clone, or node_modules/nhi-census when installed). */
export const PACKAGE_ROOT: string = found.root;
/** The version in package.json. */
export const PACKAGE_VERSION: string = found.pkg.version;

/** A data file shipped with the package (not compiled), e.g. 'scenarios/demo/inventory.yaml'. */
export function packageFile(relative: string): string {
  return path.join(PACKAGE_ROOT, relative);
}

const BUILD_MARKER = 'BUILD';

/** The build this code runs from: the nearest folder above it holding BUILD (written by scripts/build.mjs). */
function findBuildRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, BUILD_MARKER))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`nhi-census: ${here} runs compiled but no ${BUILD_MARKER} file is above it (build with npm run build)`);
  }
}
const CODE_ROOT = FROM_SOURCE ? PACKAGE_ROOT : findBuildRoot(path.dirname(here));

/**
 * A code file named by its source path ('connectors/github/catalogue.ts'): the source itself, or its compiled
 * counterpart in the build ('dist/connectors/github/catalogue.js') when running the build.
 */
export function codeFile(sourcePath: string): string {
  return FROM_SOURCE ? path.join(CODE_ROOT, sourcePath) : path.join(CODE_ROOT, sourcePath.replace(/\.ts$/, '.js'));
}
