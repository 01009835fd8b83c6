// Slack meters each Web API method by its tier, per workspace and per app — not one global rate.
// https://docs.slack.dev/apis/web-api/rate-limits (tier of each method: its reference page).
import type { RateBudget } from '../../src/crawl/rate-budget.ts';
import type { SlackConfig } from './config.ts';

export type Tier = 1 | 2 | 3 | 4;

/** The methods this crawler calls and their tiers. */
export const METHOD_TIERS: Record<string, Tier> = {
  'team.info': 3,
  'admin.teams.list': 3,
  'users.list': 2,
  'team.integrationLogs': 2,
  'bots.info': 3,
  'conversations.info': 3,
  'admin.apps.approved.list': 2,
  'admin.apps.restricted.list': 2,
  'admin.apps.requests.list': 2,
  'admin.workflows.search': 2,
};

/** Documented floor per tier ("20+ per minute" -> 20). */
export const TIER_FLOOR: Record<Tier, { calls: number; perMs: number }> = {
  1: { calls: 1, perMs: 60_000 },
  2: { calls: 20, perMs: 60_000 },
  3: { calls: 50, perMs: 60_000 },
  4: { calls: 100, perMs: 60_000 },
};

export function tierOf(method: string): Tier {
  return METHOD_TIERS[method] ?? 3;
}

/**
 * The engine's bucket for a call: Slack's limit is per method and per workspace, so a call naming a
 * workspace (team_id, org-level tokens on Grid) gets '<method>@<team>', paced at the method's tier
 * (RateBudget gives '<family>@<key>' the family's declared rate).
 */
export function bucketOf(method: string, teamId?: unknown): string {
  return typeof teamId === 'string' && teamId ? `${method}@${teamId}` : method;
}

export function tierRate(cfg: Pick<SlackConfig, 'tiers'>, tier: Tier): { calls: number; perMs: number } {
  return cfg.tiers?.[String(tier) as '1'] ?? TIER_FLOOR[tier];
}

/** Declares every method's bucket at its tier's rate (spaced evenly: no burst into a 429). */
export function declareSlackRates(budget: RateBudget, cfg: SlackConfig): void {
  for (const [method, tier] of Object.entries(METHOD_TIERS)) budget.declare(bucketOf(method), tierRate(cfg, tier));
}
