// Loads every provider folder under connectors/ (each registers itself): src/ never names a provider.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allProviders, type ProviderSpec } from './provider.ts';
import { registerSecretPatterns } from '../util/redact.ts';
import { CONNECTORS_DIR as connectorsDir, providerFiles } from './connector-files.ts';

let loaded: Promise<ProviderSpec[]> | undefined;

export function loadConnectors(): Promise<ProviderSpec[]> {
  loaded ??= (async () => {
    const dirs = fs.readdirSync(connectorsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(connectorsDir, d.name, 'index.ts')))
      .map((d) => d.name).sort();
    for (const d of dirs) await import(pathToFileURL(path.join(connectorsDir, d, 'index.ts')).href);
    return allProviders();
  })();
  return loaded;
}

let patternsLoaded: Promise<void> | undefined;

/**
 * Registers every provider's token formats (connectors/<p>/secret-patterns.ts, default export) without
 * loading the connectors themselves: commands that never crawl (reconcile, query, db) mask them too.
 */
export function loadSecretPatterns(): Promise<void> {
  patternsLoaded ??= (async () => {
    for (const { file: f } of providerFiles('secret-patterns.ts')) {
      const mod = (await import(pathToFileURL(f).href)) as { default?: readonly RegExp[] };
      if (!Array.isArray(mod.default)) throw new Error(`${f} must default-export its token formats (an array of global regular expressions)`);
      registerSecretPatterns(mod.default);
    }
  })();
  return patternsLoaded;
}
