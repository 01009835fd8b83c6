// Incremental Google crawls: the token audit log (Reports API, authorize / revoke since the last watermark)
// decides which users' grants are listed again; everyone else's grants are kept without a call. A user
// whose listing failed is listed again next time even without new events. Call counts show it.
import { afterEach, expect, test } from 'vitest';
import { startSimCrawl, rows, type SimCrawl } from '../helpers/sim-crawl.ts';
import { ids } from '../../connectors/google/map-helpers.ts';
import type { GoogleScenario, SimActivity, SimToken, SimUser } from '../../connectors/google/simulator/scenario.ts';
import { changes, demoGoogle, fastQuotas, live, plantedGoogle, userByLogin } from './fixtures.ts';

let c: SimCrawl | undefined;
afterEach(async () => { await c?.close(); c = undefined; });

let seq = 0;
function event(s: GoogleScenario, u: SimUser, name: 'authorize' | 'revoke' | 'activity', t: SimToken): void {
  const a: SimActivity = {
    id: { time: new Date().toISOString(), uniqueQualifier: String(9_000_000 + ++seq), applicationName: 'token' },
    actor: { email: u.primaryEmail, profileId: u.id, callerType: 'USER' },
    events: [{ type: 'auth', name, parameters: [{ name: 'client_id', value: t.clientId }, { name: 'scope', multiValue: t.scopes }] }],
  };
  s.tokenEvents!.push(a);
}

const LOOM: SimToken = { clientId: '120450981734-notetaker.apps.googleusercontent.com', displayText: 'AI Notetaker', scopes: ['openid'], nativeApp: false, anonymous: false };

