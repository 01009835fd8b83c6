// The bundled demo scenario, crawled by the real SDK clients through the simulators, reconciled against
// the bundled demo inventory (scenarios/demo/inventory.yaml): exactly the planted findings, no others.
// Expectations are per provider, so a provider joining the demo adds its block; findings that need a
// provider to know someone left are listed under `crossProvider` with the providers that can tell. On both backends
// (test/helpers/backends.ts).
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';
import type { Db } from '../../src/graph/db.ts';
import { sqlFor } from '../../src/graph/dialect.ts';
import { loadInventory } from '../../src/inventory/load.ts';
import { findingId, reconcile } from '../../src/reconcile/engine.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { lastMonthScenario } from '../../scenarios/demo/last-month.ts';
import { describeBackends } from '../helpers/backends.ts';
import { crawlScenario } from '../helpers/scenario-crawl.ts';
import { DEMO_NOW, setDemoClock } from '../../scenarios/demo/company.ts';
import { dateDemoToday, DEMO_INVENTORY_AS_OF } from '../../scenarios/demo/today.ts';
import { NOW } from './helpers.ts';

type Key = [rule: string, subject: string, detail: string];

/**
 * Planted per provider (rule, subject node, variant / scope / host): the open findings. Each line is a planted problem or its
 * direct consequence; what several rules see of one problem is one finding (the others are folded into it: `oneFinding` below).
 */
