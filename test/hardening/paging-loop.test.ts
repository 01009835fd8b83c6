// Issue 13 item 5: a next link or cursor that points back at a page already read (here: at the page itself)
// fails that listing as `paging loop at page N` after a handful of requests, instead of looping for ever;
// nothing is removed on the strength of it.
import { afterEach, describe, expect, it } from 'vitest';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { PAGING_CASES } from './paging-cases.ts';

let sc: SimCrawl | undefined;
afterEach(async () => { await sc?.close(); sc = undefined; });

describe('self-referencing next links end the listing', () => {
  for (const c of PAGING_CASES) {
    it(`${c.name}: the listing fails as a paging loop within a few requests`, async () => {
      sc = await startSimCrawl(c.provider, c.scenario(), { faults: [{ route: c.route, kind: 'next', next: '{self}' }] });
      const run = await sc.crawl();

      const failed = rows<{ status: string; error: string }>(sc.db,
        "SELECT status, error FROM run_ledger WHERE run_id = ? AND error LIKE '%paging loop at page %'", run.runId);
      expect(failed.length, JSON.stringify(run.resources.filter((r) => r.error))).toBeGreaterThan(0);
      for (const r of failed) expect(r.status).toBe('failed');
      expect(failed[0]!.error).toMatch(/paging loop at page \d+/);
      // Per listing (one path, or one page token chain), only a few requests were sent.
      const perPath = new Map<string, number>();
      for (const e of sc.sim.log.filter((x) => x.route === c.route || x.route === `batch:${c.route}`)) perPath.set(e.path, (perPath.get(e.path) ?? 0) + 1);
      expect(perPath.size).toBeGreaterThan(0);
      expect(Math.max(...perPath.values())).toBeLessThan(10);
      expect(rows(sc.db, "SELECT entity_id FROM change_log WHERE run_id = ? AND change = 'removed'", run.runId)).toEqual([]);
    });
  }
});
