// The demo, dated today. The bundled scenario is written against DEMO_NOW and the demo inventory against
// three days later (its approval expiries, temporary end dates); run as written, the demo would drift with
// the real clock (a secret "expiring in 7 days" would show as long expired a month later). `nhi-census demo`
// therefore moves both by the same whole number of days: the scenario clock to today, and the inventory's
// dates in a copy written beside the report — so the demo shows the same picture whenever it runs.
// Tests build the scenario at DEMO_NOW and read the bundled inventory unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../src/util/atomic-write.ts';
import { DEMO_NOW, setDemoClock } from './company.ts';

/** The day the bundled inventory's dates were written against (3 days after the scenario's DEMO_NOW). */
export const DEMO_INVENTORY_AS_OF = '2026-11-23T00:00:00Z';
const DAY_MS = 86_400_000;

/** Whole days from the inventory's writing date to `now` (negative before it). */
export function demoDayOffset(now: number = Date.now()): number {
  return Math.floor((now - Date.parse(DEMO_INVENTORY_AS_OF)) / DAY_MS);
}

/** Every YYYY-MM-DD date in an inventory's text moved by `days` (comments and line numbers unchanged). */
export function shiftInventoryDates(yaml: string, days: number): string {
  return yaml.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isNaN(t) ? d : new Date(t + days * DAY_MS).toISOString().slice(0, 10);
  });
}

/**
 * Dates the demo today: sets the scenario clock (scenarios built afterwards count from it) and writes the
 * demo inventory with its dates moved alike to `<outDir>/demo-inventory.yaml`, returning that path.
 */
export function dateDemoToday(inventoryFile: string, outDir: string, now: number = Date.now()): { inventory: string; days: number } {
  const days = demoDayOffset(now);
  setDemoClock(Date.parse(DEMO_NOW) + days * DAY_MS);
  const inventory = path.join(outDir, 'demo-inventory.yaml');
  const header = `# The bundled demo inventory (${path.basename(inventoryFile)}) with every date moved ${days} day(s), so the demo is dated today.\n`;
  // private (0600, folder 0700 when created) and atomic, like every file beside the report
  writeFileAtomic(inventory, header + shiftInventoryDates(fs.readFileSync(inventoryFile, 'utf8'), days));
  return { inventory, days };
}
