// Writes one month's report: builds the model, renders report.md, report.html, findings.csv,
// connectors.csv and report.json, writes them into the output folder as one atomic set followed by
// manifest.json (reconciliation, month, every file's SHA-256; renamed into place last, so a reader can
// tell the files belong together), and records the report (inputs and file hashes) in the `reports`
// table so next month's report compares against it. Files are 0600, a folder created for them 0700.
// Everything is rendered before anything is written; a failure while writing (a full disk) leaves the
// previous files and manifest byte-identical and no temporary file behind (src/util/atomic-write.ts).
// The manifest names the database (identity, file) that wrote it; a folder holding another database's report
// is never overwritten unless the caller forces it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../src/graph/db.ts';
import { readSnapshot } from '../src/graph/dialect.ts';
import { databaseIdentity, databaseLocation } from '../src/graph/inventory-policy.ts';
import { describeDatabase, isPostgresUrl } from '../src/graph/pg-open.ts';
import { recordReport, reportsWrittenTo } from '../src/graph/report-queries.ts';
import { writeFileSetAtomic } from '../src/util/atomic-write.ts';
import { maskDeep } from '../src/util/redact.ts';
import { prepareReach } from './blast-radius.ts';
import { buildReportModel, type ReportOptions } from './model.ts';
import { crawlRunsRecord } from './model-changes.ts';
import type { ReportModel } from './model-types.ts';
import { renderBlastRadiusCsv, renderConnectorsCsv, renderFindingsCsv, renderJson } from './render-csv.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';

export interface WrittenFile { name: string; path: string; sha256: string; bytes: number }
export interface WrittenReport { reportId: number; model: ReportModel; files: WrittenFile[]; manifest: WrittenFile }

export const MANIFEST_FILE = 'manifest.json';

/** Where the report may be written: `force` replaces another database's report; `replaceFile` a report of that database file (recreated). */
export interface WriteTarget { force?: boolean; replaceFile?: string }

export function writeReport(db: Db, outDir: string, opts: ReportOptions & WriteTarget): WrittenReport {
  const database = { id: databaseIdentity(db), file: databaseLocation(db) };
  checkTarget(db, outDir, database, opts);
  prepareReach(db); // the reach summaries of the latest reconciliation, stored before the read snapshot opens
  // masked once, before any renderer sees it: no format can print a token-shaped string, even one stored before masking
  // every read in one consistent snapshot (src/graph/dialect.ts readSnapshot), beside crawls that may be writing
  const model = maskDeep(readSnapshot(db, () => buildReportModel(db, opts)));
  const rendered: [string, string][] = [
    ['report.md', renderMarkdown(model)],
    ['report.html', renderHtml(model)],
    ['findings.csv', renderFindingsCsv(model)],
    ['connectors.csv', renderConnectorsCsv(model)],
    ['blast-radius.csv', renderBlastRadiusCsv(model)],
    ['report.json', renderJson(model)],
  ];
  const files = rendered.map(([name, text]) => fileOf(outDir, name, text));
  const manifestText = JSON.stringify({
    manifest: 'nhi-census report', organisation: model.organisation, month: model.month, generated_at: model.generatedAt,
    reconciliation_id: model.reconciliation?.id ?? null, crawl_runs: crawlRunsRecord(model.crawls),
    tool_version: model.toolVersion,
    // which database wrote it: the next report into this folder from another database is refused (nhi-census report --force)
    database_id: database.id, database_file: database.file,
    files: files.map((f) => ({ name: f.name, sha256: f.sha256, bytes: f.bytes })),
  }, null, 2) + '\n';
  const manifest = fileOf(outDir, MANIFEST_FILE, manifestText);
  // the data files, then the manifest: all staged on disk before any is renamed into place, the manifest last
  writeFileSetAtomic([...rendered.map(([name, text]) => [path.join(outDir, name), text] as const), [manifest.path, manifestText] as const]);
  const s = model.summary;
  const reportId = recordReport(db, {
    month: model.month, generated_at: model.generatedAt, recon_id: model.reconciliation?.id ?? null,
    crawl_runs: JSON.stringify(crawlRunsRecord(model.crawls)),
    inventory_file: model.reconciliation?.inventoryFile ?? null, inventory_hash: model.reconciliation?.inventoryHash ?? null,
    organisation: model.organisation, out_dir: path.resolve(outDir), files: JSON.stringify(Object.fromEntries(files.map((f) => [f.name, f.sha256]))),
    summary: JSON.stringify({ connectors: s.connectors.total, approved: s.connectors.approved, open: s.findings.open, bySeverity: s.findings.bySeverity }),
    tool_version: model.toolVersion,
  });
  return { reportId, model, files, manifest };
}

/** The output folder holds a report another database wrote (its manifest, or this database's ledger, says so). */
export class ReportTargetError extends Error {
  constructor(message: string) { super(message); this.name = 'ReportTargetError'; }
}

/**
 * Refuses to overwrite a report another database wrote: the folder's manifest must name this database's identity
 * (or, for a manifest from before it was recorded, this database's ledger must have written to this folder).
 */
function checkTarget(db: Db, outDir: string, database: { id: string; file: string }, opts: WriteTarget): void {
  const file = path.join(outDir, MANIFEST_FILE);
  if (opts.force || !fs.existsSync(file)) return;
  let m: { database_id?: unknown; database_file?: unknown } = {};
  try { m = JSON.parse(fs.readFileSync(file, 'utf8')) ?? {}; } catch { /* unreadable: judged by the ledger below */ }
  if (m.database_id === database.id) return;
  if (opts.replaceFile && m.database_file === (isPostgresUrl(opts.replaceFile) ? describeDatabase(opts.replaceFile) : path.resolve(opts.replaceFile))) return;
  if (m.database_id === undefined && reportsWrittenTo(db, path.resolve(outDir)) > 0) return;
  const other = typeof m.database_file === 'string' ? ` (database ${m.database_file})` : '';
  throw new ReportTargetError(`${outDir} holds a report written from another database${other}, not from ${database.file}: `
    + 'choose another --out folder, or pass --force to replace it');
}

function fileOf(dir: string, name: string, text: string): WrittenFile {
  return { name, path: path.join(dir, name), sha256: crypto.createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
}
