// GitHub end to end: real Octokit (with auth-app) against the GitHub simulator, through the real engine.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGithubScenario, planted } from '../../scenarios/demo/github.ts';
import type { GithubScenario } from '../../connectors/github/simulator/scenario.ts';
import { props, rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

let run: SimCrawl | undefined;
afterEach(async () => { await run?.close(); run = undefined; });

const ORG = 'halcyon-logistics';

describe('github crawl of the demo organisation', () => {
  it('maps every scenario object to the right kinds, properties and edges', async () => {
    const s = buildGithubScenario();
    run = await startSimCrawl('github', s);
    const summary = await run.crawl();
    expect(summary.status).toBe('complete');
    const db = run.db;
    const count = (sql: string, ...p: unknown[]) => (db.prepare(sql).get(...p) as { n: number }).n;

    expect(count("SELECT count(*) n FROM nodes WHERE type = 'github.organization'")).toBe(1);
    expect(count("SELECT count(*) n FROM principals WHERE provider = 'github' AND json_extract(props, '$.member') = 1")).toBe(s.members.length);
    expect(count("SELECT count(*) n FROM principals WHERE json_extract(props, '$.role') = 'outside_collaborator'")).toBe(s.outsideCollaborators!.length);
    expect(count("SELECT count(*) n FROM connectors WHERE type = 'github.app_installation'")).toBe(s.installations!.length);
    expect(count("SELECT count(*) n FROM nodes WHERE type = 'github.repository'")).toBe(s.repositories.length);
    const keys = Object.values(s.deployKeys!).flat();
    expect(count("SELECT count(*) n FROM credentials WHERE type = 'github.deploy_key'")).toBe(keys.length);
    const hooks = Object.values(s.repoHooks!).flat().length + s.orgHooks!.length;
    expect(count("SELECT count(*) n FROM connectors WHERE connector_type = 'webhook'")).toBe(hooks);
    expect(count("SELECT count(*) n FROM credentials WHERE type = 'github.fine_grained_pat'")).toBe(s.patGrants!.length);
    expect(count("SELECT count(*) n FROM credentials WHERE type = 'github.fine_grained_pat_request'")).toBe(s.patRequests!.length);
    expect(count("SELECT count(*) n FROM credentials WHERE type = 'github.sso_credential'")).toBe(s.credentialAuthorizations!.length);
    expect(count("SELECT count(*) n FROM credentials WHERE type = 'github.actions_secret'")).toBe(s.orgSecrets!.length);

    // the app with admin permissions: scopes as HAS_SCOPE edges, vendor via PUBLISHED_BY
    const admin = s.installations!.find((i) => i.app_slug === planted.adminApp)!;
    const adminId = `github:app_installation:${admin.id}`;
    const scopes = rows<{ scope: string }>(db, 'SELECT scope FROM grants WHERE holder_id = ? ORDER BY scope', adminId).map((r) => r.scope);
    expect(scopes).toEqual(['administration:write', 'contents:write', 'metadata:read', 'organization_administration:write']);
    expect(rows(db, 'SELECT vendor FROM connectors WHERE id = ?', adminId)).toEqual([{ vendor: 'deployhub' }]);
    // (on every repository but billing-api, the issue-19 clean twin only GitHub's apps write: so `selected`)
    expect(props(db, adminId)).toMatchObject({ app_id: String(admin.app_id), app_slug: planted.adminApp, repository_selection: 'selected', enabled: true });
    expect(rows(db, 'SELECT count(*) AS n FROM reach WHERE holder_id = ?', adminId)).toEqual([{ n: s.repositories!.length - 1 }]);
    // an installation on all repositories reaches the organisation itself
    const all = s.installations!.find((i) => i.repository_selection === 'all')!;
    expect(rows(db, "SELECT json_extract(access_props, '$.repositories') AS r FROM reach WHERE holder_id = ?", `github:app_installation:${all.id}`)).toEqual([{ r: 'all' }]);

    // selected repositories of an installation -> CAN_ACCESS repositories
    const selected = s.installations!.find((i) => i.repository_selection === 'selected')!;
    const reach = rows<{ resource_name: string }>(db, 'SELECT resource_name FROM reach WHERE holder_id = ? ORDER BY 1', `github:app_installation:${selected.id}`);
    expect(reach.map((r) => r.resource_name)).toEqual(s.installationRepositories![String(selected.id)]!.map((n) => `${ORG}/${n}`).sort());

    // expired and never-expiring tokens keep their dates; the owner holds them
    const expired = rows<{ expires_at: string; holder_name: string }>(db, "SELECT expires_at, holder_name FROM credentials WHERE json_extract(props, '$.token_name') = ?", planted.expiredPat);
    expect(expired).toHaveLength(1);
    expect(Date.parse(expired[0]!.expires_at)).toBeLessThan(Date.now());
    expect(expired[0]!.holder_name).toBe('lnguyen');
    expect(rows(db, "SELECT expires_at FROM credentials WHERE json_extract(props, '$.token_name') = ?", planted.neverExpiringPat)).toEqual([{ expires_at: null }]);

    // the write deploy key added by a departed member: INSTALLED_BY a principal who is not a member
    const key = rows<{ id: string; access: string }>(db, "SELECT id, json_extract(props, '$.access') access FROM credentials WHERE json_extract(props, '$.title') = 'legacy-billing-sync'");
    expect(key).toEqual([{ id: 'github:deploy_key:699001', access: 'write' }]);
    const author = rows<{ principal_status: string; member: number | null }>(db,
      "SELECT o.principal_status, json_extract(p.props, '$.member') member FROM owners o JOIN nodes p ON p.id = o.principal_id WHERE o.connector_id = ?", key[0]!.id);
    expect(author).toEqual([{ principal_status: 'unknown', member: null }]);

    // the webhook to an unknown host forwards there; its URL is stored without credentials or query
    const hook = rows<{ host: string; url: string }>(db, "SELECT f.host, json_extract(c.props, '$.url') url FROM forwards f JOIN nodes c ON c.id = f.connector_id WHERE f.host = ?", planted.unknownWebhookHost);
    expect(hook).toEqual([{ host: planted.unknownWebhookHost, url: `https://${planted.unknownWebhookHost}/ingest` }]);

    // ledger: one row per resource type, API calls counted
    const ledger = rows<{ resource_type: string; status: string; api_calls: number }>(db, 'SELECT resource_type, status, api_calls FROM run_ledger WHERE run_id = ?', summary.runId);
    expect(ledger.length).toBe(run.spec.resources.length);
    expect(ledger.every((r) => r.status === 'complete')).toBe(true);
    // first crawl: every repository through REST, plus the GraphQL deploy-key index (50 repositories a query)
    expect(ledger.find((r) => r.resource_type === 'github.deploy_keys')!.api_calls).toBe(s.repositories.length + Math.ceil(s.repositories.length / 50));
    expect(summary.totals.apiCalls).toBe(run.sim.log.length);
  });

  it('records a deleted object as removed and a new permission as a modification with before/after', async () => {
    const s = buildGithubScenario();
    run = await startSimCrawl('github', s);
    await run.crawl();
    // mutate the live scenario the simulator serves
    const gone = s.deployKeys!['billing-api']!.pop()!;
    const codecov = s.installations!.find((i) => i.app_slug === 'codecov')!;
    (codecov.permissions as Record<string, string>).pull_requests = 'write';
    const second = await run.crawl();
    expect(second.status).toBe('complete');

    const keyId = `github:deploy_key:${gone.id}`;
    expect(rows(run.db, 'SELECT removed_run FROM nodes WHERE id = ?', keyId)).toEqual([{ removed_run: second.runId }]);
    expect(rows(run.db, "SELECT change FROM change_log WHERE entity_id = ? AND run_id = ?", keyId, second.runId)).toEqual([{ change: 'removed' }]);
    expect(rows(run.db, 'SELECT count(*) n FROM credentials WHERE id = ?', keyId)).toEqual([{ n: 0 }]);

    const instId = `github:app_installation:${codecov.id}`;
    const mod = rows<{ before: string; after: string }>(run.db, "SELECT before, after FROM change_log WHERE entity_id = ? AND change = 'modified' AND run_id = ?", instId, second.runId);
    expect(mod).toHaveLength(1);
    expect(JSON.parse(mod[0]!.before).props.permissions.pull_requests).toBeUndefined();
    expect(JSON.parse(mod[0]!.after).props.permissions.pull_requests).toBe('write');
    expect(rows(run.db, "SELECT change FROM change_log WHERE entity = 'edge' AND entity_id = ? AND run_id = ?",
      `${instId}|HAS_SCOPE|github:scope:pull_requests:write`, second.runId)).toEqual([{ change: 'added' }]);
  });

  it('a listing that fails beyond its retries leaves the run partial and removes nothing it owned', async () => {
    const s = buildGithubScenario();
    run = await startSimCrawl('github', s);
    await run.crawl();
    const before = rows<{ n: number }>(run.db, "SELECT count(*) n FROM credentials WHERE type = 'github.deploy_key'")[0]!.n;
    s.deployKeys!['billing-api'] = []; // would be a removal if the listing completed
    run.sim.setFaults([{ route: 'deploy-keys', path: '/billing-api/', kind: 'status', status: 502 }]);
    const second = await run.crawl({ retry: { maxRetries: 2, baseDelayMs: 5 } });
    expect(second.status).toBe('partial');
    const keys = second.resources.find((r) => r.resourceType === 'github.deploy_keys')!;
    expect(keys.status).toBe('partial');
    expect(keys.listingsFailed).toBe(1);
    expect(keys.retries).toBe(2);
    expect(keys.error).toContain('billing-api');
    expect(rows(run.db, "SELECT count(*) n FROM credentials WHERE type = 'github.deploy_key'")[0]!.n).toBe(before);
    expect(rows(run.db, 'SELECT count(*) n FROM change_log WHERE run_id = ? AND change = ?', second.runId, 'removed')).toEqual([{ n: 0 }]);
    expect(second.resources.filter((r) => r.resourceType !== 'github.deploy_keys').every((r) => r.status === 'complete')).toBe(true);
    // three attempts at the failing listing, recorded by the simulator
    expect(run.sim.log.filter((e) => e.path === `/repos/${ORG}/billing-api/keys` && e.status === 502)).toHaveLength(3);
  });

  it('honours Retry-After on 429 and 403: no retry before the wait', async () => {
    const s = buildGithubScenario();
    run = await startSimCrawl('github', s, { faults: [
      { route: 'repos', kind: 'status', status: 429, headers: { 'retry-after': '1' }, times: 1 },
      { route: 'org-hooks', kind: 'status', status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit' }, times: 1 },
    ] });
    const summary = await run.crawl();
    expect(summary.status).toBe('complete');
    for (const path of [`/orgs/${ORG}/repos`, `/orgs/${ORG}/hooks`]) {
      const hits = run.sim.log.filter((e) => e.path === path);
      expect(hits.map((h) => h.status)).toEqual([path.endsWith('repos') ? 429 : 403, 200]);
      expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(1000);
    }
    expect(summary.totals.retries).toBe(2);
  });

  it('paces from x-ratelimit-remaining/reset instead of hitting the wall', async () => {
    const s: GithubScenario = { ...buildGithubScenario(), rateLimit: { limit: 40, windowMs: 1500 } };
    run = await startSimCrawl('github', s);
    const summary = await run.crawl();
    expect(summary.status).toBe('complete');
    expect(run.sim.log.filter((e) => e.status === 403 || e.status === 429)).toHaveLength(0);
    expect(summary.totals.retries).toBe(0);
    expect(summary.totals.rateWaitMs).toBeGreaterThan(0);
  });

  it('a repeated crawl of an unchanged organisation is answered with 304s and changes nothing', async () => {
    run = await startSimCrawl('github', buildGithubScenario());
    const first = await run.crawl();
    const nodesBefore = rows(run.db, 'SELECT id, props FROM nodes ORDER BY id');
    const second = await run.crawl();
    expect(second.status).toBe('complete');
    const secondCalls = run.sim.log.slice(first.totals.apiCalls);
    const listings = secondCalls.filter((e) => e.ifNoneMatch);
    expect(listings.length).toBeGreaterThan(50);
    expect(listings.every((e) => e.status === 304)).toBe(true);
    expect(second.totals.notModified).toBe(listings.length);
    expect(rows(run.db, 'SELECT count(*) n FROM change_log WHERE run_id = ?', second.runId)).toEqual([{ n: 0 }]);
    expect(rows(run.db, 'SELECT id, props FROM nodes ORDER BY id')).toEqual(nodesBefore);
    expect(rows(run.db, 'SELECT count(*) n FROM nodes WHERE removed_run IS NULL AND last_seen_run < ? AND source IS NOT NULL', second.runId)).toEqual([{ n: 0 }]);
    // a change behind a cached page is still seen: the page's ETag changes
    const third = await (async () => { (run!.sim as unknown as { log: unknown[] }).log.length = 0; return run!.crawl(); })();
    expect(third.totals.notModified).toBe(listings.length);
  });

  it('never stores or logs planted secrets', async () => {
    run = await startSimCrawl('github', buildGithubScenario());
    await run.crawl();
    run.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.readFileSync(run.dbFile).toString('latin1') + (fs.existsSync(`${run.dbFile}-wal`) ? fs.readFileSync(`${run.dbFile}-wal`).toString('latin1') : '');
    const logs = run.logs.join('\n');
    for (const secret of [planted.webhookSecret, planted.webhookUrlToken, 'user:pass', 'ghs_ssss', 'ghp_simulated', 'BEGIN RSA PRIVATE KEY', 'XXXXXXXX']) {
      expect(bytes.includes(secret), `db contains ${secret}`).toBe(false);
      expect(logs.includes(secret), `logs contain ${secret}`).toBe(false);
    }
  });

  it('records plan and token limits as unsupported, not as failures', async () => {
    const s = { ...buildGithubScenario(), credentialAuthorizations: null };
    run = await startSimCrawl('github', s);
    // classic token only: the fine-grained PAT listings are GitHub-App-only
    const summary = await run.crawl({ configPatch: { app: undefined } });
    const by = Object.fromEntries(summary.resources.map((r) => [r.resourceType, r]));
    expect(by['github.pat_grants']!.status).toBe('unsupported');
    expect(by['github.pat_grants']!.error).toMatch(/GitHub App installation token/);
    expect(by['github.pat_grant_repositories']!.status).toBe('unsupported');
    expect(by['github.credential_authorizations']!.status).toBe('not_applicable'); // the plan has no SAML SSO
    expect(by['github.credential_authorizations']!.error).toMatch(/SAML SSO/);
    expect(summary.status).toBe('complete');
    expect(rows(run.db, "SELECT count(*) n FROM credentials WHERE type = 'github.fine_grained_pat'")).toEqual([{ n: 0 }]);
  });

  it('a malformed item is skipped alone: the listing is partial, its error names the resource, the item and the field', async () => {
    const s = buildGithubScenario();
    (s.installations![0] as { id?: number }).id = undefined;
    run = await startSimCrawl('github', s);
    const summary = await run.crawl();
    const inst = summary.resources.find((r) => r.resourceType === 'github.app_installations')!;
    expect(inst.status).toBe('partial');
    expect(inst.error).toMatch(/github\/github\.app_installations.*app_slug=.*installations\[\]\.id: expected an id/);
    expect(rows(run.db, "SELECT count(*) n FROM connectors WHERE type = 'github.app_installation'")).toEqual([{ n: s.installations!.length - 1 }]);
    expect(summary.status).toBe('partial');
  });

  it('a truncated body and a reset connection are retried', async () => {
    run = await startSimCrawl('github', buildGithubScenario(), { faults: [
      { route: 'members', kind: 'truncate', times: 1 },
      { route: 'outside-collaborators', kind: 'reset', times: 1 },
    ] });
    const summary = await run.crawl();
    expect(summary.status).toBe('complete');
    expect(summary.totals.retries).toBe(2);
  });
});
