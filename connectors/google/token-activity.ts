// Incremental OAuth-grant crawls. tokens.list has no paging, no timestamps and no change feed, so a full
// sweep is one call per user; the Reports API token audit log (authorize / revoke events) says which
// users' grants changed since the last run, and only those are re-listed.
// https://developers.google.com/workspace/admin/reports/v1/appendix/activity/token
//
// State (per tenant, written only by listings that complete):
//  - WATERMARK: the instant up to which the last run's token state is known (full run: its start; incremental
//    run: when its audit-log query was made);
//  - synced:<user id>: the watermark at which that user's grants were last listed or confirmed unchanged.
// A user whose listing failed keeps an older `synced` than the watermark and is re-listed next time, so
// a failure never hides a change. The audit-log window starts `overlap` before the watermark (events arrive late).
import type { admin_reports_v1 } from '@googleapis/admin';
import type { ListContext } from '../../src/crawl/resource.ts';
import type { GoogleClient } from './client.ts';
import { googlePages } from './paginate.ts';
import { oncePerCrawl } from './crawl-memo.ts';

export const WATERMARK = 'token_events_watermark';
export const syncedKey = (userId: string) => `tokens_synced:${userId}`;
export const TOKEN_EVENTS = ['authorize', 'revoke'] as const;

export interface TokenActivity {
  /** Profile ids and lower-cased e-mails of users with a token event in the window. */
  users: Set<string>;
  /** Per user and client id, the time of the latest authorize event in the window. */
  authorized: LatestByUser;
  /** When the query was made: the new watermark. */
  queriedAt: string;
  events: number;
}

/** The watermark as it stood when this crawl began: listings that complete move the stored one forward. */
const previous = new WeakMap<GoogleClient, { value: string | undefined }>();

/** Users with authorize/revoke events since `startTime`: one audit-log query per crawl, shared by every user's listing. */
export const tokenActivitySince = oncePerCrawl(queryTokenActivity);

async function queryTokenActivity(client: GoogleClient, startTime: string): Promise<TokenActivity> {
  const queriedAt = new Date().toISOString();
  const users = new Set<string>();
  const authorized: LatestByUser = new Map();
  let events = 0;
  for (const eventName of TOKEN_EVENTS) {
    const pages = googlePages(client, 'reports.activities.list(token)', (pageToken) => client.reports.activities.list({
      userKey: 'all', applicationName: 'token', eventName, startTime, maxResults: client.cfg.pageSize.activities, pageToken,
    }), (d) => d.items);
    let read = 0;
    for await (const page of pages) {
      if (page.restart) read = 0; // read again from the first page (authorize/revoke times only move forward)
      for (const a of page.items) {
        read++;
        // an event whose actor is not shaped as documented names nobody (it dates no grant)
        if (typeof a.actor?.profileId === 'string' && a.actor.profileId) users.add(a.actor.profileId);
        if (typeof a.actor?.email === 'string' && a.actor.email) users.add(a.actor.email.toLowerCase());
        if (eventName === 'authorize') noteLatest(authorized, a, 'authorize');
      }
    }
    events += read;
  }
  return { users, authorized, queriedAt, events };
}

/** who (profile id or lower-cased e-mail) -> client id -> time of the latest event of one name. */
export type LatestByUser = Map<string, Map<string, string>>;

/** Notes the time of event `name` in activity `a` under its actor (both their profile id and e-mail). */
export function noteLatest(latest: LatestByUser, a: admin_reports_v1.Schema$Activity, name: string): void {
  const time = a.id?.time;
  if (typeof time !== 'string' || !time || !Array.isArray(a.events)) return;
  const email = typeof a.actor?.email === 'string' ? a.actor.email.toLowerCase() : null;
  for (const e of a.events) {
    const clientId = Array.isArray(e?.parameters) ? e.parameters.find((p) => p?.name === 'client_id')?.value : undefined;
    if (e.name !== name || typeof clientId !== 'string' || !clientId) continue;
    for (const who of [a.actor?.profileId, email]) {
      if (typeof who !== 'string' || !who) continue;
      let byClient = latest.get(who);
      if (!byClient) { byClient = new Map(); latest.set(who, byClient); }
      if ((byClient.get(clientId) ?? '') < time) byClient.set(clientId, time);
    }
  }
}

/** Merges into `known` (client id -> time) what `latest` holds for one user; returns the client ids that moved forward. */
export function mergeLatest(known: Map<string, string>, latest: LatestByUser, user: { userId: string; email: string }): Set<string> {
  const advanced = new Set<string>();
  for (const who of [user.userId, user.email.toLowerCase()]) {
    for (const [clientId, time] of latest.get(who) ?? []) {
      if ((known.get(clientId) ?? '') < time) { known.set(clientId, time); advanced.add(clientId); }
    }
  }
  return advanced;
}

