// `nhi-census report --month 2026-11 --out reports-out/`: writes the monthly reconciliation report
// (report.md, report.html, findings.csv, connectors.csv, blast-radius.csv, report.json) from the graph and prints the paths.
import { dbOption } from './options.ts';
import fs from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { InputError } from '../config/yaml-errors.ts';
import { loadConnectors } from '../crawl/load-connectors.ts';
import { configuredPermissionsByProvider } from '../crawl/permissions.ts';
import { openDb, type Db } from '../graph/db.ts';
import { monthPeriod, ReportInputError } from '../../reports/model.ts';
import { ReportTargetError, writeReport, type WrittenReport } from '../../reports/write-report.ts';
import { asStorageError } from '../util/storage-error.ts';
import { out } from './common.ts';
import { VERSION } from './version.ts';

export interface ReportRequest {
  db: Db; month: string; outDir: string;
  /** The configured (or --organisation) name; without it the inventory's `organisation:`, else the report is refused. */
  organisation?: string; expectedProviders?: string[]; now?: Date;
  /** Replace a report another database wrote into outDir (--force); `replaceFile`: a database file recreated at this path (demo). */
  force?: boolean; replaceFile?: string;
  /** Per provider, the permissions its configured credential uses (the method appendix): configuredPermissionsByProvider(config.providers). */
  permissions?: Record<string, string[]>;
}

export function executeReport(req: ReportRequest): WrittenReport {
  try {
    return writeReport(req.db, req.outDir, { month: req.month, organisation: req.organisation, expectedProviders: req.expectedProviders, now: req.now, toolVersion: VERSION,
      permissions: req.permissions, force: req.force, replaceFile: req.replaceFile });
  } catch (err) {
    if (err instanceof ReportInputError || err instanceof ReportTargetError) throw new InputError(err.message);
    throw err;
  }
}

export function printReport(r: WrittenReport): void {
  const s = r.model.summary;
  out(`report #${r.reportId} for ${r.model.organisation}, ${r.model.month}: ${s.connectors.total} connectors, ${s.findings.open} open findings` +
    ` (${s.findings.bySeverity.critical} critical, ${s.findings.bySeverity.high} high)` +
    (r.model.warnings.length ? ` — ${r.model.warnings.length} coverage warning(s), see the top of the report` : ''));
  for (const f of [...r.files, r.manifest]) out(`  ${f.path}`);
}

/** `--month`: checked when parsed, before the database is opened. */
function reportMonth(v: string): string {
  try { monthPeriod(v); return v; } catch (err) { throw new InvalidArgumentError(`It ${(err as Error).message.replace(/^--month /, '')}.`); }
}

export function currentMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

export function registerReport(program: Command): void {
  program.command('report')
    .description('write the monthly reconciliation report (Markdown, self-contained HTML, CSV, JSON) from the graph')
    .option('-m, --month <YYYY-MM>', 'the month to report on (default: the current month, UTC)', reportMonth)
    .option('-o, --out <dir>', 'output folder', 'reports-out')
    .option('-c, --config <file>', 'config file (organisation name, database, configured providers)', 'nhi-census.yaml')
    .addOption(dbOption('the graph: a SQLite file or a postgres://… URL (env NHI_CENSUS_DATABASE_URL; default: the config file\'s database)'))
    .option('--organisation <name>', 'the organisation\'s name in the report (default: the config\'s organisation:, else the inventory\'s)')
    .option('--force', 'replace a report another database wrote into the output folder')
    .addHelpText('after', '\nThe organisation\'s name comes from --organisation, the config\'s organisation:, or the inventory\'s organisation:; with none of them the report is refused\n' +
      '(no name is invented). A folder holding a report written from another database (its manifest.json names the database) is not overwritten\n' +
      'without --force.\nThe report uses the latest complete reconciliation started before the end of the month and the crawl runs it used,\n' +
      'and compares them with the previous report recorded in the database.\nExit codes: 0 written, 2 bad input (month, no crawl in the period), 7 no usable database, 8 storage error (disk full, I/O error: the message names\n' +
      'the file; the previous report files are left unchanged), 1 error. Exit 2 also when no organisation name is known or the folder holds another database\'s report.')
    .action(async (opts: { month?: string; out: string; config: string; db?: string; organisation?: string; force?: boolean }) => {
      const specs = await loadConnectors();
      const config = fs.existsSync(opts.config) || opts.config !== 'nhi-census.yaml' ? loadConfig(opts.config, specs) : null;
      const dbFile = opts.db ?? config?.base.database ?? 'nhi-census.db';
      try {
        const db = openDb(dbFile, { mustExist: true, postgres: true });
        try {
          printReport(executeReport({ db, month: opts.month ?? currentMonth(), outDir: opts.out, organisation: opts.organisation ?? config?.base.organisation, force: opts.force,
            expectedProviders: config ? [...config.providers.keys()] : undefined,
            permissions: config ? configuredPermissionsByProvider(config.providers) : undefined }));
        } finally {
          db.close();
        }
      } catch (err) {
        throw asStorageError(err, `database ${dbFile}`); // a report file that could not be written is named by the writer
      }
    });
}
