// Registers the GitHub provider: config schema, client, HTTP policy, resources and simulator.
import crypto from 'node:crypto';
import { registerProvider, type ProviderSpec } from '../../src/crawl/provider.ts';
import { createGithubClient, githubHttpPolicy, type GithubClient } from './client.ts';
import { githubConfigSchema, type GithubConfig } from './config.ts';
import { GITHUB_PERMISSION_KINDS, githubGrantKinds, githubRefusal } from './permission-hints.ts';
import GITHUB_SECRET_PATTERNS from './secret-patterns.ts';
import GITHUB_CATALOGUE from './catalogue.ts';
import GITHUB_CATEGORIES from './categories.ts';
import { GITHUB_ACTIONS_ISSUER } from './trust-issuers.ts';
import { startGithubSimulator } from './simulator/index.ts';
import type { GithubScenario } from './simulator/scenario.ts';
import { githubScenarioSchema } from './simulator/scenario-schema.ts';
import { organization } from './resources/organization.ts';
import { members } from './resources/members.ts';
import { outsideCollaborators } from './resources/outside-collaborators.ts';
import { appInstallations } from './resources/app-installations.ts';
import { apps } from './resources/apps.ts';
import { installationRepositories } from './resources/installation-repositories.ts';
import { patGrants } from './resources/pat-grants.ts';
import { patGrantRepositories } from './resources/pat-grant-repositories.ts';
import { patRequests } from './resources/pat-requests.ts';
import { credentialAuthorizations } from './resources/credential-authorizations.ts';
import { repositories } from './resources/repositories.ts';
import { deployKeys } from './resources/deploy-keys.ts';
import { orgWebhooks } from './resources/org-webhooks.ts';
import { repoWebhooks } from './resources/repo-webhooks.ts';
import { orgActionsSecrets } from './resources/org-actions-secrets.ts';
import { orgSecretRepositories } from './resources/org-secret-repositories.ts';

let simKey: string | undefined;

export const github: ProviderSpec<GithubConfig, GithubClient> = {
  name: 'github',
  description: 'GitHub organisations (github.com, GitHub Enterprise Cloud and Server)',
  configSchema: githubConfigSchema,
  tenants: (cfg) => cfg.orgs.map((org) => ({ provider: 'github', id: org.toLowerCase(), config: { org } })),
  httpPolicy: githubHttpPolicy,
  createClient: (cfg, tenant, http, env) => createGithubClient(cfg, tenant.id, http, env),
  resources: [
    organization, members, outsideCollaborators, appInstallations, apps, installationRepositories,
    patGrants, patGrantRepositories, patRequests, credentialAuthorizations, repositories, deployKeys,
    orgWebhooks, repoWebhooks, orgActionsSecrets, orgSecretRepositories,
  ],
  secretPatterns: GITHUB_SECRET_PATTERNS,
  catalogue: GITHUB_CATALOGUE,
  categories: GITHUB_CATEGORIES,
  trustIssuers: [GITHUB_ACTIONS_ISSUER],
  permissionKinds: GITHUB_PERMISSION_KINDS,
  grantKindsFor: githubGrantKinds,
  refusal: githubRefusal,
  simulator: {
    scenarioSchema: githubScenarioSchema,
    start: (scenario, opts) => startGithubSimulator(scenario as GithubScenario, opts),
    configFor: (handle, scenario) => ({
      baseUrl: handle.url, orgs: [(scenario as GithubScenario).org.login],
      app: { appId: '1', installationId: '1', privateKeyEnv: 'NHI_SIM_GITHUB_APP_KEY' },
      tokenEnv: 'NHI_SIM_GITHUB_TOKEN',
    }),
    envFor: () => {
      // A throwaway key made per process: the simulator accepts any JWT, the real auth-app code signs with it.
      simKey ??= crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      return { NHI_SIM_GITHUB_APP_KEY: simKey, NHI_SIM_GITHUB_TOKEN: 'ghp_simulatedOwnerTokenForTheDemo000000' };
    },
  },
};

registerProvider(github);
