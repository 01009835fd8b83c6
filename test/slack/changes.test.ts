// Month over month: last month's workspace, then this month's — the scope DataSync was granted since
// is a modification with before/after, the app removed since is a removal, both in change_log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSlackScenario, slackPlanted, TEAM_ID } from '../../scenarios/demo/slack.ts';
import type { SlackScenario } from '../../connectors/slack/simulator/scenario.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

let c: SimCrawl;
let run2: number;
const dataSync = `slack:app:${TEAM_ID}:${slackPlanted.scopeAdded.appId}`;
const poll = `slack:app:${TEAM_ID}:${slackPlanted.removedApp.id}`;

beforeAll(async () => {
  const block: SlackScenario = buildSlackScenario({ month: 'previous' });
  c = await startSimCrawl('slack', block);
  expect((await c.crawl()).status).toBe('complete');
  // The simulator serves the block it was given: this month is the same object, updated in place.
  Object.assign(block, buildSlackScenario({ month: 'current' }));
  const s = await c.crawl();
  expect(s.status).toBe('complete');
  run2 = s.runId;
});
afterAll(async () => { await c.close(); });

describe('slack changes between crawls', () => {
  it('records the scope added since the last crawl as a modification with before and after', () => {
    const mod = rows<{ before: string; after: string }>(c.db,
      "SELECT before, after FROM change_log WHERE run_id = ? AND entity = 'node' AND entity_id = ? AND change = 'modified'", run2, dataSync);
    expect(mod).toHaveLength(1);
    const before = JSON.parse(mod[0]!.before).props.scopes as string[];
    const after = JSON.parse(mod[0]!.after).props.scopes as string[];
    for (const s of slackPlanted.scopeAdded.added) { expect(before).not.toContain(s); expect(after).toContain(s); }
    const added = rows<{ entity_id: string }>(c.db, "SELECT entity_id FROM change_log WHERE run_id = ? AND entity = 'edge' AND change = 'added' AND kind = 'HAS_SCOPE' AND entity_id LIKE ?", run2, `${dataSync}|%`);
    expect(added.map((r) => r.entity_id.split('|')[2]).sort()).toEqual(slackPlanted.scopeAdded.added.map((s) => `slack:scope:${s}`).sort());
  });

  it('records the removed app as removed, with its edges, and keeps it out of the current views', () => {
    const removed = rows<{ before: string }>(c.db, "SELECT before FROM change_log WHERE run_id = ? AND entity = 'node' AND entity_id = ? AND change = 'removed'", run2, poll);
    expect(removed).toHaveLength(1);
    expect(JSON.parse(removed[0]!.before).name).toBe(slackPlanted.removedApp.name);
    expect(rows(c.db, "SELECT 1 FROM change_log WHERE run_id = ? AND entity = 'edge' AND change = 'removed' AND entity_id LIKE ?", run2, `${poll}|INSTALLED_BY|%`)).toHaveLength(1);
    expect(rows(c.db, 'SELECT id FROM connectors WHERE id = ?', poll)).toEqual([]);
  });

  it('removes nothing else', () => {
    expect(rows(c.db, "SELECT entity_id FROM change_log WHERE run_id = ? AND entity = 'node' AND change = 'removed'", run2)).toEqual([{ entity_id: poll }]);
  });
});

describe('slack incremental crawl of the integration log', () => {
  it('replays only entries newer than the last run, pages less, and reaches the same graph as a full crawl', async () => {
    const block: SlackScenario = buildSlackScenario({ month: 'previous' });
    const inc = await startSimCrawl('slack', block);
    const full = await startSimCrawl('slack', buildSlackScenario({ month: 'current' }));
    try {
      const patch = { configPatch: { logPageSize: 2 } };
      expect((await inc.crawl(patch)).status).toBe('complete');
      Object.assign(block, buildSlackScenario({ month: 'current' }));
      const before = inc.sim.log.filter((e) => e.route === 'team.integrationLogs').length;
      const s = await inc.crawl({ ...patch, mode: 'incremental' });
      expect(s.status).toBe('complete');
      const pagesRead = inc.sim.log.filter((e) => e.route === 'team.integrationLogs').length - before;
      const allPages = Math.ceil(block.workspaces[0]!.integrationLogs.length / 2);
      expect(pagesRead).toBeLessThan(allPages);
      expect((await full.crawl(patch)).status).toBe('complete');
      const graph = (c: typeof inc) => rows(c.db, "SELECT id, props FROM nodes WHERE removed_run IS NULL AND type IN ('slack.app', 'slack.incoming_webhook', 'slack.custom_integration') ORDER BY id");
      expect(graph(inc)).toEqual(graph(full));
      expect(rows(inc.db, "SELECT entity_id FROM change_log WHERE run_id = ? AND entity = 'node' AND change = 'removed'", s.runId)).toEqual([{ entity_id: poll }]);
      expect(rows(inc.db, "SELECT 1 FROM change_log WHERE run_id = ? AND entity_id = ? AND change = 'modified'", s.runId, dataSync)).toHaveLength(1);
    } finally { await inc.close(); await full.close(); }
  });
});
