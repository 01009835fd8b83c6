// The GitHub block of a scenario file, typed with @octokit/openapi-types so an invented field or a
// wrong type fails to compile. `Sim<T, K>` keeps K required and lets the rest be omitted (the
// simulator fills nothing in: an absent optional field is a real response the adapter must survive).
import type { components } from '@octokit/openapi-types';
import type { AuditLogEvent, CredentialAuthorization } from '../types.ts';

type S = components['schemas'];
export type Sim<T, K extends keyof T> = Partial<T> & Pick<T, K>;

export type SimUser = Sim<S['simple-user'], 'login' | 'id'>;
export type SimRepo = Sim<S['minimal-repository'], 'id' | 'name' | 'full_name'>;

export interface GithubScenario {
  org: Sim<S['organization-full'], 'login' | 'id'>;
  /** Logins of members with role admin (the rest are plain members). */
  admins?: string[];
  members: SimUser[];
  outsideCollaborators?: SimUser[];
  installations?: Sim<S['installation'], 'id' | 'app_id' | 'app_slug' | 'permissions' | 'repository_selection'>[];
  /** installation id -> repository names, for repository_selection=selected. */
  installationRepositories?: Record<string, string[]>;
  apps?: Sim<NonNullable<S['integration']>, 'id' | 'slug' | 'name' | 'owner'>[];
  patGrants?: Sim<S['organization-programmatic-access-grant'], 'id' | 'owner' | 'token_id' | 'token_name' | 'repository_selection' | 'permissions' | 'access_granted_at' | 'token_expired' | 'token_expires_at' | 'token_last_used_at'>[];
  /** grant id -> repository names, for repository_selection=subset. */
  patGrantRepositories?: Record<string, string[]>;
  patRequests?: Sim<S['organization-programmatic-access-grant-request'], 'id' | 'owner' | 'token_id' | 'token_name' | 'repository_selection' | 'permissions' | 'created_at' | 'token_expired' | 'token_expires_at' | 'token_last_used_at' | 'reason'>[];
  /**
   * SAML SSO identities (GraphQL organization.samlIdentityProvider.externalIdentities): the IdP's nameId per linked login.
   * Absent: the org has no SAML SSO (samlIdentityProvider is null).
   */
  samlIdentities?: Array<{ login: string | null; nameId: string; emails?: string[] }>;
  /** null: the org has no SAML SSO (the endpoint answers 404). */
  credentialAuthorizations?: CredentialAuthorization[] | null;
  repositories: SimRepo[];
  /** repository name -> deploy keys */
  deployKeys?: Record<string, Sim<S['deploy-key'], 'id' | 'title' | 'read_only' | 'key' | 'created_at'>[]>;
  orgHooks?: Sim<S['org-hook'], 'id' | 'name' | 'active' | 'events' | 'config'>[];
  /** repository name -> webhooks */
  repoHooks?: Record<string, Sim<S['hook'], 'id' | 'name' | 'active' | 'events' | 'config'>[]>;
  orgSecrets?: S['organization-actions-secret'][];
  /** secret name -> repository names, for visibility=selected. */
  orgSecretRepositories?: Record<string, string[]>;
  /**
   * The organisation audit log (GitHub Enterprise Cloud), served by GET /orgs/{org}/audit-log; hook edits made to
   * `repoHooks` while the simulator runs are appended as hook.* events when it is next read (./audit-log.ts).
   * Absent or null: not GHEC, the endpoint answers 404.
   */
  auditLog?: AuditLogEvent[] | null;
  /** Repositories whose GraphQL deployKeys field answers a FORBIDDEN error (the REST listing is unaffected). */
  graphqlErrors?: { deployKeys?: string[] };
  /** Primary rate budget per token: requests per window (default 5000 per hour). */
  rateLimit?: { limit: number; windowMs: number };
}
