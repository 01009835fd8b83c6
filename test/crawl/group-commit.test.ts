// The crawl engine writes through one group commit (issue 16 item 1): a crawl of many pages and listings
// commits in few transactions (a bound from the batch's row limit, not a timing: the time bound is set
// out of reach here), and a re-crawl of an unchanged organisation (Google: no conditional requests, every page is written again) writes no history row while every object
// still records that the run saw it. On both backends (test/helpers/backends.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGoogleScenario } from '../../scenarios/demo/google.ts';
import type { Db } from '../../src/graph/db.ts';
import { describeBackends } from '../helpers/backends.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

/** Counts the outermost transactions run on `db` (nested ones are savepoints). */
function countTransactions(db: Db): { count: () => number; stop: () => void } {
  let n = 0;
  const original = db.transaction;
  (db as { transaction: unknown }).transaction = (fn: (...a: unknown[]) => unknown) => {
    const tx = original.call(db, fn);
    return (...a: unknown[]) => { if (!db.inTransaction) n++; return tx(...a); };
  };
  return { count: () => n, stop: () => { (db as { transaction: unknown }).transaction = original; } };
}

describeBackends('crawl through the group commit', ({ openTestDb }) => {
let c: SimCrawl;
beforeAll(async () => { c = await startSimCrawl('google', buildGoogleScenario(), { db: openTestDb() }); });
afterAll(async () => { await c.close(); });

describe('crawl through the group commit', () => {
  it('commits far fewer transactions than pages and listings; a re-crawl of the same data writes no history', async () => {
    const tx = countTransactions(c.db);
    const first = await c.crawl({ commit: { maxRows: 500, maxMs: 600_000 } });
    tx.stop();
    expect(first.status).toBe('complete');
    const listings = first.resources.reduce((a, r) => a + r.listings, 0);
    expect(first.totals.apiCalls).toBeGreaterThan(20);
    // one transaction per page and one per listing before (210 here); now one per 500 rows written, plus the
    // scope grades' refresh when the writer starts and the run's totals at the end
    expect(tx.count()).toBeLessThanOrEqual((first.totals.apiCalls + listings) / 20);

    const second = await c.crawl();
    expect(second.status).toBe('complete');
    expect(rows(c.db, 'SELECT entity_id, change FROM change_log WHERE run_id = ?', second.runId)).toEqual([]);
    expect(rows(c.db, 'SELECT count(*) AS n FROM nodes WHERE removed_run IS NULL AND source IS NOT NULL AND last_seen_run <> ?', second.runId))
      .toEqual([{ n: 0 }]);
    expect(rows(c.db, 'SELECT count(*) AS n FROM edges WHERE removed_run IS NULL AND last_seen_run <> ?', second.runId)).toEqual([{ n: 0 }]);
  }, 120_000);
});
});
