// Google's connector-category catalogue: known apps by OAuth client id (the connector's client_id), with the public page
// that shows the id; where no client id could be verified, the product's name as Google shows it in the token's
// display text (every finding then says "matched by name"). docs/reconcile.md "Connector categories". Loaded on its
// own by commands that never crawl (src/categories/index.ts).
import type { ProviderCategories } from '../../src/categories/types.ts';

const googleCategories: ProviderCategories = {
  provider: 'google',
  keyFields: ['client_id', 'oauth_client_id'],
  key: 'OAuth client id (….apps.googleusercontent.com)',
  entries: [
    { product: 'Otter.ai (OtterPilot / Otter Notetaker)', publisher: 'Otter.ai', category: 'meeting-recorder', match: 'name',
      names: ['Otter.ai', 'OtterPilot', 'Otter Notetaker', 'Otter Assistant'],
      source: 'https://help.otter.ai/hc/en-us/articles/13675989227543-Manage-your-Otter-Notetaker-settings',
      note: 'syncs calendars to join meetings; no OAuth client id verified in public material' },
  ],
};
export default googleCategories;
