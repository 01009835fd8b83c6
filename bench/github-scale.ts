// Benchmark (not a test): crawl a large simulated GitHub organisation with the simulator in a child process
// (bench/_lib/child-sim.ts), so CPU time and peak RSS are the crawler's own. Reports API calls against the
// minimum the data needs, the crawler's CPU per API call, connections used (keep-alive), nodes+edges written per
// second; then an incremental crawl after 1% of repositories changed (a new deploy key, a changed webhook) and a
// conditional full re-crawl; and projects a 6,515-repository org at GitHub's 5,000 requests/h from the measured
// calls per repository (304s and GraphQL do not draw on the REST budget).
// Run: node --import tsx bench/github-scale.ts [--repos 2000 --members 20000 --installations 300] [--quick]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildGithubScenario } from '../scenarios/demo/github.ts';
import type { GithubScenario } from '../connectors/github/simulator/scenario.ts';
import { configFromObject } from '../src/config/config.ts';
import { runCrawl, type CrawlSummary } from '../src/crawl/engine.ts';
import { loadConnectors } from '../src/crawl/load-connectors.ts';
import { openDb } from '../src/graph/db.ts';
import { createLogger } from '../src/util/log.ts';
import { forkChildSim, isChildSim, serveChildSim, type SimStats } from './_lib/child-sim.ts';
import { figure, meter, msPerCall } from './_lib/figures.ts';
import { Octokit } from '@octokit/rest';
import { bodyText, createKeepAliveFetch } from '../src/crawl/keepalive-fetch.ts';

const { values } = parseArgs({ options: {
  repos: { type: 'string' }, members: { type: 'string' }, installations: { type: 'string' },
  limit: { type: 'string', default: '1000000' }, window: { type: 'string', default: '60000' }, concurrency: { type: 'string', default: '8' },
  quick: { type: 'boolean', default: false },
} });
const q = values.quick;
const scale = { repos: Number(values.repos ?? (q ? 500 : 2000)), members: Number(values.members ?? (q ? 5000 : 20000)),
  installations: Number(values.installations ?? (q ? 75 : 300)), hooksPerRepo: 1, keysPerRepo: 1 };
const rate = { limit: Number(values.limit), windowMs: Number(values.window) };
/** The org the issue sizes (6,515 repositories) and GitHub's REST budget per installation token. */
const TARGET_REPOS = 6515;
const REST_PER_HOUR = 5000;
const PER_REPO_ROUTES = ['deploy-keys', 'repo-hooks'];

interface Info { minimumRest: number }

if (isChildSim()) {
  const s: GithubScenario = { ...buildGithubScenario(scale), rateLimit: rate };
  const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
  const minimumRest = 1 /* org */ + pages(s.admins!.length) + pages(s.members.length) + pages(s.outsideCollaborators!.length)
    + pages(s.installations!.length) + s.installations!.length /* app owner per installation: no bulk endpoint */
    + Object.values(s.installationRepositories ?? {}).reduce((a, r) => a + pages(r.length), 0) + pages(s.patGrants!.length)
    + Object.values(s.patGrantRepositories ?? {}).reduce((a, r) => a + pages(r.length), 0)
    + pages(s.patRequests!.length) + pages(s.credentialAuthorizations!.length) + pages(s.repositories.length)
    + 2 * s.repositories.length /* deploy keys + hooks per repository: no org-wide endpoint */
    + pages(s.orgHooks!.length) + pages(s.orgSecrets!.length) + Object.keys(s.orgSecretRepositories!).length + 1 /* app JWT: token mint */;
  await serveChildSim<GithubScenario>('github', s, { info: { minimumRest } satisfies Info, ops: {
    // 1% of repositories get a new deploy key, another 1% a changed webhook
    change: (sc) => {
      const n = Math.max(1, Math.round(sc.repositories.length / 100));
      sc.repositories.slice(0, n).forEach((r, i) => (sc.deployKeys![r.name] ??= []).push({ id: 900_000 + i, title: 'bench-new-key', read_only: true,
        key: `ssh-ed25519 ${Buffer.from(`bench-new-key-${i}`.padEnd(51, '.')).toString('base64')}`, verified: true, created_at: new Date().toISOString() }));
      sc.repositories.slice(n, 2 * n).forEach((r) => { for (const h of sc.repoHooks?.[r.name] ?? []) h.events = [...(h.events ?? []), 'release']; });
      return n;
    },
  } });
} else {
  await bench();
}

