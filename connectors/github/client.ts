// Builds the GitHub clients: @octokit/rest against the configured base URL (github.com or GHES), with
// GitHub App auth (@octokit/auth-app) and/or a token, every request routed through the engine's one
// retry/pacing policy (HttpRuntime), and 304s turned into a value in this one place. A request for any other
// origin than the configured base URL's is refused before it is sent (the token goes nowhere else).
import fs from 'node:fs';
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import type { HttpPolicy, HttpRuntime } from '../../src/crawl/http-call.ts';
import { assertRequestOrigin, PageGuard } from '../../src/crawl/page-guard.ts';
import { retryAfterMs, defaultRetry } from '../../src/crawl/http-call.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { checkPrivateKeyPem } from '../../src/crawl/key-material.ts';
import type { GithubConfig } from './config.ts';
import { DeployKeyIndex } from './deploy-key-index.ts';
import { HookChangeIndex } from './hook-change-index.ts';
import { bodyText, createKeepAliveFetch, type FetchLike } from '../../src/crawl/keepalive-fetch.ts';

export interface GithubClient {
  /** The org-wide client: app installation auth when configured, else the token. */
  octokit: Octokit;
  /** A user token client, for endpoints GitHub serves only to users (null when not configured). */
  userOctokit: Octokit | null;
  authKind: 'app' | 'token';
  perPage: number;
  /** The configured API root (cfg.baseUrl): URL-bearing crawl state is kept relative to it (src/crawl/base-relative.ts). */
  baseUrl: string;
  /** A paging guard for one listing: next links stay on the base URL's origin, no loops, stops on abort. */
  pageGuard(signal?: AbortSignal): PageGuard;
  /** How deploy keys are listed: 'graphql' reads a GraphQL change signal first (connectors/github/deploy-key-index.ts). */
  deployKeysVia: 'graphql' | 'rest';
  /** The organisation's GraphQL deploy-key index, made on first use (one per client, i.e. per tenant and run). */
  deployKeyIndex(): DeployKeyIndex;
  /** How repository webhooks are listed: 'audit-log' lets the organisation audit log say which to list (./hook-change-index.ts). */
  repoHooksVia: 'audit-log' | 'rest';
  /** The organisation's audit-log hooks signal, made on first use (one per client, i.e. per tenant and run). */
  hookChangeIndex(): HookChangeIndex;
}

interface RequestErrorLike { status?: number; message?: string; request?: { url?: string }; response?: { headers?: Record<string, string | undefined> } }

/** What a 401 (or a token that cannot be minted) means, and where to look. Permanent: the provider fails at once. */
function rejected(e: RequestErrorLike): string | undefined {
  const what = `HTTP ${e.status}${e.message ? `: ${e.message.slice(0, 120)}` : ''}`;
  const url = e.request?.url ?? '';
  if (/\/app\/installations\/[^/]+\/access_tokens$/.test(url) && (e.status === 401 || e.status === 404)) {
    return `the GitHub App credential was rejected minting an installation token (${what}): check app.appId, app.installationId `
      + '(the App must be installed on the organisation) and that the private key belongs to that App';
  }
  if (e.status === 401) {
    return `the credential was rejected (${what}): check that the token (tokenEnv) is valid, not expired or revoked, `
      + 'or the GitHub App id, installation id and private key';
  }
  return undefined;
}

export const githubHttpPolicy: HttpPolicy = {
  provider: 'github',
  ...defaultRetry,
  classify(err) {
    const e = err as RequestErrorLike;
    const status = e.status;
    const h = e.response?.headers ?? {};
    if (status === 304) return { retry: false, notModified: true };
    const fatal = rejected(e);
    if (fatal) return { retry: false, fatal };
    const retryAfter = retryAfterMs(h['retry-after']);
    if (status === 429 || (status === 403 && (retryAfter !== undefined || h['x-ratelimit-remaining'] === '0'))) {
      const reset = Number(h['x-ratelimit-reset']);
      const waitMs = retryAfter ?? (Number.isFinite(reset) ? Math.max(0, reset * 1000 - Date.now()) + 250 : undefined);
      return { retry: true, waitMs, rateLimited: true };
    }
    if (status === undefined || status >= 500) return { retry: true };
    return { retry: false };
  },
  observe(resultOrError) {
    const h = (resultOrError as { headers?: Record<string, string | undefined> })?.headers
      ?? (resultOrError as RequestErrorLike)?.response?.headers;
    if (!h || h['x-ratelimit-remaining'] === undefined) return undefined;
    // a 304 to a conditional request does not count against the primary rate limit
    const free = (resultOrError as RequestErrorLike)?.status === 304;
    return { remaining: Number(h['x-ratelimit-remaining']), limit: Number(h['x-ratelimit-limit']), resetAtMs: Number(h['x-ratelimit-reset']) * 1000, free };
  },
};

