// Starts the Slack simulator: the routes above under /api, plus Slack's rate limiting — each method
// metered by its tier, per workspace, answered with HTTP 429 + Retry-After when a tier's window is spent.
// A 'next' fault rewrites response_metadata.next_cursor (team.integrationLogs: there is always one more page).
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/server.ts';
import type { Fault } from '../../../src/simulator/faults.ts';
import { selfCursor } from '../../../src/simulator/paging.ts';
import { tierOf, TIER_FLOOR, type Tier } from '../rates.ts';
import { slackRoutes } from './routes.ts';
import type { SlackScenario } from './scenario.ts';

/** The simulator's default tier budgets: Slack's per-minute floors, per second (so demos and tests run fast). */
export function simTiers(s: SlackScenario): Record<Tier, { limit: number; windowMs: number }> {
  const out = {} as Record<Tier, { limit: number; windowMs: number }>;
  for (const t of [1, 2, 3, 4] as Tier[]) out[t] = s.tiers?.[String(t) as '1'] ?? { limit: TIER_FLOOR[t].calls, windowMs: 1000 };
  return out;
}

export async function startSlackSimulator(s: SlackScenario, opts: { faults?: Fault[]; port?: number } = {}): Promise<SimulatorHandle> {
  const tiers = simTiers(s);
  return startSimulator({
    name: 'slack',
    routes: slackRoutes(s),
    faults: opts.faults,
    port: opts.port,
    basePath: '/api',
    nextPage: {
      self: (req, salt) => selfCursor(String(req.body.cursor ?? req.query.get('cursor') ?? '') || null, 'o', salt),
      set: (out, next) => {
        const body = (out.body ?? {}) as Record<string, unknown>;
        const paging = body.paging as { page?: number } | undefined;
        if (paging) return { ...out, body: { ...body, paging: { ...paging, pages: Number(paging.page ?? 1) + 1 } } };
        return { ...out, body: { ...body, response_metadata: { ...(body.response_metadata as object ?? {}), next_cursor: next } } };
      },
    },
    rateLimit: {
      bucket: (req) => {
        const tier = tierOf(req.route);
        const team = String(req.body.team_id ?? req.query.get('team_id') ?? s.workspaces[0]?.team.id ?? '');
        return { key: `${req.route}@${team}`, limit: tiers[tier].limit, windowMs: tiers[tier].windowMs };
      },
      exceeded: (_st, _req, retryAfterS) => ({ status: 429, headers: { 'retry-after': String(retryAfterS) }, body: { ok: false, error: 'ratelimited' } }),
    },
  });
}
