// Builds the Google clients: the per-API googleapis packages (Admin SDK Directory and Reports, IAM v1,
// Cloud Resource Manager v3) against a configurable origin, with the crawl identity's auth, and every
// request routed through the engine's one retry/pacing policy (HttpRuntime) by a gaxios adapter. The
// SDK's own retry is off: gaxios ignores Retry-After and never retries a 403, yet the Admin SDK reports
// quota exhaustion as 403 rateLimitExceeded — so `classify` below is the only place that decides.
// Each API's requests go only to its root URL's origin (rootUrl, or the API's Google default): the adapter
// refuses anything else before it is sent.
// Auth: https://developers.google.com/identity/protocols/oauth2/service-account#delegatingauthority
import fs from 'node:fs';
import { admin, type admin_directory_v1, type admin_reports_v1 } from '@googleapis/admin';
import { iam, type iam_v1 } from '@googleapis/iam';
import { cloudresourcemanager, type cloudresourcemanager_v3 } from '@googleapis/cloudresourcemanager';
import { logging, type logging_v2 } from '@googleapis/logging';
import { JWT, OAuth2Client } from 'google-auth-library';
import type { HttpPolicy, HttpRuntime } from '../../src/crawl/http-call.ts';
import { defaultRetry, retryAfterMs } from '../../src/crawl/http-call.ts';
import { MalformedResponse } from '../../src/crawl/errors.ts';
import { assertRequestOrigin, PageGuard } from '../../src/crawl/page-guard.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { checkPrivateKeyPem } from '../../src/crawl/key-material.ts';
import type { GoogleConfig } from './config.ts';

/** Least privilege, read-only first. `admin.directory.user.security` (tokens.list) has no read-only variant. */
export const WORKSPACE_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.customer.readonly',
  'https://www.googleapis.com/auth/admin.reports.audit.readonly',
  'https://www.googleapis.com/auth/admin.directory.user.security',
] as const;
export const CLOUD_SCOPES = ['https://www.googleapis.com/auth/cloud-platform.read-only'] as const;

/** Rate buckets: each API's per-minute quota is metered separately. */
export const BUCKETS = { directory: 'directory', reports: 'reports', iam: 'iam', crm: 'resourceManager', logging: 'logging' } as const;

/** Each API's root URL when `rootUrl` is not configured (the googleapis packages' own defaults). */
export const API_ROOTS: Record<string, string> = {
  [BUCKETS.directory]: 'https://admin.googleapis.com/', [BUCKETS.reports]: 'https://admin.googleapis.com/',
  [BUCKETS.iam]: 'https://iam.googleapis.com/', [BUCKETS.crm]: 'https://cloudresourcemanager.googleapis.com/',
  [BUCKETS.logging]: 'https://logging.googleapis.com/',
};

export interface GoogleClient {
  directory: admin_directory_v1.Admin;
  reports: admin_reports_v1.Admin;
  iam: iam_v1.Iam;
  crm: cloudresourcemanager_v3.Cloudresourcemanager;
  /** Cloud Logging v2: the Admin Activity audit log an incremental crawl reads (cloud-audit.ts). */
  logging: logging_v2.Logging;
  cfg: GoogleConfig;
  /** The auth clients (Workspace: delegated JWT; Cloud: the service account itself). */
  auth: { workspace: OAuth2Client; cloud: OAuth2Client };
  /** When this crawl of the tenant began: the token-event watermark of a full crawl. */
  startedAt: number;
  /** A paging guard for one listing: page tokens must not repeat (URL-shaped ones stay on the API origins), stops on abort. */
  pageGuard(): PageGuard;
}

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded', 'backendError']);

interface ResponseLike { status?: number; headers?: unknown; data?: unknown }
interface ErrorLike { status?: number | string; code?: number | string; response?: ResponseLike }

/** A non-2xx answer inside the adapter: carries the response so classify can read it. */
export class GoogleHttpError extends Error {
  readonly status: number;
  constructor(readonly response: ResponseLike & { status: number }) {
    super(`HTTP ${response.status}: ${errorInfo(response).message ?? 'request failed'}`);
    this.name = 'GoogleHttpError';
    this.status = response.status;
  }
}

