// The report as a work list (issue 15 items 12–14): "Fix these first" ordered by severity × reach with owner, due
// date from the inventory's sla_days and ticket; the same order and columns in findings.csv; object-specific
// remediation commands (hostile ids yield none or are quoted); the hygiene figure judged by the rotation policy;
// print rules; no invented organisation; no report of another database overwritten. The reconciled graph's suite runs
// on both backends (test/helpers/backends.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/engine.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { arg, SHAPES } from '../../src/remediation/shell.ts';
import { remediationFor, type RemediationInput } from '../../src/remediation/index.ts';
import { buildReportModel, NO_ORGANISATION, ReportInputError } from '../../reports/model.ts';
import { renderFindingsCsv } from '../../reports/render-csv.ts';
import { renderHtml } from '../../reports/render-html.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import { CSS, pageRules } from '../../reports/html-style.ts';
import { dueDate, fixFirstOrder, isOverdue, NO_REACH, priorityScore } from '../../reports/work-list.ts';
import { ReportTargetError, writeReport } from '../../reports/write-report.ts';
import type { FindingItem, FindingReach } from '../../reports/model-types.ts';
import { connector, crawlRun, credential, daysAgo, edge, entry, memDb, NOW, withScopes, merge } from '../reconcile/helpers.ts';
import type { Db } from '../../src/graph/db.ts';
import { describeBackends } from '../helpers/backends.ts';

// the reconciliation is recorded at the real time: its month is the report's
const MONTH = new Date().toISOString().slice(0, 7);
const reach = (o: Partial<FindingReach> = {}): FindingReach => ({ ...NO_REACH, ...o });
const item = (id: string, severity: FindingItem['severity'], r: FindingReach, due: string | null = '2026-12-01', first = '2026-11-01T00:00:00Z') =>
  ({ id, severity, reach: r, priority: priorityScore(severity, r), dueDate: due, firstSeenAt: first }) as FindingItem;

describe('"Fix these first" order: severity × reach', () => {
  it('broad third-party reach lifts a high above a critical that reaches nothing; ties fall to severity, due date, age, id', () => {
    const wide = reach({ resources: 40, users: 5, thirdParty: true });
    expect(priorityScore('high', wide)).toBeGreaterThan(priorityScore('critical', NO_REACH));
    expect(priorityScore('critical', reach({ resources: 1 }))).toBeGreaterThan(priorityScore('critical', NO_REACH));
    expect(priorityScore('medium', reach({ thirdParty: true }))).toBeGreaterThan(priorityScore('medium', NO_REACH));
    const list = [
      item('d', 'medium', NO_REACH, '2026-12-05'), item('c', 'medium', NO_REACH, '2026-12-01'),
      item('b', 'critical', NO_REACH), item('a', 'high', wide),
      item('f', 'medium', NO_REACH, '2026-12-01', '2026-10-01T00:00:00Z'), item('e', 'medium', NO_REACH, '2026-12-01', '2026-10-01T00:00:00Z'),
    ];
    expect(list.sort(fixFirstOrder).map((f) => f.id)).toEqual(['a', 'b', 'e', 'f', 'c', 'd']);
  });

  it('due date = first seen + sla_days[severity]; overdue only after the due day; no SLA, no due date', () => {
    const sla = { critical: 7, high: 30 };
    expect(dueDate('2026-11-02T12:00:00Z', 'critical', sla)).toBe('2026-11-09');
    expect(dueDate('2026-11-02T12:00:00Z', 'high', sla)).toBe('2026-12-02');
    expect(dueDate('2026-11-02T12:00:00Z', 'info', sla)).toBeNull();
    expect(isOverdue('2026-11-09', '2026-11-09T23:59:00Z')).toBe(false);
    expect(isOverdue('2026-11-09', '2026-11-10T00:00:00Z')).toBe(true);
    expect(isOverdue(null, '2030-01-01T00:00:00Z')).toBe(false);
  });
});

