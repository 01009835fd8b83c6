// Slack's side of the permission hints (src/crawl/permissions.ts): the scopes of a workspace token or of a
// Grid org-level token (the config's teamId / enterpriseId says which), and which `ok: false` answers are a
// refusal of the token (missing_scope, not_an_admin, not_allowed_token_type…) rather than the plan (paid_only,
// not_an_enterprise, feature_not_enabled: nothing to grant). https://docs.slack.dev/reference/scopes
import type { PermissionNeed, Refusal } from '../../src/crawl/permissions.ts';
import type { ResourceSpec } from '../../src/crawl/resource.ts';
import type { SlackConfig } from './config.ts';
import { platformCode } from './slack-errors.ts';

/** A scope of the workspace token (config `teamId`). */
export const WORKSPACE = 'Slack scope (workspace token)';
/** A scope of the Enterprise Grid org-level token (config `enterpriseId`). */
export const GRID = 'Slack scope (Grid org-level token)';
export const SLACK_PERMISSION_KINDS = [WORKSPACE, GRID] as const;

/** Answers that mean the token (its scopes, type or user's role) cannot call the method. */
const REFUSALS = new Set(['missing_scope', 'not_allowed_token_type', 'not_an_admin', 'no_permission', 'access_denied',
  'team_access_not_granted', 'restricted_action', 'not_authed_for_enterprise', 'app_management_app_not_installed_on_org']);

export function slackGrantKinds(cfg: SlackConfig, _resource: ResourceSpec): readonly string[] {
  return [cfg.enterpriseId ? GRID : WORKSPACE];
}

export function slackRefusal(err: unknown, _need: PermissionNeed | undefined): Refusal | null {
  const code = platformCode(err);
  return code && REFUSALS.has(code) ? { said: `Slack answered ${code}` } : null;
}
