// The registered per-provider catalogues (connectors/<p>/catalogue.ts): one per provider, registered through
// the provider's spec (src/crawl/provider.ts) or loaded on their own (src/catalogue/index.ts), whichever comes first.
import type { ProviderCatalogue } from './types.ts';
import { keyedRegistry } from '../util/keyed-registry.ts';

const catalogues = keyedRegistry<ProviderCatalogue>((c) => c.provider, (p) => `two risk catalogues for provider ${p}`);

export function registerCatalogue(c: ProviderCatalogue): void {
  catalogues.register(c);
}

export function catalogueOf(provider: string): ProviderCatalogue | undefined {
  return catalogues.get(provider);
}

/** Every registered catalogue, by provider name. */
export function registeredCatalogues(): ProviderCatalogue[] {
  return catalogues.all();
}
