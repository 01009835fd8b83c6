// Who must act (issue 15 item 7; src/reconcile/attribution.ts): every finding is routed to active people in tiers —
// inventory owners, provider owners, installers / consenters / granting users, then defaults.security_contact —
// departed people are context only, never the sole recipient; a login resolves to a person through the people file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import type { Attribution } from '../../src/reconcile/attribution.ts';
import { describeContext } from '../../src/reconcile/attribution.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, credential, crawlRun, daysAgo, edge, entry, inventory, memDb, NOW, principal } from './helpers.ts';
import { describeBackends } from '../helpers/backends.ts';

interface Routed { rule: string; subject: string; owners: string[]; a: Attribution }
function routed(db: Db, rule?: string): Routed[] {
  return (db.prepare(`SELECT rule, subject_id, owners, attribution FROM findings WHERE status IN ('new','persisting')${rule ? ' AND rule = ?' : ''} ORDER BY rule, subject_id`)
    .all(...(rule ? [rule] : [])) as Array<{ rule: string; subject_id: string; owners: string; attribution: string }>)
    .map((r) => ({ rule: r.rule, subject: r.subject_id, owners: JSON.parse(r.owners) as string[], a: JSON.parse(r.attribution) as Attribution }));
}
const one = (db: Db, rule: string, subject: string): Routed => routed(db, rule).find((r) => r.subject === subject)!;

/** Slack people: an active provider owner, an active installer, a departed one (deleted), and the inventory owners' accounts. */
function slackPeople() {
  return [
    principal('slack', 'UOWN', { email: 'owner@example.com', real_name: 'Olga Owner' }),
    principal('slack', 'UINST', { email: 'installer@example.com' }),
    principal('slack', 'UGONE', { email: 'tom.berge@example.com', status: 'deleted', deleted_at: '2026-10-02T10:00:00Z', display_name: 'Tom Berge' }),
    principal('slack', 'UTECH', { email: 'tech@example.com' }),
    principal('slack', 'UBOSS', { email: 'boss@example.com', status: 'deleted' }),
  ];
}

