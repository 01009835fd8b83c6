// The provider match rules an inventory entry may use, and which normalised connector properties each
// one is compared with. Data, not code: a new provider adds its keys here (and nowhere else in src/).
// Order is priority: the first key that matches explains the match.
export interface MatchKey {
  /** connector props compared with the rule's values (case-insensitive); '$native' = the native id in the node id */
  fields: string[];
  description: string;
}

export const MATCH_KEYS: Record<string, Record<string, MatchKey>> = {
  github: {
    installation_id: { fields: ['installation_id'], description: 'GitHub App installation id' },
    app_id: { fields: ['app_id'], description: 'GitHub App id' },
    app_slug: { fields: ['app_slug'], description: 'GitHub App slug (github.com/apps/<slug>)' },
  },
  slack: {
    // legacy integrations carry no app id: the integration log's service id (custom bots, legacy incoming
    // webhooks: slack:service:<team>:<service_id>) and a legacy bot's bot id survive renames. Listed before
    // app_id so the draft (which prefers the last key) still names an app by its app id.
    service_id: { fields: ['service_id'], description: 'Slack legacy integration service id (custom bot, legacy incoming webhook)' },
    bot_id: { fields: ['bot_id'], description: 'Slack bot id (B0123…) of a bot that names no app' },
    app_id: { fields: ['app_id'], description: 'Slack app id (A0123…)' },
  },
  google: {
    oauth_client_id: { fields: ['client_id', 'oauth_client_id', 'oauth2_client_id', 'app_id'], description: 'OAuth client id (also a domain-wide delegation client id)' },
    service_account_email: { fields: ['email', 'service_account_email'], description: 'GCP service-account e-mail' },
  },
  azure: {
    object_id: { fields: ['object_id', '$native'], description: 'Entra service principal / application object id' },
    app_id: { fields: ['app_id'], description: 'Entra application (client) id' },
  },
};

export const MATCH_PROVIDERS = Object.keys(MATCH_KEYS);
