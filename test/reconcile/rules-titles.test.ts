// Titles carry the decisive fact (issue 15 item 6): which scope, which role on which resource, all or how many
// repositories, which channel a webhook posts to, how many users granted an OAuth app, the events a webhook sends,
// the expired approval's ticket, the match key that found nothing — read from the graph, never invented.
import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../src/graph/model.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, credential, crawlRun, edge, endpoint, entry, findings, inventory, memDb, merge, NOW, principal, scopeNode, withScopes, type Listing } from './helpers.ts';
import { describeBackends } from '../helpers/backends.ts';

const resource = (provider: string, type: string, id: string, name: string): GraphNode => ({ id: `${provider}:${type}:${id}`, kind: 'resource', type: `${provider}.${type}`, name, props: {} });
const tenantNode = (provider: string, id: string, name: string): GraphNode => ({ id: `${provider}:org:${id}`, kind: 'tenant', type: `${provider}.organization`, name, props: {} });

/** A GitHub installation with scopes, reaching all repositories (an edge to the org) or the named ones. */
function installation(slug: string, scopes: string[], repos: 'all' | string[]): Listing {
  const c = connector('github', slug, { app_slug: slug, app_id: `id-${slug}`, connector_type: 'github_app_installation' });
  const reach: Listing = repos === 'all'
    ? { nodes: [tenantNode('github', 'acme', 'Acme')], edges: [edge('CAN_ACCESS', c.id, 'github:org:acme', { repositories: 'all' })] }
    : { nodes: repos.map((r, i) => resource('github', 'repository', String(i), r)), edges: repos.map((r, i) => edge('CAN_ACCESS', c.id, `github:repository:${i}`, { repository: r })) };
  return merge(withScopes(c, scopes), reach);
}

/** An OAuth client granted by `users` (each user's grant is a credential the user and the client hold, with the scopes). */
function oauthClient(id: string, name: string, scopes: string[], users: string[]): Listing {
  const c = connector('google', id, { app_id: id, client_id: id, connector_type: 'google_oauth_client' }, name);
  const nodes: GraphNode[] = [c, ...scopes.map((s) => scopeNode('google', s))];
  const edges = [];
  for (const u of users) {
    const g = credential('google', `grant-${u}-${id}`, { credential_type: 'oauth_user_grant', static: false });
    nodes.push(principal('google', u, { email: `${u}@example.com` }), g);
    edges.push(edge('HAS_CREDENTIAL', `google:user:${u}`, g.id), edge('HAS_CREDENTIAL', c.id, g.id), edge('INSTALLED_BY', g.id, `google:user:${u}`));
    for (const s of scopes) edges.push(edge('HAS_SCOPE', g.id, `google:scope:${s}`));
  }
  return { nodes, edges };
}

const titleOf = (db: ReturnType<typeof memDb>, rule: string, subject: string, detail?: string) => {
  const f = findings(db, rule).filter((x) => x.subject_id === subject && (detail === undefined || JSON.parse(x.evidence).scope === detail));
  expect(f, `${rule} on ${subject}`).toHaveLength(1);
  return f[0]!.title;
};

