// NUL (U+0000) in provider data: PostgreSQL refuses it in text and jsonb where SQLite stores it, so a hostile or
// broken provider object would fail its page on PostgreSQL only. The graph writer replaces it with U+FFFD in every
// string it stores — names, ids (and so edge ends, parents, listing scopes and removals), props keys and values, edge
// props, crawl state — and the run ledger does in error texts (src/graph/text-safe.ts): the crawl completes, and both
// backends hold the same rows. Through the GitHub simulator (an installation whose slug, events and permission names
// hold NUL: the permission names become scope node ids) and a provider defined here (ids, nested props, edge props,
// state, an error text, a delta removal naming a NUL id).
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { configFromObject } from '../../src/config/config.ts';
import { runCrawl, type CrawlSummary } from '../../src/crawl/engine.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { ProviderSpec } from '../../src/crawl/provider.ts';
import { defineResource } from '../../src/crawl/resource.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import { sameViewRows } from '../../src/graph/view-compare.ts';
import { canonicalJson } from '../../src/util/canonical-json.ts';
import { createLogger } from '../../src/util/log.ts';
import { usePostgres } from '../helpers/postgres.ts';
import { rows } from '../helpers/sim-crawl.ts';

const NUL = '\u0000';
const FFFD = '\uFFFD';
const log = createLogger({ format: 'json', level: 'error', write: () => {} });

/**
 * Every stored value in the tables a crawl writes that still holds a NUL, raw or as a JSON escape (none expected) —
 * but the child references of a cached page: they address the child listings as the provider named them (the GitHub
 * app's slug in its URL), as JSON text, which both backends store alike.
 */
function nulsLeft(db: Db): string[] {
  const found: string[] = [];
  for (const t of ['nodes', 'edges', 'change_log', 'run_resources', 'crawl_state', 'http_cache', 'scope_grades', 'runs']) {
    for (const r of rows(db, `SELECT * FROM ${t}`)) {
      if (t === 'http_cache') r.emitted = JSON.stringify({ ...JSON.parse(r.emitted as string), children: [] });
      for (const [k, v] of Object.entries(r)) if (typeof v === 'string' && (v.includes(NUL) || v.includes('\\u0000'))) found.push(`${t}.${k}: ${JSON.stringify(v).slice(0, 120)}`);
    }
  }
  return found;
}

/** A provider whose objects carry NUL everywhere; `state.delta` makes its next listing a delta that removes one of them. */
function hostileProvider(state: { delta: boolean }): ProviderSpec {
  const apps = defineResource<unknown, { id: string; name: string }>({
    provider: 'fake', type: 'fake.apps', description: 'apps', emits: { nodes: ['connector', 'scope'], edges: ['HAS_SCOPE'] },
    async *list(ctx) {
      if (state.delta) { ctx.markDelta('deletions only'); yield { items: [], removed: [`fake:app:b${NUL}2`] }; return; }
      ctx.state.set('cursor', `{"after":"b${NUL}2"}`);
      yield { items: [{ id: `a${NUL}1`, name: `alpha${NUL}` }, { id: `b${NUL}2`, name: 'beta' }] };
    },
    map: (it) => ({
      nodes: [
        { id: `fake:app:${it.id}`, kind: 'connector', type: 'fake.app', name: it.name,
          props: { [`key${NUL}`]: `value${NUL}`, nested: { list: [`x${NUL}`, 1, null], [`k${NUL}`]: { deep: NUL } }, plain: 'kept' } },
        { id: `fake:scope:read${NUL}all`, kind: 'scope', type: 'fake.scope', name: `read${NUL}all`, props: { permission: `read${NUL}all` } },
      ],
      edges: [{ type: 'HAS_SCOPE', from: `fake:app:${it.id}`, to: `fake:scope:read${NUL}all`, props: { [`via${NUL}`]: `role${NUL}` } }],
    }),
  });
  const broken = defineResource<unknown, never>({
    provider: 'fake', type: 'fake.broken', description: 'a listing that fails with NUL in its error', emits: { nodes: ['connector'], edges: [] },
    // eslint-disable-next-line require-yield
    async *list() { throw new Error(`upstream said: bad${NUL}request`); },
    map: () => ({ nodes: [], edges: [] }),
  });
  return { name: 'fake', description: 'fake', configSchema: undefined as never, tenants: () => [{ provider: 'fake', id: `t${NUL}1`, config: {} }],
    httpPolicy: { provider: 'fake', maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, classify: () => ({ retry: false }) },
    createClient: () => ({}), resources: [apps, broken] } satisfies ProviderSpec;
}

