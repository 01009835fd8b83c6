// Loads every provider folder under connectors/ (each registers itself): src/ never names a provider.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allProviders, type ProviderSpec } from './provider.ts';

const connectorsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../connectors');
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
