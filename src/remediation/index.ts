// Object-specific remediation: for a finding, the console page and the exact API call or CLI command that
// revokes, rotates or narrows its subject — printed in the report, never run by the tool. Each provider's
// generator lives beside its connector (connectors/<p>/remediation.ts, default export) and is loaded here by
// listing, like the risk catalogue: nothing in src/ names a provider. Generators build commands only through
// src/remediation/shell.ts (shape-checked, quoted values).
import { pathToFileURL } from 'node:url';
import { providerFiles } from '../crawl/connector-files.ts';
import type { RemediationAction, RemediationGenerator, RemediationInput } from './shell.ts';

export type { RemediationAction, RemediationGenerator, RemediationInput } from './shell.ts';

const generators = new Map<string, RemediationGenerator>();

export function registerRemediation(provider: string, g: RemediationGenerator): void {
  const had = generators.get(provider);
  if (had && had !== g) throw new Error(`two remediation generators for provider ${provider}`);
  generators.set(provider, g);
}

/** The object-specific action for a finding, or null (no generator for its provider, or nothing certain to say). */
export function remediationFor(f: RemediationInput): RemediationAction | null {
  try { return generators.get(f.provider)?.(f) ?? null; } catch { return null; }
}

for (const { provider, file } of providerFiles('remediation.ts')) {
  const g = ((await import(pathToFileURL(file).href)) as { default?: RemediationGenerator }).default;
  if (typeof g !== 'function') throw new Error(`${file} must default-export its remediation generator (a function)`);
  registerRemediation(provider, g);
}