const planted: Record<string, Key[]> = {
  // GitHub (scenarios/demo/github.ts + inventory): deployhub-pro admin scopes; expired and never-expiring PATs; the write
  // deploy key of departed rkowalski on customer-portal (610 days old); the unknown webhook host; mchen's classic PAT (500 days, no expiry,
  // admin:org); NPM_PUBLISH_TOKEN untouched for 700 days; jira-cloud / linear-sync approvals lapsed; circleci gone;
  // billing-api's webhook over plain http:// and an org webhook with TLS verification off (their https twins stay silent).
  github: [
    ['approval-expired', 'github:app_installation:9005', 'temporary-ended'],
    ['approval-expired', 'github:app_installation:9010', 'approval-expired'],
    ['approved-not-found', 'inventory:circleci:github', ''],
    ['credential-expired', 'github:pat_grant:2', ''],
    ['credential-expiring-soon', 'github:pat_grant:4', ''], // asantos's docs-sync PAT: 20 days left, no replacement
    ['credential-no-expiry', 'github:credential_authorization:41', ''],
    ['credential-no-expiry', 'github:pat_grant:3', ''],
    ['credential-rotation-overdue', 'github:actions_secret:halcyon-logistics/NPM_PUBLISH_TOKEN', ''],
    ['credential-rotation-overdue', 'github:credential_authorization:41', ''],
    ['credential-rotation-overdue', 'github:deploy_key:699001', ''],
    ['data-forwarding', 'github:repo_webhook:799001', 'collector.data-sync.io'],
    ['orphaned-connector', 'github:deploy_key:699001', 'owners-departed'],
    ['scope-drift', 'github:app_installation:9000', ''],
    ['static-secret', 'github:credential_authorization:41', ''],
    ['unapproved-connector', 'github:repo_webhook:799001', ''],
    ['webhook-insecure-transport', 'github:org_webhook:710003', 'siem.halcyon-logistics.com'],
    ['webhook-insecure-transport', 'github:repo_webhook:799002', 'ci.halcyon-logistics.com'],
  ],
  // Slack: OpsPilot Admin (admin scopes, unapproved); Standup Bot and the legacy `Bots` installed by people who left;
  // the legacy incoming webhook nobody installed on record; DataSync's new files:read + channels:history; Otter.ai, an AI
  // meeting recorder (known to the category catalogue by name) reading all history and files and posting (its clean twin,
  // Halcyon Ask, an inventory `category: ai-assistant` with read-only narrow scopes, raises nothing).
  slack: [
    ['ai-agent-excessive-agency', 'slack:app:THALCYON01:A0OTTERAI1', ''],
    ['orphaned-connector', 'slack:app:THALCYON01:A0STANDUP1', 'owners-departed'],
    ['scope-drift', 'slack:app:THALCYON01:A0DATASYNC', ''],
    ['unapproved-connector', 'slack:app:THALCYON01:A0ADMINOPS', ''],
    ['unapproved-connector', 'slack:service:THALCYON01:4000123', ''],
    ['unapproved-connector', 'slack:service:THALCYON01:5000777', ''],
  ],
  // Google: MailMerge Pro (Gmail read/send, unapproved; still granted by rkowalski, suspended); deploy-bot (roles/owner, a key past 90 days, a key that never
  // expires); every user-managed key is a static secret (CIS GCP 1.4) and the scenario's svc-2-2 / svc-2-4 keys never expire.
  // github-actions@halcyon-ci (roles/editor) trusts any branch of infra-terraform through Workload Identity pool `github`
  // (its clean twin, svc-1-3@halcyon-ci trusting billing-api's production environment through pool `github-prod`, raises nothing).
  // Pool `github` also holds roles/iam.workloadIdentityUser on halcyon-ci for any branch of release-tools: that trust is
  // judged on every service account of the project it may act as (github-actions@, high with roles/editor; svc-1-3@, svc-2-3@).
  google: [
    ['federation-broad-subject', 'google:service_account:github-actions@halcyon-ci.iam.gserviceaccount.com', ''],
    ['federation-broad-subject', 'google:service_account:github-actions@halcyon-ci.iam.gserviceaccount.com', ''],
    ['federation-broad-subject', 'google:service_account:svc-1-3@halcyon-ci.iam.gserviceaccount.com', ''],
    ['federation-broad-subject', 'google:service_account:svc-2-3@halcyon-ci.iam.gserviceaccount.com', ''],
    // cross-provider-escalation: third-party apps that can change infra-terraform's code (deployhub-pro administration:write,
    // renovate contents:write, on every repository) reach roles/editor on halcyon-ci through the Workload Identity trust
    ['cross-provider-escalation', 'github:app_installation:9000', ''],
    ['cross-provider-escalation', 'github:app_installation:9006', ''],
    ['credential-expiring-soon', 'google:service_account_key:daac1aebb52c0d119de7b5ad5e4143251f77d3cf', ''], // backup-dwd's key: 30 days left
    ['credential-no-expiry', 'google:service_account_key:989b12258bd2baf9defff0001c303b6fe62d81b6', ''],
    ['credential-no-expiry', 'google:service_account_key:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b', ''],
    ['credential-no-expiry', 'google:service_account_key:fb3033a9383d8132a5294a5a7fd56cf4839867e0', ''],
    ['credential-rotation-overdue', 'google:service_account_key:4f1c2a9be0d3c7a6b5e4f3d2c1b0a9f8e7d6c5b4', ''],
    ['scope-drift', 'google:service_account:deploy-bot@halcyon-prod.iam.gserviceaccount.com', ''],
    ['static-secret', 'google:service_account:deploy-bot@halcyon-prod.iam.gserviceaccount.com', ''], // its two user-managed keys, one finding
    ['static-secret', 'google:service_account_key:6e5909dbb524476c6b5b5a5ae2fe23251f7f1d19', ''],
    ['static-secret', 'google:service_account_key:989b12258bd2baf9defff0001c303b6fe62d81b6', ''],
    ['static-secret', 'google:service_account_key:b162c7ca38c1a2332108ce7b3507e115831c88e0', ''],
    ['static-secret', 'google:service_account_key:c1ee2a6f62801d953294a5a5458354a9bcdaf443', ''],
    ['static-secret', 'google:service_account_key:daac1aebb52c0d119de7b5ad5e4143251f77d3cf', ''],
    ['static-secret', 'google:service_account_key:fb3033a9383d8132a5294a5a7fd56cf4839867e0', ''],
    ['orphaned-connector', 'google:oauth_grant:104000000000000000007:581947263015-mailmergepro.apps.googleusercontent.com', 'owners-departed'], // a departed person's grant: revoked apart
    ['unapproved-connector', 'google:oauth_client:581947263015-mailmergepro.apps.googleusercontent.com', ''],
  ],
  // Azure: MailMetrics (Mail.Read, its only owner left, unapproved); OpsGenie's Directory.ReadWrite.All; mi-infra-deployer's
  // Owner; legacy-reporting's 10-year secret (and the app idle 212 days) — over the 365-day lifetime policy, where
  // halcyon-billing-api's, exactly 365 days, is not; every client secret has a federated alternative; route-planner-api's
  // one secret and one certificate are not "several secrets" (classes are counted apart). terraform-ci's service principal
  // holds Owner on the production subscription and the app trusts every pull request of infra-terraform (its main-branch
  // trust is pinned; its clean twin, halcyon-billing-api trusting billing-api's production environment, raises nothing).
  azure: [
    ['credential-dormant', 'azure:application:0000b000-0000-4000-8000-000000000003', ''],
    ['federation-broad-subject', 'azure:application:0000b000-0000-4000-8000-000000000005', ''],
    // cross-provider-escalation: the same two apps reach Owner on halcyon-prod through terraform-ci's pull-request trust
    ['cross-provider-escalation', 'github:app_installation:9000', ''],
    ['cross-provider-escalation', 'github:app_installation:9006', ''],
    ['high-risk-permission', 'azure:service_principal:00005000-0000-4000-8000-000000000068', 'Owner'],
    ['credential-lifetime-excessive', 'azure:client_secret:0000c000-0000-4000-8000-000000000003', ''], // legacy-reporting: 10 years
    ['credential-expiring-soon', 'azure:client_secret:0000c000-0000-4000-8000-000000000002', ''], // warehouse-sync's secret: 7 days left
    ['credential-rotation-overdue', 'azure:client_secret:0000c000-0000-4000-8000-000000000003', ''],
    ['scope-drift', 'azure:service_principal:00005000-0000-4000-8000-000000000003', ''],
    ['scope-drift', 'azure:service_principal:00005000-0000-4000-8000-000000000009', ''],
    ['static-secret', 'azure:client_secret:0000c000-0000-4000-8000-000000000002', ''],
    ['static-secret', 'azure:client_secret:0000c000-0000-4000-8000-000000000003', ''],
    ['static-secret', 'azure:client_secret:0000c000-0000-4000-8000-000000000004', ''],
    ['static-secret', 'azure:client_secret:0000c000-0000-4000-8000-000000000006', ''], // route-planner-api: its acceptance (RISK-0087) expired
    ['unapproved-connector', 'azure:service_principal:00005000-0000-4000-8000-000000000002', ''],
  ],
};