export function createGithubClient(cfg: GithubConfig, org: string, http: HttpRuntime, env: NodeJS.ProcessEnv): GithubClient {
  const token = env[cfg.tokenEnv];
  // one keep-alive transport for the tenant's clients (app, user token, token minting): a connection per concurrent listing
  const fetch = createKeepAliveFetch({ maxSockets: cfg.concurrency ?? 16 });
  let octokit: Octokit;
  let authKind: 'app' | 'token';
  if (cfg.app) {
    const privateKey = cfg.app.privateKeyFile ? fs.readFileSync(cfg.app.privateKeyFile, 'utf8') : env[cfg.app.privateKeyEnv];
    if (!privateKey) throw new InputError(`github: app auth needs a private key (privateKeyFile, or the ${cfg.app.privateKeyEnv} environment variable)`);
    // checked now: a key that does not parse would fail every request ("Invalid keyData"), each one retried
    checkPrivateKeyPem(privateKey, { what: `github: the GitHub App private key in ${cfg.app.privateKeyFile ?? `the ${cfg.app.privateKeyEnv} environment variable`}`,
      fix: "generate a private key (.pem) on the App's settings page and point app.privateKeyFile at it" }, 'rsa');
    octokit = build(cfg, http, fetch, 'core:app', { authStrategy: createAppAuth,
      auth: { appId: cfg.app.appId, privateKey, ...(cfg.app.installationId ? { installationId: cfg.app.installationId } : {}) } });
    authKind = 'app';
  } else {
    if (!token) throw new InputError(`github: set ${cfg.tokenEnv} (a read-only token) or configure GitHub App auth`);
    octokit = build(cfg, http, fetch, 'core:token', { auth: token });
    authKind = 'token';
  }
  const userOctokit = cfg.app && token ? build(cfg, http, fetch, 'core:token', { auth: token }) : authKind === 'token' ? octokit : null;
  let index: DeployKeyIndex | undefined;
  let hooks: HookChangeIndex | undefined;
  return { octokit, userOctokit, authKind, perPage: cfg.perPage, baseUrl: cfg.baseUrl,
    pageGuard: (signal) => new PageGuard({ base: cfg.baseUrl, signal: signal ?? http.signal, maxPages: http.maxPages }),
    deployKeysVia: cfg.deployKeysVia,
    deployKeyIndex: () => (index ??= new DeployKeyIndex(octokit, org, new PageGuard({ base: cfg.baseUrl, signal: http.signal, maxPages: http.maxPages }))),
    repoHooksVia: cfg.repoHooksVia,
    hookChangeIndex: () => (hooks ??= new HookChangeIndex(octokit, org, () => new PageGuard({ base: cfg.baseUrl, signal: http.signal, maxPages: http.maxPages }))) };
}

/** `bucket`: GitHub meters each token separately, so each client paces on its own budget. */
function build(cfg: GithubConfig, http: HttpRuntime, fetch: FetchLike, bucket: string, auth: Record<string, unknown>): Octokit {
  const octokit = new Octokit({
    ...auth,
    request: { fetch },
    baseUrl: cfg.baseUrl.replace(/\/$/, ''),
    userAgent: 'nhi-census',
    log: { debug: () => {}, info: () => {}, warn: (m: string) => http.log.debug(m), error: (m: string) => http.log.debug(m) },
  });
  octokit.hook.wrap('request', async (request, options) => {
    assertRequestOrigin(octokit.request.endpoint.parse(options as never).url, cfg.baseUrl);
    try {
      // Calls as the App itself (JWT: minting installation tokens) are metered apart from the installation's;
      // GraphQL draws on its own point budget (x-ratelimit-resource: graphql), per token like REST.
      const b = /^\/app(\/|$)/.test(String(options.url)) ? 'app-jwt' : /^\/graphql$/.test(String(options.url)) ? bucket.replace(/^core:/, 'graphql:') : bucket;
      return await http.call(b, `${options.method} ${options.url}`, async () => {
        // Success bodies are parsed here with JSON.parse: Octokit's own parser (json-with-bigint, for integers past
        // 2^53, which GitHub's REST and GraphQL APIs do not send) cost ~0.15 ms of CPU per call in the crawl profile.
        // (A request made inside, as the App minting a token, comes back parsed by Octokit: a string if it did not parse.)
        const res = await request({ ...options, request: { ...options.request, parseSuccessResponseBody: false } });
        const json = String(res.headers['content-type'] ?? '').includes('json');
        let data: unknown = res.data;
        if (data instanceof ReadableStream) {
          const text = await bodyText(data);
          try {
            data = json && text !== '' ? JSON.parse(text) : text;
          } catch {
            data = text;
          }
        }
        // a JSON body that does not parse (e.g. a truncated response): a transport failure to retry, not data
        if (typeof data === 'string' && json) throw new Error(`invalid JSON body from ${options.method} ${options.url} (truncated response?)`);
        return { ...res, data } as typeof res;
      }, cfg.baseUrl);
    } catch (err) {
      const e = err as RequestErrorLike;
      if (e.status === 304) return { status: 304, url: String(options.url), headers: e.response?.headers ?? {}, data: undefined } as never;
      throw err;
    }
  });
  return octokit;
}