test('an incremental crawl re-lists only users with token events; the call count shows it', async () => {
  const s = demoGoogle();
  c = await startSimCrawl('google', s);
  const mayaAtStart = userByLogin(s, 'maya.chen');
  const thirtyDaysAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
  event(s, mayaAtStart, 'authorize', s.tokens![mayaAtStart.id]![0]!);
  s.tokenEvents!.at(-1)!.id.time = thirtyDaysAgo;
  const fullFrom = c.sim.log.length;
  const full = await c.crawl({ configPatch: fastQuotas });
  const fullTok = full.resources.find((r) => r.resourceType === 'google.oauth_tokens')!;
  // one tokens.list per live user (none for the deleted one), plus one page each of authorize and revoke
  // events over the look-back window, and the 30 days of activity events one day per query (read at once),
  // all read once for every user's grant dates and last use
  expect(fullTok.apiCalls).toBe(s.users.length + 2 + 30);
  const usageQueries = c.sim.log.slice(fullFrom).filter((e) => e.route === 'activities' && e.query.includes('eventName=activity'));
  expect(usageQueries).toHaveLength(30);
  expect(usageQueries.filter((e) => !e.query.includes('endTime='))).toHaveLength(1); // the last day is open-ended
  const mayaFirst = userByLogin(s, 'maya.chen');
  const mayaGrant = ids.grant(mayaFirst.id, s.tokens![mayaFirst.id]![0]!.clientId!);
  const mayaDate = (c.db.prepare("SELECT json_extract(props, '$.created_at') AS d FROM nodes WHERE id = ?").get(mayaGrant) as { d: string | null }).d;
  // dated by an authorize event 30 days back: inside the full crawl's look-back, outside the incremental window
  expect(mayaDate).toBe(thirtyDaysAgo);

  const maya = userByLogin(s, 'maya.chen');
  const ana = userByLogin(s, 'ana.santos');
  const quiet = userByLogin(s, 'linh.nguyen');
  (s.tokens![maya.id] ??= []).push({ ...LOOM });
  event(s, maya, 'authorize', LOOM);
  const anaGone = s.tokens![ana.id]![0]!;
  s.tokens![ana.id] = s.tokens![ana.id]!.slice(1);
  event(s, ana, 'revoke', anaGone);
  // a change the audit log does not report is not seen by an incremental crawl (the next full crawl reconciles)
  (s.tokens![quiet.id] ??= []).push({ ...LOOM });

  const from = c.sim.log.length;
  const inc = await c.crawl({ mode: 'incremental', configPatch: fastQuotas });
  expect(inc.status).toBe('complete');
  const calls = c.sim.log.slice(from);
  expect(calls.filter((e) => e.route === 'tokens').map((e) => e.path).sort())
    .toEqual([`/admin/directory/v1/users/${maya.id}/tokens`, `/admin/directory/v1/users/${ana.id}/tokens`].sort());
  expect(calls.filter((e) => e.route === 'activities').length).toBe(3); // authorize + revoke + activity, one page each
  expect(calls.filter((e) => e.route === 'activities').every((e) => e.query.includes('startTime='))).toBe(true);
  const incTok = inc.resources.find((r) => r.resourceType === 'google.oauth_tokens')!;
  expect(incTok).toMatchObject({ status: 'complete', apiCalls: 5 });

  expect(live(c.db, ids.grant(maya.id, LOOM.clientId))).toBe(true);
  // the new grant is dated by its event; the re-listed user's older grant keeps the date learnt by the full crawl
  const dateOf = (id: string) => (c!.db.prepare("SELECT json_extract(props, '$.created_at') AS d FROM nodes WHERE id = ?").get(id) as { d: string | null }).d;
  expect(dateOf(ids.grant(maya.id, LOOM.clientId))).toBe(s.tokenEvents!.at(-2)!.id.time);
  expect(dateOf(mayaGrant)).toBe(mayaDate);
  expect(live(c.db, ids.grant(ana.id, anaGone.clientId))).toBe(false);
  expect(live(c.db, ids.grant(quiet.id, LOOM.clientId))).toBe(false);
  // everyone else's grants were kept, not removed
  const removed = changes(c.db, inc.runId).filter((l) => l.change === 'removed' && l.entity === 'node').map((l) => l.entity_id);
  expect(removed.filter((id) => id.startsWith('google:oauth_grant:'))).toEqual([ids.grant(ana.id, anaGone.clientId)]);
  const gm = plantedGoogle.gmailApp.clientId;
  expect(live(c.db, ids.grant(userByLogin(s, 'rafal.kowalski').id, gm))).toBe(true);

  // nothing new: the next incremental crawl lists no user's grants at all (overlap 0: by default the
  // window re-reads the last 24 h of the audit log, because events arrive late, and would list them again)
  const from2 = c.sim.log.length;
  await c.crawl({ mode: 'incremental', configPatch: { ...fastQuotas, tokenEventsOverlapMinutes: 0 } });
  expect(c.sim.log.slice(from2).filter((e) => e.route === 'tokens')).toEqual([]);

  // a full crawl reconciles what the audit log missed
  await c.crawl({ configPatch: fastQuotas });
  expect(live(c.db, ids.grant(quiet.id, LOOM.clientId))).toBe(true);
});

test('a user whose listing failed in an incremental crawl is listed again next time, without new events', async () => {
  const s = demoGoogle();
  c = await startSimCrawl('google', s);
  await c.crawl({ configPatch: fastQuotas });
  const maya = userByLogin(s, 'maya.chen');
  (s.tokens![maya.id] ??= []).push({ ...LOOM });
  event(s, maya, 'authorize', LOOM);
  c.sim.setFaults([{ route: 'tokens', path: `/users/${maya.id}/`, kind: 'status', status: 500 }]);
  const failed = await c.crawl({ mode: 'incremental', configPatch: fastQuotas });
  expect(failed.status).toBe('partial');
  expect(live(c.db, ids.grant(maya.id, LOOM.clientId))).toBe(false);

  c.sim.setFaults([]);
  // move the event out of the next window: only the failed sync brings Maya back
  s.tokenEvents = s.tokenEvents!.map((a) => ({ ...a, id: { ...a.id, time: '2026-01-01T00:00:00.000Z' } }));
  const from = c.sim.log.length;
  const retry = await c.crawl({ mode: 'incremental', configPatch: { ...fastQuotas, tokenEventsOverlapMinutes: 0 } });
  expect(retry.status).toBe('complete');
  expect(c.sim.log.slice(from).filter((e) => e.route === 'tokens').map((e) => e.path)).toEqual([`/admin/directory/v1/users/${maya.id}/tokens`]);
  expect(live(c.db, ids.grant(maya.id, LOOM.clientId))).toBe(true);
  expect(rows(c.db, "SELECT count(*) AS n FROM crawl_state WHERE provider = 'google' AND key LIKE 'tokens_synced:%'")).toEqual([{ n: s.users.length }]);
});

