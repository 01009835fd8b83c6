// Issue 20: crawl state survives a change of address. Per provider: crawl the simulator on one port, move it to
// another port (a GHES host move, a proxy or port change, a restarted harness), crawl again. The second crawl
// completes with the same objects and removes nothing; where state held the old address (GitHub cached next
// links, Graph delta links) it is discarded with one informational ledger line and the listing runs in full;
// state that holds no address (Slack's integration-log replay, Google's watermarks) is kept.
import { afterEach, describe, expect, it } from 'vitest';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { buildSlackScenario } from '../../scenarios/demo/slack.ts';
import { demoGoogle, fastQuotas } from '../google/fixtures.ts';

let sc: SimCrawl | undefined;
afterEach(async () => { await sc?.close(); sc = undefined; });

const liveIds = (c: SimCrawl) => rows<{ id: string }>(c.db, 'SELECT id FROM nodes WHERE removed_run IS NULL ORDER BY id').map((r) => r.id);
const notes = (c: SimCrawl, runId: number) =>
  rows<{ resource_type: string; notes: string | null }>(c.db, 'SELECT resource_type, notes FROM run_resources WHERE run_id = ? ORDER BY resource_type', runId);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const statuses = (run: CrawlSummary) => Object.fromEntries(run.resources.map((r) => [r.resourceType, r.status]));

interface Case {
  provider: string;
  scenario(): unknown;
  mode: 'full' | 'incremental';
  configPatch?: Record<string, unknown>;
  /** Resource types whose state held the address: each carries the discard note (and no other note appears). */
  discarded: string[];
  /** The base URL of that state on the old simulator. */
  base(url: string): string;
}

const CASES: Case[] = [
  // two items a page: listings span pages, so the page cache holds next links
  { provider: 'github', scenario: buildGithubScenario, mode: 'incremental', configPatch: { perPage: 2 },
    discarded: ['github.app_installations', 'github.members', 'github.repositories'], base: (u) => u },
  { provider: 'azure', scenario: buildAzureScenario, mode: 'incremental',
    discarded: ['azure.applications', 'azure.service_principals', 'azure.users'], base: (u) => `${u}/v1.0` },
  { provider: 'slack', scenario: () => buildSlackScenario(), mode: 'incremental', discarded: [], base: (u) => u },
  { provider: 'google', scenario: demoGoogle, mode: 'incremental', configPatch: fastQuotas, discarded: [], base: (u) => u },
];

describe('crawl state survives a change of address', () => {
  for (const c of CASES) {
    it(`${c.provider}: a crawl after the API moved to another port completes, same objects, nothing removed`, async () => {
      sc = await startSimCrawl(c.provider, c.scenario());
      const first = await sc.crawl({ mode: c.mode, configPatch: c.configPatch });
      expect(first.status).toBe('complete');
      const before = liveIds(sc);

      const oldUrl = await sc.restartSim();
      expect(sc.sim.url).not.toBe(oldUrl);
      const second = await sc.crawl({ mode: c.mode, configPatch: c.configPatch });

      // every listing as it was the first time (complete; Slack's Grid-only ones unsupported on a workspace)
      const bad = second.resources.filter((r) => r.status === 'failed' || r.status === 'partial');
      expect(bad, JSON.stringify(bad)).toEqual([]);
      expect(statuses(second)).toEqual(statuses(first));
      expect(second.status).toBe('complete');
      expect(liveIds(sc)).toEqual(before);
      expect(rows(sc.db, "SELECT entity_id FROM change_log WHERE run_id = ? AND change = 'removed'", second.runId)).toEqual([]);

      const note = `state from ${c.base(oldUrl)} discarded: base URL changed`;
      const noted = notes(sc, second.runId).filter((r) => r.notes);
      // one line per resource type, however many of its listings and pages held the old address
      for (const r of noted) expect(r.notes).toMatch(new RegExp(`^${escape(note)}( \\(\\d+ listings\\))?$`));
      expect(noted.map((r) => r.resource_type)).toEqual(expect.arrayContaining(c.discarded));
      if (!c.discarded.length) expect(noted).toEqual([]);
      for (const t of c.discarded) expect(second.resources.find((r) => r.resourceType === t)).toMatchObject({ status: 'complete', error: null });
      // no state that is used names the old address any more (Azure's lastFullReason is a text saying why)
      const oldOrigin = new URL(oldUrl).origin;
      expect(rows(sc.db, "SELECT key FROM http_cache WHERE instr(coalesce(base, '') || coalesce(next, ''), ?) > 0", oldOrigin)).toEqual([]);
      expect(rows(sc.db, "SELECT key FROM crawl_state WHERE instr(value, ?) > 0 AND key NOT LIKE '%.lastFullReason'", oldOrigin)).toEqual([]);

      // and the crawl after that uses the new state again (conditional requests / delta links), with no note
      const third = await sc.crawl({ mode: c.mode, configPatch: c.configPatch });
      expect(third.status).toBe('complete');
      expect(notes(sc, third.runId).filter((r) => r.notes)).toEqual([]);
      expect(liveIds(sc)).toEqual(before);
      if (c.provider === 'github') expect(third.totals.notModified).toBeGreaterThan(0);
    });
  }
});
