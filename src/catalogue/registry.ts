// The registered per-provider catalogues (connectors/<p>/catalogue.ts): one per provider, registered through
// the provider's spec (src/crawl/provider.ts) or loaded on their own (src/catalogue/index.ts), whichever comes first.
import type { ProviderCatalogue } from './types.ts';

const catalogues = new Map<string, ProviderCatalogue>();

export function registerCatalogue(c: ProviderCatalogue): void {
  const had = catalogues.get(c.provider);
  if (had && had !== c) throw new Error(`two risk catalogues for provider ${c.provider}`);
  catalogues.set(c.provider, c);
}

export function catalogueOf(provider: string): ProviderCatalogue | undefined {
  return catalogues.get(provider);
}

/** Every registered catalogue, by provider name. */
export function registeredCatalogues(): ProviderCatalogue[] {
  return [...catalogues.values()].sort((a, b) => a.provider.localeCompare(b.provider));
}
