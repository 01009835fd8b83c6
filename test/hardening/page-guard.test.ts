// The shared paging guard (src/crawl/page-guard.ts) on its own: which next links count as the same origin,
// the exact refusal and loop messages, the page bound, the abort signal — and the bound set from the config
// file (`maxPagesPerListing`) ending an endless listing of a real paginator.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSlackScenario } from '../../scenarios/demo/slack.ts';
import { executeCrawl } from '../../src/cli/crawl.ts';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { assertRequestOrigin, isRefusal, PageGuard, PagingLoop } from '../../src/crawl/page-guard.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import type { SimulatorHandle } from '../../src/simulator/server.ts';
import { createLogger } from '../../src/util/log.ts';

const BASE = 'https://api.example.com/v1.0';

describe('PageGuard', () => {
  it('follows links on the base origin, relative ones included, and says which absolute URL to request', () => {
    const g = new PageGuard({ base: BASE });
    expect(g.start('https://api.example.com/v1.0/users')).toBe('https://api.example.com/v1.0/users');
    expect(g.follow('https://API.example.com:443/v1.0/users?$skiptoken=a')).toBe('https://api.example.com/v1.0/users?$skiptoken=a');
    expect(g.follow('/v1.0/users?$skiptoken=b')).toBe('https://api.example.com/v1.0/users?$skiptoken=b');
  });

  it.each([
    ['another port', 'https://api.example.com:8443/v1.0/users', 'https://api.example.com:8443'],
    ['another scheme', 'http://api.example.com/v1.0/users', 'http://api.example.com'],
    ['another host', 'https://evil.example.net/v1.0/users', 'https://evil.example.net'],
    ['a look-alike with userinfo', 'https://api.example.com@evil.example.net/x', 'https://evil.example.net'],
    ['a protocol-relative link', '//evil.example.net/x', 'https://evil.example.net'],
    ['a file URL', 'file:///etc/passwd', 'file://'],
  ])('refuses %s with the exact message', (_what, link, origin) => {
    const g = new PageGuard({ base: BASE });
    let message = '';
    try { g.follow(link); } catch (e) { message = (e as Error).message; }
    expect(message).toBe(`next link to a different origin (${origin}) refused`);
  });

  it('a repeated link or cursor is a paging loop at the page that returned it', () => {
    const g = new PageGuard({ base: BASE });
    g.start(`${BASE}/users`);
    g.beforePage();
    expect(() => g.follow(`${BASE}/users`)).toThrow(/^paging loop at page 1\b/);
    const c = new PageGuard({ base: BASE });
    c.beforePage(); c.cursor('abc');
    c.beforePage(); c.cursor('def');
    c.beforePage();
    expect(() => c.cursor('abc')).toThrow(/^paging loop at page 3\b/);
  });

  it('an opaque cursor is sent as it is, but one that is an absolute URL must stay on the origin', () => {
    const g = new PageGuard({ base: BASE });
    expect(g.cursor('dXNlcjpVMEc5V0ZYTlo=')).toBe('dXNlcjpVMEc5V0ZYTlo=');
    expect(() => g.cursor('http://127.0.0.1:9/x')).toThrow('next link to a different origin (http://127.0.0.1:9) refused');
  });

  it('more pages than the bound is a paging loop; the refusals are never retried', () => {
    const g = new PageGuard({ base: BASE, maxPages: 3 });
    g.beforePage(); g.beforePage(); g.beforePage();
    let err: unknown;
    try { g.beforePage(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(PagingLoop);
    expect((err as Error).message).toMatch(/^paging loop at page 4 \(more than 3 pages\)$/);
    expect(isRefusal(err)).toBe(true);
    expect(isRefusal({ original: err })).toBe(true);
    expect(isRefusal(new Error('ECONNRESET'))).toBe(false);
  });

  it('stops at the next page once the crawl is aborted', () => {
    const ac = new AbortController();
    const g = new PageGuard({ base: BASE, signal: ac.signal });
    g.beforePage();
    ac.abort();
    expect(() => g.beforePage()).toThrow('crawl interrupted');
  });

  it('assertRequestOrigin accepts the configured origin(s) only', () => {
    expect(() => assertRequestOrigin(`${BASE}/x`, BASE)).not.toThrow();
    expect(() => assertRequestOrigin('https://iam.example.com/v1', [BASE, 'https://iam.example.com/'])).not.toThrow();
    expect(() => assertRequestOrigin('http://127.0.0.1:1/x', BASE)).toThrow('request to a different origin (http://127.0.0.1:1) refused');
  });
});

describe('maxPagesPerListing from the config file', () => {
  let db: Db | undefined;
  let sim: SimulatorHandle | undefined;
  afterEach(async () => { db?.close(); await sim?.close(); db = undefined; sim = undefined; });

  it('an endless page-numbered listing (Slack integration log) fails at the configured bound', async () => {
    const specs = await loadConnectors();
    const spec = specs.find((s) => s.name === 'slack')!;
    const block = buildSlackScenario();
    sim = await spec.simulator!.start(block, { faults: [{ route: 'team.integrationLogs', kind: 'next' }] });
    const config = configFromObject({ maxPagesPerListing: 5, retry: { maxRetries: 0 }, providers: { slack: spec.simulator!.configFor(sim, block) } }, specs);
    const file = path.resolve('test/.tmp', `page-bound-${process.pid}.db`);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    db = openDb(file);
    const summary = await executeCrawl({ config, db, log: createLogger({ write: () => {} }), env: spec.simulator!.envFor?.(sim) ?? {}, progress: false });
    const logs = summary.resources.find((r) => r.resourceType === 'slack.integration_logs')!;
    expect(logs.status).toBe('failed');
    expect(logs.error).toContain('paging loop at page 6 (more than 5 pages)');
    expect(sim.log.filter((e) => e.route === 'team.integrationLogs')).toHaveLength(5);
  });
});
