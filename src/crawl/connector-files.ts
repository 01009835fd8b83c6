// Where the provider folders are (connectors/ beside src/), and the light per-provider files some commands load
// without the connectors themselves (secret-patterns.ts, catalogue.ts): src/ finds them by listing, never by name.
import fs from 'node:fs';
import path from 'node:path';
import { codeFile } from '../util/package-files.ts';

/** connectors/ of the sources, or dist/connectors/ when running the build. */
export const CONNECTORS_DIR = codeFile('connectors');

/**
 * Provider folders holding `fileName` (a source name, 'catalogue.ts': its compiled .js when running the build),
 * sorted: [{ provider (the folder name), file (absolute path) }].
 */
export function providerFiles(fileName: string): Array<{ provider: string; file: string }> {
  return fs.readdirSync(CONNECTORS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())
    .map((d) => ({ provider: d.name, file: codeFile(path.join('connectors', d.name, fileName)) }))
    .filter((f) => fs.existsSync(f.file)).sort((a, b) => a.provider.localeCompare(b.provider));
}
