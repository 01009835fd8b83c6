// Entra ID's connector-category catalogue: known applications by application (client) id — the service principal's and
// application's app_id — with the public page that shows the id. docs/reconcile.md "Connector categories". Loaded on its
// own by commands that never crawl (src/categories/index.ts).
import type { ProviderCategories } from '../../src/categories/types.ts';

const azureCategories: ProviderCategories = {
  provider: 'azure',
  keyFields: ['app_id'],
  key: 'Entra application (client) id',
  entries: [
    { product: 'Microsoft Teams', publisher: 'Microsoft', category: 'chat', id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      source: 'https://gist.github.com/dafthack/2c0bbcac72b10c1ee205d1dd2fed3fe7',
      note: "the Teams desktop/mobile client; also named in Microsoft's Teams tab single sign-on set-up as an authorised client id" },
  ],
};
export default azureCategories;
