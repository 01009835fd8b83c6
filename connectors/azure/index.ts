// Registers the Azure / Microsoft Entra ID provider: config schema, client, HTTP policy, documented rates,
// resources and the HTTPS simulator (which the real @azure/identity credential authenticates against).
import { registerProvider, type ProviderSpec } from '../../src/crawl/provider.ts';
import { azureHttpPolicy, createAzureClient, declareAzureRates, type AzureClient } from './client.ts';
import { azureConfigSchema, type AzureConfig } from './config.ts';
import AZURE_SECRET_PATTERNS from './secret-patterns.ts';
import AZURE_CATALOGUE from './catalogue.ts';
import AZURE_CATEGORIES from './categories.ts';
import { AZURE_PERMISSION_KINDS, azureGrantKinds, azureRefusal } from './permission-hints.ts';
import { startAzureSimulator, type AzureSimulatorHandle } from './simulator/index.ts';
import type { AzureScenario } from './simulator/scenario.ts';
import { azureScenarioSchema } from './simulator/scenario-schema.ts';
import { tenant } from './resources/tenant.ts';
import { users } from './resources/users.ts';
import { applications } from './resources/applications.ts';
import { applicationCredentials } from './resources/application-credentials.ts';
import { applicationOwners } from './resources/application-owners.ts';
import { servicePrincipals } from './resources/service-principals.ts';
import { servicePrincipalCredentials } from './resources/service-principal-credentials.ts';
import { servicePrincipalOwners } from './resources/service-principal-owners.ts';
import { appRoleAssignments } from './resources/app-role-assignments.ts';
import { delegatedGrants } from './resources/delegated-grants.ts';
import { signInActivity } from './resources/sign-in-activity.ts';
import { consentAudit } from './resources/consent-audit.ts';
import { subscriptions } from './resources/subscriptions.ts';
import { subscriptionRoleAssignments } from './resources/subscription-role-assignments.ts';

export const SIM_CLIENT_SECRET_ENV = 'NHI_SIM_AZURE_CLIENT_SECRET';

export const azure: ProviderSpec<AzureConfig, AzureClient> = {
  name: 'azure',
  description: 'Microsoft Entra ID (app registrations, service principals, managed identities) and Azure subscriptions',
  configSchema: azureConfigSchema,
  tenants: (cfg) => [{ provider: 'azure', id: cfg.tenantId.toLowerCase(), config: { tenantId: cfg.tenantId } }],
  httpPolicy: azureHttpPolicy,
  declareRates: declareAzureRates,
  createClient: (cfg, _tenant, http, env) => createAzureClient(cfg, http, env),
  resources: [
    tenant, users, applications, applicationCredentials, applicationOwners, servicePrincipals, servicePrincipalCredentials,
    servicePrincipalOwners, appRoleAssignments, delegatedGrants, signInActivity, consentAudit, subscriptions, subscriptionRoleAssignments,
  ],
  // Entra client secrets (the current format carries 'Q~' after the first 3–4 characters)
  secretPatterns: AZURE_SECRET_PATTERNS,
  catalogue: AZURE_CATALOGUE,
  categories: AZURE_CATEGORIES,
  permissionKinds: AZURE_PERMISSION_KINDS,
  grantKindsFor: azureGrantKinds,
  refusal: azureRefusal,
  simulator: {
    scenarioSchema: azureScenarioSchema,
    start: (scenario, opts) => startAzureSimulator(scenario as AzureScenario, opts),
    configFor: (handle, scenario) => ({
      tenantId: (scenario as AzureScenario).organization.id,
      clientId: '11111111-2222-3333-4444-555555555555',
      auth: 'clientSecret', clientSecretEnv: SIM_CLIENT_SECRET_ENV,
      graphBaseUrl: handle.url, armBaseUrl: handle.url, authorityHost: handle.url, disableInstanceDiscovery: true,
      caPem: (handle as AzureSimulatorHandle).caPem,
    }),
    envFor: () => ({ [SIM_CLIENT_SECRET_ENV]: 'sim-crawler-client-secret-not-a-real-one' }),
  },
};

registerProvider(azure);