export function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, unknown>)[name] ?? (headers as Record<string, unknown>)[name.toLowerCase()];
  return v === undefined || v === null ? undefined : String(v);
}

/** Google's JSON error body: `{error: {code, message, status, errors: [{reason, domain}]}}`. */
export function errorInfo(res: ResponseLike | undefined): { message?: string; reason?: string; status?: string } {
  const e = (res?.data as { error?: { message?: string; status?: string; errors?: Array<{ reason?: string }> } } | undefined)?.error;
  return { message: e?.message, reason: e?.errors?.[0]?.reason, status: e?.status };
}

export function statusOf(err: unknown): number | undefined {
  const e = err as ErrorLike;
  const s = Number(e?.response?.status ?? e?.status);
  return Number.isFinite(s) && s > 0 ? s : undefined;
}

export const googleHttpPolicy: HttpPolicy = {
  provider: 'google',
  ...defaultRetry,
  baseDelayMs: 1000,
  classify(err) {
    const status = statusOf(err);
    const res = (err as ErrorLike)?.response;
    const info = errorInfo(res);
    if (status === 304) return { retry: false, notModified: true };
    if (status === 401) {
      return { retry: false, fatal: `the credential was rejected (HTTP 401${info.message ? `: ${info.message.slice(0, 120)}` : ''}): `
        + 'check the service-account key (auth.keyFile / keyEnv) or access token, and its domain-wide delegation for auth.subject' };
    }
    // The token endpoint (OAuth error body) refusing the service account: minted outside the adapter, examined by the engine.
    const oauth = (res?.data as { error?: unknown; error_description?: unknown } | undefined);
    if (typeof oauth?.error === 'string' && ['invalid_grant', 'invalid_client', 'unauthorized_client'].includes(oauth.error)) {
      return { retry: false, fatal: `the service-account credential was rejected minting a token (${oauth.error}${typeof oauth.error_description === 'string' ? `: ${oauth.error_description.slice(0, 120)}` : ''}): `
        + 'check the key is current (not deleted or disabled), auth.subject is an admin, and domain-wide delegation grants the scopes' };
    }
    if (status === 429 || (status === 403 && RATE_REASONS.has(info.reason ?? ''))) {
      return { retry: true, rateLimited: true, waitMs: retryAfterMs(header(res?.headers, 'retry-after')) };
    }
    if (status === undefined || status === 408 || status >= 500) return { retry: true };
    return { retry: false };
  },
};

type Adapter = NonNullable<import('google-auth-library').gaxios.GaxiosOptions['adapter']>;

/**
 * Routes each request of one API through HttpRuntime.call; the final failure goes back to gaxios as a response.
 * A request for another origin than `root`'s is refused unsent.
 */
export function engineAdapter(http: HttpRuntime, bucket: string, root: string): Adapter {
  const adapter = async (opts: Parameters<Adapter>[0], defaultAdapter: Parameters<Adapter>[1]) => {
    assertRequestOrigin(String(opts.url), root);
    const describe = `${opts.method ?? 'GET'} ${new URL(String(opts.url)).pathname}`;
    try {
      return await http.call(bucket, describe, async () => {
        const res = await defaultAdapter(opts);
        if (!(opts.validateStatus ?? ((s: number) => s >= 200 && s < 300))(res.status)) throw new GoogleHttpError(res);
        const type = header(res.headers, 'content-type') ?? '';
        if (type.includes('json') && typeof res.data === 'string' && res.data.length > 0) {
          throw new MalformedResponse(describe, 'response body is not valid JSON (truncated?)');
        }
        return res;
      }, String(opts.url));
    } catch (err) {
      // gaxios builds its usual GaxiosError (status, Google's message) from the last answer.
      if (err instanceof GoogleHttpError) return err.response as Awaited<ReturnType<Adapter>>;
      throw err;
    }
  };
  return adapter as Adapter;
}

export interface ServiceAccountKey { client_email: string; private_key: string; private_key_id?: string }

