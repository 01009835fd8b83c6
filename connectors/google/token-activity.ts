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
import type { ListContext } from '../../src/crawl/resource.ts';
import type { GoogleClient } from './client.ts';
import { googlePages } from './paginate.ts';

export const WATERMARK = 'token_events_watermark';
export const syncedKey = (userId: string) => `tokens_synced:${userId}`;
export const TOKEN_EVENTS = ['authorize', 'revoke'] as const;

export interface TokenActivity {
  /** Profile ids and lower-cased e-mails of users with a token event in the window. */
  users: Set<string>;
  /** When the query was made: the new watermark. */
  queriedAt: string;
  events: number;
}

const memo = new WeakMap<GoogleClient, Map<string, Promise<TokenActivity>>>();
/** The watermark as it stood when this crawl began: listings that complete move the stored one forward. */
const previous = new WeakMap<GoogleClient, { value: string | undefined }>();

/** Users with authorize/revoke events since `startTime`: one audit-log query per crawl, shared by every user's listing. */
export function tokenActivitySince(client: GoogleClient, startTime: string): Promise<TokenActivity> {
  let byStart = memo.get(client);
  if (!byStart) { byStart = new Map(); memo.set(client, byStart); }
  let p = byStart.get(startTime);
  if (!p) {
    p = queryTokenActivity(client, startTime);
    p.catch(() => byStart!.delete(startTime)); // a failed query is retried by the next listing, not cached
    byStart.set(startTime, p);
  }
  return p;
}

async function queryTokenActivity(client: GoogleClient, startTime: string): Promise<TokenActivity> {
  const queriedAt = new Date().toISOString();
  const users = new Set<string>();
  let events = 0;
  for (const eventName of TOKEN_EVENTS) {
    const pages = googlePages('reports.activities.list(token)', (pageToken) => client.reports.activities.list({
      userKey: 'all', applicationName: 'token', eventName, startTime, maxResults: client.cfg.pageSize.activities, pageToken,
    }), (d) => d.items);
    for await (const page of pages) {
      for (const a of page.items) {
        events++;
        if (a.actor?.profileId) users.add(a.actor.profileId);
        if (a.actor?.email) users.add(a.actor.email.toLowerCase());
      }
    }
  }
  return { users, queriedAt, events };
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
  const start = new Date(Date.parse(watermark) - client.cfg.tokenEventsOverlapMinutes * 60_000).toISOString();
  const activity = await tokenActivitySince(client, start);
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
