// The permission risk catalogue: grade any scope string of any provider, and the credential facts the
// hygiene and static-secret rules need (which credential types can expire, which have a federated /
// short-lived alternative). Data lives in one file per provider; nothing here knows an API.
import { azureCatalogue } from './azure.ts';
import { githubCatalogue } from './github.ts';
import { googleCatalogue } from './google.ts';
import { slackCatalogue } from './slack.ts';
import type { ProviderCatalogue, ScopeGrade } from './types.ts';

export * from './types.ts';
export { credentialPolicy, type CredentialPolicy } from './credentials.ts';

const catalogues = new Map<string, ProviderCatalogue>(
  [githubCatalogue, slackCatalogue, googleCatalogue, azureCatalogue].map((c) => [c.provider, c]));

/** Unknown scopes grade medium and say so (risk-catalogue §5: "unknown scopes default to medium"). */
export const UNKNOWN_GRADE: Omit<ScopeGrade, 'source'> = { severity: 'medium', reason: 'not in the catalogue: graded medium until reviewed' };

export function normaliseScope(provider: string, scope: string): string {
  return catalogues.get(provider)?.normalise?.(scope) ?? scope;
}

export function gradeScope(provider: string, scope: string): ScopeGrade & { known: boolean } {
  const cat = catalogues.get(provider);
  if (!cat) return { ...UNKNOWN_GRADE, source: 'none', known: false };
  const name = normaliseScope(provider, scope);
  const exact = cat.scopes[name] ?? cat.scopes[scope];
  if (exact) return { ...exact, source: cat.source, known: true };
  const p = cat.patterns?.find((x) => x.test.test(name));
  if (p) return { ...p.grade, source: cat.source, known: true };
  return { ...UNKNOWN_GRADE, source: cat.source, known: false };
}

/** Scopes approving `scope` also approves (itself included), normalised. */
export function approvedClosure(provider: string, scopes: string[]): Set<string> {
  const cat = catalogues.get(provider);
  const out = new Set<string>();
  for (const s of scopes) {
    const n = normaliseScope(provider, s);
    out.add(n);
    for (const i of cat?.implies?.(n) ?? []) out.add(i);
  }
  return out;
}
