// Builds the Slack client: @slack/web-api's WebClient against the configured slackApiUrl, with the SDK's
// own retries off (retryConfig retries 0) and 429s rejected (rejectRateLimitedCalls), so the engine's one
// policy (HttpRuntime) retries, paces each method by its tier, and pauses only that method's bucket on a
// 429 + Retry-After — instead of WebClient pausing its whole queue and retrying for ~30 minutes.
// https://docs.slack.dev/tools/node-slack-sdk/web-api#handle-rate-limits
// Requests go only to slackApiUrl's origin: an absolute method URL elsewhere is refused, and so is any request
// the SDK's fetch is handed for another origin (where the token leaves).
import { WebClient, type WebAPICallResult } from '@slack/web-api';
import type { HttpPolicy, HttpRuntime } from '../../src/crawl/http-call.ts';
import { defaultRetry } from '../../src/crawl/http-call.ts';
import { assertRequestOrigin, PageGuard } from '../../src/crawl/page-guard.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import type { SlackConfig } from './config.ts';
import { bucketOf } from './rates.ts';
import { platformCode } from './slack-errors.ts';

export interface SlackClient {
  web: WebClient;
  /** Enterprise Grid org crawl (org-level token; per-workspace calls carry team_id). */
  grid: boolean;
  enterpriseId: string | null;
  pageSize: number;
  logPageSize: number;
  /** Grid: only these workspaces (null: all). */
  teams: string[] | null;
  /** A paging guard for one listing: cursors must not repeat, URL-shaped ones stay on slackApiUrl's origin, stops on abort. */
  pageGuard(): PageGuard;
}

/** Platform errors saying the token itself is not accepted: permanent for every method (the provider fails at once). */
const REJECTED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
const REJECTED_FIX = 'check the token in tokenEnv (a valid, unrevoked admin user token, or an org-level token on Enterprise Grid)';

/** Slack answers these platform errors for transient trouble: retried like a 5xx. */
const TRANSIENT = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

interface SlackErrLike { code?: string; retryAfter?: number; statusCode?: number; headers?: Record<string, string>; message?: string }

export const slackHttpPolicy: HttpPolicy = {
  provider: 'slack',
  ...defaultRetry,
  classify(err) {
    const e = err as SlackErrLike;
    switch (e?.code) {
      case 'slack_webapi_rate_limited_error':
        return { retry: true, waitMs: (e.retryAfter ?? 1) * 1000, rateLimited: true };
      case 'slack_webapi_http_error':
        if (e.statusCode === 401) return { retry: false, fatal: `the credential was rejected (HTTP 401): ${REJECTED_FIX}` };
        return { retry: e.statusCode === undefined || e.statusCode >= 500 || e.statusCode === 408 };
      case 'slack_webapi_request_error':
        return { retry: true };
      case 'slack_webapi_platform_error': {
        const code = platformCode(err) ?? '';
        if (REJECTED.has(code)) return { retry: false, fatal: `the credential was rejected (Slack answered ${code}): ${REJECTED_FIX}` };
        // A body that is not JSON (cut off mid-response) comes back as ok:false with the raw text as `error`.
        return { retry: TRANSIENT.has(code) || !/^[a-z0-9_.]+$/.test(code) };
      }
      default:
        // A 429 without a usable Retry-After: WebClient aborts it; back off on our own schedule.
        if (/rate limit/i.test(e?.message ?? '')) return { retry: true, rateLimited: true };
        return { retry: false };
    }
  },
};

/** WebClient with every call (including `paginate`'s pages) routed through the engine's HttpRuntime. */
export class CensusWebClient extends WebClient {
  private runtime?: HttpRuntime;
  private readonly origin: string;

  constructor(token: string, opts: NonNullable<ConstructorParameters<typeof WebClient>[1]> & { slackApiUrl: string }, runtime: HttpRuntime) {
    const origin = opts.slackApiUrl;
    const base = opts.fetch ?? globalThis.fetch;
    super(token, { ...opts, fetch: (url, init) => { assertRequestOrigin(String(url), origin); return base(url, init); } });
    this.runtime = runtime;
    this.origin = origin;
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    if (/^[a-z][a-z0-9+.-]*:/i.test(method)) assertRequestOrigin(method, this.origin);
    const call = () => super.apiCall(method, options);
    return this.runtime ? this.runtime.call(bucketOf(method, options?.team_id), method, call, this.origin) : call();
  }
}

export function createSlackClient(cfg: SlackConfig, http: HttpRuntime, env: NodeJS.ProcessEnv): SlackClient {
  const token = env[cfg.tokenEnv];
  if (!token) throw new InputError(`slack: set ${cfg.tokenEnv} (a read-only admin user token, or an org-level token on Enterprise Grid)`);
  const sdkLog = (...m: unknown[]) => http.log.debug('slack sdk', { message: m.map(String).join(' ').slice(0, 300) });
  const web = new CensusWebClient(token, {
    slackApiUrl: cfg.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: cfg.timeoutMs,
    logger: { debug: () => {}, info: () => {}, warn: sdkLog, error: sdkLog, setLevel: () => {}, getLevel: () => 'warn' as never, setName: () => {} },
  }, http);
  return {
    web, grid: Boolean(cfg.enterpriseId), enterpriseId: cfg.enterpriseId ?? null,
    pageSize: cfg.pageSize, logPageSize: cfg.logPageSize, teams: cfg.teams ?? null,
    pageGuard: () => new PageGuard({ base: cfg.slackApiUrl, signal: http.signal, maxPages: http.maxPages }),
  };
}

/** `team_id` for per-workspace methods: required with an org-level token, omitted for a workspace token. */
export function teamArg(client: SlackClient, teamId: string): { team_id?: string } {
  return client.grid ? { team_id: teamId } : {};
}
