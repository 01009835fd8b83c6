// Inventory rules, each firing on a planted case and silent on its clean twin: unapproved-connector,
// approval-expired, approved-not-found, scope-drift, high-risk-permission.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, crawlRun, edge, entry, findings, inventory, memDb, merge, NOW, withScopes } from './helpers.ts';
import { describeBackends } from '../helpers/backends.ts';

const gh = (slug: string, scopes: string[], props: Record<string, unknown> = {}) =>
  withScopes(connector('github', slug, { app_slug: slug, app_id: `id-${slug}`, ...props }), scopes);

describeBackends('inventory rules', () => {
describe('unapproved-connector', () => {
  it('fires on a connector no entry matches, with vendor and graded scopes; silent on the approved twin', () => {
    const db = memDb();
    const vendor = { id: 'github:vendor:acme', kind: 'vendor' as const, type: 'github.app_owner', name: 'acme', props: {} };
    crawlRun(db, 'github', { apps: merge(gh('rogue', ['contents:write', 'metadata:read']), gh('approved', ['metadata:read']),
      { nodes: [vendor], edges: [edge('PUBLISHED_BY', 'github:connector:rogue', vendor.id)] }) });
    reconcile(db, inventory([entry('approved')]), { now: NOW, rules: ['unapproved-connector'] });
    const f = findings(db, 'unapproved-connector');
    expect(f.map((x) => x.subject_id)).toEqual(['github:connector:rogue']);
    expect(f[0]!.severity).toBe('high'); // contents:write is graded high
    const ev = JSON.parse(f[0]!.evidence);
    expect(ev.vendor).toBe('acme');
    expect(ev.scopes).toEqual([{ scope: 'contents:write', severity: 'high', reason: expect.any(String) }, { scope: 'metadata:read', severity: 'low', reason: expect.any(String) }]);
  });

  it('records which match rule approved each connector (and one entry may match several providers)', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: gh('acme-app', []) });
    crawlRun(db, 'slack', { apps: { nodes: [connector('slack', 'A1', { app_id: 'A0ACME' }, 'Acme for Slack')] } });
    crawlRun(db, 'azure', { apps: { nodes: [connector('azure', 'sp1', { app_id: 'AAAA-1', object_id: 'obj-1' }, 'Acme SP')] } });
    reconcile(db, inventory([entry('acme', { match: { github: { app_slug: 'acme-app' }, slack: { app_id: 'a0acme' }, azure: { object_id: 'obj-1' } } })]), { now: NOW });
    const m = db.prepare('SELECT connector_id, inventory_id, match_rule, match_value FROM inventory_matches ORDER BY connector_id').all();
    expect(m).toEqual([
      { connector_id: 'azure:connector:sp1', inventory_id: 'acme', match_rule: 'azure.object_id', match_value: 'obj-1' },
      { connector_id: 'github:connector:acme-app', inventory_id: 'acme', match_rule: 'github.app_slug', match_value: 'acme-app' },
      { connector_id: 'slack:connector:A1', inventory_id: 'acme', match_rule: 'slack.app_id', match_value: 'A0ACME' },
    ]);
    expect(findings(db, 'unapproved-connector')).toEqual([]);
  });

  it('falls back to name_pattern only when no id rule matches', () => {
    const db = memDb();
    crawlRun(db, 'google', { clients: { nodes: [connector('google', 'c1', { client_id: 'x.apps' }, 'Legacy Reporting Tool'), connector('google', 'c2', { client_id: 'y.apps' }, 'Other')] } });
    reconcile(db, inventory([entry('legacy', { match: { name_pattern: '^legacy reporting' } })]), { now: NOW });
    expect(db.prepare('SELECT connector_id, match_rule FROM inventory_matches').all()).toEqual([{ connector_id: 'google:connector:c1', match_rule: 'name_pattern' }]);
    expect(findings(db, 'unapproved-connector').map((f) => f.subject_id)).toEqual(['google:connector:c2']);
  });
});

describe('approval-expired', () => {
  it('fires on an expired approval and a temporary past its end date; silent while valid', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: merge(gh('old', []), gh('trial', []), gh('fine', []), gh('trial-ok', [])) });
    reconcile(db, inventory([
      entry('old', { approval_expires: '2026-11-01' }),
      entry('trial', { temporary: true, end_date: '2026-10-31', approval_expires: undefined }),
      entry('fine', { approval_expires: '2026-11-23' }), // valid through the end of that day
      entry('trial-ok', { temporary: true, end_date: '2026-12-31' }),
    ]), { now: NOW, rules: ['approval-expired'] });
    const f = findings(db, 'approval-expired');
    expect(f.map((x) => [x.subject_id, x.severity])).toEqual([['github:connector:old', 'medium'], ['github:connector:trial', 'high']]);
  });
});

