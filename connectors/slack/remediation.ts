// Slack remediation (src/remediation): the workspace's app management pages, where an admin or owner removes or
// restricts an app, a bot or a legacy custom integration. No command is given: Slack's uninstall API (apps.uninstall)
// needs the app's own client secret, and admin.apps.* exists only on Enterprise Grid.
import { seg, type RemediationAction, type RemediationInput } from '../../src/remediation/shell.ts';

const DOMAIN = /^[a-z0-9][a-z0-9-]{0,49}$/;

export default function slackRemediation(f: RemediationInput): RemediationAction | null {
  const n = f.subject?.type ? f.subject : f.connector;
  if (!n?.type) return null;
  const domain = seg(f.tenantProps.domain, DOMAIN);
  const base = domain ? `https://${domain}.slack.com/apps/manage` : null;
  switch (n.type) {
    case 'slack.app':
    case 'slack.bot':
      return { console_url: base, command: null, note: 'Remove the app from the workspace (or restrict it) on the workspace\'s Manage apps page (a workspace admin or owner).' };
    case 'slack.custom_integration':
    case 'slack.incoming_webhook':
      return { console_url: base ? `${base}/custom-integrations` : null, command: null,
        note: 'Disable or remove the integration\'s configuration under Custom Integrations on the workspace\'s Manage apps page.' };
    default:
      return null;
  }
}
