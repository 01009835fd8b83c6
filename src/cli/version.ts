// The tool version, read from package.json (stamped on every run in the ledger).
import { PACKAGE_VERSION } from '../util/package-files.ts';
export const VERSION: string = PACKAGE_VERSION;