describeBackends('finding titles', () => {
describe('high-risk-permission titles', () => {
  it('name the scope and all repositories, or how many repositories', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: merge(installation('deployhub', ['administration:write'], 'all'),
      installation('picky', ['administration:write'], ['acme/a', 'acme/b', 'acme/c']), installation('single', ['administration:write'], ['acme/api'])) });
    reconcile(db, inventory([]), { now: NOW, rules: ['high-risk-permission'] });
    expect(titleOf(db, 'high-risk-permission', 'github:connector:deployhub')).toBe('deployhub holds critical permission administration:write on all repositories');
    expect(titleOf(db, 'high-risk-permission', 'github:connector:picky')).toBe('picky holds critical permission administration:write on 3 repositories');
    expect(titleOf(db, 'high-risk-permission', 'github:connector:single')).toContain('administration:write on repository acme/api');
  });

  it('name the role and the resource it is held on (by its display name)', () => {
    const db = memDb();
    const sp = connector('azure', 'sp1', { app_id: 'app-1', connector_type: 'service_principal' }, 'infra-deployer');
    const sub = resource('azure', 'subscription', 'c0ffee', 'Contoso-Prod');
    crawlRun(db, 'azure', { sps: { nodes: [sp, sub], edges: [edge('CAN_ACCESS', sp.id, sub.id, { roles: ['Owner'], subscription: 'Contoso-Prod' })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['high-risk-permission'] });
    expect(titleOf(db, 'high-risk-permission', sp.id)).toBe('infra-deployer holds critical permission Owner on subscription Contoso-Prod');
  });

  it('name how many users granted an OAuth app the scope (short scope form)', () => {
    const db = memDb();
    crawlRun(db, 'google', { tokens: oauthClient('mm.apps', 'MailMerge', ['https://www.googleapis.com/auth/gmail.readonly'], ['ann', 'bob', 'cyd', 'dee', 'eve']) });
    reconcile(db, inventory([]), { now: NOW, rules: ['high-risk-permission'] });
    expect(titleOf(db, 'high-risk-permission', 'google:connector:mm.apps')).toBe('MailMerge holds high permission gmail.readonly (granted by 5 users)');
  });

  it('say when an administrator consented for all users', () => {
    const db = memDb();
    const sp = connector('azure', 'sp2', { app_id: 'app-2' }, 'OpsGenie');
    crawlRun(db, 'azure', { sps: { nodes: [sp, scopeNode('azure', 'Directory.ReadWrite.All')],
      edges: [edge('HAS_SCOPE', sp.id, 'azure:scope:Directory.ReadWrite.All', { type: 'Delegated', admin_consent: true, consented_for: [] })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['high-risk-permission'] });
    expect(titleOf(db, 'high-risk-permission', sp.id)).toBe('OpsGenie holds critical permission Directory.ReadWrite.All (admin consent for all users)');
  });
});

describe('scope-drift titles', () => {
  it('list the excess worst first, three then "+N more", with where they apply', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: installation('wide', ['metadata:read', 'issues:read', 'pull_requests:read', 'contents:write', 'administration:write'], 'all') });
    reconcile(db, inventory([entry('wide', { scopes: { github: ['metadata:read'] } })]), { now: NOW, rules: ['scope-drift'] });
    expect(titleOf(db, 'scope-drift', 'github:connector:wide'))
      .toBe('wide holds 4 permissions beyond its approval: administration:write, contents:write, pull_requests:read +1 more (on all repositories)');
  });

  it('name a role with its resource', () => {
    const db = memDb();
    const sp = connector('azure', 'sp1', { app_id: 'app-1', object_id: 'obj-1' }, 'infra-deployer');
    const sub = resource('azure', 'subscription', 'c0ffee', 'Contoso-Prod');
    crawlRun(db, 'azure', { sps: { nodes: [sp, sub], edges: [edge('CAN_ACCESS', sp.id, sub.id, { roles: ['Owner', 'Reader'] })] } });
    reconcile(db, inventory([entry('infra', { match: { azure: { object_id: 'obj-1' } }, scopes: { azure: ['Reader'] } })]), { now: NOW, rules: ['scope-drift'] });
    expect(titleOf(db, 'scope-drift', sp.id)).toBe('infra-deployer holds 1 permission beyond its approval: Owner on subscription Contoso-Prod');
  });
});

