// GitHub's side of the permission hints (src/crawl/permissions.ts): the kinds of grant its resources name,
// which of them the configured auth uses, and which answers are GitHub refusing a permission — a 403 that is
// not a rate limit ("Resource not accessible by integration" / "… by personal access token", "Must have
// admin rights"), and a 404 on endpoints GitHub hides from a credential without the permission (webhooks,
// deploy keys: the resource's `refusedAs404`). https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api
import type { PermissionNeed, Refusal } from '../../src/crawl/permissions.ts';
import type { ResourceSpec } from '../../src/crawl/resource.ts';
import type { GithubConfig } from './config.ts';

/** A GitHub App's permission; a fine-grained PAT names its permissions the same way. */
export const APP = 'GitHub App permission';
/** A classic personal access token's scope. */
export const CLASSIC = 'classic PAT scope';
export const GITHUB_PERMISSION_KINDS = [APP, CLASSIC] as const;

/** Resources read with the user token beside the app (tokenEnv): served only to a user. */
const USER_TOKEN_ONLY = new Set(['github.installation_repositories']);

export function githubGrantKinds(cfg: GithubConfig, resource: ResourceSpec): readonly string[] {
  if (!cfg.app) return [CLASSIC, APP]; // a token: classic, or fine-grained (named like the App's permissions)
  return USER_TOKEN_ONLY.has(resource.type) ? [CLASSIC, APP] : [APP];
}

interface RequestErrorLike { status?: number; message?: string; response?: { headers?: Record<string, string | undefined>; data?: unknown } }

export function githubRefusal(err: unknown, need: PermissionNeed | undefined): Refusal | null {
  const e = err as RequestErrorLike;
  if (typeof e?.status !== 'number') return null;
  const h = e.response?.headers ?? {};
  const said = ((e.response?.data as { message?: unknown } | undefined)?.message ?? e.message ?? '');
  const message = String(said).replace(/ - https:\/\/docs\.github\.com\S*$/, '').slice(0, 160);
  if (e.status === 403) {
    // rate limits (primary, secondary) are paced and retried, never a permission problem
    if (h['retry-after'] !== undefined || h['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message)) return null;
    return { said: `GitHub answered 403${message ? ` "${message}"` : ''}` };
  }
  if (e.status === 404 && need?.refusedAs404) {
    return { said: 'GitHub answered 404 Not Found, as it does to a credential without the permission' };
  }
  return null;
}
