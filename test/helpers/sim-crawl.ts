// Test helper: start a provider's simulator from a scenario block, crawl it with the real SDK client
// through the real engine into a database, and hand back the database, the simulator and the logs.
import fs from 'node:fs';
import path from 'node:path';
import { configFromObject } from '../../src/config/config.ts';
import { runCrawl, type CrawlSummary } from '../../src/crawl/engine.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { ProviderSpec } from '../../src/crawl/provider.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import type { Fault } from '../../src/simulator/faults.ts';
import type { SimulatorHandle } from '../../src/simulator/server.ts';
import { createLogger } from '../../src/util/log.ts';

export interface SimCrawl {
  db: Db;
  dbFile: string;
  sim: SimulatorHandle;
  spec: ProviderSpec;
  /** Every log line written so far (JSON). */
  logs: string[];
  /** Crawl again (same simulator, same database). `configPatch` is merged into the provider config. */
  crawl(opts?: { mode?: 'full' | 'incremental'; configPatch?: Record<string, unknown>; env?: Record<string, string>; retry?: { maxRetries?: number; baseDelayMs?: number };
    commit?: { maxRows?: number; maxMs?: number }; maxPendingListings?: number }): Promise<CrawlSummary>;
  /**
   * Moves the provider to another address: starts a new simulator (another port) serving the same scenario
   * object, closes the old one, and points later crawls (and `sim`) at the new one. Returns the old address.
   */
  restartSim(opts?: { faults?: Fault[] }): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/** `db`: crawl into this database (e.g. test/helpers/backends.ts openTestDb) instead of a fresh SQLite file (then `dbFile` is ''). */
export async function startSimCrawl(provider: string, scenarioBlock: unknown, opts: { faults?: Fault[]; dbFile?: string; db?: Db } = {}): Promise<SimCrawl> {
  const specs = await loadConnectors();
  const spec = specs.find((s) => s.name === provider);
  if (!spec?.simulator) throw new Error(`no simulator registered for ${provider}`);
  const sim = await spec.simulator.start(scenarioBlock, { faults: opts.faults });
  const dbFile = opts.db ? '' : opts.dbFile ?? path.resolve('test/.tmp', `${provider}-${process.pid}-${++counter}.db`);
  if (dbFile) {
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
  }
  const db = opts.db ?? openDb(dbFile);
  const logs: string[] = [];
  const log = createLogger({ format: 'json', level: 'debug', write: (l) => logs.push(l) });
  let baseConfig = spec.simulator.configFor(sim, scenarioBlock);
  let simEnv = spec.simulator.envFor?.(sim) ?? {};
  const handle: SimCrawl = {
    db, dbFile, sim, spec, logs,
    async crawl(o = {}) {
      const config = configFromObject({ providers: { [provider]: { ...baseConfig, ...(o.configPatch ?? {}) } } }, specs, '(test)');
      const p = config.providers.get(provider)!;
      return runCrawl({ db, log, mode: o.mode, commit: o.commit, maxPendingListings: o.maxPendingListings, env: { ...simEnv, ...(o.env ?? {}) }, retry: { maxRetries: 2, baseDelayMs: 20, ...(o.retry ?? {}) },
        providers: [{ spec: p.spec, config: p.config, concurrency: 4 }] });
    },
    async restartSim(o = {}) {
      const old = handle.sim;
      // started before the old one closes: the new port cannot be the old one
      const next = await spec.simulator!.start(scenarioBlock, { faults: o.faults });
      await old.close();
      handle.sim = next;
      baseConfig = spec.simulator!.configFor(next, scenarioBlock);
      simEnv = spec.simulator!.envFor?.(next) ?? {};
      return old.url;
    },
    async close() { db.close(); await handle.sim.close(); },
  };
  return handle;
}

/** Rows of a query, for assertions. */
export function rows<T = Record<string, unknown>>(db: Db, sql: string, ...params: unknown[]): T[] {
  return db.prepare(sql).all(...params) as T[];
}

export function props(db: Db, id: string): Record<string, unknown> {
  const r = db.prepare('SELECT props FROM nodes WHERE id = ?').get(id) as { props: string } | undefined;
  if (!r) throw new Error(`no node ${id}`);
  return JSON.parse(r.props);
}
