// Slack's secret formats: bot, user, app and config tokens, and incoming-webhook URLs (the path is the
// secret). Registered with the logger through the provider spec, and applied to free text the provider stores.
export const SLACK_SECRET_PATTERNS: readonly RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]{8,}\b/g,
  /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g,
];
