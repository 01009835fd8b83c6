// Slack's risk catalogue: grades of OAuth scopes (bot and user scopes) and the facts about Slack's credential
// types. Grades: docs/risk-catalogue.md §5.3 (ours, inferred from Slack's scope reference); credentials: §4.
// Loaded on its own by commands that never crawl. https://docs.slack.dev/reference/scopes
import { policyTable } from '../../src/catalogue/credentials.ts';
import type { ProviderCatalogue, ScopeAgency, Severity } from '../../src/catalogue/types.ts';

const t = (severity: Severity, names: string[], reason: string) => Object.fromEntries(names.map((n) => [n, { severity, reason }]));

/**
 * §5.10: what a scope lets its holder do. 'admin', 'client' and 'admin.*' administer; scopes naming write, manage,
 * customize or posting (incoming-webhook, bot) write; read and history scopes read. Broad reads: the history scopes
 * (every conversation of that kind the app is in), search across the workspace, every file, the audit logs.
 */
const SLACK_BROAD = new Map<string, string>(Object.entries({
  'channels:history': 'message history of public channels', 'groups:history': 'message history of private channels',
  'im:history': 'direct-message history', 'mpim:history': 'group direct-message history', 'search:read': 'search across the workspace',
  'files:read': 'all files', 'auditlogs:read': 'the workspace audit logs', bot: 'message history and files (legacy bot)',
}));

function slackAgency(scope: string): ScopeAgency | undefined {
  const broad = SLACK_BROAD.has(scope) ? { broad: SLACK_BROAD.get(scope)! } : {};
  if (scope === 'admin' || scope === 'client' || scope.startsWith('admin.')) return { access: 'admin' };
  if (/:(write|manage)\b|write\.|^(incoming-webhook|bot)$/.test(scope)) return { access: 'write', ...broad };
  if (/:(read|history)\b|^(commands|identity\.basic|openid|email|profile)$/.test(scope)) return { access: 'read', ...broad };
  return undefined;
}

const slackCatalogue: ProviderCatalogue = {
  provider: 'slack',
  source: 'docs/risk-catalogue.md §5.3 (docs.slack.dev/reference/scopes, legacy-oauth-scopes)',
  scopes: {
    ...t('critical', ['admin', 'client'], 'legacy full workspace administration / full user access'),
    ...t('high', ['channels:history', 'groups:history', 'im:history', 'mpim:history', 'search:read', 'files:read', 'auditlogs:read',
      'chat:write.customize', 'bot', 'users:write', 'usergroups:write', 'channels:manage', 'groups:write'],
    'reads message history or files, or can impersonate / manage people and channels'),
    ...t('medium', ['chat:write', 'chat:write.public', 'files:write', 'users:read.email', 'users.profile:read', 'remote_files:write',
      'incoming-webhook', 'im:write', 'pins:write', 'reactions:write', 'links:write'], 'posts content or reads personal data'),
    ...t('low', ['users:read', 'team:read', 'channels:read', 'groups:read', 'im:read', 'mpim:read', 'emoji:read', 'commands',
      'reactions:read', 'identity.basic', 'openid', 'email', 'profile'], 'directory or basic identity only'),
  },
  agency: slackAgency,
  patterns: [{ test: /^admin\./, grade: { severity: 'critical', reason: 'Enterprise Grid administration (admin.* scope)' } }],
  // §4: without token rotation a Slack token never expires; with it, tokens last 12 hours.
  credentialPolicy: policyTable([
    [/^(slack_)?(bot|user|app)_token$/, { expirable: true, label: 'token', alternative: 'Slack token rotation (12-hour tokens)' }],
    [/^(slack_)?incoming_webhook(_url)?$/, { expirable: false, label: 'webhook URL' }],
  ]),
};
export default slackCatalogue;
