// What a crawl covers: the (provider, tenant) pairs of the configured provider blocks (each block's
// spec.tenants(blockConfig)), narrowed to the providers and tenant ids asked for. An unknown name is an InputError
// (exit 2) listing what is configured, so a typo never crawls nothing.
import type { LoadedConfig } from '../config/config.ts';
import { InputError } from '../config/yaml-errors.ts';

export interface CrawlTarget { provider: string; tenant: string }

/** The (provider, tenant) pairs a crawl of `providers` (all when absent/empty) and `tenants` (all when absent/empty) covers, in config order. */
export function crawlTargets(config: LoadedConfig, providers?: string[], tenants?: string[]): CrawlTarget[] {
  const configured = [...config.providers.keys()];
  const missing = (providers ?? []).filter((n) => !config.providers.has(n));
  if (missing.length) {
    throw new InputError(`provider(s) not configured: ${missing.join(', ')} (configured: ${configured.join(', ') || 'none'}; configure them under providers: in the config file)`);
  }
  const all: CrawlTarget[] = [];
  for (const [name, entry] of config.providers) {
    if (providers?.length && !providers.includes(name)) continue;
    for (const block of entry.configs ?? [entry.config]) {
      for (const t of entry.spec.tenants(block)) all.push({ provider: name, tenant: t.id });
    }
  }
  if (!all.length && !configured.length) throw new InputError('no providers configured: add a providers: block to the config file');
  if (!tenants?.length) return all;
  // ids are compared without case (GitHub org logins are stored lower-cased; `--tenant MyOrg` means the same org)
  const wanted = new Set(tenants.map((t) => t.toLowerCase()));
  const unknown = tenants.filter((t) => !all.some((a) => a.tenant.toLowerCase() === t.toLowerCase()));
  if (unknown.length) {
    const listed = all.map((a) => `${a.provider}:${a.tenant}`).join(', ') || 'none';
    throw new InputError(`tenant(s) not configured${providers?.length ? ` for ${providers.join(', ')}` : ''}: ${unknown.join(', ')} (configured: ${listed})`);
  }
  return all.filter((a) => wanted.has(a.tenant.toLowerCase()));
}