describe('approved-not-found', () => {
  it('fires when a complete crawl of the entry\'s provider did not find it; silent when found', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: gh('present', []) });
    reconcile(db, inventory([entry('present'), entry('gone')]), { now: NOW, rules: ['approved-not-found'] });
    const f = findings(db, 'approved-not-found');
    expect(f.map((x) => x.subject_id)).toEqual(['inventory:gone:github']);
  });

  it('is never raised from a partial crawl, nor for a provider never crawled', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: gh('present', []), hooks: { status: 'failed' } });
    reconcile(db, inventory([entry('gone'), entry('slack-only', { match: { slack: { app_id: 'A9' } } })]), { now: NOW, rules: ['approved-not-found'] });
    expect(findings(db, 'approved-not-found')).toEqual([]);
  });

  it('does not raise for a temporary entry past its end date (gone as planned)', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: gh('present', []) });
    reconcile(db, inventory([entry('trial', { temporary: true, end_date: '2026-10-01' })]), { now: NOW, rules: ['approved-not-found'] });
    expect(findings(db, 'approved-not-found')).toEqual([]);
  });
});

describe('scope-drift', () => {
  it('names each scope beyond the approval, graded by the worst; silent when within it (write approves read)', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: merge(gh('drifty', ['contents:write', 'administration:write', 'metadata:read']), gh('tidy', ['contents:read', 'metadata:read'])) });
    reconcile(db, inventory([
      entry('drifty', { scopes: { github: ['contents:write', 'metadata:read'] } }),
      entry('tidy', { scopes: { github: ['contents:write', 'metadata:read'] } }),
    ]), { now: NOW, rules: ['scope-drift'] });
    const f = findings(db, 'scope-drift');
    expect(f).toHaveLength(1);
    expect(f[0]!.subject_id).toBe('github:connector:drifty');
    expect(f[0]!.severity).toBe('critical');
    expect(JSON.parse(f[0]!.evidence).excess.map((e: { scope: string }) => e.scope)).toEqual(['administration:write']);
  });

  it('compares Google scopes with or without the URL prefix', () => {
    const db = memDb();
    crawlRun(db, 'google', { c: withScopes(connector('google', 'c', { client_id: 'c.apps' }), ['https://www.googleapis.com/auth/drive.readonly', 'openid']) });
    reconcile(db, inventory([entry('g', { match: { google: { oauth_client_id: 'c.apps' } }, scopes: { google: ['drive.readonly', 'openid'] } })]), { now: NOW, rules: ['scope-drift'] });
    expect(findings(db, 'scope-drift')).toEqual([]);
  });
});

describe('high-risk-permission', () => {
  it('fires per high/critical scope not approved; silent for approved or low scopes', () => {
    const db = memDb();
    crawlRun(db, 'slack', { apps: merge(
      withScopes(connector('slack', 'risky', { app_id: 'A1' }), ['admin.users:write', 'channels:history', 'users:read']),
      withScopes(connector('slack', 'accepted', { app_id: 'A2' }), ['channels:history', 'users:read'])) });
    reconcile(db, inventory([
      entry('risky', { match: { slack: { app_id: 'A1' } }, scopes: { slack: ['users:read'] } }),
      entry('accepted', { match: { slack: { app_id: 'A2' } }, scopes: { slack: ['channels:history', 'users:read'] } }),
    ]), { now: NOW, rules: ['high-risk-permission'] });
    const f = findings(db, 'high-risk-permission');
    expect(f.map((x) => [x.subject_id, JSON.parse(x.evidence).scope, x.severity]).sort()).toEqual([
      ['slack:connector:risky', 'admin.users:write', 'critical'], ['slack:connector:risky', 'channels:history', 'high']].sort());
  });

  it('grades Microsoft Graph application permissions', () => {
    const db = memDb();
    crawlRun(db, 'azure', { sps: withScopes(connector('azure', 'sp', { app_id: 'x' }), ['Mail.Read', 'User.Read']) });
    reconcile(db, inventory([]), { now: NOW, rules: ['high-risk-permission'] });
    expect(findings(db, 'high-risk-permission').map((f) => [JSON.parse(f.evidence).scope, f.severity])).toEqual([['Mail.Read', 'high']]);
  });
});
});
