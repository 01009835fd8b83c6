// Registers the Google provider (Workspace OAuth grants, Cloud service accounts, keys, IAM reach and Workload Identity trusts):
// config schema, clients, HTTP policy, declared per-minute quotas, resources and simulator.
import { registerProvider, type ProviderSpec } from '../../src/crawl/provider.ts';
import { BUCKETS, createGoogleClient, googleHttpPolicy, type GoogleClient } from './client.ts';
import { googleConfigSchema, type GoogleConfig } from './config.ts';
import GOOGLE_SECRET_PATTERNS from './secret-patterns.ts';
import GOOGLE_CATALOGUE from './catalogue.ts';
import GOOGLE_CATEGORIES from './categories.ts';
import { GOOGLE_PERMISSION_KINDS, googleGrantKinds, googleRefusal } from './permission-hints.ts';
import { startGoogleSimulator } from './simulator/index.ts';
import type { GoogleScenario } from './simulator/scenario.ts';
import { googleScenarioSchema } from './simulator/scenario-schema.ts';
import { customer } from './resources/customer.ts';
import { users } from './resources/users.ts';
import { oauthTokens } from './resources/oauth-tokens.ts';
import { projects } from './resources/projects.ts';
import { serviceAccounts } from './resources/service-accounts.ts';
import { serviceAccountKeys } from './resources/service-account-keys.ts';
import { projectIamPolicies } from './resources/project-iam-policies.ts';
import { workloadIdentityPools } from './resources/workload-identity-pools.ts';
import { workloadIdentityProviders } from './resources/workload-identity-providers.ts';
import { serviceAccountIamPolicies } from './resources/service-account-iam-policies.ts';

export const SIM_TOKEN_ENV = 'NHI_SIM_GOOGLE_TOKEN';

export const google: ProviderSpec<GoogleConfig, GoogleClient> = {
  name: 'google',
  description: 'Google Workspace (users, third-party OAuth grants) and Google Cloud (projects, service accounts, keys, IAM)',
  configSchema: googleConfigSchema,
  tenants: (cfg) => [{ provider: 'google', id: cfg.domain, config: { domain: cfg.domain, customer: cfg.customer } }],
  httpPolicy: googleHttpPolicy,
  declareRates(budget, cfg) {
    for (const [api, bucket] of Object.entries(BUCKETS)) {
      budget.declare(bucket, { calls: cfg.quotas[api === 'crm' ? 'resourceManager' : (api as 'directory' | 'reports' | 'iam' | 'logging')], perMs: 60_000 });
    }
  },
  createClient: (cfg, _tenant, http, env) => createGoogleClient(cfg, http, env),
  resources: [customer, users, oauthTokens, projects, serviceAccounts, serviceAccountKeys, projectIamPolicies,
    workloadIdentityPools, workloadIdentityProviders, serviceAccountIamPolicies],
  // access and refresh tokens, API keys, OAuth client secrets
  secretPatterns: GOOGLE_SECRET_PATTERNS,
  catalogue: GOOGLE_CATALOGUE,
  categories: GOOGLE_CATEGORIES,
  permissionKinds: GOOGLE_PERMISSION_KINDS,
  grantKindsFor: googleGrantKinds,
  refusal: googleRefusal,
  simulator: {
    scenarioSchema: googleScenarioSchema,
    start: (scenario, opts) => startGoogleSimulator(scenario as GoogleScenario, opts),
    configFor: (handle, scenario) => ({
      domain: (scenario as GoogleScenario).customer.customerDomain, rootUrl: handle.url,
      auth: { accessTokenEnv: SIM_TOKEN_ENV },
    }),
    envFor: () => ({ [SIM_TOKEN_ENV]: 'ya29.simulated-google-access-token-for-the-demo' }),
  },
};

registerProvider(google);
