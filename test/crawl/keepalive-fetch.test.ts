// The crawler's keep-alive transport (src/crawl/keepalive-fetch.ts): connections reused and bounded per origin (also
// through a whole GitHub crawl), and the fetch behaviour SDKs rely on — status, headers, bodies, compression,
// same-origin redirects only, abort, network errors shaped as fetch's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/server.ts';
import { createKeepAliveFetch, type KeepAliveFetch } from '../../src/crawl/keepalive-fetch.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { startSimCrawl } from '../helpers/sim-crawl.ts';

const open: Array<SimulatorHandle | KeepAliveFetch> = [];
afterEach(async () => { for (const x of open.splice(0)) await x.close(); });

async function server(): Promise<SimulatorHandle> {
  const sim = await startSimulator({ name: 'test', etag: true, routes: [
    { method: 'GET', path: '/items/:n', handler: (req) => ({ headers: { 'x-page': req.params.n! }, body: { n: Number(req.params.n) } }) },
    { method: 'POST', path: '/echo', handler: (req) => ({ status: 201, body: { got: req.body } }) },
    { method: 'GET', path: '/moved', handler: () => ({ status: 302, headers: { location: '/items/7' }, body: '' }) },
    { method: 'GET', path: '/away', handler: () => ({ status: 301, headers: { location: 'http://127.0.0.2:9/items/1' }, body: '' }) },
    { method: 'GET', path: '/slow', handler: () => new Promise((r) => setTimeout(() => r({ body: {} }), 2000)) },
  ] });
  open.push(sim);
  return sim;
}

const fetcher = (o: Parameters<typeof createKeepAliveFetch>[0] = {}) => { const f = createKeepAliveFetch(o); open.push(f); return f; };

describe('keep-alive fetch', () => {
  it('reuses connections: 200 requests, 20 at a time, over at most maxSockets connections', async () => {
    const sim = await server();
    const f = fetcher({ maxSockets: 4 });
    let next = 0;
    const seen: number[] = [];
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < 200) {
        const n = next++;
        seen.push(((await (await f(`${sim.url}/items/${n}`)).json()) as { n: number }).n);
      }
    }));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(sim.log).toHaveLength(200);
    expect(sim.connections).toBeLessThanOrEqual(4);
    expect(f.connectionsOpened).toBe(sim.connections);
  });

  it('answers as fetch does: status, url, headers (get and iteration), text, 304 without a body, POST bodies', async () => {
    const sim = await server();
    const f = fetcher();
    const r = await f(`${sim.url}/items/3`, { headers: { accept: 'application/json' } });
    expect([r.status, r.ok, r.url]).toEqual([200, true, `${sim.url}/items/3`]);
    expect(r.headers.get('X-Page')).toBe('3');
    expect(Object.fromEntries(r.headers)['content-type']).toContain('json');
    const etag = r.headers.get('etag')!;
    expect(await r.text()).toBe('{"n":3}');
    const again = await f(`${sim.url}/items/3`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const post = await f(`${sim.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: 'é' }) });
    expect([post.status, await post.json()]).toEqual([201, { got: { q: 'é' } }]);
  });

  it('asks for compression and decodes gzip', async () => {
    let asked: string | undefined;
    const srv = http.createServer((req, res) => {
      asked = req.headers['accept-encoding'];
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
      res.end(zlib.gzipSync(JSON.stringify({ packed: true })));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    try {
      expect(await (await fetcher()(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/`)).json()).toEqual({ packed: true });
      expect(asked).toContain('gzip');
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
  });

  it('follows a redirect on the same origin and refuses one to another origin (the credential stays home)', async () => {
    const sim = await server();
    const f = fetcher();
    const r = await f(`${sim.url}/moved`);
    expect([r.status, r.redirected, r.url, await r.json()]).toEqual([200, true, `${sim.url}/items/7`, { n: 7 }]);
    await expect(f(`${sim.url}/away`)).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed', cause: { message: expect.stringContaining('another origin') } });
    expect(sim.log.filter((e) => e.path === '/items/1')).toHaveLength(0);
    expect((await f(`${sim.url}/moved`, { redirect: 'manual' })).status).toBe(302);
  });

  it('aborts with an AbortError and fails a refused connection as fetch does (TypeError, errno in the cause)', async () => {
    const sim = await server();
    const f = fetcher();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(f(`${sim.url}/slow`, { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const port = sim.port;
    await sim.close();
    await expect(f(`http://127.0.0.1:${port}/items/1`)).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });

  it('a GitHub crawl at concurrency 4 uses at most 4 connections (token minting and GraphQL included)', async () => {
    const run = await startSimCrawl('github', buildGithubScenario({ repos: 60, members: 300, installations: 6, keysPerRepo: 1, hooksPerRepo: 1 }));
    try {
      const s = await run.crawl({ configPatch: { concurrency: 4 } });
      expect(s.status).toBe('complete');
      expect(run.sim.log.length).toBeGreaterThan(100);
      expect(run.sim.connections).toBeLessThanOrEqual(4);
    } finally {
      await run.close();
    }
  });
});
