// The Slack block of a scenario file, typed with @slack/web-api's own response types so an invented
// field or a wrong type fails to compile. One or more workspaces (the first is the token's own); an
// `enterprise` makes it a Grid org (admin.* methods answer); `plan` and `token` decide what answers
// ok:false (paid_only, not_an_enterprise, not_allowed_token_type, missing_scope).
import type {
  AdminAppsApprovedListResponse, AdminAppsRequestsListResponse, AdminAppsRestrictedListResponse, AdminTeamsListResponse,
  AdminWorkflowsSearchResponse, BotsInfoResponse, ConversationsInfoResponse, TeamInfoResponse, TeamIntegrationLogsResponse, UsersListResponse,
} from '@slack/web-api';

type Item<T> = NonNullable<T> extends Array<infer I> ? I : never;
export type Sim<T, K extends keyof T> = Partial<T> & Required<Pick<T, K>>;

export type SimTeam = Sim<NonNullable<TeamInfoResponse['team']>, 'id' | 'name' | 'domain'>;
export type SimMember = Sim<Item<UsersListResponse['members']>, 'id' | 'name'>;
export type SimLog = Sim<Item<TeamIntegrationLogsResponse['logs']>, 'date' | 'change_type'>;
export type SimBot = Sim<NonNullable<BotsInfoResponse['bot']>, 'id' | 'name'>;
export type SimApproved = Item<AdminAppsApprovedListResponse['approved_apps']>;
export type SimRestricted = Item<AdminAppsRestrictedListResponse['restricted_apps']>;
export type SimAppRequest = Sim<Item<AdminAppsRequestsListResponse['app_requests']>, 'id'>;
export type SimWorkflow = Sim<Item<AdminWorkflowsSearchResponse['workflows']>, 'id' | 'title'>;
export type SimGridTeam = Item<AdminTeamsListResponse['teams']>;
export type SimChannel = Sim<NonNullable<ConversationsInfoResponse['channel']>, 'id' | 'name'>;

export interface SlackWorkspace {
  team: SimTeam;
  users: SimMember[];
  /** Newest first, as Slack returns them. */
  integrationLogs: SimLog[];
  bots?: SimBot[];
  appRequests?: SimAppRequest[];
  /**
   * Channels conversations.info answers for (the integration log names channels by id, as Slack does). A
   * private one (is_private) needs groups:read and answers channel_not_found unless is_member is true.
   */
  channels?: SimChannel[];
}

export interface SlackScenario {
  /** free | pro | business_plus | enterprise (Grid). team.integrationLogs answers paid_only on free. */
  plan: 'free' | 'pro' | 'business_plus' | 'enterprise';
  /** The token the simulator accepts (NHI_SIM_SLACK_TOKEN): its kind and scopes. */
  token: { type: 'user' | 'bot'; orgLevel?: boolean; scopes: string[] };
  workspaces: SlackWorkspace[];
  /** Present: an Enterprise Grid org holding the workspaces. */
  enterprise?: { id: string; name: string };
  approvedApps?: SimApproved[];
  restrictedApps?: SimRestricted[];
  workflows?: SimWorkflow[];
  /** Per-tier budgets the simulator enforces with 429 + Retry-After (default: Slack's, per second instead of per minute). */
  tiers?: Partial<Record<'1' | '2' | '3' | '4', { limit: number; windowMs: number }>>;
  /**
   * Scenario-only: the incoming webhook URLs of the workspace. Slack lists them nowhere; they are here so
   * tests can prove no secret path reaches the database or the logs even when one leaks into free text.
   */
  webhookUrls?: Record<string, string>;
}
