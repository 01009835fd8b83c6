// Loads every provider folder under connectors/ (each registers itself): src/ never names a provider.
import { pathToFileURL } from 'node:url';
import { allProviders, type ProviderSpec } from './provider.ts';
import { registerSecretPatterns } from '../util/redact.ts';
import { providerFiles } from './connector-files.ts';

let loaded: Promise<ProviderSpec[]> | undefined;

export function loadConnectors(): Promise<ProviderSpec[]> {
  loaded ??= (async () => {
    for (const { file } of providerFiles('index.ts')) await import(pathToFileURL(file).href);
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
