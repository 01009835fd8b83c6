// Builds the Azure clients: an @azure/identity credential (client secret, certificate, workload identity
// federation, managed identity or the DefaultAzureCredential chain), and thin Graph (v1.0, beta) and ARM
// APIs whose every request goes through the engine's HttpRuntime. The only TLS customisation is `caPem`,
// a CA trusted in this process alone (the simulator's self-signed certificate) — for the credential's
// pipeline (an https.Agent on each request) and for the Graph/ARM agent.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import {
  ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential,
  WorkloadIdentityCredential, type TokenCredential,
} from '@azure/identity';
import { defaultRetry, retryAfterMs, type HttpPolicy, type HttpRuntime } from '../../src/crawl/http-call.ts';
import type { RateBudget } from '../../src/crawl/rate-budget.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { BatchThrottled, GraphBatcher } from './batch.ts';
import { AzureHttpError, RestApi } from './rest.ts';
import { PermissionResolver } from './permissions.ts';
import type { AzureConfig } from './config.ts';
import type { DirectoryAudit, Organization } from '@microsoft/microsoft-graph-types';
import type { ServicePrincipalSignInActivity } from './types.ts';

export interface AzureClient {
  tenantId: string;
  graph: RestApi;
  beta: RestApi;
  arm: RestApi;
  batch: GraphBatcher;
  permissions: PermissionResolver;
  cfg: AzureConfig;
  /** The organization object (one read per crawl, shared by the listings that need the tenant's GUID). */
  organization(): Promise<Organization>;
  /** Last sign-in per appId from the beta report (one paged read per crawl, shared); rejects when unlicensed. */
  signIns(): Promise<Map<string, string | null>>;
  /** 'Consent to application' events of the directory audit log since `startTime` (one paged read per crawl, shared: the first caller's window). */
  consentEvents(startTime: string): Promise<DirectoryAudit[]>;
}

export const azureHttpPolicy: HttpPolicy = {
  provider: 'azure',
  ...defaultRetry,
  classify(err) {
    if (err instanceof BatchThrottled) return { retry: true, waitMs: err.waitMs, rateLimited: true };
    if (err instanceof AzureHttpError) {
      const wait = retryAfterMs(err.headers['retry-after']);
      if (err.status === 429) return { retry: true, waitMs: wait, rateLimited: true };
      if (err.status === 503 || err.status === 504) return { retry: true, waitMs: wait, rateLimited: wait !== undefined };
      if (err.status >= 500 || err.status === 0) return { retry: true };
      return { retry: false };
    }
    // Network failures (reset, refused, TLS) carry a code, not a status: retried with backoff.
    const code = (err as { code?: unknown })?.code;
    return { retry: typeof code === 'string' && /^E[A-Z]+/.test(code) };
  },
};

export const GRAPH_KEYCREDENTIALS_BUCKET = 'graph-keycredentials';

export function declareAzureRates(budget: RateBudget, cfg: AzureConfig): void {
  budget.declare('graph', { calls: cfg.graphRequestsPer10s, perMs: 10_000 });
  // Reads whose $select names keyCredentials are limited to 150 requests/min per tenant.
  budget.declare(GRAPH_KEYCREDENTIALS_BUCKET, { calls: Math.max(150, Math.round(150 * cfg.graphRequestsPer10s / 3000)), perMs: 60_000 });
  // Identity & access reports (beta sign-in activity): 1,000 requests / 20 s per app and tenant.
  budget.declare('graph-reports', { calls: Math.max(1000, Math.round(1000 * cfg.graphRequestsPer10s / 3000)), perMs: 20_000 });
}

