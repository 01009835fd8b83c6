// `nhi-census reconcile`: compare the latest usable crawl with the approved inventory, write findings
// (one transaction), print a summary, and exit 5 when open findings at or above --fail-on exist.
import { selfCommand } from './self-command.ts';
import type { Command } from 'commander';
import { SEVERITIES, type Severity } from '../catalogue/index.ts';
import { InputError } from '../config/yaml-errors.ts';
import fs from 'node:fs';
import { loadConfig } from '../config/config.ts';
import { loadConnectors } from '../crawl/load-connectors.ts';
import type { Db } from '../graph/db.ts';
import { openDb } from '../graph/db.ts';
import { listOpenFindings } from '../graph/findings.ts';
import { latestUsableCrawls, runsLabel } from '../graph/reconcile-snapshot.ts';
import { loadInventory } from '../inventory/load.ts';
import { packageFile } from '../util/package-files.ts';
import { openAtOrAbove, reconcile, type ReconcileSummary } from '../reconcile/engine.ts';
import { refuseBeforeCrawls } from '../reconcile/evaluation-time.ts';
import { globals, lockForCommand, loggerFor, out } from './common.ts';
import type { DbLock } from '../graph/lock.ts';
import { EXIT } from './exit-codes.ts';
import { renderRows } from './format.ts';
import { asStorageError } from '../util/storage-error.ts';
import { isoTime, seconds, wholeNumber, dbOption } from './options.ts';

export function parseSeverity(v: string | undefined, flag: string): Severity | undefined {
  if (v === undefined) return undefined;
  if (!(SEVERITIES as readonly string[]).includes(v)) throw new InputError(`${flag} must be one of ${SEVERITIES.join(', ')} (got ${v})`);
  return v as Severity;
}

export function printReconcileSummary(db: Db, s: ReconcileSummary, limit = 40): void {
  const rows = Object.entries(s.byRule).filter(([, r]) => r.new || r.persisting || r.resolved)
    .map(([rule, r]) => ({ rule, new: r.new, persisting: r.persisting, resolved: r.resolved }));
  out(renderRows(rows, 'table'));
  const open = listOpenFindings(db, limit);
  if (open.length) out('\n' + renderRows(open, 'table'));
  const crawls = Object.entries(s.crawlRuns).map(([p, c]) => `${p} ${runsLabel(c.runs ?? [c.run])} (${c.complete ? 'complete' : c.status === 'partial' ? 'partial' : 'incomplete'})`);
  out(`\nreconciliation ${s.reconId} (${s.mode}; dates judged as of ${s.evaluatedAt}): ${s.connectors} connectors (${s.matched} approved, ${s.unmatched} unapproved) from ${crawls.join(', ') || 'no usable crawl'}`);
  out(`findings: ${s.counts.new} new, ${s.counts.persisting} persisting, ${s.counts.resolved} resolved` +
    (s.counts.carried ? `, ${s.counts.carried} kept open (crawl incomplete)` : '') +
    (s.counts.accepted ? `, ${s.counts.accepted} accepted (inventory accepted_risks)` : '') +
    (s.counts.subsumed ? `, ${s.counts.subsumed} folded into other findings` : '') + ` — open: ` +
    SEVERITIES.map((v) => `${s.bySeverity[v]} ${v}`).join(', '));
  if (s.notVerifiable) out(`not verifiable (coverage): ${s.notVerifiable} — the listings that could have decided them did not complete (nhi-census query "select * from not_verifiable where recon_id = ${s.reconId}")`);
  out(`Query them: ${selfCommand()} query "select severity, rule, subject_name, title from current_findings"`);
}

export function registerReconcile(program: Command): void {
  program.command('reconcile')
    .description('compare the latest crawl with the approved inventory and write findings')
    .addOption(dbOption(undefined, 'nhi-census.db'))
    .option('-i, --inventory <file>', 'approved inventory (YAML)', 'inventory.yaml')
    .option('-c, --config <file>', 'config file (trust.issuers: the token issuers federated trusts may name), read when it exists', 'nhi-census.yaml')
    .option('--fail-on <severity>', 'exit 5 if open findings at or above this severity exist (critical|high|medium|low|info)')
    .option('--now <date>', 'judge dates as of this time: YYYY-MM-DD (00:00 UTC) or an ISO date-time with Z or an offset; ' +
      'not earlier than the crawl it reconciles (default: now); recorded and shown as the report\'s "Figures as of"', isoTime)
    .option('--limit <n>', 'open findings to list', wholeNumber(0), 40)
    .option('--full', 'evaluate every connector, credential and entry (default: only what changed since the previous reconciliation; same findings either way)')
    .option('--wait <seconds>', 'wait this long for a run holding the database lock (then exit 6)', seconds, 0)
    .addHelpText('after', '\nExit codes: 0 ok, 2 invalid inventory or options (nothing written), 5 findings at or above --fail-on, 6 locked, 7 no usable database, 8 storage error (disk full, read-only).')
    .action(async (opts: { db: string; inventory: string; config: string; failOn?: string; now?: Date; limit: number; wait: number; full?: boolean }, cmd: Command) => {
      const failOn = parseSeverity(opts.failOn, '--fail-on');
      const now = opts.now;
      const inventory = loadInventory(opts.inventory);
      const config = fs.existsSync(opts.config) || opts.config !== 'nhi-census.yaml' ? loadConfig(opts.config, await loadConnectors()) : null;
      if (now) {
        // checked on a read-only connection: a refused --now writes nothing (not even a schema upgrade)
        const ro = openDb(opts.db, { readonly: true, postgres: true });
        try { refuseBeforeCrawls(now, latestUsableCrawls(ro).values()); } finally { ro.close(); }
      }
      const db = openDb(opts.db, { mustExist: true, postgres: true });
      let lock: DbLock | undefined;
      try {
        lock = await lockForCommand(db, 'reconcile', loggerFor(globals(cmd)), { waitSeconds: opts.wait });
        if (now) refuseBeforeCrawls(now, latestUsableCrawls(db).values()); // a crawl may have finished while we waited
        const summary = reconcile(db, inventory, { now, full: opts.full, trustedIssuers: config?.base.trust?.issuers });
        printReconcileSummary(db, summary, opts.limit);
        if (failOn) {
          const n = openAtOrAbove(db, failOn);
          if (n > 0) { out(`\n${n} open finding(s) at or above ${failOn}: exit ${EXIT.FINDINGS}`); process.exitCode = EXIT.FINDINGS; }
        }
      } catch (err) {
        throw asStorageError(err, `database ${opts.db}`); // a full disk: exit 8, one line naming the database (the reconciliation is one transaction: nothing half-written)
      } finally { lock?.release(); db.close(); }
    });
}

/** The bundled demo inventory (scenarios/demo/inventory.yaml). */
export const DEMO_INVENTORY = packageFile('scenarios/demo/inventory.yaml');

/** `nhi-census demo`'s reconcile step: the demo crawl against the bundled demo inventory. */
export function reconcileDemo(db: Db, opts: { now?: Date; inventory?: string } = {}): ReconcileSummary {
  const summary = reconcile(db, loadInventory(opts.inventory ?? DEMO_INVENTORY), { now: opts.now });
  printReconcileSummary(db, summary, 20);
  return summary;
}
