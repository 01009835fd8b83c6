// Evidence composed per (provider, tenant) (issue 18, docs/postgres.md "Tenants and crawls"): two GitHub organisations
// (two config blocks, each pointing at its own simulator: one simulator serves one org) crawled as two separate runs,
// `--tenant alpha-org` then `--tenant beta-org`. Reconcile sees both tenants through their own runs: nothing "not
// verifiable", no approved app "not found". A crawl of one tenant never removes or hides the other's objects; one
// that fails for tenant beta makes only beta's listings not verifiable. Once on SQLite, the two-run case on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { executeCrawl } from '../../src/cli/crawl.ts';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { ProviderSpec } from '../../src/crawl/provider.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import { latestUsableCrawls } from '../../src/graph/reconcile-snapshot.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import type { Fault } from '../../src/simulator/faults.ts';
import type { SimulatorHandle } from '../../src/simulator/server.ts';
import { createLogger } from '../../src/util/log.ts';
import type { GithubScenario } from '../../connectors/github/simulator/scenario.ts';
import { buildReportModel } from '../../reports/model.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import { usePostgres } from '../helpers/postgres.ts';
import { entry, inventory } from './helpers.ts';

const quiet = createLogger({ format: 'json', level: 'error', write: () => {} });
const NOW = new Date(Date.now() + 60_000);

/** A small organisation: one member, one repository, one app installed; ids offset by `base` so two orgs never share one. */
function org(login: string, base: number, app: string): GithubScenario {
  const user = { login: `${login}-admin`, id: base + 1, type: 'User', site_admin: false, email: `${login}-admin@example.com` };
  const owner = { login: 'vendor', id: base + 2, node_id: '', avatar_url: '', gravatar_id: null, url: '', html_url: '', followers_url: '', following_url: '',
    gists_url: '', starred_url: '', subscriptions_url: '', organizations_url: '', repos_url: '', events_url: '', received_events_url: '', type: 'Organization', site_admin: false };
  return {
    org: { login, id: base },
    admins: [user.login],
    members: [user],
    repositories: [{ id: base + 10, name: 'service', full_name: `${login}/service`, private: true, visibility: 'private', archived: false, fork: false,
      default_branch: 'main', owner: { ...owner, login, id: base } as never, created_at: '2025-01-01T00:00:00Z', pushed_at: '2026-01-01T00:00:00Z' }],
    installations: [{ id: base + 20, app_id: base + 30, app_slug: app, client_id: `Iv1.${base}`, target_type: 'Organization',
      permissions: { contents: 'read', metadata: 'read' } as never, repository_selection: 'all', events: ['push'],
      created_at: '2025-06-01T00:00:00Z', updated_at: '2025-06-01T00:00:00Z', suspended_at: null, single_file_name: null, account: null }],
    apps: [{ id: base + 30, slug: app, name: app, owner: owner as never }],
    deployKeys: { service: [] }, repoHooks: { service: [] }, orgHooks: [], orgSecrets: [],
    credentialAuthorizations: null,
    auditLog: null,
  };
}

interface TwoOrgs { sims: SimulatorHandle[]; config: ReturnType<typeof configFromObject>; env: NodeJS.ProcessEnv; close(): Promise<void> }

/** Two simulators (alpha-org, beta-org) and one config with a GitHub block for each; `betaFaults` for beta's simulator. */
async function twoOrgs(betaFaults: Fault[] = []): Promise<TwoOrgs> {
  const specs = await loadConnectors();
  const spec = specs.find((s) => s.name === 'github') as ProviderSpec;
  const a = org('alpha-org', 100_000, 'alpha-app');
  const b = org('beta-org', 200_000, 'beta-app');
  const sims = [await spec.simulator!.start(a, {}), await spec.simulator!.start(b, { faults: betaFaults })];
  const config = configFromObject({ database: ':memory:', retry: { maxRetries: 0, baseDelayMs: 1 },
    providers: { github: [spec.simulator!.configFor(sims[0]!, a), spec.simulator!.configFor(sims[1]!, b)] } }, specs, '(test)');
  return { sims, config, env: { ...process.env, ...spec.simulator!.envFor!(sims[0]!) }, close: async () => { await Promise.all(sims.map((s) => s.close())); } };
}

const inv = inventory([entry('alpha-app'), entry('beta-app'), entry('gone-app')]);

