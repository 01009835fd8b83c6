// The registered per-provider category catalogues (connectors/<p>/categories.ts): one per provider, registered through
// the provider's spec (src/crawl/provider.ts) or loaded on their own (src/categories/index.ts), whichever comes first.
import type { ProviderCategories } from './types.ts';

const catalogues = new Map<string, ProviderCategories>();

export function registerCategories(c: ProviderCategories): void {
  const had = catalogues.get(c.provider);
  if (had && had !== c) throw new Error(`two category catalogues for provider ${c.provider}`);
  catalogues.set(c.provider, c);
}

export function categoriesOf(provider: string): ProviderCategories | undefined {
  return catalogues.get(provider);
}

/** Every registered category catalogue, by provider name. */
export function registeredCategories(): ProviderCategories[] {
  return [...catalogues.values()].sort((a, b) => a.provider.localeCompare(b.provider));
}
