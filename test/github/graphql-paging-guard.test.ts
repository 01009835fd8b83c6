// The GitHub GraphQL pagers (deploy-key index, SAML identities) page through the project's PageGuard: a cursor
// that repeats ends the paging at once instead of querying on (a hostile or broken server), and the page cap holds.
import { describe, expect, it } from 'vitest';
import { DeployKeyIndex } from '../../connectors/github/deploy-key-index.ts';
import { samlEmailsByLogin } from '../../connectors/github/saml-identities.ts';
import { PageGuard } from '../../src/crawl/page-guard.ts';

const BASE = 'https://api.github.invalid';

describe('GitHub GraphQL paging is guarded', () => {
  it('deploy-key index: a repeating endCursor stops the index (repositories fall back to REST) after two queries', async () => {
    let calls = 0;
    const octokit = { request: async () => { calls++; return { data: { data: { rateLimit: { cost: 1 }, organization: { repositories: {
      pageInfo: { hasNextPage: true, endCursor: 'SAME' }, nodes: [{ name: 'a', deployKeys: { totalCount: 0, pageInfo: { hasNextPage: false }, nodes: [] } }] } } } } }; } };
    const index = new DeployKeyIndex(octokit as never, 'org', new PageGuard({ base: BASE }));
    expect(await index.lookup('a')).toMatchObject({ ok: true });
    const missing = await index.lookup('not-there');
    expect(missing.ok).toBe(false);
    expect((missing as { reason: string }).reason).toMatch(/repeats/);
    expect(calls).toBe(2);
  });

  it('SAML identities: a repeating endCursor ends the read with a note, keeping what was read', async () => {
    let calls = 0;
    const notes: string[] = [];
    const graphql = async () => { calls++; return { organization: { samlIdentityProvider: { externalIdentities: {
      pageInfo: { hasNextPage: true, endCursor: 'SAME' }, nodes: [{ samlIdentity: { nameId: 'ann@example.com' }, user: { login: 'ann' } }] } } } }; };
    const ctx = { client: { octokit: { graphql }, baseUrl: BASE }, tenant: { id: 'org' }, note: (n: string) => notes.push(n) };
    const out = await samlEmailsByLogin(ctx as never);
    expect(out.get('ann')).toEqual(['ann@example.com']);
    expect(calls).toBe(2);
    expect(notes.join('\n')).toMatch(/SAML identities.*repeats/);
  });
});
