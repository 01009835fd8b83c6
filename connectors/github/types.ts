// GitHub shapes that @octokit/openapi-types (api.github.com) lacks because they exist only in the
// GitHub Enterprise Cloud description (ghec.json). Mirrors its `credential-authorization` schema.
export interface CredentialAuthorization {
  login: string;
  credential_id: number;
  credential_type: string;
  token_last_eight?: string;
  credential_authorized_at: string;
  scopes?: string[];
  fingerprint?: string;
  credential_accessed_at: string | null;
  authorized_credential_id: number | null;
  authorized_credential_title?: string | null;
  authorized_credential_note?: string | null;
  authorized_credential_expires_at?: string | null;
}

/**
 * One organisation audit-log event (GET /orgs/{org}/audit-log, GHEC only): the fields of ghec.json's
 * `audit-log-event` schema that the hooks change signal reads or the simulator serves, typed as that schema types
 * them (every field optional). `@timestamp` and `created_at` are Unix times in milliseconds as GitHub sends them.
 */
export interface AuditLogEvent {
  '@timestamp'?: number;
  action?: string;
  active?: boolean;
  active_was?: boolean;
  actor?: string;
  actor_id?: number;
  created_at?: number;
  _document_id?: string;
  hook_id?: number;
  name?: string;
  org?: string;
  org_id?: number;
  /** The repository, as GitHub writes it: `owner/name`. */
  repo?: string;
  repository?: string;
}
