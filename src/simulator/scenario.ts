// Loads a scenario file (YAML or JSON): one document, one block per provider, plus shared faults.
// The per-provider block types live beside each simulator (typed with the vendor's own types).
import fs from 'node:fs';
import YAML from 'yaml';
import type { Fault } from './faults.ts';

export interface Scenario {
  /** The simulated company. */
  name?: string;
  faults?: Fault[];
  [provider: string]: unknown;
}

export function loadScenarioFile(file: string): Scenario {
  const text = fs.readFileSync(file, 'utf8');
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file}: a scenario is a mapping with one key per provider`);
  return doc as Scenario;
}
