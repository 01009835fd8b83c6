// Reads and validates an inventory file. Every error names file:line:field (src/config/yaml-errors.ts);
// the caller writes nothing unless this returns.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { InputError, parseYamlFile, validateYaml } from '../config/yaml-errors.ts';
import { loadPeople, type PersonMapping } from './people.ts';
import { inventorySchema, type Inventory } from './schema.ts';

/** `people`: the mapping file the inventory names (`people:`), loaded; empty without one. */
export interface LoadedInventory { file: string; hash: string; inventory: Inventory; people?: PersonMapping[] }

export function parseInventory(file: string, text: string): LoadedInventory {
  const parsed = parseYamlFile(file, text);
  if (parsed.value === null || parsed.value === undefined) throw new InputError(`${file}: empty inventory (expected a mapping with entries:)`);
  const inventory = validateYaml(file, parsed, inventorySchema);
  const people = inventory.people ? loadPeople(file, inventory.people) : [];
  return { file, hash: crypto.createHash('sha256').update(text).digest('hex'), inventory, people };
}

export function loadInventory(file: string): LoadedInventory {
  if (!fs.existsSync(file)) throw new InputError(`${file}: inventory file not found`);
  return parseInventory(file, fs.readFileSync(file, 'utf8'));
}

/** An empty inventory: every connector is unapproved (useful before the first draft is reviewed). */
export function emptyInventory(): LoadedInventory {
  return { file: '(none)', hash: '', inventory: inventorySchema.parse({}) };
}