export interface GrantSyncPlan {
  /** false: nothing changed for this user since it was last synced — keep its grants without listing. */
  list: boolean;
  /** The watermark this listing records on success. */
  mark: string;
  reason: string;
}

/** Decides whether one user's grants must be listed in this run. */
export async function planGrantSync(ctx: ListContext<GoogleClient, any>, user: { userId: string; email: string }): Promise<GrantSyncPlan> {
  const client = ctx.client;
  const fullMark = new Date(client.startedAt).toISOString();
  let prev = previous.get(client);
  if (!prev) { prev = { value: ctx.state.get(WATERMARK) }; previous.set(client, prev); }
  const watermark = prev.value;
  if (ctx.mode !== 'incremental' || !watermark) return { list: true, mark: fullMark, reason: ctx.mode === 'incremental' ? 'no watermark yet' : 'full crawl' };
  // the same window (and so the same shared query) as the grant dates read
  const activity = await tokenActivitySince(client, auditWindowStart(ctx, client.cfg.tokenEventsLookbackDays));
  const synced = ctx.state.get(syncedKey(user.userId));
  if (!synced || synced < watermark) return { list: true, mark: activity.queriedAt, reason: synced ? 'last listing failed or was skipped' : 'new user' };
  if (activity.users.has(user.userId) || activity.users.has(user.email.toLowerCase())) return { list: true, mark: activity.queriedAt, reason: 'token events' };
  return { list: false, mark: activity.queriedAt, reason: 'no token events since the last run' };
}

/** Records a completed listing (or confirmed-unchanged user) at `mark`. */
export function recordGrantSync(ctx: ListContext<GoogleClient, any>, userId: string, mark: string): void {
  ctx.state.set(syncedKey(userId), mark);
  ctx.state.set(WATERMARK, mark);
}

/**
 * Where this crawl's audit-log reads start: an incremental crawl reads from its watermark (as it stood when
 * the crawl began, less the overlap), a full crawl — or the first one — `fullLookbackDays` back.
 */
export function auditWindowStart(ctx: ListContext<GoogleClient, any>, fullLookbackDays: number): string {
  const client = ctx.client;
  const prev = previous.has(client) ? previous.get(client)!.value : ctx.state.get(WATERMARK);
  return ctx.mode === 'incremental' && prev
    ? new Date(Date.parse(prev) - client.cfg.tokenEventsOverlapMinutes * 60_000).toISOString()
    : new Date(client.startedAt - fullLookbackDays * 86_400_000).toISOString();
}

const grantDatesKey = (userId: string) => `grant_authorized:${userId}`;

/**
 * When each of a user's grants was last authorised (client id -> time), from the token audit log: a full
 * crawl reads `tokenEventsLookbackDays` of authorize events (one query shared by every user's listing), an
 * incremental one the window it already reads; dates learnt earlier are kept in the crawl state, so a
 * grant re-listed after its event left the window keeps its date. Grants older than the log have none.
 */
export async function grantAuthorizedTimes(ctx: ListContext<GoogleClient, any>, user: { userId: string; email: string }): Promise<Map<string, string>> {
  const activity = await tokenActivitySince(ctx.client, auditWindowStart(ctx, ctx.client.cfg.tokenEventsLookbackDays));
  const known = loadClientTimes(ctx, grantDatesKey(user.userId));
  mergeLatest(known, activity.authorized, user);
  return known;
}

/** Keeps the dates of the grants the user holds now (written only if the listing completes). */
export function recordGrantDates(ctx: ListContext<GoogleClient, any>, userId: string, dates: Map<string, string>, clientIds: string[]): void {
  saveClientTimes(ctx, grantDatesKey(userId), dates, clientIds);
}

/** A per-user map client id -> time kept in the crawl state as JSON. */
export function loadClientTimes(ctx: ListContext<GoogleClient, any>, key: string): Map<string, string> {
  return new Map(Object.entries(JSON.parse(ctx.state.get(key) ?? '{}') as Record<string, string>));
}

/** Saves the entries of `times` for `clientIds` (sorted, so unchanged state writes the same text); none = deleted. */
export function saveClientTimes(ctx: ListContext<GoogleClient, any>, key: string, times: Map<string, string>, clientIds: Iterable<string>): void {
  const kept = Object.fromEntries([...clientIds].filter((c) => times.has(c)).sort().map((c) => [c, times.get(c)!]));
  ctx.state.set(key, Object.keys(kept).length ? JSON.stringify(kept) : null);
}
