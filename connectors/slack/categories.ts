// Slack's connector-category catalogue: known Slack apps by app id (A…; the app directory page is
// https://slack.com/apps/<app id>-<name>), each with what it is for and the public page that shows the id; and, where no
// app id could be verified, the product's name (every finding then says "matched by name"). docs/reconcile.md
// "Connector categories". Loaded on its own by commands that never crawl (src/categories/index.ts).
import type { ProviderCategories } from '../../src/categories/types.ts';

const slackCategories: ProviderCategories = {
  provider: 'slack',
  keyFields: ['app_id'],
  key: 'Slack app id (A…, slack.com/apps/<id>)',
  entries: [
    { product: 'Zapier', publisher: 'Zapier', category: 'automation-platform', id: 'A024R9PQM', source: 'https://slack.com/apps/A024R9PQM-zapier' },
    { product: 'Incoming WebHooks', publisher: 'Slack', category: 'automation-platform', id: 'A0F7XDUAZ', source: 'https://slack.com/apps/A0F7XDUAZ-incoming-webhooks',
      note: 'legacy incoming webhooks: anything holding the URL posts into the channel' },
    { product: 'GitHub', publisher: 'GitHub', category: 'ci-cd', id: 'A01BP7R4KNY', source: 'https://slack.com/apps/A01BP7R4KNY-github',
      note: 'pull request, issue, deployment and workflow notifications' },
    { product: 'Google Drive', publisher: 'Google', category: 'data', id: 'A6NL8MJ6Q', source: 'https://slack.com/apps/A6NL8MJ6Q-google-drive' },
    { product: 'Otter.ai (OtterPilot / Otter Notetaker)', publisher: 'Otter.ai', category: 'meeting-recorder', match: 'name',
      names: ['Otter.ai', 'OtterPilot', 'Otter Notetaker', 'Otter Assistant'],
      source: 'https://help.otter.ai/hc/en-us/articles/13675989227543-Manage-your-Otter-Notetaker-settings',
      note: 'no Slack app id verified in public material' },
  ],
};
export default slackCategories;
