#!/usr/bin/env node
// Builds dist/ from the TypeScript sources with esbuild: the CLI (src/cli/main.ts) and every file the core loads by
// listing connectors/<p>/ (index, catalogue, secret-patterns, remediation) are entry points, bundled with code
// splitting into ES modules, so shared modules (registries) exist once and dist/connectors/<p>/*.js keeps the
// layout src/crawl/connector-files.ts lists. Dependencies stay in node_modules (external). Type checking is
// `npm run typecheck` (tsc --noEmit); this only transpiles and bundles, in well under a second.
// Usage: node scripts/build.mjs [outDir]   (default dist/)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(root, process.argv[2] ?? 'dist');
const LISTED = ['index.ts', 'catalogue.ts', 'secret-patterns.ts', 'remediation.ts'];

const connectors = path.join(root, 'connectors');
// the PostgreSQL client's worker thread is loaded by path (src/graph/pg/sync-channel.ts), so it is an entry of its own
const entryPoints = [path.join(root, 'src/cli/main.ts'), path.join(root, 'src/graph/pg/worker.ts')];
for (const d of fs.readdirSync(connectors, { withFileTypes: true }).filter((e) => e.isDirectory())) {
  for (const f of LISTED) if (fs.existsSync(path.join(connectors, d.name, f))) entryPoints.push(path.join(connectors, d.name, f));
}

fs.rmSync(outdir, { recursive: true, force: true });
const started = performance.now();
await build({
  absWorkingDir: root,
  entryPoints,
  outdir,
  outbase: root,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  legalComments: 'none',
}).catch(() => process.exit(1)); // esbuild has printed the errors, file:line
fs.writeFileSync(path.join(outdir, 'BUILD'), 'Built by scripts/build.mjs from the TypeScript sources; not edited by hand.\n');
process.stdout.write(`nhi-census: built ${path.relative(root, outdir) || '.'}/ (${entryPoints.length} entry points) in ${Math.round(performance.now() - started)} ms\n`);
