// orphaned-connector and identity resolution: no owner anywhere; every owner/installer departed, decided
// from any provider (deleted in Slack, suspended in Google = disabled, not a member in GitHub); the
// inventory's owners departed; SAME_PERSON links by e-mail, case- and alias-insensitive.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, credential, crawlRun, edge, entry, findings, inventory, memDb, merge, NOW, principal } from './helpers.ts';
import { describeBackends } from '../helpers/backends.ts';

const variants = (db: ReturnType<typeof memDb>) => findings(db, 'orphaned-connector').map((f) => [f.subject_id, JSON.parse(f.evidence).variant, f.severity]);

describeBackends('orphan rules', () => {
describe('orphaned-connector', () => {
  it('no-owner: fires on a connector nobody owns; silent when the graph or the inventory names an owner', () => {
    const db = memDb();
    const owner = principal('slack', 'U1', { email: 'a@example.com' });
    crawlRun(db, 'slack', {
      users: { nodes: [owner] },
      apps: { nodes: [connector('slack', 'lonely', { app_id: 'A1' }), connector('slack', 'owned', { app_id: 'A2' }), connector('slack', 'inv', { app_id: 'A3' })],
        edges: [edge('INSTALLED_BY', 'slack:connector:owned', owner.id)] },
    });
    reconcile(db, inventory([entry('inv', { match: { slack: { app_id: 'A3' } } })]), { now: NOW, rules: ['orphaned-connector'] });
    expect(variants(db)).toEqual([['slack:connector:lonely', 'no-owner', 'medium']]);
  });

  it('owners-departed: the installer is active in one provider but deleted in another (same e-mail, any case)', () => {
    const db = memDb();
    crawlRun(db, 'google', { users: { nodes: [principal('google', 'g1', { email: 'Rafal.Kowalski@Example.com', status: 'active' })] } });
    crawlRun(db, 'slack', {
      users: { nodes: [principal('slack', 'U7', { email: 'rafal.kowalski@example.com', status: 'deleted' }), principal('slack', 'U8', { email: 'ok@example.com' })] },
      apps: { nodes: [connector('slack', 'standup', { app_id: 'A1' }), connector('slack', 'fine', { app_id: 'A2' })],
        edges: [edge('INSTALLED_BY', 'slack:connector:standup', 'slack:user:U7'), edge('INSTALLED_BY', 'slack:connector:fine', 'slack:user:U8')] },
    });
    reconcile(db, inventory([]), { now: NOW, rules: ['orphaned-connector'] });
    expect(variants(db)).toEqual([['slack:connector:standup', 'owners-departed', 'high']]);
    // the two accounts are one person, departed; SAME_PERSON links them
    expect(db.prepare("SELECT src, dst FROM edges WHERE type = 'SAME_PERSON' AND removed_run IS NULL").all())
      .toEqual([{ src: 'google:user:g1', dst: 'slack:user:U7' }]);
    expect(db.prepare("SELECT departed FROM persons WHERE person_key = 'rafal.kowalski@example.com'").get()).toEqual({ departed: 1 });
  });

  it('links aliases: a principal listing the e-mail among its emails is the same person', () => {
    const db = memDb();
    crawlRun(db, 'azure', { users: { nodes: [principal('azure', 'e1', { email: 'maya@corp.example', emails: ['maya.chen@example.com'], status: 'disabled' })] } });
    crawlRun(db, 'github', { members: { nodes: [principal('github', 'mchen', { email: 'MAYA.CHEN@example.com' })] },
      keys: { nodes: [credential('github', 'k1', { credential_type: 'ssh_deploy_key' })], edges: [edge('INSTALLED_BY', 'github:credential:k1', 'github:user:mchen')] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['orphaned-connector'] });
    expect(variants(db)).toEqual([['github:credential:k1', 'owners-departed', 'high']]);
    expect(JSON.parse(findings(db)[0]!.evidence).owners[0].reasons[0]).toMatch(/disabled in azure/);
  });

  it('GitHub: a key author only ever referenced (not a member) is departed once the member listing completed — not before', () => {
    const key = credential('github', 'k9', { credential_type: 'ssh_deploy_key', access: 'write' });
    const listings = (membersStatus: 'complete' | 'failed') => ({
      members: { nodes: [principal('github', 'alice')], status: membersStatus },
      keys: { nodes: [key, principal('github', 'rkowalski', {}, true)], edges: [edge('INSTALLED_BY', key.id, 'github:user:rkowalski')] },
    });
    const partial = memDb();
    crawlRun(partial, 'github', listings('failed'));
    reconcile(partial, inventory([]), { now: NOW, rules: ['orphaned-connector'] });
    expect(variants(partial)).toEqual([]);
    const db = memDb();
    crawlRun(db, 'github', listings('complete'));
    reconcile(db, inventory([]), { now: NOW, rules: ['orphaned-connector'] });
    expect(variants(db)).toEqual([['github:credential:k9', 'owners-departed', 'high']]);
  });

  it('GitHub: a member removed from the org (node removed by a complete listing) counts as departed', () => {
    const db = memDb();
    const inst = connector('github', 'app', { app_slug: 'app' });
    crawlRun(db, 'github', { members: { nodes: [principal('github', 'bob')] }, apps: { nodes: [inst], edges: [edge('INSTALLED_BY', inst.id, 'github:user:bob')] } });
    crawlRun(db, 'github', { members: { nodes: [principal('github', 'carol')] }, apps: { nodes: [inst], edges: [edge('INSTALLED_BY', inst.id, 'github:user:bob')] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['orphaned-connector'] });
    expect(variants(db)).toEqual([['github:connector:app', 'owners-departed', 'high']]);
  });

  it('an active inventory owner keeps a connector with departed installers from being orphaned', () => {
    const db = memDb();
    crawlRun(db, 'slack', { users: { nodes: [principal('slack', 'U7', { email: 'gone@example.com', status: 'deleted' }), principal('slack', 'U1', { email: 'tech@example.com' })] },
      apps: { nodes: [connector('slack', 'x', { app_id: 'A1' })], edges: [edge('INSTALLED_BY', 'slack:connector:x', 'slack:user:U7')] } });
    reconcile(db, inventory([entry('x', { match: { slack: { app_id: 'A1' } }, business_owner: 'tech@example.com' })]), { now: NOW, rules: ['orphaned-connector'] });
    expect(variants(db)).toEqual([]);
  });

  it('inventory-owners-departed: per entry, medium when one owner left, high when all did; silent when owners are here or unknown', () => {
    const db = memDb();
    crawlRun(db, 'google', { users: { nodes: [principal('google', 'u1', { email: 'left@example.com', status: 'disabled' }), principal('google', 'u2', { email: 'here@example.com' })] },
      clients: { nodes: [connector('google', 'c1', { client_id: 'one' }), connector('google', 'c2', { client_id: 'two' }), connector('google', 'c3', { client_id: 'three' })] } });
    reconcile(db, inventory([
      entry('one', { match: { google: { oauth_client_id: 'one' } }, business_owner: 'left@example.com', technical_owner: 'here@example.com' }),
      entry('two', { match: { google: { oauth_client_id: 'two' } }, business_owner: 'left@example.com', technical_owner: 'left@example.com' }),
      entry('three', { match: { google: { oauth_client_id: 'three' } }, business_owner: 'here@example.com', technical_owner: 'nobody-knows@example.com' }),
    ]), { now: NOW, rules: ['orphaned-connector'] });
    expect(variants(db)).toEqual([['inventory:one', 'inventory-owners-departed', 'medium'], ['inventory:two', 'inventory-owners-departed', 'high']]);
    // inventory owners resolve to principals (NULL departed: no provider knows them)
    expect(db.prepare("SELECT role, email, principals, departed FROM inventory_owners WHERE inventory_id = 'three' ORDER BY role").all()).toEqual([
      { role: 'business', email: 'here@example.com', principals: 'google:user:u2', departed: 0 },
      { role: 'technical', email: 'nobody-knows@example.com', principals: null, departed: null }]);
  });

  it('writes the people table with each principal\'s resolution', () => {
    const db = memDb();
    crawlRun(db, 'slack', { users: { nodes: [principal('slack', 'U1', { email: 'x@example.com', status: 'deleted' }), principal('slack', 'U2')] } });
    reconcile(db, inventory([]), { now: NOW });
    expect(db.prepare('SELECT principal_id, person_key, departed FROM people ORDER BY 1').all()).toEqual([
      { principal_id: 'slack:user:U1', person_key: 'x@example.com', departed: 1 }, { principal_id: 'slack:user:U2', person_key: null, departed: 0 }]);
    void merge;
  });
});

describe('orphaned-connector resolves only on evidence (an accountable owner, or the subject gone or disabled)', () => {
  const departedInstall = (installEdge: boolean, usersStatus: 'complete' | 'not_applicable' = 'complete') => ({
    users: { status: usersStatus, nodes: usersStatus === 'complete' ? [principal('slack', 'U7', { email: 'rafal@example.com', status: 'deleted' }), principal('slack', 'U9', { email: 'new@example.com' })] : [] },
    apps: { nodes: [connector('slack', 'standup', { app_id: 'A1' })], edges: installEdge ? [edge('INSTALLED_BY', 'slack:connector:standup', 'slack:user:U7')] : [] },
  });
  const status = (db: ReturnType<typeof memDb>) => (db.prepare("SELECT status FROM findings WHERE rule = 'orphaned-connector' AND subject_id = 'slack:connector:standup'").get() as { status: string }).status;

  it('stays open when who installed it is no longer known (the listing that said so went not_applicable): absence is not evidence', () => {
    const db = memDb();
    crawlRun(db, 'slack', departedInstall(true));
    reconcile(db, inventory([]), { now: NOW, rules: ['orphaned-connector'] });
    expect(variants(db)).toEqual([['slack:connector:standup', 'owners-departed', 'high']]);
    crawlRun(db, 'slack', departedInstall(false, 'not_applicable'));
    reconcile(db, inventory([]), { now: NOW, rules: ['orphaned-connector'] });
    expect(status(db)).not.toBe('resolved');
  });

  it('resolves once an active owner is known (the inventory names one) or the connector is disabled', () => {
    const db = memDb();
    crawlRun(db, 'slack', departedInstall(true));
    reconcile(db, inventory([]), { now: NOW, rules: ['orphaned-connector'] });
    reconcile(db, inventory([entry('standup', { technical_owner: 'new@example.com', business_owner: 'new@example.com', match: { slack: { app_id: 'A1' } } })]),
      { now: NOW, rules: ['orphaned-connector'] });
    expect(status(db)).toBe('resolved');
    const db2 = memDb();
    crawlRun(db2, 'slack', departedInstall(true));
    reconcile(db2, inventory([]), { now: NOW, rules: ['orphaned-connector'] });
    const off = departedInstall(true);
    off.apps.nodes = [connector('slack', 'standup', { app_id: 'A1', enabled: false })];
    crawlRun(db2, 'slack', off);
    reconcile(db2, inventory([]), { now: NOW, rules: ['orphaned-connector'] });
    expect(status(db2)).toBe('resolved');
  });
});
});
