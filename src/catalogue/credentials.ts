// Credential facts per credential_type (the normalised `credential_type` adapters set): whether the
// provider lets it carry an expiry (so "no expiry" is a choice someone made), which date counts as its
// last rotation, and whether a federated / short-lived alternative exists (static-secret rule).
// Sources: risk-catalogue §3.1 (NHI-PAT-NO-EXPIRY, NHI-USER-MANAGED-SA-KEY, NHI-SECRET-AUTH-PRIVILEGED)
// and §4 (GitHub PAT policy, CIS GCP 1.4, ScubaGear MS.AAD.5.5).
export interface CredentialPolicy {
  /** The provider lets this credential carry an expiry date. */
  expirable: boolean;
  /** Props field holding the date the secret value was last set (default created_at). */
  rotatedField?: string;
  /** A federated / short-lived alternative exists: what to use instead. */
  alternative?: string;
}

const POLICIES: Array<[RegExp, CredentialPolicy]> = [
  [/^github_classic_pat$/, { expirable: true, alternative: 'a fine-grained PAT with an expiry, or a GitHub App installation token (1 h)' }],
  [/^github_fine_grained_pat$/, { expirable: true }],
  [/^(oauth_app_token|github_app_user_token)$/, { expirable: true }],
  [/^ci_secret$/, { expirable: false, rotatedField: 'updated_at' }],
  [/^ssh_(deploy_)?key$/, { expirable: false }],
  // Entra application credentials: password (client secret) vs certificate vs federated
  [/^(entra|azure)?_?(client_secret|password(_credential)?)$/, { expirable: true,
    alternative: 'a federated identity credential (workload identity federation) or a managed identity' }],
  [/^(entra|azure)?_?(certificate|key_credential)$/, { expirable: true }],
  [/^(entra|azure)?_?federated(_identity)?(_credential)?$/, { expirable: false }],
  // GCP service-account keys: user-managed keys are downloadable static secrets (CIS GCP 1.4)
  [/^(gcp_)?(user_managed_)?(sa|service_account)_key(_user_managed)?$/, { expirable: true,
    alternative: 'workload identity federation or attached service accounts (no downloadable key)' }],
  [/^(gcp_)?api_key$/, { expirable: true, rotatedField: 'created_at' }],
  [/^(slack_)?(bot|user|app)_token$/, { expirable: true, alternative: 'Slack token rotation (12-hour tokens)' }],
  [/^(slack_)?incoming_webhook(_url)?$/, { expirable: false }],
];

export function credentialPolicy(credentialType: string | null | undefined, props: Record<string, unknown> = {}): CredentialPolicy {
  const t = (credentialType ?? '').toLowerCase();
  // A GCP key the adapter marks as Google-managed is rotated by Google: never a static-secret finding.
  if (/key/.test(t) && (props.key_type === 'SYSTEM_MANAGED' || props.managed === 'google' || props.user_managed === false)) {
    return { expirable: false };
  }
  for (const [re, p] of POLICIES) if (re.test(t)) return p;
  return { expirable: false };
}
