// Issue 19 item 4: an inventory entry may say what its connector is for (`category:`, one of the documented
// categories); an unknown one is an error naming file:line:field, with the closest category or the known list.
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { InputError } from '../../src/config/yaml-errors.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { CATEGORIES } from '../../src/categories/types.ts';

const inv = (category: unknown) => YAML.stringify({ version: 1, entries: [{ id: 'otter', name: 'Otter.ai', vendor: 'Otter.ai', business_owner: 'a@example.com',
  technical_owner: 'b@example.com', purpose: 'meeting notes', ticket: 'SEC-9', approved_on: '2026-01-01', match: { slack: { app_id: 'A0MEETREC1' } }, category }] });

function errors(text: string): string[] {
  try { parseInventory('inv.yaml', text); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as InputError).issues; }
  throw new Error('expected the inventory to be invalid');
}

describe('inventory category', () => {
  it('accepts every documented category, and none', () => {
    for (const c of CATEGORIES) expect(parseInventory('inv.yaml', inv(c)).inventory.entries[0]!.category).toBe(c);
    expect(parseInventory('inv.yaml', inv(undefined)).inventory.entries[0]!.category).toBeUndefined();
  });

  it('names file:line:field for an unknown category, with the closest one or the list', () => {
    const line = inv('x').split('\n').findIndex((l) => l.includes('category:')) + 1;
    expect(errors(inv('meeting-recoder'))).toEqual([`inv.yaml:${line}: entries.0.category: unknown category 'meeting-recoder' — did you mean 'meeting-recorder'?`]);
    expect(errors(inv('spaceship'))).toEqual([`inv.yaml:${line}: entries.0.category: unknown category 'spaceship' (known: ${CATEGORIES.join(', ')})`]);
    expect(errors(inv(['ai-assistant']))[0]).toMatch(/^inv\.yaml:\d+: entries\.0\.category: must be a category \(ai-assistant, coding-agent, /);
  });
});
