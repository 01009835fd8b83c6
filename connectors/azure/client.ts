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
import { defaultRetry, retryAfterMs, type Classification, type HttpPolicy, type HttpRuntime } from '../../src/crawl/http-call.ts';
import type { RateBudget } from '../../src/crawl/rate-budget.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { MalformedResponse } from '../../src/crawl/errors.ts';
import { fieldsOf, readOrSkip, type SkippedItem } from '../../src/crawl/malformed-item.ts';
import { BatchThrottled, GraphBatcher } from './batch.ts';
import { AzureHttpError, RestApi } from './rest.ts';
import { diagnosedCredential, TokenRequestError, TokenTransport } from './credential-diagnosis.ts';
import { checkCertificateAndKeyPem } from '../../src/crawl/key-material.ts';
import { findNetworkFault } from '../../src/crawl/permanent-errors.ts';
import { PermissionResolver } from './permissions.ts';
import type { AzureConfig } from './config.ts';
import { graphRequestCost } from './graph-cost.ts';
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
  /** The same read, with the rows not shaped as Graph documents them (left out of `signIns`) named. */
  signInReport(): Promise<SignInReport>;
  /** 'Consent to application' events of the directory audit log since `startTime` (one paged read per crawl, shared: the first caller's window). */
  consentEvents(startTime: string): Promise<DirectoryAudit[]>;
}

