// `nhi-census inventory validate <file>` and `nhi-census inventory draft`: check an inventory (every
// error as file:line:field, exit 2) and write a starting inventory from the last crawl.
import { dbOption } from './options.ts';
import fs from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../config/yaml-errors.ts';
import { openDb } from '../graph/db.ts';
import { describeDatabase } from '../graph/pg-open.ts';
import { loadSnapshot } from '../graph/reconcile-snapshot.ts';
import { draftInventory } from '../inventory/draft.ts';
import { loadInventory } from '../inventory/load.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { out } from './common.ts';

export function registerInventory(program: Command): void {
  const inv = program.command('inventory').description('the approved-connector inventory: validate a file, or draft one from the last crawl');
  inv.command('validate')
    .description('validate an inventory file (errors name file:line:field; exit 2 if invalid)')
    .argument('<file>', 'inventory YAML')
    .action((file: string) => {
      const { inventory } = loadInventory(file);
      const providers = new Set(inventory.entries.flatMap((e) => Object.keys(e.match).filter((k) => k !== 'webhook_host' && k !== 'name_pattern')));
      out(`${file}: valid — ${inventory.entries.length} entr${inventory.entries.length === 1 ? 'y' : 'ies'}` +
        (providers.size ? ` matching in ${[...providers].sort().join(', ')}` : ''));
    });
  inv.command('draft')
    .description('write a starting inventory from the last crawl (fields that need a person are empty and marked FILL IN)')
    .addOption(dbOption(undefined, 'nhi-census.db'))
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .option('--force', 'overwrite --out if it exists')
    .action((opts: { db: string; out?: string; force?: boolean }) => {
      if (opts.out && fs.existsSync(opts.out) && !opts.force) throw new InputError(`${opts.out} exists: pass --force to overwrite it`);
      const db = openDb(opts.db, { readonly: true, postgres: true });
      let text: string;
      try {
        text = draftInventory(loadSnapshot(db), { source: describeDatabase(opts.db), generatedAt: new Date().toISOString().slice(0, 10) });
      } finally { db.close(); }
      if (opts.out) { writeFileAtomic(opts.out, text); out(`draft inventory written to ${opts.out}: fill in the fields marked FILL IN, then run nhi-census inventory validate ${opts.out}`); }
      else out(text);
    });
}