/** The GitHub demo scenario with one installation carrying NUL in its slug, events and permission names. */
function hostileGithub(): ReturnType<typeof buildGithubScenario> {
  const s = buildGithubScenario();
  const inst = s.installations![0]!;
  Object.assign(inst, { app_slug: `evil${NUL}app`, events: [`push${NUL}`], permissions: { [`contents${NUL}`]: 'write', metadata: 'read' } });
  s.apps!.find((a) => a.id === inst.app_id)!.slug = `evil${NUL}app`; // the app, looked up by its slug
  return s;
}

/** Crawls the hostile GitHub scenario (one simulator) into each database in turn. */
async function crawlGithub(dbs: Db[]): Promise<CrawlSummary[]> {
  const specs = await loadConnectors();
  const spec = specs.find((p) => p.name === 'github')!;
  const scenario = hostileGithub();
  const sim = await spec.simulator!.start(scenario, {});
  try {
    const config = configFromObject({ providers: { github: spec.simulator!.configFor(sim, scenario) } }, specs, '(test)').providers.get('github')!;
    const out: CrawlSummary[] = [];
    for (const db of dbs) {
      out.push(await runCrawl({ db, log, env: spec.simulator!.envFor?.(sim) ?? {}, retry: { maxRetries: 0 },
        providers: [{ spec: config.spec, config: config.config, concurrency: 4 }] }));
    }
    return out;
  } finally { await sim.close(); }
}

const crawlFake = (db: Db, state: { delta: boolean }) => runCrawl({ db, log, mode: state.delta ? 'incremental' : 'full', providers: [{ spec: hostileProvider(state), config: {} }] });

describe('NUL in provider strings (SQLite)', () => {
  it('a GitHub installation with NUL in its slug, events and permission names: the crawl completes, stored with U+FFFD', async () => {
    const db = openDb(':memory:');
    const [one] = await crawlGithub([db]);
    expect(one!.status, JSON.stringify(one!.resources.filter((r) => r.status !== 'complete'))).toBe('complete');
    const inst = hostileGithub().installations![0]!;
    const id = `github:app_installation:${inst.id}`;
    const node = rows<{ name: string; props: string }>(db, 'SELECT name, props FROM nodes WHERE id = ?', id)[0]!;
    expect(node.name).toBe(`evil${FFFD}app`);
    expect(JSON.parse(node.props)).toMatchObject({ app_slug: `evil${FFFD}app`, events: [`push${FFFD}`], permissions: { [`contents${FFFD}`]: 'write' } });
    // the permission name is part of a scope node's id: the edge meets the node under the replaced id
    expect(rows(db, `SELECT e.dst, n.name FROM edges e JOIN nodes n ON n.id = e.dst WHERE e.src = ? AND e.type = 'HAS_SCOPE' ORDER BY e.dst`, id))
      .toEqual([{ dst: `github:scope:contents${FFFD}:write`, name: `contents${FFFD}:write` }, { dst: 'github:scope:metadata:read', name: 'metadata:read' }]);
    expect(nulsLeft(db)).toEqual([]);
    db.close();
  });

  it('ids, nested props, edge props, state and an error text: stored with U+FFFD, consistently, and a delta removal finds the node', async () => {
    const db = openDb(':memory:');
    const state = { delta: false };
    const one = await crawlFake(db, state);
    const byType = (s: CrawlSummary, t: string) => s.resources.find((r) => r.resourceType === t)!;
    expect(byType(one, 'fake.apps')).toMatchObject({ status: 'complete', objects: 2 });
    expect(byType(one, 'fake.broken').status).toBe('failed');
    expect(rows(db, "SELECT tenant, error FROM run_resources WHERE resource_type = 'fake.broken'"))
      .toEqual([{ tenant: `t${FFFD}1`, error: expect.stringContaining(`bad${FFFD}request`) }]);

    const a = `fake:app:a${FFFD}1`;
    expect(rows(db, 'SELECT id, name, tenant, props FROM nodes WHERE id = ?', a).map((r) => ({ ...r, props: JSON.parse(r.props as string) }))).toEqual([{
      id: a, name: `alpha${FFFD}`, tenant: `t${FFFD}1`,
      props: { [`key${FFFD}`]: `value${FFFD}`, nested: { list: [`x${FFFD}`, 1, null], [`k${FFFD}`]: { deep: FFFD } }, plain: 'kept' } }]);
    const scope = `fake:scope:read${FFFD}all`;
    expect(rows<{ id: string; src: string; dst: string; props: string }>(db, 'SELECT id, src, dst, props FROM edges ORDER BY id')).toEqual([
      { id: `${a}|HAS_SCOPE|${scope}`, src: a, dst: scope, props: JSON.stringify({ [`via${FFFD}`]: `role${FFFD}` }) },
      { id: `fake:app:b${FFFD}2|HAS_SCOPE|${scope}`, src: `fake:app:b${FFFD}2`, dst: scope, props: JSON.stringify({ [`via${FFFD}`]: `role${FFFD}` }) },
    ]);
    expect(rows(db, 'SELECT tenant, key, value FROM crawl_state')).toEqual([{ tenant: `t${FFFD}1`, key: 'cursor', value: `{"after":"b${FFFD}2"}` }]);
    expect(rows(db, "SELECT entity_id FROM change_log WHERE change = 'added' AND entity = 'node' ORDER BY entity_id"))
      .toEqual([{ entity_id: a }, { entity_id: `fake:app:b${FFFD}2` }, { entity_id: scope }]);
    expect(nulsLeft(db)).toEqual([]);

    // the same objects again: nothing modified (the replaced text is stable), nothing removed
    const two = await crawlFake(db, state);
    expect(byType(two, 'fake.apps').status).toBe('complete');
    expect(rows(db, 'SELECT count(*) AS n FROM change_log WHERE run_id = ?', two.runId)).toEqual([{ n: 0 }]);

    // a delta listing naming the NUL id removes the node stored under the replaced one
    state.delta = true;
    const three = await crawlFake(db, state);
    expect(byType(three, 'fake.apps')).toMatchObject({ status: 'complete', removed: 1 });
    expect(rows(db, 'SELECT id FROM nodes WHERE removed_run = ?', three.runId)).toEqual([{ id: `fake:app:b${FFFD}2` }]);
    expect(rows(db, 'SELECT removed_run FROM nodes WHERE id = ?', a)).toEqual([{ removed_run: null }]);
    expect(nulsLeft(db)).toEqual([]);
    db.close();
  });
});

