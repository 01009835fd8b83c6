// Where the provider folders are (connectors/ beside src/), and the light per-provider files some commands load
// without the connectors themselves (secret-patterns.ts, catalogue.ts): src/ finds them by listing, never by name.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONNECTORS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../connectors');

/** Provider folders holding `fileName`, sorted: [{ provider (the folder name), file (absolute path) }]. */
export function providerFiles(fileName: string): Array<{ provider: string; file: string }> {
  return fs.readdirSync(CONNECTORS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())
    .map((d) => ({ provider: d.name, file: path.join(CONNECTORS_DIR, d.name, fileName) }))
    .filter((f) => fs.existsSync(f.file)).sort((a, b) => a.provider.localeCompare(b.provider));
}
