// Bench: nightly `nhi-census run` on the demo company with daily churn, in simulated time.
//   node --import tsx bench/year-of-nights.ts            (NIGHTS=75 by default; NIGHTS=365 for a whole year)
// Each night mutates the scenario (apps installed and removed, permission changes, deploy keys and
// service-account keys added and deleted, people joining and leaving), runs the whole pipeline
// in-process (crawl incremental, full every 7 days, reconcile, monthly report, no alerts), then moves
// the night's rows to the simulated date. Reports: time of an incremental vs a full night, database
// size (measured, and extrapolated linearly to 365 nights from the growth per night once steady), and
// the time of `prune --keep 1` at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { executeRun } from '../src/cli/run.ts';
import { configFromObject } from '../src/config/config.ts';
import { loadConnectors } from '../src/crawl/load-connectors.ts';
import { openDb } from '../src/graph/db.ts';
import { prune } from '../src/graph/retention.ts';
import { DEMO_INVENTORY } from '../src/cli/reconcile.ts';
import { startScenario } from '../src/simulator/start-all.ts';
import { silentLogger } from '../src/util/log.ts';
import { buildDemoScenario } from '../scenarios/demo/index.ts';
import { backdate } from '../test/ops/backdate.ts';
import { demoChurn } from '../scenarios/demo/churn.ts';

const NIGHTS = Number(process.env.NIGHTS ?? 75);
const START = Date.parse('2026-01-01T02:00:00.000Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-year-'));
const dbFile = path.join(dir, 'nhi-census.db');

const scenario = buildDemoScenario();
const gh = scenario.github as any;
gh.rateLimit = { limit: 1e9, windowMs: 3600_000 };
const specs = await loadConnectors();
const sims = await startScenario(scenario, specs);
const config = configFromObject({ database: dbFile, organisation: String(scenario.name), inventory: DEMO_INVENTORY, providers: sims.providers,
  report: { dir: path.join(dir, 'reports') }, schedule: { fullCrawlEveryDays: 7 } }, specs, '(bench)');
const nightlyChurn = demoChurn(scenario);
const churn = (night: number) => nightlyChurn(night, START);

const fileBytes = () => fs.statSync(dbFile).size + (fs.existsSync(`${dbFile}-wal`) ? fs.statSync(`${dbFile}-wal`).size : 0);
const times: Record<'full' | 'incremental', number[]> = { full: [], incremental: [] };
const sizes: Array<{ night: number; bytes: number }> = [];
const t0 = Date.now();
for (let n = 0; n < NIGHTS; n++) {
  const at = new Date(START + n * 86400_000);
  churn(n);
  const t = performance.now();
  const r = await executeRun({ config, dbFile, log: silentLogger, env: sims.env, now: () => at });
  const ms = performance.now() - t;
  if (!r.crawl) throw new Error(`night ${n}: run did not crawl (exit ${r.exitCode})`);
  const db = openDb(dbFile);
  try {
    const mode = db.prepare('SELECT mode FROM runs WHERE id = ?').pluck().get(r.crawl.runId) as string;
    times[mode === 'full' ? 'full' : 'incremental'].push(ms);
    backdate(db, r.crawl.runId, r.reconcile?.reconId, r.pipelineId, at.toISOString());
    if ((n + 1) % 10 === 0 || n === NIGHTS - 1) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      sizes.push({ night: n + 1, bytes: fileBytes() });
      process.stderr.write(`night ${n + 1}: ${(fileBytes() / 1048576).toFixed(2)} MB, last run ${(ms / 1000).toFixed(2)} s (${mode}), exit ${r.exitCode}\n`);
    }
  } finally { db.close(); }
}
const wall = (Date.now() - t0) / 1000;

const db = openDb(dbFile);
const counts = Object.fromEntries(['runs', 'run_resources', 'change_log', 'nodes', 'edges', 'findings', 'finding_observations', 'reconciliations',
  'inventory_entries', 'inventory_matches', 'reports', 'http_cache', 'pipeline_runs', 'run_steps']
  .map((t) => [t, db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number]));
let bySize = '';
try {
  const rows = db.prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8`).all() as { name: string; bytes: number }[];
  bySize = rows.map((r) => `${r.name} ${(r.bytes / 1048576).toFixed(1)} MB`).join(', ');
} catch { bySize = '(dbstat not available)'; }
const before = fileBytes();
const end = new Date(START + (NIGHTS - 1) * 86400_000);
const tp = performance.now();
const pr = prune(db, { keepMonths: 1, now: end });
const pruneMs = performance.now() - tp;
db.close();
const after = fileBytes();
await sims.close();

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)]! : NaN; };
const half = sizes.filter((s) => s.night >= NIGHTS / 2);
const perNight = half.length >= 2 ? (half.at(-1)!.bytes - half[0]!.bytes) / (half.at(-1)!.night - half[0]!.night) : before / NIGHTS;
const year = before + perNight * Math.max(0, 365 - NIGHTS);
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
const lines = [
  `nights simulated: ${NIGHTS} (from 2026-01-01), wall ${wall.toFixed(0)} s`,
  `run, incremental night (median of ${times.incremental.length}): ${(median(times.incremental) / 1000).toFixed(2)} s`,
  `run, full night (median of ${times.full.length}): ${(median(times.full) / 1000).toFixed(2)} s`,
  `database after ${NIGHTS} nights: ${mb(before)}; growth ${(perNight / 1024).toFixed(0)} KB/night once steady; a year (365 nights, extrapolated): ${mb(year)}`,
  `prune --keep 1 at night ${NIGHTS}: ${pruneMs.toFixed(0)} ms, ${mb(before)} -> ${mb(after)}${pr.vacuumed ? ' (vacuumed)' : ''}; deleted ${JSON.stringify(pr.deleted)}`,
  `largest tables and indexes before prune: ${bySize}`,
  `rows before prune: ${JSON.stringify(counts)}`,
];
process.stdout.write(lines.join('\n') + '\n');
fs.rmSync(dir, { recursive: true, force: true });
