// The engine accepts any caller's abort signal, including one already set to unlimited listeners
// (Node 20's getMaxListeners throws for that one): the run goes on as with no signal. On both backends.
import { setMaxListeners } from 'node:events';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { runCrawl } from '../../src/crawl/engine.ts';
import type { ProviderSpec } from '../../src/crawl/provider.ts';
import { defineResource } from '../../src/crawl/resource.ts';
import { describeBackends } from '../helpers/backends.ts';
import { createLogger } from '../../src/util/log.ts';

const items = defineResource<{ calls: number }, { id: string }>({
  provider: 'probe', type: 'probe.items', description: 'one page of two connectors',
  emits: { nodes: ['connector'], edges: [] },
  async *list(ctx) { ctx.client.calls++; yield { items: [{ id: 'a' }, { id: 'b' }] }; },
  map: (i) => ({ nodes: [{ id: `probe:${i.id}`, kind: 'connector', type: 'probe.item', name: i.id, props: {} }], edges: [] }),
});

const probe: ProviderSpec<Record<string, never>, { calls: number }> = {
  name: 'probe', description: 'test provider', configSchema: z.object({}) as any,
  tenants: () => [{ provider: 'probe', id: 't1', config: {} }],
  httpPolicy: { provider: 'probe', maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, classify: () => ({ retry: false }) },
  createClient: () => ({ calls: 0 }),
  resources: [items],
};

describeBackends('crawl engine signal', ({ openTestDb }) => {
test('a signal with unlimited listeners (0) is accepted and the run completes', async () => {
  const db = openTestDb();
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const summary = await runCrawl({ db, log: createLogger({ write: () => {} }), signal: abort.signal, providers: [{ spec: probe, config: {} }] });
  expect(summary.status).toBe('complete');
  expect(summary.resources).toMatchObject([{ resourceType: 'probe.items', status: 'complete', objects: 2 }]);
  expect(db.prepare("SELECT count(*) AS n FROM nodes WHERE type = 'probe.item'").get()).toEqual({ n: 2 });
});
});