export const azureHttpPolicy: HttpPolicy = {
  provider: 'azure',
  ...defaultRetry,
  classify(err) {
    if (err instanceof BatchThrottled) return { retry: true, waitMs: err.waitMs, rateLimited: true };
    const tokenFailure = tokenRejection(err);
    if (tokenFailure) return tokenFailure;
    if (err instanceof AzureHttpError) {
      const wait = retryAfterMs(err.headers['retry-after']);
      if (err.status === 401) {
        return { retry: false, fatal: `the credential was rejected (HTTP 401${err.code ? ` ${err.code}` : ''}): check the crawler app's `
          + 'clientId, secret or certificate, tenantId, and that the token is issued for this Graph / ARM endpoint' };
      }
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

const CREDENTIAL_FIX = "check tenantId, clientId and the crawler app's client secret (clientSecretEnv) or certificate";

/** Token acquisition (@azure/identity) failures: a rejection or a missing credential is permanent, transport trouble is retried. */
function tokenRejection(err: unknown): Classification | undefined {
  if (err instanceof TokenRequestError) {
    if (err.status === 400 || err.status === 401) {
      return { retry: false, fatal: `the credential was rejected by the token endpoint (HTTP ${err.status}${err.oauthError ? ` ${err.oauthError}` : ''}): ${CREDENTIAL_FIX}` };
    }
    return { retry: err.status === undefined ? findNetworkFault(err) !== undefined : err.status >= 500 || err.status === 429 || err.status === 408 };
  }
  const e = err as { name?: string; statusCode?: number; message?: string };
  if (e?.name === 'AuthenticationError' && e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return { retry: false, fatal: `the credential was rejected (HTTP ${e.statusCode}): ${CREDENTIAL_FIX}` };
  }
  if (e?.name === 'CredentialUnavailableError') {
    return { retry: false, fatal: `no credential available (${(e.message ?? '').slice(0, 160)}): check the auth setting and what it needs (managed identity, workload identity token file, environment)` };
  }
  return undefined;
}

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
  const transport = new TokenTransport();
  const credential = diagnosedCredential(buildCredential(cfg, env, agent, transport), transport);
  const graphRoot = cfg.graphBaseUrl.replace(/\/$/, '');
  const graphScope = `${new URL(graphRoot).origin}/.default`;
  const priority = { 'x-ms-throttle-priority': 'low' };
  const keyCredentialsRead = (url: string) => /[?&]\$select=[^&]*keyCredentials/i.test(decodeURIComponent(url));
  // the keyCredentials limit counts requests; the identity budget counts resource units
  const graph = new RestApi({ baseUrl: `${graphRoot}/v1.0`, credential, scope: graphScope, http, agent, headers: priority,
    cost: (method, url) => (keyCredentialsRead(url) ? 1 : graphRequestCost(method, url)),
    bucket: (url) => (keyCredentialsRead(url) ? GRAPH_KEYCREDENTIALS_BUCKET : 'graph') });
  const beta = new RestApi({ baseUrl: `${graphRoot}/beta`, credential, scope: graphScope, http, agent, headers: priority, bucket: () => 'graph-reports' });
  const armRoot = cfg.armBaseUrl.replace(/\/$/, '');
  const arm = new RestApi({ baseUrl: armRoot, credential, scope: `${new URL(armRoot).origin}/.default`, http, agent, bucket: () => 'arm' });
  const batch = new GraphBatcher(graph, cfg.batch);
  let org: Promise<Organization> | undefined;
  let signIns: Promise<SignInReport> | undefined;
  const signInReport = () => (signIns ??= beta.all<ServicePrincipalSignInActivity>(`/reports/servicePrincipalSignInActivities?$top=${cfg.pageSize}`)
    .then(readSignIns));
  let consents: Promise<DirectoryAudit[]> | undefined;
  // directoryAudits is an identity-and-access report: its own throttling bucket, like the sign-in report
  const audit = new RestApi({ baseUrl: `${graphRoot}/v1.0`, credential, scope: graphScope, http, agent, headers: priority, bucket: () => 'graph-reports' });
  return {
    tenantId: cfg.tenantId, graph, beta, arm, batch, permissions: new PermissionResolver(batch), cfg,
    organization: () => (org ??= graph.get<{ value?: Organization[] }>('/organization?$select=id,displayName,verifiedDomains,createdDateTime,tenantType,countryLetterCode')
      .then((r) => organizationOf(r.value, cfg.tenantId))),
    signIns: () => signInReport().then((r) => r.byAppId),
    signInReport,
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

export interface SignInReport { byAppId: Map<string, string | null>; malformed: SkippedItem[] }

/** Last sign-in per appId; a row without appId (or with fields of another type) is left out and named. */
export function readSignIns(rows: ServicePrincipalSignInActivity[]): SignInReport {
  const byAppId = new Map<string, string | null>();
  const malformed: SkippedItem[] = [];
  for (const row of rows) {
    readOrSkip(malformed, () => {
      const f = fieldsOf(row, 'servicePrincipalSignInActivities[]', ['appId', 'id']);
      byAppId.set(f.string('appId'), f.optionalObject('lastSignInActivity') ? f.optionalString('lastSignInActivity.lastSignInDateTime') : null);
    });
  }
  return { byAppId, malformed };
}

/**
 * The configured tenant's organization object. GET /organization lists one; should it list more, the one whose id
 * (or one of whose verified domains) is the configured tenant is used — never simply the first.
 */
export function organizationOf(value: unknown, tenantId: string): Organization {
  const list = (Array.isArray(value) ? value : []).filter((o): o is Organization => typeof o === 'object' && o !== null);
  if (list.length === 0) throw new MalformedResponse('GET /organization: value', 'no organization');
  const t = tenantId.toLowerCase();
  const match = list.find((o) => typeof o.id === 'string' && o.id.toLowerCase() === t)
    ?? list.find((o) => Array.isArray(o.verifiedDomains) && o.verifiedDomains.some((d) => typeof d?.name === 'string' && d.name.toLowerCase() === t));
  if (match) return match;
  if (list.length === 1) return list[0]!;
  throw new MalformedResponse('GET /organization: value', `${list.length} organizations, none of them the configured tenant ${tenantId}`);
}

/** The tenant's GUID: the organization's id, or the configured tenant id when that is a GUID and the id is absent (nullable). */
export function tenantGuidOf(org: Organization, tenantId: string): string {
  if (typeof org.id === 'string' && org.id) return org.id;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenantId)) return tenantId;
  throw new MalformedResponse('GET /organization: value[].id', 'missing, and the configured tenantId is not a GUID');
}

function buildCredential(cfg: AzureConfig, env: NodeJS.ProcessEnv, agent: http.Agent, transport: TokenTransport): TokenCredential {
  const common = {
    ...(cfg.authorityHost ? { authorityHost: cfg.authorityHost } : {}),
    ...(cfg.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}),
    // Token requests run inside HttpRuntime.call (RestApi.send): the engine's one policy retries them, not the pipeline.
    retryOptions: { maxRetries: 0 },
    // Token requests go through core-rest-pipeline: hand them the agent that trusts caPem (simulator only).
    additionalPolicies: [
      { position: 'perRetry' as const, policy: transport.policy },
      ...(cfg.caPem ? [{ position: 'perCall' as const, policy: { name: 'nhi-census-ca',
        sendRequest: (req: { agent?: unknown }, next: (r: never) => Promise<unknown>) => { req.agent = agent; return next(req as never); } } }] : []),
    ],
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
      // checked now: a file that does not parse would fail every token request instead
      checkCertificateAndKeyPem(fs.readFileSync(cfg.certificatePath, 'utf8'), { what: `azure: the certificate file ${cfg.certificatePath}`,
        fix: "export the crawler app's certificate with its private key as one unencrypted PEM file" });
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
