// Slack provider config block (nhi-census.yaml `providers.slack`). The token comes from the environment.
// One block crawls one tenant: a standalone workspace (teamId) or an Enterprise Grid org (enterpriseId,
// every workspace of it, or those listed in `teams`).
import { z } from 'zod';
import { envVarName } from '../../src/config/secret-values.ts';

const rate = z.object({ calls: z.number().int().min(1), perMs: z.number().int().min(1) }).strict();

export const slackConfigSchema = z.object({
  /** Web API root: https://slack.com/api/ (GovSlack: https://slack-gov.com/api/). */
  slackApiUrl: z.string().url().default('https://slack.com/api/'),
  /** A standalone workspace: its team id (T…). */
  teamId: z.string().regex(/^T[A-Z0-9]+$/, 'a Slack team id starts with T').optional(),
  /** An Enterprise Grid org: its enterprise id (E…); needs an org-level token. */
  enterpriseId: z.string().regex(/^E[A-Z0-9]+$/, 'a Slack enterprise id starts with E').optional(),
  /** On Grid: crawl only these workspaces (default: every workspace admin.teams.list returns). */
  teams: z.array(z.string().regex(/^T[A-Z0-9]+$/)).optional(),
  /** Environment variable holding the token (workspace admin user token, or org-level token on Grid). */
  tokenEnv: envVarName().default('SLACK_TOKEN'),
  /**
   * Page size of cursor listings: Slack's maximum, 1000. Slack advises <= 200 for users.list, but its tier-2
   * budget is per call, so 1000 makes 5x fewer calls (2.5 instead of 12.7 minutes for 50,000 users); set 200
   * if your workspace answers large pages slowly (Slack may return fewer than asked; the cursor goes on).
   */
  pageSize: z.number().int().min(1).max(1000).default(1000),
  /** Page size (`count`) of team.integrationLogs. */
  logPageSize: z.number().int().min(1).max(1000).default(100),
  /** Per-tier budgets to pace by (default: Slack's documented floor per minute). Keys are tiers 1-4. */
  tiers: z.object({ '1': rate.optional(), '2': rate.optional(), '3': rate.optional(), '4': rate.optional() }).strict().optional(),
  /** Per-request timeout (ms). */
  timeoutMs: z.number().int().min(1).default(60_000),
  concurrency: z.number().int().min(1).max(100).optional(),
}).strict().refine((c) => Boolean(c.teamId) !== Boolean(c.enterpriseId), {
  message: 'set exactly one of teamId (a workspace) or enterpriseId (an Enterprise Grid org)',
});

export type SlackConfig = z.infer<typeof slackConfigSchema>;
