// Repository webhooks behind the organisation audit-log change signal (connectors/github/hook-change-index.ts,
// resources/repo-webhooks.ts): an incremental crawl lists only the repositories the log names (and new ones), maps
// the graph a full crawl maps, removes a destroyed hook and nothing on the strength of an unlisted repository; a
// non-Enterprise org, a refused or failing log, and a watermark from another base URL fall back to conditional
// requests with a ledger note; a repository whose last listing failed is listed again even when the log is quiet.
import { afterEach, describe, expect, it } from 'vitest';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import type { GithubScenario } from '../../connectors/github/simulator/scenario.ts';
import { AUDIT_OVERLAP_MS } from '../../connectors/github/hook-change-index.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

const runs: SimCrawl[] = [];
afterEach(async () => { for (const r of runs.splice(0)) await r.close(); });
const start = async (...a: Parameters<typeof startSimCrawl>) => { const r = await startSimCrawl(...a); runs.push(r); return r; };

/** Every repository has a hook (so every listing has something a wrong removal would take). */
const REPOS = Number(process.env.HOOKS_TEST_REPOS ?? 200);
const scenario = (repos = REPOS): GithubScenario => buildGithubScenario({ repos, members: 30, installations: 3, hooksPerRepo: 1 });

const hookCalls = (r: SimCrawl) => r.sim.log.filter((e) => /^\/repos\/[^/]+\/[^/]+\/hooks$/.test(e.path));
const hookRepos = (r: SimCrawl) => new Set(hookCalls(r).map((e) => e.path.split('/')[3]));
const auditCalls = (r: SimCrawl) => r.sim.log.filter((e) => e.route === 'audit-log');
const note = (r: SimCrawl, runId: number) =>
  rows<{ notes: string | null }>(r.db, "SELECT notes FROM run_resources WHERE run_id = ? AND resource_type = 'github.repo_webhooks'", runId)[0]?.notes ?? null;
const removed = (r: SimCrawl, runId: number) =>
  rows<{ entity_id: string }>(r.db, "SELECT entity_id FROM change_log WHERE run_id = ? AND change = 'removed' ORDER BY entity_id", runId).map((x) => x.entity_id);
const liveHooks = (r: SimCrawl) =>
  rows<{ id: string }>(r.db, "SELECT id FROM nodes WHERE type = 'github.repo_webhook' AND removed_run IS NULL ORDER BY id").map((x) => x.id);
/** The repository webhooks' part of the graph: their nodes, the endpoints they forward to, their edges. */
const webhookGraph = (r: SimCrawl) => ({
  nodes: rows(r.db, `SELECT id, kind, type, name, props FROM nodes WHERE removed_run IS NULL AND (type = 'github.repo_webhook'
    OR id IN (SELECT dst FROM edges WHERE removed_run IS NULL AND src LIKE 'github:repo_webhook:%')) ORDER BY id`),
  edges: rows(r.db, "SELECT type, src, dst, props FROM edges WHERE removed_run IS NULL AND src LIKE 'github:repo_webhook:%' ORDER BY type, src, dst"),
});

/**
 * The last crawl an hour ago, and the hook changes it listed well before it. The crawls of a test run seconds apart:
 * every event would lie inside the log's safety overlap (AUDIT_OVERLAP_MS) before the last watermark and name its
 * repository again — as it does on GitHub for changes made in the minutes before a crawl.
 */
function age(r: SimCrawl, s: GithubScenario, ms = 3600_000): void {
  for (const row of rows<{ key: string; value: string }>(r.db, "SELECT key, value FROM crawl_state WHERE key LIKE 'repo_hooks.audit%'")) {
    const v = JSON.parse(row.value) as { at: number };
    r.db.prepare('UPDATE crawl_state SET value = ? WHERE key = ?').run(JSON.stringify({ ...v, at: v.at - ms }), row.key);
  }
  const back = ms + 2 * AUDIT_OVERLAP_MS;
  for (const e of s.auditLog ?? []) { e['@timestamp'] = (e['@timestamp'] ?? 0) - back; e.created_at = (e.created_at ?? 0) - back; }
}

/** 1% of the repositories' hooks changed: one hook's events edited, one destroyed (one each for small orgs), plus a new repository with a hook. */
function change(s: GithubScenario): { edited: string[]; destroyed: string[]; destroyedIds: number[]; added: string } {
  const n = Math.max(2, Math.round(s.repositories.length / 100));
  const picked = s.repositories.slice(3, 3 + n).map((r) => r.name);
  const edited = picked.filter((_, i) => i % 2 === 0);
  const destroyed = picked.filter((_, i) => i % 2 === 1);
  for (const name of edited) for (const h of s.repoHooks![name]!) h.events = [...h.events, 'release'];
  const destroyedIds = destroyed.flatMap((name) => s.repoHooks![name]!.map((h) => h.id));
  for (const name of destroyed) s.repoHooks![name] = [];
  const added = 'brand-new-service';
  s.repositories.push({ ...s.repositories[0]!, id: 59_999, name: added, full_name: `${s.org.login}/${added}` });
  s.repoHooks![added] = [{ id: 799_999, name: 'web', active: true, events: ['push'], config: { url: 'https://new.example.com/hook', content_type: 'json', insecure_ssl: '0' } }];
  return { edited, destroyed, destroyedIds, added };
}