describe('object-specific remediation (connectors/<p>/remediation.ts)', () => {
  const f = (over: Partial<RemediationInput>): RemediationInput => ({ rule: 'unapproved-connector', provider: 'github', tenant: 'acme', subject: null, connector: null,
    tenantProps: {}, access: [], evidence: {}, ...over });
  const node = (id: string, type: string, props: Record<string, unknown> = {}, name: string | null = null) => ({ id, type, name, props });

  it('GitHub: deploy key and webhook deletion, TLS verification back on, installation page only', () => {
    expect(remediationFor(f({ subject: node('github:deploy_key:600000', 'github.deploy_key', { repository: 'acme/api' }) }))?.command)
      .toBe('gh api -X DELETE /repos/acme/api/keys/600000');
    expect(remediationFor(f({ subject: node('github:org_webhook:71', 'github.org_webhook', { hook_id: '71' }) }))?.command).toBe('gh api -X DELETE /orgs/acme/hooks/71');
    expect(remediationFor(f({ rule: 'webhook-insecure-transport', evidence: { problems: ['tls-verification-off'] },
      subject: node('github:repo_webhook:9', 'github.repo_webhook', { hook_id: '9' }), access: [{ resource: 'acme/api', props: {} }] }))?.command)
      .toBe('gh api -X PATCH /repos/acme/api/hooks/9/config -f insecure_ssl=0');
    const inst = remediationFor(f({ subject: node('github:app_installation:9000', 'github.app_installation', { installation_id: 9000 }) }));
    expect(inst).toMatchObject({ console_url: 'https://github.com/organizations/acme/settings/installations/9000', command: null });
  });

  it('Azure, Google, Slack: the documented commands and pages', () => {
    const app = node('azure:application:x', 'azure.application', { app_id: '0000a000-0000-4000-8000-000000000001' });
    expect(remediationFor(f({ provider: 'azure', rule: 'static-secret', connector: app,
      subject: node('azure:certificate:0000c000-0000-4000-8000-000000000005', 'azure.certificate', { key_id: '0000c000-0000-4000-8000-000000000005' }) }))?.command)
      .toBe('az ad app credential delete --id 0000a000-0000-4000-8000-000000000001 --key-id 0000c000-0000-4000-8000-000000000005 --cert');
    expect(remediationFor(f({ provider: 'google', rule: 'static-secret', subject: node('google:service_account_key:ab12cd34ef', 'google.service_account_key',
      { key_id: 'ab12cd34ef', service_account: 'bot@proj-1234.iam.gserviceaccount.com', project_id: 'proj-1234' }) }))?.command)
      .toBe('gcloud iam service-accounts keys delete ab12cd34ef --iam-account=bot@proj-1234.iam.gserviceaccount.com --project=proj-1234');
    expect(remediationFor(f({ provider: 'google', rule: 'scope-drift', evidence: { excess: [{ scope: 'roles/owner' }] },
      subject: node('google:service_account:bot@proj-1234.iam.gserviceaccount.com', 'google.service_account', { email: 'bot@proj-1234.iam.gserviceaccount.com', project_id: 'proj-1234' }),
      access: [{ resource: 'proj-9999', props: { project_id: 'proj-9999', roles: ['roles/owner'] } }] }))?.command)
      .toBe('gcloud projects remove-iam-policy-binding proj-9999 --member=serviceAccount:bot@proj-1234.iam.gserviceaccount.com --role=roles/owner');
    expect(remediationFor(f({ provider: 'slack', tenant: 'T1', tenantProps: { domain: 'acme' }, subject: node('slack:app:T1:A1', 'slack.app') })))
      .toMatchObject({ console_url: 'https://acme.slack.com/apps/manage', command: null });
  });

  it('hostile ids yield no command and no page; a value is quoted when it is not plain', () => {
    expect(remediationFor(f({ subject: node('github:deploy_key:1;rm -rf ~', 'github.deploy_key', { repository: 'acme/api' }) }))?.command ?? null).toBeNull();
    expect(remediationFor(f({ subject: node('github:deploy_key:6', 'github.deploy_key', { repository: 'acme/api$(id)' }) }))?.command ?? null).toBeNull();
    expect(remediationFor(f({ tenant: '-X POST', subject: node('github:org_webhook:71', 'github.org_webhook', { hook_id: '71' }) }))).toMatchObject({ command: null, console_url: null });
    expect(remediationFor(f({ provider: 'azure', connector: node('azure:application:x', 'azure.application', { app_id: "x' ; curl evil" }),
      subject: node('azure:client_secret:k', 'azure.client_secret', { key_id: '0000c000-0000-4000-8000-000000000001' }) }))?.command ?? null).toBeNull();
    expect(remediationFor(f({ provider: 'slack', tenantProps: { domain: 'evil.com/x?' }, subject: node('slack:app:T1:A1', 'slack.app') }))?.console_url ?? null).toBeNull();
    expect(arg('a b', /^[a-z ]+$/)).toBe("'a b'");
    expect(arg("it's", /^[a-z']+$/)).toBe(`'it'\\''s'`);
    expect(arg('12\n3', SHAPES.digits)).toBeNull();
  });
});

describeBackends('work list', () => {
describe('a reconciled graph as a work list', () => {
  let db: Db;
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-worklist-'));
    db = memDb();
    const tenant = { id: 'github:org:t1', kind: 'tenant' as const, type: 'github.org', name: 't1', props: {} };
    const repos = ['r1', 'r2', 'r3'].map((r) => ({ id: `github:repo:${r}`, kind: 'resource' as const, type: 'github.repository', name: `t1/${r}`, props: {} }));
    const vendor = { id: 'github:vendor:deployhub', kind: 'vendor' as const, type: 'github.owner', name: 'deployhub', props: { first_party: false } };
    const wide = connector('github', 'wide', { app_slug: 'wide' });
    const narrow = connector('github', 'narrow', { app_slug: 'narrow' });
    const keep = credential('github', 'young', { created_at: daysAgo(100) });
    const old = credential('github', 'old', { created_at: daysAgo(80) });
    crawlRun(db, 'github', { apps: merge(withScopes(wide, ['administration:write']), withScopes(narrow, ['administration:write']),
      { nodes: [tenant, ...repos, vendor, keep, old],
        edges: [edge('CAN_ACCESS', wide.id, tenant.id), ...repos.map((r) => edge('IN_TENANT', r.id, tenant.id)), edge('PUBLISHED_BY', wide.id, vendor.id),
          edge('HAS_CREDENTIAL', wide.id, keep.id), edge('HAS_CREDENTIAL', narrow.id, old.id)] }) });
    const inv = parseInventory('inv.yaml', YAML.stringify({ version: 1, organisation: 'Inventory Org', defaults: { rotation_days: 60, sla_days: { critical: 3 } },
      entries: [entry('wide', { scopes: { github: [] }, rotation_days: 120, ticket: 'SEC-7' }), entry('narrow', { scopes: { github: [] }, ticket: 'SEC-8' })] }));
    reconcile(db, inv, { now: NOW });
  });
  afterAll(() => { db?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('orders by severity × reach, with owner, due date from sla_days, ticket; findings.csv in the same order with the new columns', () => {
    const m = buildReportModel(db, { month: MONTH, now: NOW });
    const drift = m.fixFirst.filter((f) => f.rule === 'scope-drift');
    expect(drift.map((f) => f.connector)).toEqual(['wide', 'narrow']);
    expect(drift[0]!.reach).toMatchObject({ resources: 3, tenantWide: true, thirdParty: true, vendor: 'deployhub' });
    expect(drift[0]).toMatchObject({ ticket: 'SEC-7', ownerEmail: expect.stringContaining('@example.com') });
    expect(drift[0]!.dueDate).toBe(new Date(Date.parse(drift[0]!.firstSeenAt) + 3 * 86_400_000).toISOString().slice(0, 10));
    expect(m.policy).toMatchObject({ source: 'inventory', rotationDays: 60, slaDays: { critical: 3, high: 30 } });
    for (let i = 1; i < m.fixFirst.length; i++) expect(fixFirstOrder(m.fixFirst[i - 1]!, m.fixFirst[i]!)).toBeLessThanOrEqual(0);
    const rows = renderFindingsCsv(m).trim().split('\r\n').map((l) => l.split(','));
    const head = rows[0]!;
    for (const c of ['owner_email', 'due_date', 'ticket', 'remediation_command', 'console_url']) expect(head).toContain(c);
    expect(rows.slice(1).map((r) => r[0])).toEqual(m.fixFirst.map((f) => f.id));
    expect(renderMarkdown(m).indexOf('## Fix these first')).toBeLessThan(renderMarkdown(m).indexOf('## Summary'));
    expect(renderMarkdown(m)).toContain('never runs them');
  });

  it('the hygiene figure uses the rotation policy as the rule does (entry rotation_days, else the inventory default)', () => {
    const m = buildReportModel(db, { month: MONTH, now: NOW });
    // young: 100 days, its entry allows 120; old: 80 days, the default allows 60 — a fixed 90-day cut would count young, not old
    expect(m.summary.credentials.olderThanMaxAge).toBe(1);
    expect(m.thresholds.maxCredentialAgeDays).toBe(60);
    const overdue = db.prepare("SELECT count(*) FROM findings WHERE rule = 'credential-rotation-overdue' AND status IN ('new','persisting')").pluck().get();
    expect(overdue).toBe(1);
  });

  it('no organisation: the inventory\'s name is used; with neither, the report is refused — no invented name', () => {
    expect(buildReportModel(db, { month: MONTH, now: NOW }).organisation).toBe('Inventory Org');
    expect(buildReportModel(db, { month: MONTH, now: NOW, organisation: 'Configured' }).organisation).toBe('Configured');
    db.prepare('UPDATE inventory_versions SET organisation = NULL').run();
    try {
      expect(() => buildReportModel(db, { month: MONTH, now: NOW })).toThrow(ReportInputError);
      expect(() => buildReportModel(db, { month: MONTH, now: NOW })).toThrow(NO_ORGANISATION);
    } finally { db.prepare("UPDATE inventory_versions SET organisation = 'Inventory Org'").run(); }
  });

  it('never overwrites another database\'s report; the same database overwrites; --force replaces', () => {
    const out = path.join(dir, 'r');
    writeReport(db, out, { month: MONTH, now: NOW });
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.database_id).toMatch(/^[0-9a-f]{32}$/);
    expect(() => writeReport(db, out, { month: MONTH, now: NOW })).not.toThrow();
    const other = memDb();
    try {
      crawlRun(other, 'github', { apps: withScopes(connector('github', 'x', { app_slug: 'x' }), []) });
      const before = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
      expect(() => writeReport(other, out, { month: MONTH, now: NOW, organisation: 'Other' })).toThrow(ReportTargetError);
      expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toBe(before);
      writeReport(other, out, { month: MONTH, now: NOW, organisation: 'Other', force: true });
      expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).organisation).toBe('Other');
    } finally { other.close(); }
  });

  it('prints with page numbers, a running header and no "Show more" labels', () => {
    const m = buildReportModel(db, { month: MONTH, now: NOW });
    const html = renderHtml(m);
    expect(html).toContain('counter(page)');
    expect(html).toContain('counter(pages)');
    expect(html).toContain(`@top-left{content:"Inventory Org — NHI reconciliation report ${MONTH}"`);
    expect(CSS).toMatch(/@media print\{[^]*details\.more>summary\{display:none\}/);
    // the header text cannot end the CSS string or the <style> element
    expect(pageRules('Evil"}</style><script>')).toContain('@top-left{content:"Evil???/style??script?";');
  });
});
});