async function bench(): Promise<void> {
  const sim = await forkChildSim<Info>();
  const specs = await loadConnectors();
  const p = configFromObject({ providers: { github: sim.config } }, specs, '(bench)').providers.get('github')!;
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_DB_DIR ?? os.tmpdir(), 'nhi-github-bench-'));
  const db = openDb(path.join(dir, 'graph.db'));
  const log = createLogger({ level: 'warn', write: () => {} });
  let mark = (await sim.stats()).length;
  let conns = (await sim.stats()).connections;

  interface Pass { label: string; summary: CrawlSummary; cpuS: number; wallS: number; served: SimStats; connections: number }
  const crawl = async (label: string, mode: 'full' | 'incremental'): Promise<Pass> => {
    const m = meter();
    const summary = await runCrawl({ db, log, mode, env: sim.env, maxRateWaitMs: 120_000, retry: { maxRetries: 5, baseDelayMs: 200 },
      providers: [{ spec: p.spec, config: p.config, concurrency: Number(values.concurrency) }] });
    const { cpuS, wallS } = m.read();
    const served = await sim.stats(mark);
    mark = served.length;
    const pass = { label, summary, cpuS, wallS, served, connections: served.connections - conns };
    conns = served.connections;
    const n = summary.totals.apiCalls;
    console.log(`${label}: status ${summary.status}, ${n} API calls (${summary.totals.notModified} answered 304, ${summary.totals.retries} retries), `
      + `${served.requests} requests served over ${pass.connections} new connections; wall ${wallS.toFixed(1)} s, crawler CPU ${cpuS.toFixed(1)} s `
      + `= ${msPerCall(cpuS, n).toFixed(2)} ms per call`);
    console.log(`  served by route ${JSON.stringify(served.byRoute)}; by status ${JSON.stringify(served.byStatus)}`);
    return pass;
  };

  console.log(`org: ${scale.repos} repositories (a deploy key and a webhook on each), ${scale.members} members, ${scale.installations} installations; `
    + `crawler concurrency ${values.concurrency}; simulator in a child process`);
  const full = await crawl('full crawl', 'full');
  const written = (db.prepare('SELECT (SELECT count(*) FROM nodes) + (SELECT count(*) FROM edges) n').get() as { n: number }).n;
  const restCalls = (s: SimStats) => s.requests - (s.byRoute.graphql ?? 0);
  console.log(`  REST calls ${restCalls(full.served)} against a minimum of ${sim.info.minimumRest}; GraphQL queries ${full.served.byRoute.graphql ?? 0}; `
    + `${written} nodes+edges at ${Math.round(written / full.wallS)}/s`);
  const changed = await sim.ask<number>('change');
  const inc = await crawl(`incremental crawl after ${changed} repositories got a deploy key and ${changed} a changed webhook (1% each)`, 'incremental');
  const again = await crawl('conditional full re-crawl', 'full');
  const transports = await compareTransports();
  db.close();
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`crawler peak RSS ${rss} MB`);
  for (const t of transports) console.log(`Octokit request path alone, ${t.name}: ${t.msPerCall.toFixed(3)} ms CPU per call (median of 3 rounds of ${t.calls} GETs of a 100-member page at concurrency 8; ${t.connections} connections opened over 4 rounds)`);

  /**
   * The same GETs through a bare Octokit with Node's fetch, with the crawler's keep-alive transport, and with that
   * transport plus JSON.parse instead of Octokit's parser (what connectors/github/client.ts does), alternately in this
   * run, four rounds; the median of rounds 2-4 counts (the first warms the JIT).
   */
  async function compareTransports(): Promise<Array<{ name: string; msPerCall: number; calls: number; connections: number }>> {
    const org = (sim.config.orgs as string[])[0]!;
    const auth = sim.env[String(sim.config.tokenEnv)];
    const keepAlive = () => { const f = createKeepAliveFetch({ maxSockets: 8 }); return { fetch: f, close: () => f.close() }; };
    const kinds = [
      { name: "Node's fetch (undici), Octokit's JSON parser", make: () => ({ fetch: globalThis.fetch, close: () => {} }), parse: false },
      { name: "keep-alive node:http, Octokit's JSON parser", make: keepAlive, parse: false },
      { name: 'keep-alive node:http, JSON.parse (the crawler)', make: keepAlive, parse: true },
    ];
    const calls = q ? 500 : 1000;
    const pages = Math.max(1, Math.ceil(scale.members / 100));
    const samples = new Map<string, number[]>();
    const opened = new Map<string, number>();
    for (let round = 0; round < 4; round++) {
      for (const k of kinds) {
        const t = k.make();
        const octokit = new Octokit({ baseUrl: String(sim.config.baseUrl), auth, request: { fetch: t.fetch, ...(k.parse ? { parseSuccessResponseBody: false } : {}) } });
        const before = await sim.stats();
        const m = meter();
        let i = 0;
        await Promise.all(Array.from({ length: 8 }, async () => {
          while (i < calls) {
            const res = await octokit.request('GET /orgs/{org}/members', { org, per_page: 100, page: 1 + (i++ % pages) });
            if (k.parse) JSON.parse(await bodyText(res.data));
          }
        }));
        const { cpuS } = m.read();
        const after = await sim.stats(before.length);
        t.close();
        opened.set(k.name, (opened.get(k.name) ?? 0) + after.connections - before.connections);
        if (round > 0) samples.set(k.name, [...(samples.get(k.name) ?? []), msPerCall(cpuS, calls)]);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return kinds.map((k) => ({ name: k.name, msPerCall: median(samples.get(k.name)!), calls, connections: opened.get(k.name)! }));
  }

  // Projection: REST requests that draw on the budget (not 304s, not GraphQL's own budget), per repository for the
  // per-repository listings and the repository pages, the rest as measured (members, installations: org-wide).
  const project = (s: SimStats, label: string) => {
    const charged = (route: string) => (s.byRoute[route] ?? 0) - (s.byRouteStatus[route]?.['304'] ?? 0);
    const all = Object.keys(s.byRoute).filter((r) => r !== 'graphql').reduce((a, r) => a + charged(r), 0);
    const perRepo = [...PER_REPO_ROUTES, 'repos'].reduce((a, r) => a + charged(r), 0);
    const calls = all - perRepo + (perRepo / scale.repos) * TARGET_REPOS;
    const hours = calls / REST_PER_HOUR;
    console.log(`  ${label}: ${all} REST requests charged (${(perRepo / scale.repos).toFixed(2)} per repository, ${all - perRepo} org-wide) ⇒ `
      + `${Math.round(calls)} for ${TARGET_REPOS} repositories = ${hours.toFixed(2)} h at ${REST_PER_HOUR}/h`);
    return hours;
  };
  console.log(`projection to a ${TARGET_REPOS}-repository org (measured calls per repository; every repository with a deploy key and a webhook):`);
  const coldH = project(full.served, 'first full crawl');
  const warmH = project(again.served, 'later full crawl (304s free)');

  const B = 'github-scale';
  const note = (x: Pass) => `wall ${x.wallS.toFixed(1)} s, CPU ${x.cpuS.toFixed(1)} s, ${x.summary.totals.apiCalls} calls`;
  figure({ bench: B, figure: 'GitHub crawler CPU per API call, full crawl', value: msPerCall(full.cpuS, full.summary.totals.apiCalls), unit: 'ms', goal: ['<=', 0.8], note: note(full) });
  figure({ bench: B, figure: 'GitHub crawler CPU per API call, 304 re-crawl', value: msPerCall(again.cpuS, again.summary.totals.apiCalls), unit: 'ms', goal: ['<=', 0.8], note: note(again) });
  for (const t of transports) figure({ bench: B, figure: `Octokit request path CPU per call, ${t.name}`, value: t.msPerCall, unit: 'ms', note: `${t.calls} GETs, same run` });
  figure({ bench: B, figure: 'GitHub requests per connection (keep-alive)', value: full.served.requests / Math.max(1, full.connections), unit: 'req/conn', note: `${full.connections} connections at concurrency ${values.concurrency}` });
  figure({ bench: B, figure: 'GitHub incremental ÷ full, requests sent (1% changed)', value: (100 * inc.served.requests) / full.served.requests, unit: '%', goal: ['<=', 10],
    note: `${inc.served.requests} / ${full.served.requests}; ${inc.served.byRoute['repo-hooks'] ?? 0} of them hooks (conditional)` });
  figure({ bench: B, figure: `GitHub ${TARGET_REPOS}-repo org, first full crawl at 5,000 req/h`, value: coldH, unit: 'h', goal: ['<=', 2] });
  figure({ bench: B, figure: `GitHub ${TARGET_REPOS}-repo org, later full crawl at 5,000 req/h`, value: warmH, unit: 'h', goal: ['<=', 2] });
  figure({ bench: B, figure: 'GitHub nodes+edges written per second', value: written / full.wallS, unit: '/s', note: `${written} rows` });
}