function findingsOf(db: Db, rule: string): Array<{ subject_id: string; title: string }> {
  return db.prepare("SELECT subject_id, title FROM findings WHERE rule = ? AND status IN ('new','persisting') ORDER BY subject_id").all(rule) as never;
}
const notVerifiable = (db: Db, recon: number) => db.prepare('SELECT subject_id, reason FROM not_verifiable WHERE recon_id = ? ORDER BY subject_id').all(recon) as Array<{ subject_id: string; reason: string }>;
/** Ids of the objects present (not removed); shared ones (scopes, vendors) carry the tenant that wrote them last. */
const live = (db: Db) => db.prepare("SELECT id FROM nodes WHERE provider = 'github' AND removed_run IS NULL ORDER BY id").pluck().all() as string[];
const liveOf = (db: Db, tenant: string) => db.prepare("SELECT id FROM nodes WHERE tenant = ? AND removed_run IS NULL ORDER BY id").pluck().all(tenant) as string[];

/** alpha-org, then beta-org, each in its own run; both complete. */
async function twoRuns(db: Db, t: TwoOrgs): Promise<[number, number]> {
  const first = await executeCrawl({ config: t.config, db, tenants: ['alpha-org'], log: quiet, env: t.env, progress: false });
  expect(first.status, JSON.stringify(first.resources.filter((r) => r.status !== 'complete'))).toBe('complete');
  expect(new Set(first.resources.map((r) => r.tenant))).toEqual(new Set(['alpha-org']));
  const alphaObjects = live(db);
  expect(liveOf(db, 'alpha-org')).toEqual(expect.arrayContaining(['github:app_installation:100020', 'github:org:alpha-org', 'github:repository:100010', 'github:user:alpha-org-admin']));
  const second = await executeCrawl({ config: t.config, db, tenants: ['beta-org'], log: quiet, env: t.env, progress: false });
  expect(second.status).toBe('complete');
  expect(new Set(second.resources.map((r) => r.tenant))).toEqual(new Set(['beta-org']));
  // beta's crawl removed nothing of alpha's
  expect(live(db)).toEqual(expect.arrayContaining(alphaObjects));
  expect(db.prepare('SELECT count(*) FROM nodes WHERE removed_run IS NOT NULL').pluck().get()).toBe(0);
  return [first.runId, second.runId];
}

/** What the two-run case must give on either backend. */
function expectBothTenantsComposed(db: Db, runs: [number, number]): void {
  const crawls = latestUsableCrawls(db);
  const gh = crawls.get('github')!;
  expect(gh.runIds).toEqual(runs);
  expect(gh.runId).toBe(runs[1]);
  expect(Object.fromEntries(gh.tenantRuns)).toEqual({ 'alpha-org': runs[0], 'beta-org': runs[1] });
  expect(gh.runStatus).toBe('complete');
  const s = reconcile(db, inv, { now: NOW });
  expect(s.crawlRuns.github).toMatchObject({ run: runs[1], runs, complete: true, status: 'complete' });
  // both apps found, each in its own tenant; the entry found nowhere is a finding (both tenants looked everywhere)
  expect(notVerifiable(db, s.reconId)).toEqual([]);
  expect(findingsOf(db, 'approved-not-found')).toEqual([
    { subject_id: 'inventory:gone-app:github', title: `Approved gone-app (app slug gone-app) not found in github (complete crawl, runs ${runs[0]}, ${runs[1]})` }]);
  expect(db.prepare("SELECT tenant FROM connectors WHERE type = 'github.app_installation' ORDER BY tenant").pluck().all()).toEqual(['alpha-org', 'beta-org']);
}

