// The tool version, read from package.json (stamped on every run in the ledger).
import { createRequire } from 'node:module';
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