describe('github repository webhooks behind the organisation audit log', () => {
  it('an incremental crawl after 1% of the hooks changed lists only those repositories, and maps what a full crawl maps', async () => {
    const s = scenario();
    const run = await start('github', s);
    expect((await run.crawl()).status).toBe('complete');
    const full = hookCalls(run).length;
    expect(full).toBe(s.repositories.length);
    const before = liveHooks(run);

    const c = change(s);
    run.sim.log.length = 0;
    const inc = await run.crawl({ mode: 'incremental' });
    expect(inc.status).toBe('complete');
    // hook requests only for the repositories the log names, and the new one; one audit-log page
    expect(hookRepos(run)).toEqual(new Set([...c.edited, ...c.destroyed, c.added]));
    expect(auditCalls(run)).toHaveLength(1);
    expect(note(run, inc.runId)).toBeNull();
    // the destroyed hooks are removed, nothing else is
    expect(removed(run, inc.runId).filter((id) => id.startsWith('github:repo_webhook:') && !id.includes('|')))
      .toEqual(c.destroyedIds.map((id) => `github:repo_webhook:${id}`).sort());
    const kept = before.filter((id) => !c.destroyedIds.some((d) => id === `github:repo_webhook:${d}`));
    expect(liveHooks(run)).toEqual([...kept, 'github:repo_webhook:799999'].sort());

    // the same graph a full crawl of the changed organisation maps
    const fresh = await start('github', s);
    expect((await fresh.crawl()).status).toBe('complete');
    expect(webhookGraph(run)).toEqual(webhookGraph(fresh));
    expect(webhookGraph(run).nodes.find((n) => (n as { id: string }).id === `github:repo_webhook:${s.repoHooks![c.edited[0]!]![0]!.id}`)).toBeDefined();

    if (process.env.HOOKS_TEST_REPOS) {
      const all = (r: SimCrawl) => r.sim.log.length;
      // eslint-disable-next-line no-console
      console.log(`repositories ${s.repositories.length}: hook requests full ${full}, incremental ${hookCalls(run).length} `
        + `(+${auditCalls(run).length} audit-log); all requests in the incremental crawl ${all(run)}`);
    }

    // a quiet log an hour later: nothing listed at all
    age(run, s);
    run.sim.log.length = 0;
    const quiet = await run.crawl({ mode: 'incremental' });
    expect(quiet.status).toBe('complete');
    expect(hookCalls(run)).toHaveLength(0);
    expect(removed(run, quiet.runId)).toEqual([]);
    expect(liveHooks(run)).toEqual([...kept, 'github:repo_webhook:799999'].sort());
  });

  it('a full crawl lists every repository (conditionally), whatever the log says', async () => {
    const s = scenario(40);
    const run = await start('github', s);
    await run.crawl();
    run.sim.log.length = 0;
    const again = await run.crawl({ mode: 'full' });
    expect(again.status).toBe('complete');
    expect(hookCalls(run)).toHaveLength(40);
    expect(hookCalls(run).every((e) => e.ifNoneMatch && e.status === 304)).toBe(true);
    expect(auditCalls(run)).toHaveLength(0);
  });

  it('a non-Enterprise organisation (the audit log answers 404) falls back to conditional requests, with one ledger note', async () => {
    const s = { ...scenario(40), auditLog: null };
    const run = await start('github', s);
    await run.crawl();
    const hook = s.repoHooks!['billing-api']![0]!;
    hook.config = { ...hook.config, url: 'https://moved.example.com/hook' };
    run.sim.log.length = 0;
    const inc = await run.crawl({ mode: 'incremental' });
    expect(inc.status).toBe('complete');
    expect(auditCalls(run).map((e) => e.status)).toEqual([404]);
    expect(hookCalls(run)).toHaveLength(40);
    expect(hookCalls(run).filter((e) => e.status === 304)).toHaveLength(39);
    expect(note(run, inc.runId)).toBe('hooks listed with conditional requests: organisation audit log not available (HTTP 404: GitHub Enterprise Cloud only) (40 listings)');
    expect(rows(run.db, "SELECT id FROM nodes WHERE type = 'github.webhook_target' AND name = 'moved.example.com' AND removed_run IS NULL")).toHaveLength(1);
    expect(inc.resources.find((r) => r.resourceType === 'github.repo_webhooks')).toMatchObject({ status: 'complete', error: null });
  });

  it('a refused audit log (403) falls back and names the permission', async () => {
    const s = scenario(40);
    const run = await start('github', s, { faults: [{ route: 'audit-log', kind: 'status', status: 403,
      body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } }] });
    await run.crawl();
    run.sim.log.length = 0;
    const inc = await run.crawl({ mode: 'incremental' });
    expect(inc.status).toBe('complete');
    expect(hookCalls(run)).toHaveLength(40);
    expect(note(run, inc.runId)).toMatch(/^hooks listed with conditional requests: organisation audit log refused \(HTTP 403 "Resource not accessible by integration": .*read:audit_log.*Organization › Administration \(read\)\)/);
  });

  it('an audit-log read that fails part-way (second page) uses none of it: every repository is listed, nothing is removed', async () => {
    const s = scenario(40);
    const run = await start('github', s);
    await run.crawl();
    const before = liveHooks(run);
    // 150 organisation-hook events (no repository): two pages of 100
    const now = Date.now();
    for (let i = 0; i < 150; i++) s.auditLog!.push({ action: 'hook.config_changed', '@timestamp': now + i, created_at: now + i, org: s.org.login, hook_id: 710_001 });
    run.sim.setFaults([{ route: 'audit-log', kind: 'status', status: 500, after: 1 }]);
    run.sim.log.length = 0;
    const inc = await run.crawl({ mode: 'incremental', retry: { maxRetries: 1, baseDelayMs: 5 } });
    expect(inc.status).toBe('complete');
    expect(auditCalls(run).length).toBeGreaterThanOrEqual(2);
    expect(auditCalls(run)[1]!.path).toBe(`/organizations/${s.org.id}/audit-log`);
    expect(hookCalls(run)).toHaveLength(40);
    expect(note(run, inc.runId)).toMatch(/^hooks listed with conditional requests: organisation audit log not read \(HTTP 500/);
    expect(removed(run, inc.runId)).toEqual([]);
    expect(liveHooks(run)).toEqual(before);
  });

  it('organisation-hook events name no repository: nothing is listed for them, and the log is paged through', async () => {
    const s = scenario(40);
    const run = await start('github', s);
    await run.crawl();
    const now = Date.now();
    for (let i = 0; i < 150; i++) s.auditLog!.push({ action: 'hook.config_changed', '@timestamp': now + i, created_at: now + i, org: s.org.login, hook_id: 710_001 });
    s.auditLog!.push({ action: 'hook.destroy', '@timestamp': now + 200, created_at: now + 200, org: s.org.login, repo: `${s.org.login}/alerting`, hook_id: 1 });
    // an event from before the last crawl's watermark (less the overlap) is not asked for
    s.auditLog!.push({ action: 'hook.create', '@timestamp': now - 3600_000, created_at: now - 3600_000, org: s.org.login, repo: `${s.org.login}/sdk-js`, hook_id: 2 });
    run.sim.log.length = 0;
    await run.crawl({ mode: 'incremental' });
    expect(auditCalls(run)).toHaveLength(2);
    expect(auditCalls(run)[0]!.query).toContain('phrase=action%3Ahook%20created%3A%3E%3D');
    expect(hookRepos(run)).toEqual(new Set(['alerting']));
  });

  it('a watermark stored for another base URL is ignored: every repository listed, then the log is used again', async () => {
    const s = scenario(40);
    const run = await start('github', s);
    await run.crawl();
    const oldUrl = await run.restartSim();
    const hook = s.repoHooks!['sdk-js']![0]!;
    hook.active = false;
    const inc = await run.crawl({ mode: 'incremental' });
    expect(inc.status).toBe('complete');
    expect(auditCalls(run)).toHaveLength(0);
    expect(hookCalls(run)).toHaveLength(40);
    expect(note(run, inc.runId)).toMatch(new RegExp(`^state from ${oldUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} discarded: base URL changed`));
    expect(JSON.parse(rows<{ props: string }>(run.db, 'SELECT props FROM nodes WHERE id = ?', `github:repo_webhook:${hook.id}`)[0]!.props).active).toBe(false);
    age(run, s);
    run.sim.log.length = 0;
    const next = await run.crawl({ mode: 'incremental' });
    expect(auditCalls(run)).toHaveLength(1);
    expect(hookCalls(run)).toHaveLength(0);
    expect(note(run, next.runId)).toBeNull();
  });

  it('a repository whose listing failed is listed again on the next incremental crawl, though the log no longer names it', async () => {
    const s = scenario(40);
    const run = await start('github', s);
    await run.crawl();
    const repo = 'billing-api';
    const had = s.repoHooks![repo]!.map((h) => `github:repo_webhook:${h.id}`);
    s.repoHooks![repo] = [];
    run.sim.setFaults([{ path: `/repos/${s.org.login}/${repo}/hooks`, kind: 'status', status: 502 }]);
    run.sim.log.length = 0;
    const failed = await run.crawl({ mode: 'incremental', retry: { maxRetries: 1, baseDelayMs: 5 } });
    expect(failed.status).toBe('partial');
    expect(hookRepos(run)).toEqual(new Set([repo]));
    // its listing failed: its hooks stay
    for (const id of had) expect(liveHooks(run)).toContain(id);
    run.sim.setFaults([]);
    age(run, s); // the log's window no longer reaches back to the change
    run.sim.log.length = 0;
    const next = await run.crawl({ mode: 'incremental' });
    expect(next.status).toBe('complete');
    expect(hookRepos(run)).toEqual(new Set([repo]));
    for (const id of had) expect(liveHooks(run)).not.toContain(id);
  });
});