/**
 * One problem, one finding (docs/reconcile.md "Subsumption", whose table lists these): each planted problem several rules see
 * yields exactly `finding` (open), and the findings folded into it are recorded as subsumed by it — never open, never resolved.
 */
const DEPLOY_BOT = 'google:service_account:deploy-bot@halcyon-prod.iam.gserviceaccount.com';
const MAILMERGE = 'google:oauth_client:581947263015-mailmergepro.apps.googleusercontent.com';
const oneFinding: Array<{ problem: string; finding: Key; folded: Key[] }> = [
  { problem: 'deployhub-pro holds admin scopes beyond its approval', finding: ['scope-drift', 'github:app_installation:9000', ''],
    folded: [['high-risk-permission', 'github:app_installation:9000', 'administration:write'], ['high-risk-permission', 'github:app_installation:9000', 'organization_administration:write']] },
  { problem: 'an unknown repository webhook (no owner)', finding: ['unapproved-connector', 'github:repo_webhook:799001', ''],
    folded: [['orphaned-connector', 'github:repo_webhook:799001', 'no-owner']] },
  { problem: 'OpsPilot Admin: unapproved, with admin scopes', finding: ['unapproved-connector', 'slack:app:THALCYON01:A0ADMINOPS', ''],
    folded: [['high-risk-permission', 'slack:app:THALCYON01:A0ADMINOPS', 'admin'], ['high-risk-permission', 'slack:app:THALCYON01:A0ADMINOPS', 'admin.conversations:write'],
      ['high-risk-permission', 'slack:app:THALCYON01:A0ADMINOPS', 'admin.users:write']] },
  { problem: 'DataSync gained files:read and channels:history', finding: ['scope-drift', 'slack:app:THALCYON01:A0DATASYNC', ''],
    folded: [['high-risk-permission', 'slack:app:THALCYON01:A0DATASYNC', 'channels:history'], ['high-risk-permission', 'slack:app:THALCYON01:A0DATASYNC', 'files:read']] },
  { problem: 'the legacy `Bots` integration, installed by people who left', finding: ['unapproved-connector', 'slack:service:THALCYON01:4000123', ''],
    folded: [['high-risk-permission', 'slack:service:THALCYON01:4000123', 'bot'], ['orphaned-connector', 'slack:service:THALCYON01:4000123', 'owners-departed']] },
  { problem: 'a legacy incoming webhook nobody installed on record', finding: ['unapproved-connector', 'slack:service:THALCYON01:5000777', ''],
    folded: [['orphaned-connector', 'slack:service:THALCYON01:5000777', 'no-owner']] },
  { problem: 'MailMerge Pro: unapproved, Gmail read and send, no owner', finding: ['unapproved-connector', MAILMERGE, ''],
    folded: [['high-risk-permission', MAILMERGE, 'https://www.googleapis.com/auth/gmail.readonly'], ['high-risk-permission', MAILMERGE, 'https://www.googleapis.com/auth/gmail.send'],
      ['orphaned-connector', MAILMERGE, 'no-owner']] },
  { problem: 'Standup Bot: its installer, also its inventory owner, left', finding: ['orphaned-connector', 'slack:app:THALCYON01:A0STANDUP1', 'owners-departed'],
    folded: [['orphaned-connector', 'inventory:standup-bot', 'inventory-owners-departed']] },
  { problem: 'deploy-bot holds roles/owner beyond its approval', finding: ['scope-drift', DEPLOY_BOT, ''], folded: [['high-risk-permission', DEPLOY_BOT, 'roles/owner']] },
  { problem: 'deploy-bot uses two user-managed keys', finding: ['static-secret', DEPLOY_BOT, ''],
    folded: [['static-secret', 'google:service_account_key:4f1c2a9be0d3c7a6b5e4f3d2c1b0a9f8e7d6c5b4', ''],
      ['static-secret', 'google:service_account_key:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b', ''], ['multiple-active-secrets', DEPLOY_BOT, '']] },
  { problem: 'MailMetrics: unapproved, Mail.Read, its only owner left', finding: ['unapproved-connector', 'azure:service_principal:00005000-0000-4000-8000-000000000002', ''],
    folded: [['high-risk-permission', 'azure:service_principal:00005000-0000-4000-8000-000000000002', 'Mail.Read'],
      ['orphaned-connector', 'azure:service_principal:00005000-0000-4000-8000-000000000002', 'owners-departed']] },
  { problem: 'OpsGenie holds Directory.ReadWrite.All beyond its approval', finding: ['scope-drift', 'azure:service_principal:00005000-0000-4000-8000-000000000003', ''],
    folded: [['high-risk-permission', 'azure:service_principal:00005000-0000-4000-8000-000000000003', 'Directory.ReadWrite.All']] },
  { problem: 'mi-infra-deployer holds Owner beyond its approval', finding: ['scope-drift', 'azure:service_principal:00005000-0000-4000-8000-000000000009', ''],
    folded: [['high-risk-permission', 'azure:service_principal:00005000-0000-4000-8000-000000000009', 'Owner']] },
];

