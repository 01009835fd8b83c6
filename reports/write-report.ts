// Writes one month's report: builds the model, renders report.md, report.html, findings.csv,
// connectors.csv and report.json into the output folder, and records the report (inputs and file
// hashes) in the `reports` table so next month's report compares against it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../src/graph/db.ts';
import { recordReport } from '../src/graph/report-queries.ts';
import { buildReportModel, type ReportOptions } from './model.ts';
import type { ReportModel } from './model-types.ts';
import { renderConnectorsCsv, renderFindingsCsv, renderJson } from './render-csv.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';

export interface WrittenReport { reportId: number; model: ReportModel; files: { name: string; path: string; sha256: string; bytes: number }[] }

export function writeReport(db: Db, outDir: string, opts: ReportOptions): WrittenReport {
  const model = buildReportModel(db, opts);
  const rendered: [string, string][] = [
    ['report.md', renderMarkdown(model)],
    ['report.html', renderHtml(model)],
    ['findings.csv', renderFindingsCsv(model)],
    ['connectors.csv', renderConnectorsCsv(model)],
    ['report.json', renderJson(model)],
  ];
  fs.mkdirSync(outDir, { recursive: true });
  const files = rendered.map(([name, text]) => {
    const p = path.join(outDir, name);
    fs.writeFileSync(p, text);
    return { name, path: p, sha256: crypto.createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
  });
  const s = model.summary;
  const reportId = recordReport(db, {
    month: model.month, generated_at: model.generatedAt, recon_id: model.reconciliation?.id ?? null,
    crawl_runs: JSON.stringify(Object.fromEntries(model.crawls.map((c) => [c.provider, c.runId]))),
    inventory_file: model.reconciliation?.inventoryFile ?? null, inventory_hash: model.reconciliation?.inventoryHash ?? null,
    organisation: model.organisation, out_dir: path.resolve(outDir), files: JSON.stringify(Object.fromEntries(files.map((f) => [f.name, f.sha256]))),
    summary: JSON.stringify({ connectors: s.connectors.total, approved: s.connectors.approved, open: s.findings.open, bySeverity: s.findings.bySeverity }),
    tool_version: model.toolVersion,
  });
  return { reportId, model, files };
}
