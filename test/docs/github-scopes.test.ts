// docs/providers/github.md names only classic PAT scopes GitHub documents ("Scopes for OAuth apps",
// docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps): an invented scope such as
// `admin:read` sends an administrator looking for a checkbox that does not exist.
import fs from 'node:fs';
import { expect, it } from 'vitest';

const GITHUB_CLASSIC_SCOPES = new Set([
  'repo', 'repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events',
  'admin:repo_hook', 'write:repo_hook', 'read:repo_hook', 'admin:org', 'write:org', 'read:org',
  'admin:public_key', 'write:public_key', 'read:public_key', 'admin:org_hook', 'gist', 'notifications',
  'user', 'read:user', 'user:email', 'user:follow', 'project', 'read:project', 'delete_repo',
  'write:packages', 'read:packages', 'delete:packages', 'admin:gpg_key', 'write:gpg_key', 'read:gpg_key',
  'codespace', 'workflow', 'admin:enterprise', 'read:enterprise', 'audit_log', 'read:audit_log',
  'admin:ssh_signing_key', 'write:ssh_signing_key', 'read:ssh_signing_key', 'write:discussion', 'read:discussion',
]);

it('every classic PAT scope docs/providers/github.md names is one GitHub documents', () => {
  const doc = fs.readFileSync('docs/providers/github.md', 'utf8');
  // scope-shaped words: `read:org`, admin:org_hook (a GitHub App permission reads `Organization › Members`)
  const named = [...doc.matchAll(/(?<![\w./-])((?:admin|read|write|delete|repo|user):[a-z_]+)(?![\w-])/g)].map((m) => m[1]!);
  expect(named).toContain('read:org');
  expect(named.filter((s) => !GITHUB_CLASSIC_SCOPES.has(s))).toEqual([]);
});
