// GitHub logins resolved to people through SAML SSO identities (issue 15 item 7): the members listing reads the
// org's SAML external identities (one cursor-paged GraphQL query) and puts the IdP e-mail on the member principal,
// so identity resolution links the login and findings address the person, not the login.
import { afterEach, describe, expect, it } from 'vitest';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import type { GithubScenario } from '../../connectors/github/simulator/scenario.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { inventory, NOW } from '../reconcile/helpers.ts';
import { props, rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

let run: SimCrawl | undefined;
afterEach(async () => { await run?.close(); run = undefined; });

/** The demo org without public e-mails; SAML SSO gives every member (and 150 unlinked filler identities) an IdP e-mail. */
function ssoScenario(): GithubScenario {
  const s = buildGithubScenario();
  const members = s.members.map((m) => ({ ...m, email: null }));
  const filler = Array.from({ length: 150 }, (_, i) => ({ login: null, nameId: `pending${i}@halcyon-logistics.com` }));
  return { ...s, members, samlIdentities: [...filler, ...members.map((m) => ({ login: m.login.toUpperCase(), nameId: `${m.login}@idp.halcyon-logistics.com` }))] };
}

describe('GitHub SAML identities', () => {
  it('puts each member\'s SAML e-mail on its principal (paged), and findings on their credentials address that e-mail', async () => {
    const s = ssoScenario();
    run = await startSimCrawl('github', s);
    // deploy keys through REST only: the GraphQL calls counted here are the SAML queries
    const summary = await run.crawl({ configPatch: { deployKeysVia: 'rest' } });
    expect(summary.status).toBe('complete');
    const graphql = run.sim.log.filter((e) => e.path === '/graphql');
    expect(graphql.length).toBe(Math.ceil(s.samlIdentities!.length / 100));
    expect(props(run.db, 'github:user:lnguyen')).toMatchObject({ email: 'lnguyen@idp.halcyon-logistics.com', saml_name_id: 'lnguyen@idp.halcyon-logistics.com' });
    reconcile(run.db, inventory([]), { now: NOW, rules: ['credential-expired'] });
    // lnguyen's expired PAT (scenarios/demo/github.ts): routed to the SAML e-mail, not to the login
    const f = rows<{ owners: string; attribution: string }>(run.db, "SELECT owners, attribution FROM findings WHERE rule = 'credential-expired'");
    expect(f).toHaveLength(1);
    expect(JSON.parse(f[0]!.owners)).toEqual(['lnguyen@idp.halcyon-logistics.com']);
    expect(JSON.parse(f[0]!.attribution).recipients[0].role).toBe('credential holder');
  });

  it('an org without SAML SSO: members as before, one query, no note', async () => {
    const { samlIdentities: _sso, ...s } = buildGithubScenario();
    run = await startSimCrawl('github', s);
    const summary = await run.crawl({ configPatch: { deployKeysVia: 'rest' } });
    expect(summary.status).toBe('complete');
    expect(run.sim.log.filter((e) => e.path === '/graphql')).toHaveLength(1);
    expect(rows(run.db, "SELECT notes FROM run_resources WHERE resource_type = 'github.members'")).toEqual([{ notes: null }]);
    expect(props(run.db, 'github:user:lnguyen').saml_name_id).toBeUndefined();
  });

  it('a credential that may not read SAML identities: members are still listed completely, with a ledger note', async () => {
    run = await startSimCrawl('github', ssoScenario(), { faults: [{ route: 'graphql', kind: 'status', status: 403,
      body: { message: 'Resource not accessible by integration' } }] });
    const summary = await run.crawl();
    expect(summary.status).toBe('complete');
    const ledger = rows<{ status: string; notes: string | null }>(run.db, "SELECT status, notes FROM run_resources WHERE resource_type = 'github.members'");
    expect(ledger[0]!.status).toBe('complete');
    expect(ledger[0]!.notes).toMatch(/SAML identities not read/);
    expect(props(run.db, 'github:user:lnguyen').email).toBeNull();
  });
});
