// Connector categories: what each connector is for (AI assistant, coding agent, meeting recorder, CI/CD…), from the
// inventory entry's own `category:` (always wins), else the provider's category catalogue (connectors/<p>/categories.ts:
// a known app id / slug / client id, or — where no identifier could be verified — the publisher's product name as whole
// words, which every finding reports as "matched by name"), else none. Importing this module loads every provider's
// categories file (small data files, not the connectors), as src/catalogue/index.ts does for the risk catalogue.
import { pathToFileURL } from 'node:url';
import { providerFiles } from '../crawl/connector-files.ts';
import { categoriesOf, registerCategories } from './registry.ts';
import { isCategory, type Category, type CategoryEntry, type ProviderCategories } from './types.ts';
import { containsPhrase } from './words.ts';

export * from './types.ts';
export { categoriesOf, registerCategories, registeredCategories } from './registry.ts';

/** Registers connectors/<p>/categories.ts of every provider folder that has one (default export: its ProviderCategories). */
async function loadCategoryFiles(): Promise<void> {
  for (const { provider, file } of providerFiles('categories.ts')) {
    const cat = ((await import(pathToFileURL(file).href)) as { default?: ProviderCategories }).default;
    if (!cat || cat.provider !== provider || !Array.isArray(cat.entries)) {
      throw new Error(`${file} must default-export the category catalogue of provider '${provider}' ({ provider: '${provider}', keyFields, key, entries })`);
    }
    registerCategories(cat);
  }
}
await loadCategoryFiles();

/** What a connector is, and how that is known (a finding's evidence quotes it). */
export interface Classification {
  category: Category;
  /** 'inventory': the entry's own `category:`; 'catalogue': the provider's category catalogue. */
  via: 'inventory' | 'catalogue';
  inventory_entry?: string;
  /** Catalogue matches: the product and publisher, how it matched and the public source of the identifier. */
  product?: string;
  publisher?: string;
  match?: 'id' | 'name';
  /** For an id match: the connector property compared and its value; for a name match: the text and the name found in it. */
  field?: string;
  value?: string;
  matched?: string;
  source?: string;
  /** How the category was known, in words: "inventory entry otter-ai", "catalogue: app_slug claude (https://…)", "matched by name …". */
  how: string;
}

/** What classify() reads of a connector: its provider, name, props and the vendor it is published by (if known). */
export interface ClassifiableConnector { provider: string; name: string; props: Record<string, unknown>; vendor?: string | null }

const byId = new WeakMap<ProviderCategories, Map<string, CategoryEntry>>();

function idIndex(c: ProviderCategories): Map<string, CategoryEntry> {
  let m = byId.get(c);
  if (!m) {
    m = new Map();
    for (const e of c.entries) if ((e.match ?? 'id') === 'id' && e.id) m.set(e.id.toLowerCase(), e);
    byId.set(c, m);
  }
  return m;
}

/** The catalogue entry a connector is, by its key (exact, case-insensitive), else by name; null when neither. */
export function catalogueCategory(c: ClassifiableConnector): Classification | null {
  const cat = categoriesOf(c.provider);
  if (!cat) return null;
  const index = idIndex(cat);
  for (const field of cat.keyFields) {
    const raw = c.props[field];
    if (raw === null || raw === undefined || raw === '' || typeof raw === 'object') continue;
    const e = index.get(String(raw).toLowerCase());
    if (e) {
      return { category: e.category, via: 'catalogue', product: e.product, publisher: e.publisher, match: 'id', field, value: String(raw), source: e.source,
        how: `catalogue: ${field} ${String(raw)} is ${e.product} (${e.publisher}), source ${e.source}` };
    }
  }
  const texts: Array<[string, string]> = [['name', c.name]];
  for (const v of [c.vendor, c.props.verified_publisher, c.props.vendor]) if (typeof v === 'string' && v) texts.push(['vendor', v]);
  for (const e of cat.entries) {
    if (e.match !== 'name') continue;
    for (const n of e.names ?? []) {
      const hit = texts.find(([, t]) => containsPhrase(t, n));
      if (hit) {
        return { category: e.category, via: 'catalogue', product: e.product, publisher: e.publisher, match: 'name', field: hit[0], value: hit[1], matched: n, source: e.source,
          how: `matched by name: the connector's ${hit[0]} "${hit[1]}" contains "${n}" (${e.product}, ${e.publisher}; no verified identifier), source ${e.source}` };
      }
    }
  }
  return null;
}

/** A connector's category: the inventory entry's `category:` wins, else the catalogue, else null. */
export function classifyConnector(c: ClassifiableConnector, entry?: { id: string; category?: string | null } | null): Classification | null {
  if (entry && isCategory(entry.category)) {
    return { category: entry.category, via: 'inventory', inventory_entry: entry.id, how: `inventory entry ${entry.id} (category: ${entry.category})` };
  }
  return catalogueCategory(c);
}
