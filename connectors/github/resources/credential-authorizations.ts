// SAML SSO credential authorizations (GitHub Enterprise Cloud): classic PATs, SSH keys, OAuth and
// GitHub App user tokens that members authorised for the org. No @octokit/rest method exists, so the
// route string is used with a typed item. An org without SAML SSO answers 404: not applicable, not failed.
// https://docs.github.com/enterprise-cloud@latest/rest/orgs/orgs#list-saml-sso-authorizations-for-an-organization
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { nodeId } from '../../../src/graph/model.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { inTenant, P, scopeGrantsFromList, userRef } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';
import type { CredentialAuthorization } from '../types.ts';

export const credentialAuthorizations = defineResource<GithubClient, CredentialAuthorization>({
  provider: P, type: 'github.credential_authorizations', description: 'SAML SSO credential authorizations (GHEC)',
  docs: 'https://docs.github.com/enterprise-cloud@latest/rest/orgs/orgs#list-saml-sso-authorizations-for-an-organization',
  permission: { grant: { [APP]: 'Organization › Administration (read)', [CLASSIC]: 'read:org' } },
  emits: { nodes: ['credential', 'principal', 'scope'], edges: ['IN_TENANT', 'HAS_CREDENTIAL', 'HAS_SCOPE'] },
  list: (ctx) => githubPages<CredentialAuthorization>(ctx, ctx.client.octokit, 'GET /orgs/{org}/credential-authorizations',
    { org: ctx.tenant.id, per_page: ctx.client.perPage }),
  map(c, ctx) {
    const f = fieldsOf(c, 'credential_authorizations[]', ['credential_id', 'login']);
    const id = nodeId(P, 'credential_authorization', f.key('credential_id'));
    const login = f.string('login');
    const nativeType = f.string('credential_type');
    const kind = nativeType.toLowerCase();
    const scopeList = f.strings('scopes');
    const credentialType = kind.includes('ssh') ? 'ssh_key' : kind.includes('personal access token') ? 'github_classic_pat'
      : kind.includes('oauth') ? 'oauth_app_token' : kind.includes('github app') ? 'github_app_user_token' : kind.replace(/\s+/g, '_');
    const scopes = scopeGrantsFromList(id, scopeList);
    const owner = userRef(login);
    return {
      nodes: [{ id, kind: 'credential', type: 'github.sso_credential', name: `${f.label('authorized_credential_title') ?? nativeType} (${login})`, props: {
        credential_type: credentialType, native_type: nativeType, owner: login, token_last_eight: c.token_last_eight ?? null,
        fingerprint: c.fingerprint ?? null, scopes: [...scopeList].sort(), created_at: c.credential_authorized_at,
        last_used_at: c.credential_accessed_at ?? null, expires_at: c.authorized_credential_expires_at ?? null,
        title: c.authorized_credential_title ?? null, note: c.authorized_credential_note ?? null, static: true, enabled: true,
      } }, owner, ...scopes.nodes],
      edges: [inTenant(id, ctx.tenant.id), { type: 'HAS_CREDENTIAL', from: owner.id, to: id, props: { via: 'saml_sso' } }, ...scopes.edges],
    };
  },
  // the plan lacks the feature (nothing of it can exist), not the credential a permission
  notApplicable(err) {
    const e = err as { status?: number };
    return e.status === 404 ? 'the organisation has no SAML SSO (GitHub Enterprise Cloud only): no credential authorizations to list' : null;
  },
});
