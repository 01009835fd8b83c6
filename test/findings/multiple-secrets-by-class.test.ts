// multiple-active-secrets counts password-type secrets (client secrets, user-managed keys, PATs) apart from
// certificates and federated credentials (issue 15 item 2): one client secret beside one certificate is a
// normal setup, not "2 active secrets"; the title says which kind of credential the connector holds several of.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/engine.ts';
import { findingId } from '../../src/reconcile/engine.ts';
import { connector, crawlRun, credential, daysAgo, edge, findings, inventory, memDb } from '../reconcile/helpers.ts';

const held = (holder: string, creds: string[]) => creds.map((c) => edge('HAS_CREDENTIAL', holder, c));

describe('multiple-active-secrets by credential class', () => {
  it('a client secret and a certificate are not several secrets; two client secrets are, and the title says so', () => {
    const db = memDb();
    const mixed = connector('azure', 'mixed', { app_id: 'M' });
    const twoSecrets = connector('azure', 'two-secrets', { app_id: 'S' });
    const withFederated = connector('azure', 'with-federated', { app_id: 'F' });
    crawlRun(db, 'azure', { apps: { nodes: [mixed, twoSecrets, withFederated,
      credential('azure', 'm-secret', { credential_type: 'client_secret', created_at: daysAgo(30), expires_at: daysAgo(-300) }),
      credential('azure', 'm-cert', { credential_type: 'certificate', created_at: daysAgo(30), expires_at: daysAgo(-300) }),
      credential('azure', 's-1', { credential_type: 'client_secret', created_at: daysAgo(30), expires_at: daysAgo(-300) }),
      credential('azure', 's-2', { credential_type: 'client_secret', created_at: daysAgo(10), expires_at: daysAgo(-320) }),
      credential('azure', 'f-secret', { credential_type: 'client_secret', created_at: daysAgo(30), expires_at: daysAgo(-300) }),
      credential('azure', 'f-fed', { credential_type: 'federated', static: false }),
    ], edges: [...held(mixed.id, ['azure:credential:m-secret', 'azure:credential:m-cert']),
      ...held(twoSecrets.id, ['azure:credential:s-1', 'azure:credential:s-2']),
      ...held(withFederated.id, ['azure:credential:f-secret', 'azure:credential:f-fed'])] } });
    reconcile(db, inventory([]), { now: new Date(daysAgo(0)), rules: ['multiple-active-secrets'] });
    const f = findings(db, 'multiple-active-secrets');
    expect(f.map((x) => x.subject_id)).toEqual([twoSecrets.id]);
    expect(f[0]!.title).toContain('2 active client secrets');
    const ev = JSON.parse(f[0]!.evidence);
    expect(ev.credential_class).toBe('secret');
    expect(ev.credentials.map((c: { name: string }) => c.name).sort()).toEqual(['s-1', 's-2']);
    // the password-type finding keeps the id it always had (rule, subject, no detail)
    expect(f[0]!.id).toBe(findingId('multiple-active-secrets', twoSecrets.id));
  });

  it('names user-managed keys and PATs in the title; two certificates are a separate finding about certificates', () => {
    const db = memDb();
    const sa = connector('google', 'sa', { app_id: 'SA' });
    const certs = connector('google', 'certs', { app_id: 'C' });
    crawlRun(db, 'google', { keys: { nodes: [sa, certs,
      credential('google', 'k1', { credential_type: 'gcp_sa_key_user_managed', key_type: 'USER_MANAGED', expires_at: daysAgo(-100) }),
      credential('google', 'k2', { credential_type: 'gcp_sa_key_user_managed', key_type: 'USER_MANAGED', expires_at: daysAgo(-200) }),
      credential('google', 'sys', { credential_type: 'gcp_sa_key_system_managed', key_type: 'SYSTEM_MANAGED', static: false, expires_at: daysAgo(-20) }),
      credential('google', 'c1', { credential_type: 'certificate', expires_at: daysAgo(-100) }),
      credential('google', 'c2', { credential_type: 'certificate', expires_at: daysAgo(-200) }),
    ], edges: [...held(sa.id, ['google:credential:k1', 'google:credential:k2', 'google:credential:sys']),
      ...held(certs.id, ['google:credential:c1', 'google:credential:c2'])] } });
    const gh = connector('github', 'holder', { app_id: 'H' });
    crawlRun(db, 'github', { pats: { nodes: [gh,
      credential('github', 'p1', { credential_type: 'github_fine_grained_pat', expires_at: daysAgo(-10) }),
      credential('github', 'p2', { credential_type: 'github_classic_pat', expires_at: daysAgo(-10) })],
    edges: held(gh.id, ['github:credential:p1', 'github:credential:p2']) } });
    reconcile(db, inventory([]), { now: new Date(daysAgo(0)), rules: ['multiple-active-secrets'] });
    const titles = Object.fromEntries(findings(db, 'multiple-active-secrets').map((x) => [x.subject_id, x.title]));
    expect(Object.keys(titles).sort()).toEqual([gh.id, certs.id, sa.id].sort());
    expect(titles[sa.id]).toContain('2 active user-managed keys');
    expect(titles[certs.id]).toContain('2 active certificates');
    expect(titles[gh.id]).toContain('2 active personal access tokens');
  });
});
