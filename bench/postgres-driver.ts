// Benchmark (not a test): the cost of the synchronous PostgreSQL client (src/graph/pg/: a worker thread holding the
// connection, the main thread blocking per call) beside plain async node-postgres on the same server, in the same run,
// alternating trial by trial so machine drift hits both alike:
//   SELECT 1        — calls per second, one statement at a time (the hop's whole overhead shows here);
//   10k-row insert  — 10,000 one-row INSERTs in one transaction, rows per second.
// Server: NHI_TEST_POSTGRES_URL, or a throw-away cluster from Debian's binaries (test/helpers/postgres.ts).
// Run: node --import tsx bench/postgres-driver.ts [--trials 3] [--calls 5000]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openPostgres } from '../src/graph/pg/client.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { figure } from './_lib/figures.ts';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '3' }, calls: { type: 'string', default: '5000' } } });
const trials = Number(values.trials);
const calls = Number(values.calls);
const ROWS = 10_000;

const server = await startPostgres();
if ('skipped' in server) { console.log(server.skipped); process.exit(0); }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perSecond = (n: number, t0: number) => n / ((performance.now() - t0) / 1000);

try {
  const db = openPostgres(server.url);
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  db.exec('CREATE TABLE bench_rows (k text PRIMARY KEY, v bigint, props jsonb)');
  const select = db.prepare('SELECT 1');
  const insert = db.prepare('INSERT INTO bench_rows (k, v, props) VALUES (?, ?, ?)');
  const props = JSON.stringify({ type: 'app', scopes: ['repo', 'read:org'] });
  for (let i = 0; i < 500; i++) { select.get(); await client.query({ name: 'one', text: 'SELECT 1' }); } // warm both
  const r = { syncSelect: [] as number[], asyncSelect: [] as number[], syncInsert: [] as number[], asyncInsert: [] as number[] };
  for (let trial = 0; trial < trials; trial++) {
    let t0 = performance.now();
    for (let i = 0; i < calls; i++) select.get();
    r.syncSelect.push(perSecond(calls, t0));
    t0 = performance.now();
    for (let i = 0; i < calls; i++) await client.query({ name: 'one', text: 'SELECT 1' });
    r.asyncSelect.push(perSecond(calls, t0));

    db.exec('TRUNCATE bench_rows');
    t0 = performance.now();
    db.transaction(() => { for (let i = 0; i < ROWS; i++) insert.run(`k${i}`, i, props); })();
    r.syncInsert.push(perSecond(ROWS, t0));
    await client.query('TRUNCATE bench_rows');
    t0 = performance.now();
    await client.query('BEGIN');
    for (let i = 0; i < ROWS; i++) await client.query({ name: 'ins', text: 'INSERT INTO bench_rows (k, v, props) VALUES ($1, $2, $3)', values: [`k${i}`, i, props] });
    await client.query('COMMIT');
    r.asyncInsert.push(perSecond(ROWS, t0));
    console.log(`trial ${trial + 1}: SELECT 1 ${r.syncSelect.at(-1)!.toFixed(0)} vs ${r.asyncSelect.at(-1)!.toFixed(0)} calls/s; `
      + `insert ${r.syncInsert.at(-1)!.toFixed(0)} vs ${r.asyncInsert.at(-1)!.toFixed(0)} rows/s (sync driver vs async pg)`);
  }
  const note = `median of ${trials} trials, same server and run; async pg = node-postgres awaited call by call`;
  figure({ bench: 'postgres-driver', figure: 'SELECT 1, sync driver', value: median(r.syncSelect), unit: 'calls/s', note });
  figure({ bench: 'postgres-driver', figure: 'SELECT 1, async pg', value: median(r.asyncSelect), unit: 'calls/s', note });
  figure({ bench: 'postgres-driver', figure: 'SELECT 1 per-call overhead of the sync hop', value: (1 / median(r.syncSelect) - 1 / median(r.asyncSelect)) * 1e6, unit: 'µs', note });
  figure({ bench: 'postgres-driver', figure: '10k-row insert in one transaction, sync driver', value: median(r.syncInsert), unit: 'rows/s', note });
  figure({ bench: 'postgres-driver', figure: '10k-row insert in one transaction, async pg', value: median(r.asyncInsert), unit: 'rows/s', note });
  figure({ bench: 'postgres-driver', figure: 'sync ÷ async, 10k-row insert', value: median(r.syncInsert) / median(r.asyncInsert), unit: '×', note });
  db.close();
  await client.end();
} finally {
  await server.stop();
}