describeBackends('attribution', () => {
describe('routing order', () => {
  it('tier 1: the inventory entry\'s active owners, even when the provider names owners and installers', () => {
    const db = memDb();
    crawlRun(db, 'slack', { users: { nodes: slackPeople() }, apps: { nodes: [connector('slack', 'inv', { app_id: 'A1' })],
      edges: [edge('OWNS', 'slack:user:UOWN', 'slack:connector:inv'), edge('INSTALLED_BY', 'slack:connector:inv', 'slack:user:UINST')] } });
    reconcile(db, inventory([entry('inv', { match: { slack: { app_id: 'A1' } }, approval_expires: '2026-01-31', business_owner: 'boss@example.com' })]),
      { now: NOW, rules: ['approval-expired'] });
    const f = one(db, 'approval-expired', 'slack:connector:inv');
    // boss@example.com is deleted in Slack: context, not a recipient
    expect(f.owners).toEqual(['tech@example.com']);
    expect(f.a.recipients).toEqual([{ email: 'tech@example.com', name: null, role: 'inventory owner' }]);
    expect(f.a.context.map((c) => [c.email, c.role, c.status])).toEqual([['boss@example.com', 'inventory owner', 'departed']]);
  });

  it('tier 2: the provider-side owners when every inventory owner has departed', () => {
    const db = memDb();
    crawlRun(db, 'slack', { users: { nodes: slackPeople() }, apps: { nodes: [connector('slack', 'inv', { app_id: 'A1' })],
      edges: [edge('OWNS', 'slack:user:UOWN', 'slack:connector:inv'), edge('INSTALLED_BY', 'slack:connector:inv', 'slack:user:UINST')] } });
    reconcile(db, inventory([entry('inv', { match: { slack: { app_id: 'A1' } }, approval_expires: '2026-01-31',
      business_owner: 'boss@example.com', technical_owner: 'tom.berge@example.com' })]), { now: NOW, rules: ['approval-expired'] });
    const f = one(db, 'approval-expired', 'slack:connector:inv');
    expect(f.a.recipients).toEqual([{ email: 'owner@example.com', name: 'Olga Owner', role: 'provider owner' }]);
    expect(f.a.context.map((c) => describeContext(c))).toEqual([
      'inventory owner Tom Berge <tom.berge@example.com>, departed 2026-10-02', 'inventory owner boss@example.com, departed']);
  });

  it('tier 3: the installer or consenting admin when no owner is left; departed installers are context with their date', () => {
    const db = memDb();
    crawlRun(db, 'slack', { users: { nodes: slackPeople() }, apps: { nodes: [connector('slack', 'app', { app_id: 'A2' })],
      edges: [edge('OWNS', 'slack:user:UGONE', 'slack:connector:app'), edge('INSTALLED_BY', 'slack:connector:app', 'slack:user:UINST', { via: 'admin consent' })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['unapproved-connector'] });
    const f = one(db, 'unapproved-connector', 'slack:connector:app');
    expect(f.a.recipients).toEqual([{ email: 'installer@example.com', name: null, role: 'consenter' }]);
    expect(f.a.context.map(describeContext)).toEqual(['owned by Tom Berge <tom.berge@example.com>, departed 2026-10-02']);
  });

  it('tier 4: defaults.security_contact when everyone known has departed — the departed installer is never the sole recipient', () => {
    const db = memDb();
    crawlRun(db, 'slack', { users: { nodes: slackPeople() }, apps: { nodes: [connector('slack', 'standup', { app_id: 'A3' })],
      edges: [edge('INSTALLED_BY', 'slack:connector:standup', 'slack:user:UGONE')] } });
    reconcile(db, inventory([], { security_contact: 'Security@Example.com' }), { now: NOW, rules: ['unapproved-connector', 'orphaned-connector'] });
    for (const f of routed(db)) {
      expect(f.owners).toEqual(['security@example.com']);
      expect(f.a.recipients).toEqual([{ email: 'security@example.com', name: null, role: 'security contact' }]);
      expect(f.a.context.map(describeContext)).toEqual(['installed by Tom Berge <tom.berge@example.com>, departed 2026-10-02']);
    }
    expect(routed(db).map((f) => f.rule)).toContain('unapproved-connector');
  });

  it('without a security contact and nobody active, the finding says "no active owner known" explicitly', () => {
    const db = memDb();
    crawlRun(db, 'slack', { users: { nodes: slackPeople() }, apps: { nodes: [connector('slack', 'standup', { app_id: 'A3' }), connector('slack', 'lonely', { app_id: 'A4' })],
      edges: [edge('INSTALLED_BY', 'slack:connector:standup', 'slack:user:UGONE')] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['unapproved-connector'] });
    for (const f of routed(db)) {
      expect(f.owners).toEqual([]);
      expect(f.a.recipients).toEqual([]);
      expect(f.a.note).toBe('no active owner known');
    }
    expect(routed(db)).toHaveLength(2);
  });
});

describe('departure context', () => {
  it('dates a departure from whichever linked account records it (suspended without a date here, deleted with one there)', () => {
    const db = memDb();
    crawlRun(db, 'slack', { users: { nodes: [principal('slack', 'U9', { email: 'tom.berge@example.com', status: 'deleted', deleted_at: '2026-10-02T08:00:00Z', real_name: 'Tom Berge' })] } });
    crawlRun(db, 'google', { users: { nodes: [principal('google', 'g9', { email: 'Tom.Berge@example.com', status: 'disabled' })] },
      apps: { nodes: [connector('google', 'app9', { app_id: 'c9' })], edges: [edge('INSTALLED_BY', 'google:connector:app9', 'google:user:g9')] } });
    reconcile(db, inventory([], { security_contact: 'security@example.com' }), { now: NOW, rules: ['unapproved-connector'] });
    const f = one(db, 'unapproved-connector', 'google:connector:app9');
    expect(f.owners).toEqual(['security@example.com']);
    expect(f.a.context.map(describeContext)).toEqual(['installed by Tom Berge <tom.berge@example.com>, departed 2026-10-02']);
  });
});

describe('granting users', () => {
  it('names every active user who granted an unapproved OAuth app (5 of them); the departed sixth is context only', () => {
    const db = memDb();
    const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'gone'].map((u) => principal('google', u, { email: `${u}@example.com`, status: u === 'gone' ? 'disabled' : 'active' }));
    const app = connector('google', 'mailmerge', { app_id: 'client-1' }, 'MailMerge Pro');
    const grants = users.map((u) => credential('google', `grant-${u.name}`, { credential_type: 'oauth_user_grant', static: false }));
    crawlRun(db, 'google', {
      users: { nodes: users },
      tokens: { nodes: [app, ...grants], edges: users.flatMap((u, i) => [edge('HAS_CREDENTIAL', u.id, grants[i]!.id, { via: 'user_consent' }),
        edge('HAS_CREDENTIAL', app.id, grants[i]!.id), edge('INSTALLED_BY', grants[i]!.id, u.id, { consent: 'user' })]) },
    });
    reconcile(db, inventory([], { security_contact: 'security@example.com' }), { now: NOW, rules: ['unapproved-connector'] });
    const f = one(db, 'unapproved-connector', app.id);
    expect(f.owners).toEqual(['u1@example.com', 'u2@example.com', 'u3@example.com', 'u4@example.com', 'u5@example.com']);
    expect(new Set(f.a.recipients.map((r) => r.role))).toEqual(new Set(['granting user']));
    expect(f.a.context.map((c) => [c.email, c.role, c.status])).toEqual([['gone@example.com', 'granting user', 'departed']]);
  });
});

describe('GitHub logins resolve to people (people file)', () => {
  function withPeople(people: unknown[], extra: Record<string, unknown> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-people-'));
    fs.writeFileSync(path.join(dir, 'people.yaml'), YAML.stringify(people));
    const file = path.join(dir, 'inventory.yaml');
    const text = YAML.stringify({ version: 1, people: 'people.yaml', defaults: { security_contact: 'security@example.com' }, entries: [], ...extra });
    fs.writeFileSync(file, text);
    return parseInventory(file, text);
  }
  const keyGraph = (db: Db) => {
    const key = credential('github', 'k1', { credential_type: 'ssh_deploy_key', access: 'write', created_at: daysAgo(400) });
    crawlRun(db, 'github', { members: { nodes: [principal('github', 'alice')] },
      keys: { nodes: [key, principal('github', 'jdoe', {}, true)], edges: [edge('INSTALLED_BY', key.id, 'github:user:jdoe'), edge('INSTALLED_BY', key.id, 'github:user:alice')] } });
    return key.id;
  };

  it('an active member known only by login is addressed by the e-mail the people file gives it, not by the login', () => {
    const db = memDb();
    const key = credential('github', 'k2', { credential_type: 'github_classic_pat' });
    crawlRun(db, 'github', { members: { nodes: [principal('github', 'Alice')] }, pats: { nodes: [key], edges: [edge('HAS_CREDENTIAL', 'github:user:Alice', key.id)] } });
    const withoutFile = memDb();
    crawlRun(withoutFile, 'github', { members: { nodes: [principal('github', 'Alice')] }, pats: { nodes: [key], edges: [edge('HAS_CREDENTIAL', 'github:user:Alice', key.id)] } });
    reconcile(withoutFile, inventory([], { security_contact: 'security@example.com' }), { now: NOW, rules: ['credential-no-expiry'] });
    const before = one(withoutFile, 'credential-no-expiry', key.id);
    // a login is not an address: the security contact gets it, the login is context (unresolved)
    expect(before.owners).toEqual(['security@example.com']);
    expect(before.a.context.map((c) => [c.name, c.status])).toEqual([['Alice', 'unresolved']]);
    reconcile(db, withPeople([{ login: 'alice', provider: 'github', email: 'Alice.Ng@example.com', name: 'Alice Ng' }]), { now: NOW, rules: ['credential-no-expiry'] });
    const after = one(db, 'credential-no-expiry', key.id);
    expect(after.a.recipients).toEqual([{ email: 'alice.ng@example.com', name: 'Alice Ng', role: 'credential holder' }]);
    expect(after.a.context).toEqual([]);
  });

  it('a departed author (not a member) mapped by the people file is shown by name as context; the active co-installer is the recipient', () => {
    const db = memDb();
    const key = keyGraph(db);
    reconcile(db, withPeople([{ login: 'jdoe', email: 'john.doe@example.com', name: 'John Doe' }, { principal: 'github:user:alice', email: 'alice@example.com' }]),
      { now: NOW, rules: ['credential-rotation-overdue'] });
    for (const f of routed(db)) {
      expect(f.subject).toBe(key);
      expect(f.owners).toEqual(['alice@example.com']);
      expect(f.a.context.map((c) => [c.name, c.email, c.role, c.status])).toEqual([['John Doe', 'john.doe@example.com', 'installer', 'departed']]);
    }
    expect(routed(db).length).toBeGreaterThan(0);
  });

  it('a bad people file fails with file:line:field', () => {
    expect(() => withPeople([{ login: 'a', email: 'a@example.com' }, { login: 'b', email: 'not-an-email' }])).toThrow(/people\.yaml:\d+: .*1\.email.*e-mail/);
    expect(() => withPeople([{ email: 'x@example.com' }])).toThrow(/people\.yaml:\d+: .*login or principal/);
    expect(() => withPeople([{ login: 'a', email: 'a@example.com', emial: 'x' }])).toThrow(/people\.yaml:\d+: .*emial/);
  });

  it('security_contact must be an e-mail (inventory file:line)', () => {
    expect(() => inventory([], { security_contact: 'secteam' })).toThrow(/test-inventory\.yaml:\d+: .*defaults\.security_contact/);
  });
});
});
