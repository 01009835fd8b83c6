// Benchmark (not a test): crawl a large simulated GitHub organisation and report API calls against the
// minimum number of pages the data needs, wall time against the floor set by the simulator's rate
// budget, nodes+edges written per second, and peak RSS; then a second, conditional (304) crawl.
// Run: node --import tsx bench/github-scale.ts [--repos 2000 --members 20000 --installations 300]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildGithubScenario } from '../scenarios/demo/github.ts';
import { startSimCrawl } from '../test/helpers/sim-crawl.ts';

const { values } = parseArgs({ options: {
  repos: { type: 'string', default: '2000' }, members: { type: 'string', default: '20000' },
  installations: { type: 'string', default: '300' }, limit: { type: 'string', default: '15000' }, window: { type: 'string', default: '60000' },
} });
const scale = { repos: Number(values.repos), members: Number(values.members), installations: Number(values.installations), hooksPerRepo: 1, keysPerRepo: 1 };
const rate = { limit: Number(values.limit), windowMs: Number(values.window) };
const s = { ...buildGithubScenario(scale), rateLimit: rate };

const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
const selected = Object.values(s.installationRepositories ?? {});
const subsetPats = Object.values(s.patGrantRepositories ?? {});
const minimum = 1 /* org */ + pages(s.admins!.length) + pages(s.members.length) + pages(s.outsideCollaborators!.length)
  + pages(s.installations!.length) + s.installations!.length /* app owner per installation: no bulk endpoint */
  + selected.reduce((a, r) => a + pages(r.length), 0) + pages(s.patGrants!.length) + subsetPats.reduce((a, r) => a + pages(r.length), 0)
  + pages(s.patRequests!.length) + pages(s.credentialAuthorizations!.length) + pages(s.repositories.length)
  + 2 * s.repositories.length /* deploy keys + hooks per repository: no org-wide endpoint */
  + pages(s.orgHooks!.length) + pages(s.orgSecrets!.length) + Object.keys(s.orgSecretRepositories!).length + 1 /* app JWT: token mint */;

const dbFile = path.resolve('bench/out/github-scale.db');
fs.mkdirSync(path.dirname(dbFile), { recursive: true });
const run = await startSimCrawl('github', s, { dbFile });
const t0 = Date.now();
const c0 = process.cpuUsage();
const first = await run.crawl({ retry: { maxRetries: 5, baseDelayMs: 200 } });
const cpu1 = process.cpuUsage(c0);
const wall = (Date.now() - t0) / 1000;
const written = (run.db.prepare('SELECT (SELECT count(*) FROM nodes) + (SELECT count(*) FROM edges) n').get() as { n: number }).n;
const floor = Math.max(0, Math.ceil(first.totals.apiCalls / rate.limit) - 1) * rate.windowMs / 1000;
const t1 = Date.now();
const c1 = process.cpuUsage();
const second = await run.crawl();
const cpu2 = process.cpuUsage(c1);
const wall2 = (Date.now() - t1) / 1000;
/** process CPU (crawler and the in-process simulator together) per API call, ms */
const cpuPerCall = (c: NodeJS.CpuUsage, calls: number) => Math.round((c.user + c.system) / 1000 / Math.max(1, calls) * 100) / 100;
const rss = process.resourceUsage().maxRSS / 1024;
await run.close();

const report = {
  scenario: { repositories: scale.repos, members: scale.members, installations: scale.installations, deploy_keys: scale.repos + 1, repo_hooks: scale.repos + 1 },
  rate_budget: `${rate.limit} requests / ${rate.windowMs / 1000} s per token`,
  full_crawl: { status: first.status, api_calls: first.totals.apiCalls, minimum_calls: minimum, wall_s: wall, rate_floor_s: floor,
    rate_wait_s: first.totals.rateWaitMs / 1000, retries: first.totals.retries, nodes_plus_edges: written, written_per_s: Math.round(written / wall), cpu_ms_per_call_with_sim: cpuPerCall(cpu1, first.totals.apiCalls) },
  conditional_recrawl: { status: second.status, api_calls: second.totals.apiCalls, answered_304: second.totals.notModified, wall_s: wall2, cpu_ms_per_call_with_sim: cpuPerCall(cpu2, second.totals.apiCalls) },
  peak_rss_mb: Math.round(rss),
};
console.log(JSON.stringify(report, null, 2));
