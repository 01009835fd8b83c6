// Issue 13 item 12: the same object twice in one listing (the same installation id on two pages) is not
// silently merged: the first copy is kept, the ledger warns naming the id, and the listing is partial, so
// nothing is removed on the strength of it. The rule is the engine's, for any provider: only an item's
// primary node counts — nodes many items share (scopes, vendors, references) are not duplicates.
import { afterEach, describe, expect, it } from 'vitest';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { runCrawl } from '../../src/crawl/engine.ts';
import { defineResource } from '../../src/crawl/resource.ts';
import type { ProviderSpec } from '../../src/crawl/provider.ts';
import { openDb } from '../../src/graph/db.ts';
import { createLogger } from '../../src/util/log.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

let run: SimCrawl | undefined;
afterEach(async () => { await run?.close(); run = undefined; });

describe('duplicate ids within one listing', () => {
  it('GitHub: an installation listed twice keeps its first copy, warns naming the id, and removes nothing', async () => {
    const s = buildGithubScenario();
    const installs = s.installations!;
    const first = installs[0]!;
    const twin = { ...first, app_slug: 'impostor-copy' };
    installs.push(twin); // on the last page: perPage 5 spreads the listing over several pages
    run = await startSimCrawl('github', s);
    const one = await run.crawl({ configPatch: { perPage: 5 } });
    const id = `github:app_installation:${first.id}`;

    const ledger = (runId: number) => rows<{ status: string; error: string | null }>(run!.db,
      "SELECT status, error FROM run_resources WHERE run_id = ? AND resource_type = 'github.app_installations'", runId)[0]!;
    expect(ledger(one.runId).status).toBe('partial');
    expect(ledger(one.runId).error).toContain(id);
    expect(ledger(one.runId).error).toMatch(/duplicate/i);
    expect(rows(run.db, 'SELECT name FROM nodes WHERE id = ?', id)).toEqual([{ name: first.app_slug }]);
    // the copy fanned out nothing: each installation's app is looked up once
    const apps = one.resources.find((r) => r.resourceType === 'github.apps')!;
    expect(apps.listings).toBe(installs.filter((i) => i.app_slug).length - 1);

    // an installation deleted since: the partial listing must not remove it
    const gone = installs.find((i) => i.id !== first.id)!;
    installs.splice(installs.indexOf(gone), 1);
    const two = await run.crawl({ configPatch: { perPage: 5 } });
    expect(ledger(two.runId).status).toBe('partial');
    expect(rows(run.db, 'SELECT removed_run FROM nodes WHERE id = ?', `github:app_installation:${gone.id}`)).toEqual([{ removed_run: null }]);
    expect(rows(run.db, "SELECT count(*) n FROM change_log WHERE run_id = ? AND change = 'removed' AND entity_id LIKE 'github:app_installation:%'", two.runId))
      .toEqual([{ n: 0 }]);
    expect(rows(run.db, 'SELECT name FROM nodes WHERE id = ?', id)).toEqual([{ name: first.app_slug }]);
    expect(run.logs.some((l) => /duplicate/i.test(l) && l.includes(id))).toBe(true);

    // once the provider stops repeating it, the listing completes and the deletion is recorded
    installs.pop();
    const three = await run.crawl({ configPatch: { perPage: 5 } });
    expect(ledger(three.runId)).toEqual({ status: 'complete', error: null });
    expect(rows(run.db, 'SELECT removed_run FROM nodes WHERE id = ?', `github:app_installation:${gone.id}`)).toEqual([{ removed_run: three.runId }]);
  });

  it('any provider: shared nodes (scopes, references) from many items are not duplicates; a repeated primary node is', async () => {
    type Item = { id: string; name: string; scopes: string[] };
    const pages: Item[][] = [
      [{ id: 'a', name: 'alpha', scopes: ['read', 'write'] }, { id: 'b', name: 'beta', scopes: ['read'] }],
      [{ id: 'c', name: 'gamma', scopes: ['read', 'write'] }],
    ];
    const apps = defineResource<unknown, Item>({
      provider: 'fake', type: 'fake.apps', description: 'apps', emits: { nodes: ['connector', 'scope', 'principal'], edges: ['HAS_SCOPE', 'INSTALLED_BY'] },
      async *list() { for (const items of pages) yield { items }; },
      map: (it) => ({
        nodes: [
          { id: `fake:app:${it.id}`, kind: 'connector', type: 'fake.app', name: it.name, props: {} },
          { id: 'fake:user:admin', kind: 'principal', type: 'fake.user', name: 'admin', props: {}, ref: true },
          ...it.scopes.map((sc) => ({ id: `fake:scope:${sc}`, kind: 'scope' as const, type: 'fake.scope', name: sc, props: {} })),
        ],
        edges: [
          { type: 'INSTALLED_BY', from: `fake:app:${it.id}`, to: 'fake:user:admin' },
          ...it.scopes.map((sc) => ({ type: 'HAS_SCOPE' as const, from: `fake:app:${it.id}`, to: `fake:scope:${sc}` })),
        ],
      }),
    });
    const spec = { name: 'fake', description: 'fake', configSchema: undefined as never, tenants: () => [{ provider: 'fake', id: 't1', config: {} }],
      httpPolicy: { provider: 'fake', maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, classify: () => ({ retry: false }) },
      createClient: () => ({}), resources: [apps] } satisfies ProviderSpec;
    const db = openDb(':memory:');
    const log = createLogger({ format: 'json', level: 'error', write: () => {} });
    const crawl = () => runCrawl({ db, log, providers: [{ spec, config: {} }] });

    const clean = await crawl();
    expect(clean.resources[0]).toMatchObject({ status: 'complete', error: null, objects: 3 });

    pages[1]!.push({ id: 'a', name: 'alpha-again', scopes: ['admin'] });
    pages[0]!.splice(1, 1); // beta is gone: a complete listing would remove it
    const dup = await crawl();
    expect(dup.resources[0]!.status).toBe('partial');
    expect(dup.resources[0]!.error).toContain('fake:app:a');
    expect(rows(db, "SELECT name FROM nodes WHERE id = 'fake:app:a'")).toEqual([{ name: 'alpha' }]);
    expect(rows(db, "SELECT count(*) n FROM edges WHERE src = 'fake:app:a' AND dst = 'fake:scope:admin'")).toEqual([{ n: 0 }]);
    expect(rows(db, "SELECT removed_run FROM nodes WHERE id = 'fake:app:b'")).toEqual([{ removed_run: null }]);
    db.close();
  });
});