/** Reads the crawl identity's key: file first, then the environment variable. */
export function readKey(cfg: GoogleConfig, env: NodeJS.ProcessEnv): ServiceAccountKey | undefined {
  const raw = cfg.auth.keyFile ? fs.readFileSync(cfg.auth.keyFile, 'utf8') : env[cfg.auth.keyEnv];
  if (!raw) return undefined;
  let key: Partial<ServiceAccountKey>;
  try { key = JSON.parse(raw) as Partial<ServiceAccountKey>; } catch {
    throw new InputError(`google: the service-account key (${cfg.auth.keyFile ?? cfg.auth.keyEnv}) is not JSON`);
  }
  if (!key.client_email || !key.private_key) throw new InputError('google: the service-account key lacks client_email or private_key');
  // checked now: a key that does not parse would fail every token request instead
  checkPrivateKeyPem(key.private_key, { what: `google: the private key in the service-account key ${cfg.auth.keyFile ?? `in ${cfg.auth.keyEnv}`}`,
    fix: 'create a new JSON key for the crawl service account (IAM > Service accounts > Keys) and point auth.keyFile at it' }, 'rsa');
  return key as ServiceAccountKey;
}

/**
 * Auth for each half: Workspace uses a service-account JWT with `subject` (domain-wide delegation,
 * impersonating an admin); Cloud uses the same service account as itself (its own IAM roles).
 * A preset access token (accessTokenEnv) serves both — that is how the simulator is crawled.
 */
export function createAuth(cfg: GoogleConfig, env: NodeJS.ProcessEnv): { workspace: OAuth2Client; cloud: OAuth2Client } {
  const token = cfg.auth.accessTokenEnv ? env[cfg.auth.accessTokenEnv] : undefined;
  if (token) {
    const o = new OAuth2Client();
    o.setCredentials({ access_token: token, expiry_date: Date.now() + 3600_000 });
    return { workspace: o, cloud: o };
  }
  const key = readKey(cfg, env);
  if (!key) throw new InputError(`google: set auth.keyFile or ${cfg.auth.keyEnv} (a service-account key JSON)${cfg.auth.accessTokenEnv ? `, or ${cfg.auth.accessTokenEnv}` : ''}`);
  if (cfg.workspace && !cfg.auth.subject) throw new InputError('google: auth.subject (the admin that domain-wide delegation impersonates) is required to crawl Workspace');
  const workspace = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: [...WORKSPACE_SCOPES], subject: cfg.auth.subject });
  const cloud = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: [...CLOUD_SCOPES] });
  return { workspace, cloud };
}

export function createGoogleClient(cfg: GoogleConfig, http: HttpRuntime, env: NodeJS.ProcessEnv): GoogleClient {
  const auth = createAuth(cfg, env);
  // googleapis-common pins its own google-auth-library and gaxios copies: the auth client we pass runs the
  // request (root gaxios, whose adapter contract this is); the declarations differ, hence the casts.
  const rootOf = (bucket: string) => (cfg.rootUrl ? cfg.rootUrl.replace(/\/?$/, '/') : API_ROOTS[bucket]!);
  const common = (bucket: string, a: OAuth2Client) => ({
    auth: a as never, retry: false, retryConfig: { retry: 0 }, adapter: engineAdapter(http, bucket, rootOf(bucket)) as never,
    rootUrl: rootOf(bucket),
  });
  return {
    directory: admin({ version: 'directory_v1', ...common(BUCKETS.directory, auth.workspace) }),
    reports: admin({ version: 'reports_v1', ...common(BUCKETS.reports, auth.workspace) }),
    iam: iam({ version: 'v1', ...common(BUCKETS.iam, auth.cloud) }),
    crm: cloudresourcemanager({ version: 'v3', ...common(BUCKETS.crm, auth.cloud) }),
    logging: logging({ version: 'v2', ...common(BUCKETS.logging, auth.cloud) }),
    cfg,
    auth,
    startedAt: Date.now(),
    pageGuard: () => new PageGuard({ base: Object.values(BUCKETS).map(rootOf), signal: http.signal, maxPages: http.maxPages }),
  };
}