/** Accepted in the demo inventory: recorded as accepted (not open); route-planner-api's acceptance expired, so its finding is open (in `planted`). */
const acceptedInDemo: Array<{ key: Key; ticket: string }> = [{ key: ['static-secret', 'azure:client_secret:0000c000-0000-4000-8000-000000000001', ''], ticket: 'RISK-0101' }];

/** Findings that need one of these providers to know the owner left (Rafal Kowalski: deleted in Slack, suspended in Google, disabled in Entra). */
const crossProvider: Array<{ anyOf: string[]; key: Key }> = [
  { anyOf: ['slack', 'google', 'azure'], key: ['orphaned-connector', 'inventory:release-bot', 'inventory-owners-departed'] },
];

function expectedFor(providers: string[]): string[] {
  const keys = providers.flatMap((p) => planted[p] ?? []);
  for (const c of crossProvider) if (c.anyOf.some((p) => providers.includes(p))) keys.push(c.key);
  return keys.map((k) => k.join(' | ')).sort();
}

function actual(db: Db): string[] {
  const ev = (key: string) => sqlFor(db, { sqlite: `json_extract(evidence,'$.${key}')`, postgres: `(evidence::jsonb ->> '${key}')` });
  return (db.prepare(`SELECT rule, subject_id, coalesce(${ev('variant')}, ${ev('scope')}, ${ev('host')}, '') AS d
      FROM current_findings`).all() as Array<{ rule: string; subject_id: string; d: string }>).map((r) => `${r.rule} | ${r.subject_id} | ${r.d}`).sort();
}

