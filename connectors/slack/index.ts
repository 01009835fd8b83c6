// Registers the Slack provider: config schema, client, HTTP policy, per-method tier budgets, resources
// and simulator. One tenant per config block: a workspace (teamId) or an Enterprise Grid org (enterpriseId).
import { registerProvider, type ProviderSpec } from '../../src/crawl/provider.ts';
import { SLACK_SECRET_PATTERNS } from './secret-patterns.ts';
import SLACK_CATALOGUE from './catalogue.ts';
import SLACK_CATEGORIES from './categories.ts';
import { createSlackClient, slackHttpPolicy, type SlackClient } from './client.ts';
import { slackConfigSchema, type SlackConfig } from './config.ts';
import { declareSlackRates } from './rates.ts';
import { SLACK_PERMISSION_KINDS, slackGrantKinds, slackRefusal } from './permission-hints.ts';
import { simTiers, startSlackSimulator } from './simulator/index.ts';
import { SIM_SLACK_TOKEN } from './simulator/routes.ts';
import type { SlackScenario } from './simulator/scenario.ts';
import { slackScenarioSchema } from './simulator/scenario-schema.ts';
import { workspaces } from './resources/workspaces.ts';
import { users } from './resources/users.ts';
import { bots } from './resources/bots.ts';
import { integrationLogs } from './resources/integration-logs.ts';
import { channels } from './resources/channels.ts';
import { approvedApps } from './resources/approved-apps.ts';
import { restrictedApps } from './resources/restricted-apps.ts';
import { appRequests } from './resources/app-requests.ts';
import { workflows } from './resources/workflows.ts';

export const slack: ProviderSpec<SlackConfig, SlackClient> = {
  name: 'slack',
  description: 'Slack workspaces and Enterprise Grid orgs',
  configSchema: slackConfigSchema,
  tenants: (cfg) => [{ provider: 'slack', id: (cfg.enterpriseId ?? cfg.teamId)!, config: { teamId: cfg.teamId ?? null, enterpriseId: cfg.enterpriseId ?? null } }],
  httpPolicy: slackHttpPolicy,
  declareRates: declareSlackRates,
  createClient: (cfg, _tenant, http, env) => createSlackClient(cfg, http, env),
  resources: [workspaces, users, bots, integrationLogs, channels, approvedApps, restrictedApps, appRequests, workflows],
  secretPatterns: SLACK_SECRET_PATTERNS,
  catalogue: SLACK_CATALOGUE,
  categories: SLACK_CATEGORIES,
  permissionKinds: SLACK_PERMISSION_KINDS,
  grantKindsFor: slackGrantKinds,
  refusal: slackRefusal,
  simulator: {
    scenarioSchema: slackScenarioSchema,
    start: (scenario, opts) => startSlackSimulator(scenario as SlackScenario, opts),
    configFor: (handle, scenario) => {
      const s = scenario as SlackScenario;
      const tiers = simTiers(s);
      return {
        slackApiUrl: `${handle.url}/api/`,
        ...(s.enterprise ? { enterpriseId: s.enterprise.id } : { teamId: s.workspaces[0]!.team.id }),
        tokenEnv: 'NHI_SIM_SLACK_TOKEN',
        // Pace by the simulator's tier budgets, as a real crawl paces by Slack's.
        tiers: Object.fromEntries(Object.entries(tiers).map(([t, r]) => [t, { calls: r.limit, perMs: r.windowMs }])),
      };
    },
    envFor: () => ({ NHI_SIM_SLACK_TOKEN: SIM_SLACK_TOKEN }),
  },
};

registerProvider(slack);
