// Bounded, lazy fan-out (issue 16, src/crawl/fanout.ts): listings scheduled but not started never exceed the bound,
// a deep tree (parent -> child -> grandchild) completes at bounds of 1 and 2 without deadlock, and a crawl gives the
// same graph and ledger with the bound at 1 as unbounded — for a probe provider and each provider's demo scenario.
// The probe's suite runs on both backends (test/helpers/backends.ts); the demo scenarios' on SQLite (crawls of the demo
// into PostgreSQL: test/postgres/crawl.test.ts).
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { runCrawl, type CrawlSummary } from '../../src/crawl/engine.ts';
import type { ProviderSpec } from '../../src/crawl/provider.ts';
import { defineResource, type ParentRef } from '../../src/crawl/resource.ts';
import type { Db } from '../../src/graph/db.ts';
import { createLogger } from '../../src/util/log.ts';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { buildGoogleScenario } from '../../scenarios/demo/google.ts';
import { buildSlackScenario } from '../../scenarios/demo/slack.ts';
import { describeBackends, openTestDb } from '../helpers/backends.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

const dbs: Db[] = [];
afterEach(() => { for (const d of dbs.splice(0)) d.close(); });

type Item = { id: string };
const node = (i: Item) => ({ nodes: [{ id: `probe:${i.id}`, kind: 'connector' as const, type: 'probe.item', name: i.id, props: {} }], edges: [] });
const ref = (i: Item): ParentRef => ({ nodeId: `probe:${i.id}`, label: i.id });
/** `pages` pages of `per` items under `prefix`; a tick between pages so other listings interleave. */
async function* pagesOf(prefix: string, pages: number, per: number) {
  for (let p = 0; p < pages; p++) {
    await new Promise((r) => setImmediate(r));
    yield { items: Array.from({ length: per }, (_, i) => ({ id: `${prefix}.${p}.${i}` })) };
  }
}

/** A probe provider: `roots` root items (pages of 3), each with `kids` children (pages of 2), each with one grandchild listing of 2 items. */
function probe(roots: number, kids: number, failChild?: string): ProviderSpec {
  const root = defineResource<unknown, Item>({ provider: 'probe', type: 'probe.root', description: 'roots', emits: { nodes: ['connector'], edges: [] },
    list: () => pagesOf('r', Math.ceil(roots / 3), 3), map: node, ref });
  const child = defineResource<unknown, Item, ParentRef>({ provider: 'probe', type: 'probe.child', description: 'children', parent: root,
    emits: { nodes: ['connector'], edges: [] },
    async *list(ctx) {
      if (ctx.parent.label === failChild) throw new Error('boom');
      yield* pagesOf(`${ctx.parent.label}.c`, Math.ceil(kids / 2), 2);
    },
    map: node, ref });
  const grandchild = defineResource<unknown, Item, ParentRef>({ provider: 'probe', type: 'probe.grandchild', description: 'grandchildren', parent: child,
    emits: { nodes: ['connector'], edges: [] }, list: (ctx) => pagesOf(`${ctx.parent.label}.g`, 1, 2), map: node });
  return {
    name: 'probe', description: 'test provider', configSchema: z.object({}) as any,
    tenants: () => [{ provider: 'probe', id: 't1', config: {} }],
    httpPolicy: { provider: 'probe', maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, classify: () => ({ retry: false }) },
    createClient: () => ({}), resources: [root, child, grandchild] as ProviderSpec['resources'],
  };
}

async function crawlProbe(spec: ProviderSpec, concurrency: number, maxPendingListings?: number): Promise<{ s: CrawlSummary; db: Db }> {
  const db = openTestDb();
  dbs.push(db);
  const s = await runCrawl({ db, log: createLogger({ write: () => {} }), maxPendingListings, providers: [{ spec, config: {}, concurrency }] });
  return { s, db };
}