describe('GitHub with two organisations crawled as two runs (SQLite)', () => {
  it('reconcile composes each tenant from its own run; the report shows both runs', async () => {
    const t = await twoOrgs();
    const db = openDb(':memory:');
    try {
      const runs = await twoRuns(db, t);
      expectBothTenantsComposed(db, runs);
      const model = buildReportModel(db, { month: NOW.toISOString().slice(0, 7), organisation: 'Test', now: NOW });
      const gh = model.crawls.find((c) => c.provider === 'github')!;
      expect(gh).toMatchObject({ runId: runs[1], runIds: runs, completeness: 'complete' });
      expect(new Set(gh.resources.map((r) => r.tenant))).toEqual(new Set(['alpha-org', 'beta-org']));
      expect(model.warnings.filter((w) => w.startsWith('github'))).toEqual([]);
      expect(renderMarkdown(model)).toContain(`| github | #${runs[0]}, #${runs[1]} |`);
      // a third run of alpha alone: alpha's evidence moves on, beta's stays with its run; the next reconciliation sees a new crawl
      const third = await executeCrawl({ config: t.config, db, tenants: ['alpha-org'], log: quiet, env: t.env, progress: false });
      expect(latestUsableCrawls(db).get('github')!.runIds).toEqual([runs[1], third.runId]);
      const again = reconcile(db, inv, { now: NOW });
      expect(again.crawlRuns.github!.runs).toEqual([runs[1], third.runId]);
      expect(notVerifiable(db, again.reconId)).toEqual([]);
    } finally { db.close(); await t.close(); }
  });

  it('a crawl of beta that fails a listing leaves alpha\'s evidence alone and makes only beta\'s listings not verifiable', async () => {
    // beta's app installations answer 500 (no retries): beta's run is partial
    const t = await twoOrgs([{ route: 'installations', kind: 'status', status: 500 }]);
    const db = openDb(':memory:');
    try {
      const first = await executeCrawl({ config: t.config, db, tenants: ['alpha-org'], log: quiet, env: t.env, progress: false });
      expect(first.status).toBe('complete');
      const alphaObjects = live(db);
      const second = await executeCrawl({ config: t.config, db, tenants: ['beta-org'], log: quiet, env: t.env, progress: false });
      expect(second.status).toBe('partial');
      expect(second.resources.find((r) => r.resourceType === 'github.app_installations')).toMatchObject({ tenant: 'beta-org', status: 'failed' });
      expect(live(db)).toEqual(expect.arrayContaining(alphaObjects));
      expect(db.prepare('SELECT count(*) FROM nodes WHERE removed_run IS NOT NULL').pluck().get()).toBe(0);

      const s = reconcile(db, inv, { now: NOW });
      expect(s.crawlRuns.github).toMatchObject({ runs: [first.runId, second.runId], status: 'partial', complete: false });
      // alpha's app is found; beta's and the one found nowhere cannot be decided: beta's listing did not complete, in beta's run only
      expect(findingsOf(db, 'approved-not-found')).toEqual([]);
      const nv = notVerifiable(db, s.reconId);
      expect(nv.map((r) => r.subject_id)).toEqual(['inventory:beta-app:github', 'inventory:gone-app:github']);
      for (const r of nv) {
        expect(r.reason).toContain(`did not complete in run ${second.runId}: `);
        expect(r.reason).toContain('beta-org');
        expect(r.reason).not.toContain('alpha-org');
      }

      // beta's simulator gone: its crawl fails outright (never used); alpha's objects and the composed evidence are unchanged
      await t.sims[1]!.close();
      const down = await executeCrawl({ config: t.config, db, tenants: ['beta-org'], log: quiet, env: t.env, progress: false });
      expect(down.status).toBe('failed');
      expect(live(db)).toEqual(expect.arrayContaining(alphaObjects));
      expect(db.prepare('SELECT count(*) FROM nodes WHERE removed_run IS NOT NULL').pluck().get()).toBe(0);
      expect(latestUsableCrawls(db).get('github')!.runIds).toEqual([first.runId, second.runId]);
      const model = buildReportModel(db, { month: NOW.toISOString().slice(0, 7), organisation: 'Test', now: NOW });
      // the report names beta's failed run as a newer look at beta, with beta's figures from its earlier run
      expect(model.warnings.some((w) => w.includes(`the latest crawl, run #${down.runId}`) && w.includes(`figures are from the earlier run #${second.runId},`))).toBe(true);
    } finally { db.close(); await t.close(); }
  });
});

describe('GitHub with two organisations crawled as two runs (PostgreSQL)', () => {
  const url = usePostgres();

  it('reconcile composes each tenant from its own run', async (ctx) => {
    const u = url(ctx);
    if (!u) return;
    const t = await twoOrgs();
    const db = openDb(u, { postgres: true });
    try {
      expectBothTenantsComposed(db, await twoRuns(db, t));
    } finally { db.close(); await t.close(); }
  });
});
