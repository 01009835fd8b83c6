// Last use of each user's OAuth grant, estimated from the token audit log's `activity` events (one per
// API call a grant makes, aggregated by Google). tokens.list has no dates, so this is the only source.
// High volume: a full crawl reads `tokenUsageLookbackDays` (0 = never read), an incremental one only its
// own window; one paged query per crawl is shared by every user's listing. What was learnt is kept per
// user in the crawl state (`grant_last_used:<user id>`, only ever moving forward), so last use survives
// the event leaving the window and users who are not re-listed still get their grants' new last use.
// https://developers.google.com/workspace/admin/reports/v1/appendix/activity/token
import type { ListContext } from '../../src/crawl/resource.ts';
import type { GoogleClient } from './client.ts';
import { googlePages } from './paginate.ts';
import { auditWindowStart, loadClientTimes, mergeLatest, noteLatest, saveClientTimes, type LatestByUser } from './token-activity.ts';
import { oncePerCrawl } from './crawl-memo.ts';

const usageSince = oncePerCrawl(queryUsage);

async function queryUsage(client: GoogleClient, startTime: string): Promise<LatestByUser> {
  const usage: LatestByUser = new Map();
  const pages = googlePages('reports.activities.list(token activity)', (pageToken) => client.reports.activities.list({
    userKey: 'all', applicationName: 'token', eventName: 'activity', startTime, maxResults: client.cfg.pageSize.activities, pageToken,
  }), (d) => d.items);
  for await (const page of pages) for (const a of page.items) noteLatest(usage, a, 'activity');
  return usage;
}

const lastUsedKey = (userId: string) => `grant_last_used:${userId}`;

export interface GrantUsage {
  /** client id -> latest known use (learnt now or in an earlier run). */
  lastUsed: Map<string, string>;
  /** client ids whose last use moved forward in this run's window. */
  advanced: Set<string>;
}

/** The latest known use of each of a user's grants; empty when usage reading is switched off. */
export async function grantUsage(ctx: ListContext<GoogleClient, any>, user: { userId: string; email: string }): Promise<GrantUsage> {
  const days = ctx.client.cfg.tokenUsageLookbackDays;
  const lastUsed = loadClientTimes(ctx, lastUsedKey(user.userId));
  if (days === 0) return { lastUsed, advanced: new Set() };
  const usage = await usageSince(ctx.client, auditWindowStart(ctx, days));
  const advanced = mergeLatest(lastUsed, usage, user);
  return { lastUsed, advanced };
}

/**
 * Keeps what is known of the user's grants' last use (written only if the listing completes): after a
 * listing, for the grants the user holds now; when the grants were kept without listing, for all known.
 */
export function recordGrantUsage(ctx: ListContext<GoogleClient, any>, userId: string, usage: GrantUsage, clientIds?: string[]): void {
  saveClientTimes(ctx, lastUsedKey(userId), usage.lastUsed, clientIds ?? usage.lastUsed.keys());
}