function stateOf(db: Db, [rule, subject, detail]: Key): { status: string; subsumed_by: string | null; acceptance: string | null } | undefined {
  return db.prepare('SELECT status, subsumed_by, acceptance FROM findings WHERE id = ?').get(findingId(rule, subject, detail)) as never;
}

describeBackends('demo scenario + demo inventory', ({ openTestDb }) => {
  const dir = path.resolve('test/.tmp', `demo-reconcile-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  const scenario = buildDemoScenario();
  const providers = ['github', 'slack', 'google', 'azure'].filter((p) => (scenario as Record<string, unknown>)[p]);

  let oneDb: Db | undefined;
  it('produces exactly the planted findings', async () => {
    const db = openTestDb({ suite: true }); // the next two tests read it
    await crawlScenario(db, scenario);
    reconcile(db, loadInventory(DEMO_INVENTORY), { now: NOW });
    expect(actual(db)).toEqual(expectedFor(providers));
    oneDb = db;
  });

  it('issue 19\'s clean twin: billing-api, which the pinned trusts name, is written by no third-party app or token; its trusts raise nothing', () => {
    const db = oneDb!;
    if (!providers.includes('github')) return;
    const repo = 'halcyon-logistics/billing-api';
    // who can change what billing-api's workflows run: no connector or credential controls it (the paths view's CONTROLS)
    const controls = (name: string) => (db.prepare("SELECT from_id FROM paths WHERE step = 'CONTROLS' AND to_name = ? ORDER BY from_id").all(name) as Array<{ from_id: string }>).map((r) => r.from_id);
    expect(controls(repo)).toEqual([]);
    // nor a write deploy key (its only key is read-only)
    expect(db.prepare("SELECT from_id, access FROM paths WHERE step = 'CAN_ACCESS' AND to_name = ? AND from_id LIKE 'github:deploy_key:%'").all(repo))
      .toEqual([{ from_id: 'github:deploy_key:600000', access: 'read' }]);
    // while the same third-party apps control infra-terraform (the planted escalation) — the twin differs in that alone
    expect(controls('halcyon-logistics/infra-terraform')).toEqual(expect.arrayContaining(['github:app_installation:9000', 'github:app_installation:9006']));
    // the trusts naming billing-api are the two pinned ones (Entra and Google), resolved to the repository
    const trusts = db.prepare('SELECT holder_name, subject, breadth FROM trusts WHERE repository_name = ? ORDER BY holder_name').all(repo) as Array<{ holder_name: string; subject: string; breadth: string }>;
    expect(trusts.map((t) => [t.holder_name, t.breadth])).toEqual([['halcyon-billing-api', 'pinned'], ['svc-1-3@halcyon-ci.iam.gserviceaccount.com', 'pinned']]);
    // and raise nothing: no federation finding on them, no escalation through billing-api
    const mentions = db.prepare(`SELECT rule, subject_id FROM current_findings WHERE rule IN ('federation-broad-subject', 'federation-untrusted-issuer', 'cross-provider-escalation')
      AND evidence LIKE ?`).all('%billing-api%');
    expect(mentions).toEqual([]);
  });

  it('one problem, one finding: each planted problem several rules see yields exactly the documented finding, the rest folded into it', () => {
    const db = oneDb!;
    const open = new Set(actual(db));
    for (const p of oneFinding.filter((x) => providers.some((pr) => x.finding[1].startsWith(`${pr}:`)))) {
      const keys = [p.finding, ...p.folded];
      // exactly one open finding per problem: its own
      expect(keys.filter((k) => open.has(k.join(' | '))), p.problem).toEqual([p.finding]);
      const target = findingId(...p.finding);
      for (const k of p.folded) expect(stateOf(db, k), `${p.problem}: ${k.join(' | ')}`).toMatchObject({ status: 'subsumed', subsumed_by: target });
      // the folded facts are in the finding's evidence: folded findings under `folded`, grouped credentials under `credentials`
      const ev = JSON.parse((db.prepare('SELECT evidence FROM findings WHERE id = ?').get(target) as { evidence: string }).evidence);
      const listed = [...(ev.folded ?? []).map((f: { id: string }) => f.id), ...(ev.credentials ?? []).map((c: { id: string }) => findingId(p.finding[0], c.id, ''))];
      expect(listed.sort(), p.problem).toEqual(p.folded.map((k) => findingId(...k)).sort());
    }
    // nothing else is folded
    const subsumed = db.prepare("SELECT count(*) AS n FROM findings WHERE status = 'subsumed'").get() as { n: number };
    expect(subsumed.n).toBe(oneFinding.filter((x) => providers.some((pr) => x.finding[1].startsWith(`${pr}:`))).reduce((n, p) => n + p.folded.length, 0));
  });

  it('accepted risks: recorded as accepted with their ticket, not open; an expired acceptance re-opens its finding and says so', () => {
    const db = oneDb!;
    if (!providers.includes('azure')) return;
    for (const a of acceptedInDemo) {
      const st = stateOf(db, a.key)!;
      expect(st.status).toBe('accepted');
      expect(JSON.parse(st.acceptance!)).toMatchObject({ ticket: a.ticket, expired: false, inventory_id: 'billing-api' });
    }
    const expired = stateOf(db, ['static-secret', 'azure:client_secret:0000c000-0000-4000-8000-000000000006', ''])!;
    expect(expired.status).toBe('new');
    expect(JSON.parse(expired.acceptance!)).toMatchObject({ ticket: 'RISK-0087', expires: '2026-10-31', expired: true });
  });

  it('over two months: the same set (deployhub-pro\'s scope change folded into its drift), and ids kept from month to month', async () => {
    const db = openTestDb();
    await crawlScenario(db, lastMonthScenario(scenario));
    reconcile(db, loadInventory(DEMO_INVENTORY), { now: NOW });
    const before = new Set(db.prepare('SELECT id FROM findings').all().map((r) => (r as { id: string }).id));
    await crawlScenario(db, scenario);
    const s = reconcile(db, loadInventory(DEMO_INVENTORY), { now: NOW });
    expect(actual(db)).toEqual(expectedFor(providers));
    const change = db.prepare("SELECT evidence, status, subsumed_by FROM findings WHERE rule = 'scope-change'").get() as { evidence: string; status: string; subsumed_by: string };
    expect(change).toMatchObject({ status: 'subsumed', subsumed_by: findingId('scope-drift', 'github:app_installation:9000', '') });
    expect(JSON.parse(change.evidence).added.map((a: { scope: string }) => a.scope)).toEqual(['organization_administration:write']);
    // last month's old-ci-runner app was unapproved; uninstalled since (complete crawl): resolved
    expect(s.counts.resolved).toBeGreaterThan(0);
    const persisting = db.prepare("SELECT id FROM findings WHERE status = 'persisting'").all().map((r) => (r as { id: string }).id);
    expect(persisting.length).toBeGreaterThan(0);
    for (const id of persisting) expect(before.has(id)).toBe(true);
  });

  it('dated another day, as `nhi-census demo` dates it today, the same findings come out', async () => {
    const later = Date.parse(DEMO_INVENTORY_AS_OF) + 200 * 86_400_000 + 7 * 3_600_000;
    const { inventory, days } = dateDemoToday(DEMO_INVENTORY, dir, later);
    try {
      expect(days).toBe(200);
      // the inventory copy moved its dates, kept its comments and line count, and still validates
      const original = fs.readFileSync(DEMO_INVENTORY, 'utf8');
      const moved = fs.readFileSync(inventory, 'utf8');
      expect(moved.split('\n').length).toBe(original.split('\n').length + 1);
      expect(original).toContain('approval_expires: 2026-12-20');
      expect(moved).toContain(`approval_expires: ${new Date(Date.parse('2026-12-20') + 200 * 86_400_000).toISOString().slice(0, 10)}`);
      const db = openTestDb();
      await crawlScenario(db, buildDemoScenario());
      reconcile(db, loadInventory(inventory), { now: new Date(later) });
      expect(actual(db)).toEqual(expectedFor(providers));
    } finally {
      setDemoClock(Date.parse(DEMO_NOW));
    }
  });
});
