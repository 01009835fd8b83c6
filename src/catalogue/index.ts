// The permission risk catalogue: grade any scope string of any provider, and the credential facts the
// hygiene and static-secret rules need (which credential types can expire, which have a federated /
// short-lived alternative). The data lives beside each connector (connectors/<p>/catalogue.ts, default export),
// the reasons and sources in docs/risk-catalogue.md; nothing here knows a provider. Importing this module loads
// every provider's catalogue file — small data files, not the connectors and their SDKs — so a reconciliation
// grades without loading any connector; a connector's spec registers the same object (src/crawl/provider.ts).
import { pathToFileURL } from 'node:url';
import { providerFiles } from '../crawl/connector-files.ts';
import { catalogueOf, registerCatalogue } from './registry.ts';
import type { ProviderCatalogue, ScopeAgency, ScopeGrade } from './types.ts';

export * from './types.ts';
export { credentialClass, credentialPolicy, type CredentialKind, type CredentialPolicy } from './credentials.ts';
export { catalogueOf, registerCatalogue, registeredCatalogues } from './registry.ts';

/** Registers connectors/<p>/catalogue.ts of every provider folder (each default-exports its ProviderCatalogue). */
async function loadCatalogueFiles(): Promise<void> {
  for (const { provider, file } of providerFiles('catalogue.ts')) {
    const cat = ((await import(pathToFileURL(file).href)) as { default?: ProviderCatalogue }).default;
    if (!cat || cat.provider !== provider || typeof cat.scopes !== 'object') {
      throw new Error(`${file} must default-export the risk catalogue of provider '${provider}' ({ provider: '${provider}', source, scopes, … })`);
    }
    registerCatalogue(cat);
  }
}
await loadCatalogueFiles();

/** Unknown scopes grade medium and say so (docs/risk-catalogue.md §5: "unknown scopes grade medium"). */
export const UNKNOWN_GRADE: Omit<ScopeGrade, 'source'> = { severity: 'medium', reason: 'not in the catalogue: graded medium until reviewed' };

export function normaliseScope(provider: string, scope: string): string {
  return catalogueOf(provider)?.normalise?.(scope) ?? scope;
}

export function gradeScope(provider: string, scope: string): ScopeGrade & { known: boolean } {
  const cat = catalogueOf(provider);
  if (!cat) return { ...UNKNOWN_GRADE, source: 'none', known: false };
  const name = normaliseScope(provider, scope);
  // own entries only: a provider's scope named 'constructor' or '__proto__' is just an unknown scope
  const own = (k: string) => (Object.hasOwn(cat.scopes, k) ? cat.scopes[k] : undefined);
  const exact = own(name) ?? own(scope);
  if (exact) return { ...exact, source: cat.source, known: true };
  const p = cat.patterns?.find((x) => x.test.test(name));
  if (p) return { ...p.grade, source: cat.source, known: true };
  return { ...UNKNOWN_GRADE, source: cat.source, known: false };
}

/** What a permission lets its holder do (read / write / admin, broad read), from its provider's catalogue; undefined: not known. */
export function scopeAgency(provider: string, scope: string): ScopeAgency | undefined {
  return catalogueOf(provider)?.agency?.(normaliseScope(provider, scope));
}

/** Scopes approving `scope` also approves (itself included), normalised. */
export function approvedClosure(provider: string, scopes: string[]): Set<string> {
  const cat = catalogueOf(provider);
  const out = new Set<string>();
  for (const s of scopes) {
    const n = normaliseScope(provider, s);
    out.add(n);
    for (const i of cat?.implies?.(n) ?? []) out.add(i);
  }
  return out;
}
