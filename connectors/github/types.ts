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
