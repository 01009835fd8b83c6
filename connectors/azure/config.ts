// Azure / Microsoft Entra ID provider config block (nhi-census.yaml `providers.azure`). Secrets come from
// the environment (or a certificate file / workload identity token file / managed identity), never the file.
import { z } from 'zod';
import { envVarName } from '../../src/config/secret-values.ts';

export const azureConfigSchema = z.object({
  /** Directory (tenant) id: a GUID, or a verified domain name. */
  tenantId: z.string().min(1),
  /** Application (client) id of the crawler's own app registration (not needed for managed identity / default). */
  clientId: z.string().optional(),
  /** How to obtain tokens (@azure/identity). 'default' is DefaultAzureCredential's chain. */
  auth: z.enum(['clientSecret', 'certificate', 'workloadIdentity', 'managedIdentity', 'default']).default('clientSecret'),
  clientSecretEnv: envVarName().default('AZURE_CLIENT_SECRET'),
  /** PEM file holding the certificate and its private key (auth: certificate). */
  certificatePath: z.string().optional(),
  /** Federated token file (auth: workloadIdentity; defaults to AZURE_FEDERATED_TOKEN_FILE). */
  tokenFilePath: z.string().optional(),
  /** Microsoft Graph root: https://graph.microsoft.com, or a national cloud (graph.microsoft.us, microsoftgraph.chinacloudapi.cn). */
  graphBaseUrl: z.string().url().default('https://graph.microsoft.com'),
  /** Azure Resource Manager root (subscriptions, role assignments). */
  armBaseUrl: z.string().url().default('https://management.azure.com'),
  /** Entra authority: https://login.microsoftonline.com, or a national cloud's. */
  authorityHost: z.string().url().optional(),
  /** Skip the authority instance discovery call (sovereign/private authorities and the simulator). */
  disableInstanceDiscovery: z.boolean().default(false),
  /** PEM of a CA to trust for Graph, ARM and the authority in this process only (the simulator sets it). */
  caPem: z.string().optional(),
  /** List ARM subscriptions and their role assignments (needs the Reader role). */
  subscriptions: z.boolean().default(true),
  /** Service-principal sign-in activity (beta; needs an Entra ID P1/P2 licence and AuditLog.Read.All). */
  signInActivity: z.boolean().default(true),
  /** Who gave admin consent, from the directory audit log's 'Consent to application' events (AuditLog.Read.All). */
  consentAudit: z.boolean().default(true),
  /** Days of audit log a full crawl reads for consents (Entra keeps 7 days on Free, 30 on P1/P2). */
  consentLookbackDays: z.number().int().min(1).max(30).default(30),
  /** Group per-object calls (owners, federated credentials, role assignments, grants) into $batch requests of 20. */
  batch: z.boolean().default(true),
  /** $top for list endpoints (Graph's maximum is 999). */
  pageSize: z.number().int().min(1).max(999).default(999),
  /** Graph identity budget to pace by, in requests per 10 s (Graph meters resource units: 3,500 / 5,000 / 8,000 RU per 10 s for tenants under 50 / up to 500 / over 500 users; most reads here cost 1-2 RU). */
  graphRequestsPer10s: z.number().int().min(1).default(3000),
  /** Listings running at once; per-object calls batch up to this many (20 fills a $batch). */
  concurrency: z.number().int().min(1).max(100).default(24),
}).strict();

export type AzureConfig = z.infer<typeof azureConfigSchema>;
