// Credential hygiene and static-secret rules, each with a planted case and its clean twin:
// credential-rotation-overdue, credential-no-expiry, credential-expiring-soon, credential-expired, credential-dormant,
// multiple-active-secrets, static-secret.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, credential, crawlRun, daysAgo, edge, entry, findings, inventory, memDb, NOW, principal, scopeNode } from './helpers.ts';
import { describeBackends } from '../helpers/backends.ts';

const subjects = (db: ReturnType<typeof memDb>, rule: string) => findings(db, rule).map((f) => f.subject_id.split(':').pop());

describeBackends('hygiene rules', () => {
describe('credential-rotation-overdue', () => {
  it('uses the entry policy, else the inventory default (90 days), from the date the value was last set', () => {
    const db = memDb();
    const app = connector('azure', 'app', { app_id: 'APP' });
    crawlRun(db, 'azure', { apps: { nodes: [app,
      credential('azure', 'old-held', { credential_type: 'client_secret', created_at: daysAgo(200), expires_at: daysAgo(-100) }),
      credential('azure', 'young-held', { credential_type: 'client_secret', created_at: daysAgo(100), expires_at: daysAgo(-100) }),
      credential('azure', 'loose-old', { credential_type: 'certificate', created_at: daysAgo(91), expires_at: daysAgo(-100) }),
      credential('azure', 'loose-new', { credential_type: 'certificate', created_at: daysAgo(89), expires_at: daysAgo(-100) }),
      credential('azure', 'ci-rotated', { credential_type: 'ci_secret', created_at: daysAgo(700), updated_at: daysAgo(10) }),
    ], edges: [edge('HAS_CREDENTIAL', app.id, 'azure:credential:old-held'), edge('HAS_CREDENTIAL', app.id, 'azure:credential:young-held')] } });
    reconcile(db, inventory([entry('app', { match: { azure: { app_id: 'APP' } }, rotation_days: 180 })]), { now: NOW, rules: ['credential-rotation-overdue'] });
    expect(subjects(db, 'credential-rotation-overdue')).toEqual(['loose-old', 'old-held']);
    expect(JSON.parse(findings(db, 'credential-rotation-overdue')[1]!.evidence)).toMatchObject({ max_age_days: 180, policy_source: 'inventory entry app' });
  });
});

describe('credential-no-expiry', () => {
  it('fires on an expirable type without expiry (high when privileged); silent with an expiry or for types that cannot expire', () => {
    const db = memDb();
    const pat = credential('github', 'pat', { credential_type: 'github_classic_pat', expires_at: null });
    crawlRun(db, 'github', { creds: { nodes: [pat, scopeNode('github', 'admin:org'),
      credential('github', 'fg', { credential_type: 'github_fine_grained_pat', expires_at: null }),
      credential('github', 'fg-ok', { credential_type: 'github_fine_grained_pat', expires_at: daysAgo(-30) }),
      credential('github', 'deploy', { credential_type: 'ssh_deploy_key', expires_at: null })],
    edges: [edge('HAS_SCOPE', pat.id, 'github:scope:admin:org')] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['credential-no-expiry'] });
    expect(findings(db, 'credential-no-expiry').map((f) => [f.subject_id.split(':').pop(), f.severity])).toEqual([['fg', 'medium'], ['pat', 'high']]);
  });
});

describe('credential-expiring-soon', () => {
  it('fires within the warning window (medium within 7 days); silent beyond it, with a replacement, or when the provider rotates it', () => {
    const db = memDb();
    const app = connector('azure', 'app', { app_id: 'APP' });
    const rotating = connector('azure', 'rotating', { app_id: 'ROT' });
    crawlRun(db, 'azure', { apps: { nodes: [app, rotating,
      credential('azure', 'in-5-days', { credential_type: 'client_secret', expires_at: daysAgo(-5) }),
      credential('azure', 'in-20-days', { credential_type: 'certificate', expires_at: daysAgo(-20) }),
      credential('azure', 'in-60-days', { credential_type: 'certificate', expires_at: daysAgo(-60) }),
      credential('azure', 'old-of-pair', { credential_type: 'client_secret', expires_at: daysAgo(-3) }),
      credential('azure', 'new-of-pair', { credential_type: 'client_secret', expires_at: daysAgo(-300) }),
      credential('google', 'google-managed', { credential_type: 'gcp_service_account_key', static: false, expires_at: daysAgo(-4) }),
      credential('azure', 'disabled', { credential_type: 'client_secret', enabled: false, expires_at: daysAgo(-4) }),
    ], edges: [edge('HAS_CREDENTIAL', app.id, 'azure:credential:in-5-days'), edge('HAS_CREDENTIAL', rotating.id, 'azure:credential:old-of-pair'),
      edge('HAS_CREDENTIAL', rotating.id, 'azure:credential:new-of-pair')] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['credential-expiring-soon'] });
    expect(findings(db, 'credential-expiring-soon').map((f) => [f.subject_id.split(':').pop(), f.severity])).toEqual([['in-20-days', 'low'], ['in-5-days', 'medium']]);
    expect(JSON.parse(findings(db, 'credential-expiring-soon').find((f) => f.subject_id.endsWith('in-5-days'))!.evidence))
      .toMatchObject({ expires_at: daysAgo(-5), warning_days: 30, connector: 'app', replacement: null });
    expect(findings(db, 'credential-expiring-soon').find((f) => f.subject_id.endsWith('in-5-days'))!.title)
      .toBe(`Credential expires on ${daysAgo(-5).slice(0, 10)} with no replacement: in-5-days`);
  });

  it('uses defaults.expiry_warning_days', () => {
    const fired = (defaults: Record<string, unknown>) => {
      const db = memDb();
      crawlRun(db, 'github', { pats: { nodes: [credential('github', 'pat', { credential_type: 'github_fine_grained_pat', expires_at: daysAgo(-20) })] } });
      reconcile(db, inventory([], defaults), { now: NOW, rules: ['credential-expiring-soon'] });
      return findings(db, 'credential-expiring-soon').length;
    };
    expect(fired({})).toBe(1);
    expect(fired({ expiry_warning_days: 14 })).toBe(0);
  });
});

describe('credential-expired', () => {
  it('fires on an expired credential still present; silent when unexpired or disabled', () => {
    const db = memDb();
    crawlRun(db, 'google', { keys: { nodes: [
      credential('google', 'expired', { credential_type: 'gcp_service_account_key', expires_at: daysAgo(3) }),
      credential('google', 'flagged', { credential_type: 'github_fine_grained_pat', expired: true, expires_at: null }),
      credential('google', 'valid', { credential_type: 'gcp_service_account_key', expires_at: daysAgo(-3) }),
      credential('google', 'disabled', { credential_type: 'gcp_service_account_key', expires_at: daysAgo(3), enabled: false }),
    ] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['credential-expired'] });
    expect(subjects(db, 'credential-expired')).toEqual(['expired', 'flagged']);
  });
});

describe('credential-dormant', () => {
  it('fires where last use is known and older than the window; silent when recent or unknown', () => {
    const db = memDb();
    crawlRun(db, 'azure', { creds: { nodes: [
      credential('azure', 'idle', { credential_type: 'certificate', last_used_at: daysAgo(120), expires_at: daysAgo(-300) }),
      credential('azure', 'busy', { credential_type: 'certificate', last_used_at: daysAgo(5), expires_at: daysAgo(-300) }),
      credential('azure', 'unknown', { credential_type: 'certificate', expires_at: daysAgo(-300) }),
      connector('azure', 'sleepy-sp', { app_id: 'x', last_used_at: daysAgo(400) }),
    ] } });
    reconcile(db, inventory([], { dormancy_days: 90 }), { now: NOW, rules: ['credential-dormant'] });
    expect(subjects(db, 'credential-dormant')).toEqual(['sleepy-sp', 'idle']);
  });
});

describe('credential-dormant across one integration', () => {
  it('judges an Entra application and its service principal once, by the most recent use either reports', () => {
    const db = memDb();
    crawlRun(db, 'azure', { apps: { nodes: [
      connector('azure', 'app-a', { app_id: 'A', last_used_at: daysAgo(200) }), connector('azure', 'sp-a', { app_id: 'A', last_used_at: daysAgo(3) }),
      connector('azure', 'app-b', { app_id: 'B', last_used_at: daysAgo(200) }), connector('azure', 'sp-b', { app_id: 'B', last_used_at: daysAgo(150) }),
    ] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['credential-dormant'] });
    const f = findings(db, 'credential-dormant');
    expect(f).toHaveLength(1);
    expect(JSON.parse(f[0]!.evidence)).toMatchObject({ last_used_at: daysAgo(150), dormancy_days: 90 });
    expect(f[0]!.title).toBe(`Unused since ${daysAgo(150).slice(0, 10)} (over 90 days): app-b`);
  });
});

describe('multiple-active-secrets', () => {
  it('fires when a connector holds two active secrets; silent with one active and one expired', () => {
    const db = memDb();
    const a = connector('azure', 'two', { app_id: 'A' });
    const b = connector('azure', 'one', { app_id: 'B' });
    crawlRun(db, 'azure', { apps: { nodes: [a, b,
      credential('azure', 'a1', { credential_type: 'client_secret', expires_at: daysAgo(-10) }), credential('azure', 'a2', { credential_type: 'client_secret', expires_at: daysAgo(-20) }),
      credential('azure', 'b1', { credential_type: 'client_secret', expires_at: daysAgo(-10) }), credential('azure', 'b2', { credential_type: 'client_secret', expires_at: daysAgo(20) })],
    edges: [edge('HAS_CREDENTIAL', a.id, 'azure:credential:a1'), edge('HAS_CREDENTIAL', a.id, 'azure:credential:a2'),
      edge('HAS_CREDENTIAL', b.id, 'azure:credential:b1'), edge('HAS_CREDENTIAL', b.id, 'azure:credential:b2')] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['multiple-active-secrets'] });
    expect(subjects(db, 'multiple-active-secrets')).toEqual(['two']);
  });
});

describe('static-secret', () => {
  it('fires on an Entra client secret, a user-managed GCP key and a classic PAT; silent on federated, Google-managed and fine-grained', () => {
    const db = memDb();
    const app = connector('azure', 'app', { app_id: 'A' });
    crawlRun(db, 'azure', { apps: { nodes: [app, scopeNode('azure', 'Directory.ReadWrite.All'),
      credential('azure', 'secret', { credential_type: 'client_secret', expires_at: daysAgo(-100) }),
      credential('azure', 'fed', { credential_type: 'federated_credential', static: false })],
    edges: [edge('HAS_CREDENTIAL', app.id, 'azure:credential:secret'), edge('HAS_CREDENTIAL', app.id, 'azure:credential:fed'),
      edge('HAS_SCOPE', app.id, 'azure:scope:Directory.ReadWrite.All')] } });
    crawlRun(db, 'google', { keys: { nodes: [
      credential('google', 'user-key', { credential_type: 'gcp_service_account_key', key_type: 'USER_MANAGED', expires_at: daysAgo(-3000) }),
      credential('google', 'sys-key', { credential_type: 'gcp_service_account_key', key_type: 'SYSTEM_MANAGED', expires_at: daysAgo(-3000) })] } });
    crawlRun(db, 'github', { pats: { nodes: [principal('github', 'dev'),
      credential('github', 'classic', { credential_type: 'github_classic_pat' }), credential('github', 'fine', { credential_type: 'github_fine_grained_pat', expires_at: daysAgo(-5) })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['static-secret'] });
    expect(findings(db, 'static-secret').map((f) => [f.subject_id, f.severity])).toEqual([
      ['azure:credential:secret', 'high'], ['github:credential:classic', 'medium'], ['google:credential:user-key', 'medium']]);
  });
});
});