const ledger = (s: CrawlSummary) => s.resources.map((r) => [r.resourceType, r.status, r.listings, r.listingsFailed, r.objects, r.error]).sort();
const nodeIds = (db: Db) => rows<{ id: string }>(db, 'SELECT id FROM nodes ORDER BY id').map((r) => r.id);

describeBackends('bound on pending listings', () => {
  test('a wide crawl never has more listings scheduled-but-not-started than the bound, and lists everything', async () => {
    const wide = probe(60, 4);
    const { s, db } = await crawlProbe(wide, 2, 5);
    expect(s.status).toBe('complete');
    expect(s.fanout?.probe).toMatchObject({ bound: 5 });
    expect(s.fanout!.probe!.peakPending).toBeLessThanOrEqual(5);
    expect(s.fanout!.probe!.started).toBe(1 + 60 + 240);
    expect(nodeIds(db)).toHaveLength(60 + 240 + 480);
    // the same crawl unbounded queues far more at once: the counter measures what the bound limits
    const free = await crawlProbe(wide, 2, 1_000_000);
    expect(free.s.fanout!.probe!.peakPending).toBeGreaterThan(20);
    expect(nodeIds(free.db)).toEqual(nodeIds(db));
    expect(ledger(free.s)).toEqual(ledger(s));
  });

  for (const [bound, concurrency] of [[1, 1], [1, 2], [2, 1], [2, 2]] as const) {
    test(`a deep tree (root -> child -> grandchild) completes at bound ${bound}, concurrency ${concurrency}`, async () => {
      const { s, db } = await crawlProbe(probe(9, 4), concurrency, bound);
      expect(s.status).toBe('complete');
      expect(s.fanout!.probe!.peakPending).toBeLessThanOrEqual(bound);
      expect(ledger(s)).toEqual([
        ['probe.child', 'complete', 9, 0, 36, null], ['probe.grandchild', 'complete', 36, 0, 72, null], ['probe.root', 'complete', 1, 0, 9, null]]);
      expect(nodeIds(db)).toHaveLength(9 + 36 + 72);
    }, 20_000);
  }

  test('a failed child listing fails as before and its grandchildren roll up, bounded or not', async () => {
    const bounded = await crawlProbe(probe(6, 2, 'r.0.1'), 2, 1);
    const free = await crawlProbe(probe(6, 2, 'r.0.1'), 2, 1_000_000);
    expect(ledger(bounded.s)).toEqual(ledger(free.s));
    expect(bounded.s.resources.find((r) => r.resourceType === 'probe.grandchild')).toMatchObject({ status: 'partial', listingsFailed: 1 });
    expect(nodeIds(bounded.db)).toEqual(nodeIds(free.db));
  });
});

describe('the demo scenario gives the same graph with the bound at 1 as unbounded', () => {
  const graph = (c: SimCrawl) => ({
    nodes: rows(c.db, 'SELECT id, kind, type, name, tenant, props, parent_id FROM nodes ORDER BY id'),
    edges: rows(c.db, 'SELECT id, type, src, dst, props, parent_id FROM edges ORDER BY id'),
  });
  const cases: Array<[string, () => unknown]> = [['github', () => buildGithubScenario()], ['slack', () => buildSlackScenario()],
    ['azure', () => buildAzureScenario()], ['google', () => buildGoogleScenario()]];
  for (const [provider, build] of cases) {
    test(provider, async () => {
      const one = await startSimCrawl(provider, build());
      const free = await startSimCrawl(provider, build());
      try {
        const a = await one.crawl({ maxPendingListings: 1 });
        const b = await free.crawl({ maxPendingListings: 1_000_000 });
        expect(a.fanout![provider]!.peakPending).toBeLessThanOrEqual(1);
        expect(a.status).toBe(b.status);
        expect(ledger(a)).toEqual(ledger(b));
        expect(graph(one)).toEqual(graph(free));
      } finally {
        await one.close();
        await free.close();
      }
    }, 60_000);
  }
});
