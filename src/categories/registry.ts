// The registered per-provider category catalogues (connectors/<p>/categories.ts): one per provider, registered through
// the provider's spec (src/crawl/provider.ts) or loaded on their own (src/categories/index.ts), whichever comes first.
import type { ProviderCategories } from './types.ts';
import { keyedRegistry } from '../util/keyed-registry.ts';

const catalogues = keyedRegistry<ProviderCategories>((c) => c.provider, (p) => `two category catalogues for provider ${p}`);

export function registerCategories(c: ProviderCategories): void {
  catalogues.register(c);
}

export function categoriesOf(provider: string): ProviderCategories | undefined {
  return catalogues.get(provider);
}

/** Every registered category catalogue, by provider name. */
export function registeredCategories(): ProviderCategories[] {
  return catalogues.all();
}
