// Loads a scenario file (YAML or JSON): one document, one block per provider, plus shared faults. The file is
// validated before any simulator starts: each provider's block by the schema it registers beside its simulator
// (typed with the vendor's own types; src/simulator/scenario-schema.ts), every error as file:line: path: message.
import fs from 'node:fs';
import { formatIssues, InputError, parseWithHints, parseYamlFile } from '../config/yaml-errors.ts';
import type { ProviderSpec } from '../crawl/provider.ts';
import type { Fault } from './faults.ts';
import { scenarioDocumentSchema } from './scenario-schema.ts';

export interface Scenario {
  /** The simulated company. */
  name?: string;
  faults?: Fault[];
  [provider: string]: unknown;
}

/** Parses and validates scenario text; `specs`: the providers whose simulators may run it. */
export function parseScenario(file: string, text: string, specs: ProviderSpec[]): Scenario {
  // JSON is YAML: one parser, so JSON files get the same line numbers in their errors
  const parsed = parseYamlFile(file, text);
  const doc = parsed.value;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(`${file}: a scenario is a mapping with one key per provider`);
  const blocks = Object.fromEntries(specs.flatMap((s) => (s.simulator?.scenarioSchema ? [[s.name, s.simulator.scenarioSchema] as const] : [])));
  const r = parseWithHints(scenarioDocumentSchema(blocks), doc);
  if (r.success) return r.data as Scenario;
  // a missing field says so (zod's own words are "expected string, received undefined")
  const issues = r.error.issues.map((i) => (i.code === 'invalid_type' && /received undefined$/.test(i.message)
    ? { ...i, message: `required: ${/^[aeiou]/.test(i.expected) ? 'an' : 'a'} ${i.expected}` } : i));
  const msgs = formatIssues(file, parsed, issues);
  throw new InputError(`${file}: invalid scenario:\n  ${msgs.join('\n  ')}`, msgs);
}

export function loadScenarioFile(file: string, specs: ProviderSpec[]): Scenario {
  if (!fs.existsSync(file)) throw new InputError(`${file}: scenario file not found`);
  return parseScenario(file, fs.readFileSync(file, 'utf8'), specs);
}
