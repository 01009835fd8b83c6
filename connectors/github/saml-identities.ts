// SAML SSO identities of an organisation's members (GitHub Enterprise Cloud with SAML SSO): who each login is at
// the identity provider. One paged GraphQL query (organization.samlIdentityProvider.externalIdentities: the
// SAML nameId — usually the corporate e-mail — and any e-mails the assertion carried, per linked user login),
// read by the members listing so the e-mail lands on the member principal and identity resolution links the
// login to the person (src/reconcile/identity.ts). An org without SAML SSO (samlIdentityProvider null) has none;
// a credential that may not read them (org owners only: read:org for a classic token) leaves a ledger note and
// the members listing goes on without them.
// https://docs.github.com/enterprise-cloud@latest/graphql/reference/objects#externalidentity
// https://github.blog/changelog/2023-03-30-samlidentity-graphql-object-now-supports-read-scope/
import { PageGuard, PagingLoop } from '../../src/crawl/page-guard.ts';
import type { ListContext } from '../../src/crawl/resource.ts';
import type { GithubClient } from './client.ts';

const QUERY = `query($org: String!, $after: String) {
  organization(login: $org) {
    samlIdentityProvider {
      externalIdentities(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { samlIdentity { nameId emails { value } } user { login } }
      }
    }
  }
}`;

interface Answer {
  organization: { samlIdentityProvider: { externalIdentities: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{ samlIdentity: { nameId: string | null; emails?: Array<{ value: string | null }> | null } | null; user: { login: string } | null } | null>;
  } } | null } | null;
}

const MAX_PAGES = 1000;
const isEmail = (s: unknown): s is string => typeof s === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.trim());

/** Refused or not offered (no GraphQL access, no SSO data for this credential): skipped with a note, not a failure. */
function refused(err: unknown): boolean {
  const e = err as { status?: number; errors?: unknown[]; name?: string };
  return e?.name === 'GraphqlResponseError' || (Array.isArray(e?.errors) && e.errors.length > 0) || e?.status === 401 || e?.status === 403 || e?.status === 404;
}

/** login (lower case) -> the e-mails its SAML identity carries (nameId first, when it is an e-mail). */
export async function samlEmailsByLogin(ctx: ListContext<GithubClient, any>): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  let after: string | null = null;
  // the project's paging guard: a repeating cursor, or more than MAX_PAGES pages, ends the read (with a note)
  const guard = new PageGuard({ base: ctx.client.baseUrl, signal: ctx.signal, maxPages: MAX_PAGES });
  try {
    for (;;) {
      guard.beforePage();
      const answer: Answer = await ctx.client.octokit.graphql<Answer>(QUERY, { org: ctx.tenant.id, after, request: { signal: ctx.signal } });
      const ids = answer.organization?.samlIdentityProvider?.externalIdentities;
      if (!ids) return out; // no SAML SSO
      for (const n of ids.nodes ?? []) {
        const login = n?.user?.login;
        if (!login) continue; // an identity not linked to a GitHub account yet
        const emails = [n.samlIdentity?.nameId, ...(n.samlIdentity?.emails ?? []).map((e) => e?.value)].filter(isEmail).map((e) => e.trim().toLowerCase());
        if (emails.length) out.set(login.toLowerCase(), [...new Set(emails)]);
      }
      if (!ids.pageInfo?.hasNextPage || !ids.pageInfo.endCursor) return out;
      after = guard.cursor(ids.pageInfo.endCursor);
    }
  } catch (err) {
    if (err instanceof PagingLoop) {
      ctx.note(`SAML identities: stopped (${err.message})`);
      return out;
    }
    if (!refused(err)) throw err;
    ctx.note(`SAML identities not read (${(err as Error).message.split('\n')[0]}): members without a public e-mail are linked only through the people file`);
    return new Map();
  }
}
