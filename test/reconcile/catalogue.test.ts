// The permission risk catalogue: grades per provider as in docs/risk-catalogue.md §5 (data in
// connectors/<p>/catalogue.ts), normalisation (Google URL prefix, Entra consent suffix), GUID lookups, and nothing unverified.
import { describe, expect, it } from 'vitest';
import { approvedClosure, credentialPolicy, gradeScope } from '../../src/catalogue/index.ts';

describe('risk catalogue', () => {
  it('grades each provider\'s permissions with a reason and a source', () => {
    const cases: Array<[string, string, string]> = [
      ['github', 'administration:write', 'critical'], ['github', 'contents:write', 'high'], ['github', 'metadata:read', 'low'],
      ['github', 'admin:org', 'critical'], ['github', 'repo', 'high'],
      ['slack', 'admin.users:write', 'critical'], ['slack', 'channels:history', 'high'], ['slack', 'chat:write', 'medium'], ['slack', 'users:read', 'low'],
      ['google', 'https://mail.google.com/', 'critical'], ['google', 'https://www.googleapis.com/auth/gmail.readonly', 'high'], ['google', 'drive.file', 'low'],
      ['google', 'roles/owner', 'critical'], ['google', 'roles/viewer', 'medium'],
      ['azure', 'Directory.ReadWrite.All', 'critical'], ['azure', 'Mail.Read', 'high'], ['azure', 'Mail.Read (delegated)', 'medium'],
      ['azure', '810c84a8-4a9e-49e6-bf7d-12d183f40d01', 'high'], ['azure', 'Owner', 'critical'], ['azure', 'Global Administrator', 'critical'],
    ];
    for (const [p, s, sev] of cases) {
      const g = gradeScope(p, s);
      expect([p, s, g.severity]).toEqual([p, s, sev]);
      expect(g.known).toBe(true);
      expect(g.reason.length).toBeGreaterThan(5);
      expect(g.source).toMatch(/docs\/risk-catalogue\.md/);
    }
  });

  it('grades unknown scopes medium and says so; leaves out what the reference marks unverified', () => {
    expect(gradeScope('slack', 'brand.new:scope')).toMatchObject({ severity: 'medium', known: false });
    expect(gradeScope('azure', '2672f8bb-fd5e-42e0-85e1-ec764dd2614e').known).toBe(false); // delegated Policy.ReadWrite.PermissionGrant: unverified
    expect(gradeScope('azure', 'a42657d6-7f20-40e3-b6f0-cee03008a62a').known).toBe(false); // Azure AD Graph, not Microsoft Graph
  });

  it('approving a write level approves its read level (GitHub)', () => {
    expect([...approvedClosure('github', ['contents:write'])].sort()).toEqual(['contents:read', 'contents:write']);
    expect(approvedClosure('google', ['drive']).has('drive')).toBe(true);
  });

  it('knows which credentials can expire and which have a federated alternative', () => {
    expect(credentialPolicy('client_secret').alternative).toMatch(/federated/);
    expect(credentialPolicy('gcp_sa_key_user_managed').alternative).toMatch(/workload identity/);
    expect(credentialPolicy('gcp_sa_key_system_managed')).toEqual({ expirable: false });
    expect(credentialPolicy('github_classic_pat').alternative).toMatch(/fine-grained/);
    expect(credentialPolicy('ssh_deploy_key').expirable).toBe(false);
    expect(credentialPolicy('ci_secret').rotatedField).toBe('updated_at');
  });
});