test('last use comes from activity events: a full crawl reads the look-back, an incremental one updates grants it does not re-list', async () => {
  const s = demoGoogle();
  s.tokenEvents = s.tokenEvents!.filter((a) => !a.events.some((e) => e.name === 'activity'));
  c = await startSimCrawl('google', s);
  const priya = userByLogin(s, 'priya.kumar');
  const [used, unused] = s.tokens![priya.id]!;
  expect(used && unused).toBeTruthy();
  const daysBack = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
  event(s, priya, 'activity', used!);
  s.tokenEvents!.at(-1)!.id.time = daysBack(12);
  event(s, priya, 'activity', used!);
  s.tokenEvents!.at(-1)!.id.time = daysBack(20); // older use of the same grant: the latest wins
  event(s, priya, 'activity', unused!);
  s.tokenEvents!.at(-1)!.id.time = daysBack(45); // outside the 30-day look-back of a full crawl
  await c.crawl({ configPatch: fastQuotas });
  const lastUsed = (clientId: string) => (c!.db.prepare("SELECT json_extract(props, '$.last_used_at') AS d FROM nodes WHERE id = ?")
    .get(ids.grant(priya.id, clientId)) as { d: string | null }).d;
  expect(lastUsed(used!.clientId)).toBe(s.tokenEvents!.at(-3)!.id.time);
  expect(lastUsed(unused!.clientId)).toBeNull();

  // a use since the last run, no grant change: Priya is not listed again, yet her grant's last use moves;
  // a use of a client she holds no grant for creates nothing
  event(s, priya, 'activity', unused!);
  event(s, priya, 'activity', LOOM);
  const from = c.sim.log.length;
  const inc = await c.crawl({ mode: 'incremental', configPatch: fastQuotas });
  expect(inc.status).toBe('complete');
  expect(c.sim.log.slice(from).filter((e) => e.route === 'tokens')).toEqual([]);
  expect(lastUsed(unused!.clientId)).toBe(s.tokenEvents!.at(-2)!.id.time);
  expect(lastUsed(used!.clientId)).toBe(s.tokenEvents!.at(-5)!.id.time);
  expect(rows(c.db, 'SELECT count(*) AS n FROM nodes WHERE id = ?', ids.grant(priya.id, LOOM.clientId))).toEqual([{ n: 0 }]);
  // last use is an observation: the node carries it, history does not (a used grant would add a row every night)
  expect(changes(c.db, inc.runId).filter((l) => l.entity_id === ids.grant(priya.id, unused!.clientId))).toEqual([]);
  // the patched grant still belongs to Priya's listing: a full crawl that no longer finds it removes it;
  // the other grant keeps the last use learnt earlier after its events have left the audit log
  const usedAt = s.tokenEvents!.at(-5)!.id.time;
  s.tokens![priya.id] = s.tokens![priya.id]!.filter((t) => t.clientId !== unused!.clientId);
  s.tokenEvents = s.tokenEvents!.filter((a) => !a.events.some((e) => e.name === 'activity'));
  await c.crawl({ configPatch: fastQuotas });
  expect(live(c.db, ids.grant(priya.id, unused!.clientId))).toBe(false);
  expect(lastUsed(used!.clientId)).toBe(usedAt);
});

test('tokenUsageLookbackDays: 0 never reads activity events', async () => {
  const s = demoGoogle();
  c = await startSimCrawl('google', s);
  const from = c.sim.log.length;
  await c.crawl({ configPatch: { ...fastQuotas, tokenUsageLookbackDays: 0 } });
  const activityQueries = c.sim.log.slice(from).filter((e) => e.route === 'activities' && e.query.includes('eventName=activity'));
  expect(activityQueries).toEqual([]);
  expect(rows(c.db, "SELECT count(*) AS n FROM credentials WHERE type = 'google.oauth_grant' AND json_extract(props, '$.last_used_at') IS NOT NULL")).toEqual([{ n: 0 }]);
});
