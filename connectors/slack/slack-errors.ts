// Slack's `ok: false` answers: which ones mean "this token cannot list this" (recorded as unsupported,
// naming Slack's error code) or "this plan does not have it" (not_applicable: Enterprise Grid only) rather
// than a failure. https://docs.slack.dev/reference/methods
import { NotApplicable, UnsupportedResource } from '../../src/crawl/errors.ts';
import type { ListContext, Page, ParentRef } from '../../src/crawl/resource.ts';

/** Error codes that describe the plan or the token, not a broken crawl. */
export const UNSUPPORTED_CODES = new Set([
  'missing_scope', 'not_allowed_token_type', 'paid_only', 'feature_not_enabled', 'not_an_admin',
  'app_management_app_not_installed_on_org', 'team_access_not_granted', 'no_permission', 'restricted_action',
  'access_denied', 'enterprise_is_restricted', 'not_authed_for_enterprise',
]);

interface PlatformErrorLike { code?: string; data?: { error?: string; needed?: string; provided?: string } }

/** The `error` of an ok:false answer, or null. */
export function platformCode(err: unknown): string | null {
  const e = err as PlatformErrorLike;
  return e?.code === 'slack_webapi_platform_error' ? e.data?.error ?? null : null;
}

/** `unsupported` for a resource whose listing calls `method`. */
export function unsupportedBecause(method: string): (err: unknown) => string | null {
  return (err) => {
    if (err instanceof UnsupportedResource) return err.reason;
    const code = platformCode(err);
    if (!code || !UNSUPPORTED_CODES.has(code)) return null;
    const d = (err as PlatformErrorLike).data ?? {};
    const scopes = code === 'missing_scope' && d.needed ? ` (needs ${d.needed}${d.provided ? `; token has ${d.provided}` : ''})` : '';
    return `${method}: Slack answered ${code}${scopes}`;
  };
}

const GRID_ONLY = 'Enterprise Grid only';

/**
 * A listing Slack serves only on Enterprise Grid: on a standalone workspace (the config names a teamId) it is
 * not applicable and Slack is not asked; on Grid it lists as `list` does.
 */
export function gridOnly<C extends { grid: boolean }, I, P extends ParentRef | undefined = undefined>(
  method: string, list: (ctx: ListContext<C, P>) => AsyncIterable<Page<I>>): (ctx: ListContext<C, P>) => AsyncIterable<Page<I>> {
  return async function* gridListing(ctx) {
    if (!ctx.client.grid) throw new NotApplicable(`${method}: ${GRID_ONLY}`);
    yield* list(ctx);
  };
}

/** `not_applicable` for a Grid-only method Slack refuses with not_an_enterprise. */
export function notAnEnterprise(method: string): (err: unknown) => string | null {
  return (err) => (platformCode(err) === 'not_an_enterprise' ? `${method}: Slack answered not_an_enterprise (${GRID_ONLY})` : null);
}
