// Slack's secret formats: bot, user, app, client, session, config and refresh tokens (xoxb-, xoxp-,
// xoxa-, xoxc-, xoxd-, xoxs-, xoxe-, …; xoxe.xoxp- masks as its xoxp- part), app-level tokens (xapp-),
// and incoming-webhook / workflow trigger URLs (the path is the secret). Registered with the logger
// through the provider spec, and applied to free text the provider stores.
export const SLACK_SECRET_PATTERNS: readonly RegExp[] = [
  /\bxox[abcdeoprs]-[A-Za-z0-9-]{8,}/g,
  /\bxapp-[0-9]-[A-Za-z0-9-]{10,}/g,
  /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g,
];
export default SLACK_SECRET_PATTERNS;