export function createAzureClient(cfg: AzureConfig, http: HttpRuntime, env: NodeJS.ProcessEnv): AzureClient {
  const agent: http.Agent = new https.Agent({ keepAlive: true, maxSockets: 32, ...(cfg.caPem ? { ca: cfg.caPem } : {}) });
  const credential = buildCredential(cfg, env, agent);
  const graphRoot = cfg.graphBaseUrl.replace(/\/$/, '');
  const graphScope = `${new URL(graphRoot).origin}/.default`;
  const priority = { 'x-ms-throttle-priority': 'low' };
  const graph = new RestApi({ baseUrl: `${graphRoot}/v1.0`, credential, scope: graphScope, http, agent, headers: priority,
    bucket: (url) => (/[?&]\$select=[^&]*keyCredentials/i.test(decodeURIComponent(url)) ? GRAPH_KEYCREDENTIALS_BUCKET : 'graph') });
  const beta = new RestApi({ baseUrl: `${graphRoot}/beta`, credential, scope: graphScope, http, agent, headers: priority, bucket: () => 'graph-reports' });
  const armRoot = cfg.armBaseUrl.replace(/\/$/, '');
  const arm = new RestApi({ baseUrl: armRoot, credential, scope: `${new URL(armRoot).origin}/.default`, http, agent, bucket: () => 'arm' });
  const batch = new GraphBatcher(graph, cfg.batch);
  let org: Promise<Organization> | undefined;
  let signIns: Promise<Map<string, string | null>> | undefined;
  let consents: Promise<DirectoryAudit[]> | undefined;
  // directoryAudits is an identity-and-access report: its own throttling bucket, like the sign-in report
  const audit = new RestApi({ baseUrl: `${graphRoot}/v1.0`, credential, scope: graphScope, http, agent, headers: priority, bucket: () => 'graph-reports' });
  return {
    tenantId: cfg.tenantId, graph, beta, arm, batch, permissions: new PermissionResolver(batch), cfg,
    organization: () => (org ??= graph.get<{ value?: Organization[] }>('/organization?$select=id,displayName,verifiedDomains,createdDateTime,tenantType,countryLetterCode')
      .then((r) => { if (!r.value?.[0]) throw new Error('GET /organization returned no organization'); return r.value[0]; })),
    signIns: () => (signIns ??= beta.all<ServicePrincipalSignInActivity>(`/reports/servicePrincipalSignInActivities?$top=${cfg.pageSize}`)
      .then((rows) => new Map(rows.map((a) => [a.appId, a.lastSignInActivity?.lastSignInDateTime ?? null])))),
    consentEvents: (startTime) => {
      if (!consents) {
        const filter = `activityDisplayName eq 'Consent to application' and activityDateTime ge ${startTime}`;
        consents = audit.all<DirectoryAudit>(`/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}&$top=${cfg.pageSize}`);
        consents.catch(() => { consents = undefined; }); // a failed read is retried by the next caller, not kept
      }
      return consents;
    },
  };
}

function buildCredential(cfg: AzureConfig, env: NodeJS.ProcessEnv, agent: http.Agent): TokenCredential {
  const common = {
    ...(cfg.authorityHost ? { authorityHost: cfg.authorityHost } : {}),
    ...(cfg.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}),
    // Token requests go through core-rest-pipeline: hand them the agent that trusts caPem (simulator only).
    ...(cfg.caPem ? { additionalPolicies: [{ position: 'perCall' as const, policy: { name: 'nhi-census-ca',
      sendRequest: (req: { agent?: unknown }, next: (r: never) => Promise<unknown>) => { req.agent = agent; return next(req as never); } } }] } : {}),
  } as Record<string, unknown>;
  const needClient = () => {
    if (!cfg.clientId) throw new InputError(`azure: auth '${cfg.auth}' needs clientId (the crawler app registration's application id)`);
    return cfg.clientId;
  };
  switch (cfg.auth) {
    case 'clientSecret': {
      const secret = env[cfg.clientSecretEnv];
      if (!secret) throw new InputError(`azure: set ${cfg.clientSecretEnv} (the crawler app's client secret), or choose another auth`);
      return new ClientSecretCredential(cfg.tenantId, needClient(), secret, common);
    }
    case 'certificate': {
      if (!cfg.certificatePath || !fs.existsSync(cfg.certificatePath)) throw new InputError('azure: auth certificate needs certificatePath (a PEM with certificate and private key)');
      return new ClientCertificateCredential(cfg.tenantId, needClient(), { certificatePath: cfg.certificatePath }, common);
    }
    case 'workloadIdentity':
      return new WorkloadIdentityCredential({ tenantId: cfg.tenantId, clientId: needClient(),
        ...(cfg.tokenFilePath ? { tokenFilePath: cfg.tokenFilePath } : {}), ...common });
    case 'managedIdentity':
      return cfg.clientId ? new ManagedIdentityCredential({ clientId: cfg.clientId, ...common }) : new ManagedIdentityCredential(common);
    case 'default':
      return new DefaultAzureCredential({ tenantId: cfg.tenantId, ...(cfg.clientId ? { managedIdentityClientId: cfg.clientId } : {}), ...common });
  }
}