describe('NUL in provider strings (PostgreSQL)', () => {
  const url = usePostgres();

  /** Times and durations differ between the two crawls: compared as "a time". */
  const untimed = (r: Array<Record<string, unknown>>) => r.map((x) => Object.fromEntries(Object.entries(x)
    .map(([k, v]) => [k, /(_at|^at)$/.test(k) || k === 'duration_ms' ? (v === null ? null : '<time>') : v])));

  it('the same hostile pages complete on PostgreSQL and leave the same rows as in SQLite', async (ctx) => {
    const pgUrl = url(ctx);
    if (!pgUrl) return;
    const lite = openDb(':memory:');
    const pg = openDb(pgUrl, { postgres: true });
    try {
      for (const s of await crawlGithub([lite, pg])) expect(s.status, JSON.stringify(s.resources.filter((r) => r.status !== 'complete'))).toBe('complete');
      const state = { delta: false };
      for (const db of [lite, pg]) {
        const s = await crawlFake(db, state);
        expect(s.resources.find((r) => r.resourceType === 'fake.apps')!.status).toBe('complete');
      }
      state.delta = true;
      for (const db of [lite, pg]) expect((await crawlFake(db, state)).resources.find((r) => r.resourceType === 'fake.apps')!.removed).toBe(1);
      expect(nulsLeft(pg)).toEqual([]);
      for (const sql of [
        'SELECT id, provider, kind, type, name, tenant, props, props_hash, source, parent_id, first_seen_run, last_seen_run, removed_run, changed_run FROM nodes',
        'SELECT id, type, src, dst, provider, props, props_hash, source, parent_id, first_seen_run, last_seen_run, removed_run FROM edges',
        'SELECT run_id, entity, entity_id, change, provider, kind, before, after FROM change_log',
        'SELECT run_id, provider, tenant, resource_type, status, objects, removed, error, notes FROM run_resources',
        "SELECT provider, tenant, key, value FROM crawl_state WHERE provider = 'fake'",
      ]) {
        // jsonb returns its own text: props compared as data
        const read = (db: Db) => untimed(rows(db, sql)).map((r) => ({ ...r, ...(typeof r.props === 'string' ? { props: canonicalJson(JSON.parse(r.props)) } : {}) }));
        expect(sameViewRows('rows', read(lite), read(pg)), sql).toBeNull();
      }
      expect(rows(pg, 'SELECT name FROM nodes WHERE id = ?', `fake:app:a${FFFD}1`)).toEqual([{ name: `alpha${FFFD}` }]);
    } finally { lite.close(); pg.close(); }
  });
});
