// Issue 13 item 1: a next link (or a URL-shaped cursor) to another origin is never followed — the token must
// not reach it. Per paginator: the simulator's 'next' fault answers with a link to a listener on another port;
// the listener records zero requests, that listing is failed in the ledger with the refusal, nothing is removed.
import { afterEach, describe, expect, it } from 'vitest';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { PAGING_CASES, startListener, type Listener } from './paging-cases.ts';

let sc: SimCrawl | undefined;
let listener: Listener | undefined;
afterEach(async () => { await sc?.close(); await listener?.close(); sc = undefined; listener = undefined; });

const live = (c: SimCrawl) => rows<{ n: number }>(c.db, 'SELECT count(*) n FROM nodes WHERE removed_run IS NULL')[0]!.n;

describe('next links to another origin are refused', () => {
  for (const c of PAGING_CASES) {
    it(`${c.name}: nothing reaches the other origin, the listing fails with the refusal, nothing is removed`, async () => {
      listener = await startListener();
      sc = await startSimCrawl(c.provider, c.scenario());
      const first = await sc.crawl();
      expect(first.status).not.toBe('failed');
      const before = live(sc);

      sc.sim.setFaults([{ route: c.route, kind: 'next', next: `${listener.origin}/v1.0/stolen?page=2` }]);
      const run = await sc.crawl();

      expect(listener.requests).toEqual([]);
      const message = `next link to a different origin (${listener.origin}) refused`;
      const failed = rows<{ status: string; error: string }>(sc.db,
        'SELECT status, error FROM run_ledger WHERE run_id = ? AND instr(error, ?) > 0', run.runId, message);
      expect(failed.length, JSON.stringify(run.resources.filter((r) => r.error))).toBeGreaterThan(0);
      for (const r of failed) expect(r.status).toBe('failed');
      expect(run.status).toBe('partial');
      expect(rows(sc.db, "SELECT entity_id FROM change_log WHERE run_id = ? AND change = 'removed'", run.runId)).toEqual([]);
      expect(live(sc)).toBe(before);
    });
  }

  // issue 20: state naming another address than the configured base is discarded (one ledger note), never followed
  it('github: a cached next link to another origin (left by an older version) is not followed: the page is read without validators', async () => {
    listener = await startListener();
    sc = await startSimCrawl('github', buildGithubScenario());
    await sc.crawl();
    const poisoned = sc.db.prepare("UPDATE http_cache SET next = ? WHERE key LIKE 'github|%/installations?%'")
      .run(`${listener.origin}/orgs/x/installations?page=2`).changes;
    expect(poisoned).toBeGreaterThan(0);
    const seen = sc.sim.log.length;
    const run = await sc.crawl();
    expect(listener.requests).toEqual([]);
    // its page is asked without the validator; the listing completes, the ledger says why, and the cache is healed
    expect(sc.sim.log.slice(seen).filter((e) => e.route === 'installations').map((e) => [e.status, e.ifNoneMatch])).toEqual([[200, false]]);
    expect(run.resources.find((r) => r.resourceType === 'github.app_installations'))
      .toMatchObject({ status: 'complete', error: null, notes: `state from ${listener.origin} discarded: base URL changed` });
    expect(rows(sc.db, "SELECT count(*) n FROM http_cache WHERE instr(coalesce(next, ''), ?) > 0", listener.origin)).toEqual([{ n: 0 }]);
  });

  it('azure: a stored delta link on another origin is never followed: a full delta round instead', async () => {
    listener = await startListener();
    sc = await startSimCrawl('azure', buildAzureScenario());
    await sc.crawl();
    const poisoned = sc.db.prepare("UPDATE crawl_state SET value = ? WHERE provider = 'azure' AND key = 'applications.deltaLink'")
      .run(`${listener.origin}/v1.0/applications/delta?$deltatoken=x`).changes;
    expect(poisoned).toBe(1);
    const run = await sc.crawl({ mode: 'incremental' });
    expect(listener.requests).toEqual([]);
    expect(run.resources.find((r) => r.resourceType === 'azure.applications')).toMatchObject({ status: 'complete', error: null });
    const reason = rows<{ value: string }>(sc.db, "SELECT value FROM crawl_state WHERE provider = 'azure' AND key = 'applications.lastFullReason'")[0]!.value;
    expect(reason).toContain(`state from ${listener.origin} discarded: base URL changed`);
    expect(run.resources.find((r) => r.resourceType === 'azure.applications')!.notes).toBe(`state from ${listener.origin} discarded: base URL changed`);
    expect(rows(sc.db, "SELECT count(*) n FROM crawl_state WHERE key LIKE '%.deltaLink' AND instr(value, ?) > 0", listener.origin)).toEqual([{ n: 0 }]);
  });
});
