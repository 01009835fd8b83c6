// scope-change (from the change log, with run ids and dates) and data-forwarding (destinations not allowed).
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, crawlRun, edge, endpoint, entry, findings, inventory, memDb, merge, NOW, withScopes } from './helpers.ts';
import { describeBackends } from '../helpers/backends.ts';

describeBackends('change rules', () => {
describe('scope-change', () => {
  it('reports scopes added and removed since the previous run, approved or not; silent when unchanged', () => {
    const db = memDb();
    const app = connector('slack', 'datasync', { app_id: 'A1' });
    const same = connector('slack', 'same', { app_id: 'A2' });
    const first = crawlRun(db, 'slack', { apps: merge(withScopes(app, ['chat:write', 'commands']), withScopes(same, ['chat:write'])) });
    const second = crawlRun(db, 'slack', { apps: merge(withScopes(app, ['chat:write', 'channels:history', 'files:read']), withScopes(same, ['chat:write'])) });
    reconcile(db, inventory([]), { now: NOW, rules: ['scope-change'] });
    const f = findings(db, 'scope-change');
    expect(f.map((x) => x.subject_id)).toEqual(['slack:connector:datasync']);
    expect(f[0]!.severity).toBe('high');
    const ev = JSON.parse(f[0]!.evidence);
    expect(ev.added.map((a: { scope: string }) => a.scope)).toEqual(['channels:history', 'files:read']);
    expect(ev.removed).toEqual(['commands']);
    expect(ev.from_run.id).toBe(first);
    expect(ev.to_run.id).toBe(second);
    expect(ev.from_run.at).toMatch(/^\d{4}-/);
  });

  it('a connector\'s first crawl is not a change, and a re-run on the same crawl neither resolves nor duplicates it', () => {
    const db = memDb();
    const app = connector('github', 'x', { app_slug: 'x' });
    crawlRun(db, 'github', { apps: withScopes(app, ['metadata:read']) });
    reconcile(db, inventory([]), { now: NOW, rules: ['scope-change'] });
    expect(findings(db, 'scope-change')).toEqual([]);
    crawlRun(db, 'github', { apps: withScopes(app, ['metadata:read', 'issues:read']) });
    reconcile(db, inventory([]), { now: NOW, rules: ['scope-change'] });
    reconcile(db, inventory([]), { now: NOW, rules: ['scope-change'] });
    const f = findings(db, 'scope-change');
    expect(f).toHaveLength(1);
    expect(f[0]!.status).toBe('persisting');
    expect(f[0]!.severity).toBe('medium'); // issues:read is low; an addition is at least medium
  });
});

describe('data-forwarding', () => {
  it('fires for a destination allowed neither by the entry nor the defaults (high for push events); silent when allowed', () => {
    const db = memDb();
    const hook = (id: string, host: string, events: string[]) => ({ nodes: [connector('github', id, { connector_type: 'webhook' }), endpoint('github', host)],
      edges: [edge('FORWARDS_TO', `github:connector:${id}`, `github:endpoint:${host}`, { events })] });
    crawlRun(db, 'github', { hooks: merge(hook('leak', 'collector.data-sync.io', ['push']), hook('meta', 'stats.vendor.io', ['issues']),
      hook('internal', 'ci.corp.example', ['push']), hook('slack', 'hooks.slack.com', ['push']), hook('partner', 'api.partner.io', ['push'])) });
    reconcile(db, inventory([entry('slack', { match: { webhook_host: 'hooks.slack.com' } }),
      entry('partner', { match: { name_pattern: '^partner$' }, forwarding: ['api.partner.io'] })], { allowed_destinations: ['*.corp.example'] }),
    { now: NOW, rules: ['data-forwarding'] });
    expect(findings(db, 'data-forwarding').map((f) => [f.subject_id, f.severity])).toEqual([['github:connector:leak', 'high'], ['github:connector:meta', 'medium']]);
  });
});
});
