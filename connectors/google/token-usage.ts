// Last use of each user's OAuth grant, estimated from the token audit log's `activity` events (one per
// API call a grant makes, aggregated by Google). tokens.list has no dates, so this is the only source.
// High volume: a full crawl reads `tokenUsageLookbackDays` (0 = never read), an incremental one only its
// own window; the window is read once per crawl for every user's listing, one day per query and the days
// at once (page tokens chain one page after another: a month of a large domain's events is thousands of
// pages, read as 30 chains instead of one). What was learnt is kept per
// user in the crawl state (`grant_last_used:<user id>`, only ever moving forward), so last use survives
// the event leaving the window and users who are not re-listed still get their grants' new last use.
// https://developers.google.com/workspace/admin/reports/v1/appendix/activity/token
import type { ListContext } from '../../src/crawl/resource.ts';
import type { GoogleClient } from './client.ts';
import { googlePages } from './paginate.ts';
import { auditWindowStart, loadClientTimes, mergeLatest, noteLatest, saveClientTimes, type LatestByUser } from './token-activity.ts';
import { oncePerCrawl } from './crawl-memo.ts';

const usageSince = oncePerCrawl(queryUsage);

const DAY_MS = 86_400_000;

async function queryUsage(client: GoogleClient, startTime: string): Promise<LatestByUser> {
  const usage: LatestByUser = new Map();
  await Promise.all(daySlices(startTime, Date.now()).map(async ([start, end]) => {
    const pages = googlePages(client, 'reports.activities.list(token activity)', (pageToken) => client.reports.activities.list({
      userKey: 'all', applicationName: 'token', eventName: 'activity', startTime: start, ...(end ? { endTime: end } : {}),
      maxResults: client.cfg.pageSize.activities, pageToken,
    }), (d) => d.items);
    for await (const page of pages) for (const a of page.items) noteLatest(usage, a, 'activity');
  }));
  return usage;
}

/** Whole days from `startTime`, the last one open-ended (it takes the remainder up to now and what arrives late). */
export function daySlices(startTime: string, now: number): Array<[start: string, end: string | null]> {
  const from = Date.parse(startTime);
  const days = Math.max(1, Math.floor((now - from) / DAY_MS));
  return Array.from({ length: days }, (_, i) => [new Date(from + i * DAY_MS).toISOString(), i === days - 1 ? null : new Date(from + (i + 1) * DAY_MS).toISOString()]);
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
