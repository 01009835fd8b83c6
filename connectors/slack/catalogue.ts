// Slack's risk catalogue: grades of OAuth scopes (bot and user scopes) and the facts about Slack's credential
// types. Grades: docs/risk-catalogue.md §5.3 (ours, inferred from Slack's scope reference); credentials: §4.
// Loaded on its own by commands that never crawl. https://docs.slack.dev/reference/scopes
import { policyTable } from '../../src/catalogue/credentials.ts';
import type { ProviderCatalogue, Severity } from '../../src/catalogue/types.ts';

const t = (severity: Severity, names: string[], reason: string) => Object.fromEntries(names.map((n) => [n, { severity, reason }]));

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
  patterns: [{ test: /^admin\./, grade: { severity: 'critical', reason: 'Enterprise Grid administration (admin.* scope)' } }],
  // §4: without token rotation a Slack token never expires; with it, tokens last 12 hours.
  credentialPolicy: policyTable([
    [/^(slack_)?(bot|user|app)_token$/, { expirable: true, label: 'token', alternative: 'Slack token rotation (12-hour tokens)' }],
    [/^(slack_)?incoming_webhook(_url)?$/, { expirable: false, label: 'webhook URL' }],
  ]),
};
export default slackCatalogue;
