// Google crawls month over month: removals and scope changes land in change_log; a shared OAuth client
// stays while any user still grants it and goes with the last grant; a failing listing (a project's keys,
// one user's tokens) leaves the run partial and removes nothing it owns, while every other listing completes.
import { afterEach, describe, expect, test } from 'vitest';
import { startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { ids } from '../../connectors/google/map-helpers.ts';
import { changes, demoGoogle, fastQuotas, live, liveEdge, plantedGoogle, userByLogin } from './fixtures.ts';

let c: SimCrawl | undefined;
afterEach(async () => { await c?.close(); c = undefined; });

const SCOPE_DRIVE = 'https://www.googleapis.com/auth/drive';

describe('google: changes between runs', () => {
  test('revoked grants, removed keys and service accounts are recorded; a scope change shows as edges and props', async () => {
    const s = demoGoogle();
    c = await startSimCrawl('google', s);
    expect((await c.crawl({ configPatch: fastQuotas })).status).toBe('complete');

    const gm = plantedGoogle.gmailApp.clientId;
    const jide = userByLogin(s, 'jide.okafor');
    const tom = userByLogin(s, 'tom.brooks');
    // Jide revokes the Gmail app; Tom's grant gains full Drive access.
    s.tokens![jide.id] = s.tokens![jide.id]!.filter((t) => t.clientId !== gm);
    const tomGrant = s.tokens![tom.id]!.find((t) => t.clientId === gm)!;
    tomGrant.scopes = [...tomGrant.scopes, SCOPE_DRIVE];
    // The anonymous add-on loses every user: its connector must go with the last grant.
    const anon = '590817263549-sheetsaddon.apps.googleusercontent.com';
    const anonHolders = Object.entries(s.tokens!).filter(([, ts]) => ts.some((t) => t.clientId === anon)).map(([u]) => u);
    expect(anonHolders.length).toBeGreaterThan(0);
    for (const u of anonHolders) s.tokens![u] = s.tokens![u]!.filter((t) => t.clientId !== anon);
    // A key is deleted and the unused service account too.
    s.keys![plantedGoogle.ownerServiceAccount] = s.keys![plantedGoogle.ownerServiceAccount]!.filter((k) => !k.name.endsWith(plantedGoogle.oldKeyId));
    s.serviceAccounts!['halcyon-staging'] = s.serviceAccounts!['halcyon-staging']!.filter((a) => a.email !== plantedGoogle.unusedServiceAccount);

    const run2 = await c.crawl({ configPatch: fastQuotas });
    expect(run2.status).toBe('complete');
    const log = changes(c.db, run2.runId);
    const has = (entity: string, id: string, change: string) => log.some((l) => l.entity === entity && l.entity_id === id && l.change === change);

    const jideGrant = ids.grant(jide.id, gm);
    expect(has('node', jideGrant, 'removed')).toBe(true);
    expect(live(c.db, ids.oauthClient(gm))).toBe(true); // three users still grant it
    expect(log.some((l) => l.entity_id === ids.oauthClient(gm))).toBe(false); // and it did not flap

    const tomG = ids.grant(tom.id, gm);
    expect(has('edge', `${tomG}|HAS_SCOPE|${ids.scope(SCOPE_DRIVE)}`, 'added')).toBe(true);
    const mod = log.find((l) => l.entity_id === tomG && l.change === 'modified')!;
    expect(JSON.parse(mod.after!).props.scopes).toContain(SCOPE_DRIVE);
    expect(JSON.parse(mod.before!).props.scopes).not.toContain(SCOPE_DRIVE);

    expect(has('node', ids.oauthClient(anon), 'removed')).toBe(true);
    expect(has('node', ids.saKey(plantedGoogle.oldKeyId), 'removed')).toBe(true);
    expect(has('node', ids.serviceAccount(plantedGoogle.unusedServiceAccount), 'removed')).toBe(true);
    expect(live(c.db, ids.saKey(plantedGoogle.neverExpiringKeyId))).toBe(true);
    // nothing else was removed
    const removedNodes = log.filter((l) => l.entity === 'node' && l.change === 'removed').map((l) => l.entity_id);
    expect(removedNodes.every((id) => id.startsWith('google:oauth_grant:') || id.startsWith('google:scope:')
      || [ids.oauthClient(anon), ids.saKey(plantedGoogle.oldKeyId), ids.serviceAccount(plantedGoogle.unusedServiceAccount)].includes(id))).toBe(true);
  });

  test('a failing key listing leaves the run partial and removes nothing of it; the rest completes', async () => {
    const s = demoGoogle();
    c = await startSimCrawl('google', s);
    await c.crawl({ configPatch: fastQuotas });
    s.keys![plantedGoogle.ownerServiceAccount] = [];
    s.serviceAccounts!['halcyon-staging'] = s.serviceAccounts!['halcyon-staging']!.filter((a) => a.email !== plantedGoogle.unusedServiceAccount);
    c.sim.setFaults([{ route: 'service-account-keys', path: plantedGoogle.ownerServiceAccount, kind: 'status', status: 503,
      body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } } }]);
    const run = await c.crawl({ configPatch: fastQuotas });
    expect(run.status).toBe('partial');
    const keysRes = run.resources.find((r) => r.resourceType === 'google.service_account_keys')!;
    expect(keysRes.status).toBe('partial');
    expect(keysRes.listingsFailed).toBe(1);
    expect(keysRes.error).toContain(ids.serviceAccount(plantedGoogle.ownerServiceAccount));
    expect(run.resources.filter((r) => r.resourceType !== 'google.service_account_keys').every((r) => r.status === 'complete')).toBe(true);
    // the keys the failed listing owned stay; a removal seen by a completed listing is still recorded
    expect(live(c.db, ids.saKey(plantedGoogle.oldKeyId))).toBe(true);
    expect(live(c.db, ids.saKey(plantedGoogle.neverExpiringKeyId))).toBe(true);
    expect(live(c.db, ids.serviceAccount(plantedGoogle.unusedServiceAccount))).toBe(false);
    // retried per the engine's policy (5xx), then given up
    expect(c.sim.log.filter((e) => e.fault && e.route === 'service-account-keys').length).toBe(3);
  });

  test("a user whose token listing fails keeps their grants, and the other users' changes still land", async () => {
    const s = demoGoogle();
    c = await startSimCrawl('google', s);
    await c.crawl({ configPatch: fastQuotas });
    const gm = plantedGoogle.gmailApp.clientId;
    const dieter = userByLogin(s, 'dieter.muller');
    const tom = userByLogin(s, 'tom.brooks');
    // Dieter's listing fails (and he did revoke — which must not be concluded from a failure);
    // Tom revokes too, and his listing works.
    s.tokens![dieter.id] = [];
    s.tokens![tom.id] = s.tokens![tom.id]!.filter((t) => t.clientId !== gm);
    c.sim.setFaults([{ route: 'tokens', path: `/users/${dieter.id}/`, kind: 'reset' }]);
    const run = await c.crawl({ configPatch: fastQuotas });
    expect(run.status).toBe('partial');
    const tok = run.resources.find((r) => r.resourceType === 'google.oauth_tokens')!;
    expect(tok).toMatchObject({ status: 'partial', listingsFailed: 1 });
    expect(live(c.db, ids.grant(dieter.id, gm))).toBe(true);
    expect(liveEdge(c.db, ids.oauthClient(gm), 'HAS_CREDENTIAL', ids.grant(dieter.id, gm))).toBe(true);
    expect(live(c.db, ids.grant(tom.id, gm))).toBe(false);
    expect(live(c.db, ids.oauthClient(gm))).toBe(true);
    // every other user's grants are all there
    const others = Object.entries(s.tokens!).filter(([u]) => u !== dieter.id);
    for (const [u, ts] of others) for (const t of ts) expect(live(c.db, ids.grant(u, t.clientId)), `${u} ${t.clientId}`).toBe(true);
  });
});