describe('unapproved-connector titles', () => {
  it('name the channel an incoming webhook posts to', () => {
    const db = memDb();
    const hook = connector('slack', 'W1', { connector_type: 'incoming_webhook' }, 'Incoming WebHooks → C0ALERTS');
    const channel: GraphNode = { id: 'slack:endpoint:C0ALERTS', kind: 'endpoint', type: 'slack.channel', name: '#alerts-prod', props: { endpoint_type: 'channel', channel_id: 'C0ALERTS' } };
    crawlRun(db, 'slack', { hooks: { nodes: [hook, channel], edges: [edge('FORWARDS_TO', hook.id, channel.id, { channel: 'C0ALERTS' })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['unapproved-connector'] });
    expect(titleOf(db, 'unapproved-connector', hook.id)).toBe('Unapproved incoming webhook: Incoming WebHooks → C0ALERTS — posts to #alerts-prod');
  });

  it('name how many users granted an OAuth app, and its worst scopes; the evidence lists who', () => {
    const db = memDb();
    crawlRun(db, 'google', { tokens: oauthClient('mm.apps', 'MailMerge', ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/userinfo.email'], ['ann', 'bob', 'cyd']) });
    reconcile(db, inventory([]), { now: NOW, rules: ['unapproved-connector'] });
    const f = findings(db, 'unapproved-connector');
    expect(f[0]!.title).toBe('Unapproved oauth client: MailMerge — holds gmail.readonly, userinfo.email; granted by 3 users');
    expect(JSON.parse(f[0]!.evidence).granted_by).toEqual(['google:user:ann', 'google:user:bob', 'google:user:cyd']);
  });

  it('name all repositories and the worst scope of an app installation', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: installation('deployhub', ['metadata:read', 'administration:write'], 'all') });
    reconcile(db, inventory([]), { now: NOW, rules: ['unapproved-connector'] });
    expect(titleOf(db, 'unapproved-connector', 'github:connector:deployhub'))
      .toBe('Unapproved app installation: deployhub — holds administration:write, metadata:read; on all repositories');
  });
});

describe('scope-change titles', () => {
  it('name the added scopes worst first, three then "+N more", and the removed ones', () => {
    const db = memDb();
    const app = connector('slack', 'datasync', { app_id: 'A1' });
    crawlRun(db, 'slack', { apps: withScopes(app, ['chat:write', 'commands']) });
    crawlRun(db, 'slack', { apps: withScopes(app, ['chat:write', 'users:read', 'files:read', 'channels:history', 'admin.users:write']) });
    reconcile(db, inventory([]), { now: NOW, rules: ['scope-change'] });
    expect(findings(db, 'scope-change')[0]!.title).toMatch(/changed since run 1: added admin\.users:write, channels:history, files:read \+1 more; removed commands$/);
  });
});

describe('data-forwarding and webhook-insecure-transport titles', () => {
  it('name the events sent (sensitive first) and the host', () => {
    const db = memDb();
    const c = connector('github', 'leak', { connector_type: 'webhook' }, 'acme/portal hook');
    crawlRun(db, 'github', { hooks: { nodes: [c, endpoint('github', 'collector.data-sync.io')],
      edges: [edge('FORWARDS_TO', c.id, 'github:endpoint:collector.data-sync.io', { events: ['issues', 'push'] })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['data-forwarding'] });
    expect(findings(db, 'data-forwarding')[0]!.title).toBe('acme/portal hook sends push, issues events to collector.data-sync.io, which is not an allowed destination');
  });

  it('a webhook over plain http names the events it sends', () => {
    const db = memDb();
    crawlRun(db, 'github', { hooks: { nodes: [connector('github', 'h1', { connector_type: 'webhook', url: 'http://ci.example.com/hook', host: 'ci.example.com', events: ['push', 'release'] }, 'acme/api hook')] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['webhook-insecure-transport'] });
    expect(findings(db, 'webhook-insecure-transport')[0]!.title).toBe('Webhook sends push, release events over plain http:// to ci.example.com: acme/api hook');
  });
});

describe('approval titles', () => {
  it('approval-expired names the date and the approval ticket (a date, never a count of days that is stale tomorrow)', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: merge(withScopes(connector('github', 'old', { app_slug: 'old' }), []), withScopes(connector('github', 'trial', { app_slug: 'trial' }), [])) });
    reconcile(db, inventory([entry('old', { approval_expires: '2026-11-01', ticket: 'SEC-42' }),
      entry('trial', { temporary: true, end_date: '2026-11-12', approval_expires: undefined, ticket: 'SEC-77' })]), { now: NOW, rules: ['approval-expired'] });
    expect(titleOf(db, 'approval-expired', 'github:connector:old')).toBe('Approval of old expired on 2026-11-01 (approval ticket SEC-42)');
    expect(titleOf(db, 'approval-expired', 'github:connector:trial')).toBe('Temporary connector trial still present after its end date 2026-11-12 (approval ticket SEC-77)');
  });

  it('approved-not-found names the match key that found nothing', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: withScopes(connector('github', 'present', { app_slug: 'present' }), []) });
    reconcile(db, inventory([entry('present'), entry('circleci', { name: 'CircleCI', match: { github: { app_slug: 'circleci-checks' } } })]), { now: NOW, rules: ['approved-not-found'] });
    expect(findings(db, 'approved-not-found')[0]!.title).toMatch(/^Approved CircleCI \(app slug circleci-checks\) not found in github \(complete crawl, run \d+\)$/);
  });
});

describe('unapproved webhook titles', () => {
  it('name the events a webhook sends, and the host when its name does not', () => {
    const db = memDb();
    const named = connector('github', 'h1', { connector_type: 'webhook' }, 'acme/portal → collector.data-sync.io');
    const bare = connector('github', 'h2', { connector_type: 'webhook' }, 'acme/api hook');
    crawlRun(db, 'github', { hooks: { nodes: [named, bare, endpoint('github', 'collector.data-sync.io'), endpoint('github', 'stats.example.io')],
      edges: [edge('FORWARDS_TO', named.id, 'github:endpoint:collector.data-sync.io', { events: ['push', 'issues'] }),
        edge('FORWARDS_TO', bare.id, 'github:endpoint:stats.example.io', { events: ['*'] })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['unapproved-connector'] });
    expect(titleOf(db, 'unapproved-connector', named.id)).toBe('Unapproved webhook: acme/portal → collector.data-sync.io — sends issues, push events');
    expect(titleOf(db, 'unapproved-connector', bare.id)).toBe('Unapproved webhook: acme/api hook — sends all events to stats.example.io');
  });
});
});
