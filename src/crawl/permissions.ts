// What each resource needs the crawl credential to be granted, and the hint that names it when a provider
// refuses a listing. Resources declare `permission` (what to grant, per kind of grant: an app permission, a
// token scope, a role…); the provider says which answers mean "the credential lacks a permission"
// (`refusal`: a 403 that is not a rate limit, a 404 where the API hides a forbidden endpoint) and which kinds
// of grant its configured credential uses (`grantKindsFor`). The same declarations make each provider doc's
// permission table (`permissionTable`; a test keeps the docs equal to it) and the report's method appendix
// (`configuredPermissions`: the permissions the configuration uses), so code and docs cannot drift.
import type { ProviderSpec } from './provider.ts';
import type { ResourceSpec } from './resource.ts';

export interface PermissionNeed {
  /** What to grant, per kind of grant (the provider's `permissionKinds`), as the provider's console names it. */
  grant: Readonly<Record<string, string>>;
  /** The provider answers 404 Not Found (not 403) to a credential without it: for this listing a 404 is a refusal, not "none". */
  refusedAs404?: boolean;
}

/** A provider's answer that means the credential lacks a permission. */
export interface Refusal {
  /** What the provider answered, e.g. `403 Resource not accessible by integration`. */
  said: string;
  /** Only these kinds of grant can fix it (e.g. delegated scopes, not roles); default: every kind. */
  kinds?: readonly string[];
  /** The credential as a whole was refused (no token for the scopes it asked), not one endpoint: it fails the provider. */
  credentialWide?: boolean;
}

/** One kind of grant and what to grant of it. */
export interface Grant { kind: string; grant: string }

/** The grants that would let `resource` be listed with the configured credential (all declared kinds without a config). */
export function grantsFor(spec: ProviderSpec, resource: ResourceSpec, cfg?: unknown, only?: readonly string[]): Grant[] {
  const declared = resource.permission?.grant ?? {};
  const kinds = cfg === undefined || !spec.grantKindsFor ? Object.keys(declared) : spec.grantKindsFor(cfg, resource);
  return kinds.filter((k) => declared[k] && (!only || only.includes(k))).map((kind) => ({ kind, grant: declared[kind]! }));
}

/** "grant <kind>: <what>" (or several, joined by "or"). */
export function grantText(grants: Grant[]): string {
  return grants.map((g) => `${g.kind}: ${g.grant}`).join(' or ');
}

/**
 * The reason a refused listing is recorded as unsupported, naming the permission to grant. `reason` is what the
 * resource itself said (UnsupportedResource, its `unsupported` hook) or null: when the provider's answer is a
 * refusal, the grant is appended unless the reason already names it; when there is no reason, a refusal
 * becomes one. Anything else (rate limits, outages, a real "not found") stays as it was.
 */
export function permissionReason(spec: ProviderSpec, cfg: unknown, resource: ResourceSpec, err: unknown, reason: string | null): string | null {
  const refusal = spec.refusal?.(err, resource.permission) ?? null;
  if (!refusal) return reason;
  const grants = grantsFor(spec, resource, cfg, refusal.kinds);
  const hint = grants.length ? `grant ${grantText(grants)}` : '';
  if (reason) return !hint || grants.some((g) => names(reason, g.grant)) ? reason : `${reason} — ${hint}`;
  return `${refusal.said}: the credential lacks a permission${hint ? ` — ${hint}` : ' this listing needs'}`;
}

/**
 * For a provider-wide failure (a credential rejected: the provider's `fatal`) whose cause is a refusal of
 * permissions (e.g. delegated scopes not granted), the grant this resource needs, as a suffix; otherwise ''.
 */
export function fatalPermissionHint(spec: ProviderSpec, cfg: unknown, resource: ResourceSpec, fatal: Error): string {
  const refusal = spec.refusal?.(fatal.cause ?? fatal, resource.permission) ?? null;
  if (!refusal?.credentialWide) return '';
  const grants = grantsFor(spec, resource, cfg, refusal.kinds);
  return grants.length ? ` — grant ${grantText(grants)}` : '';
}

/** Per kind of grant, what the configured credential needs and for which resource types (the report's method appendix). */
export interface ConfiguredPermission { kind: string; grants: { grant: string; resources: string[] }[] }

export function configuredPermissions(spec: ProviderSpec, cfg: unknown): ConfiguredPermission[] {
  const byKind = new Map<string, Map<string, string[]>>();
  for (const r of spec.resources) {
    for (const g of grantsFor(spec, r, cfg)) {
      const grants = byKind.get(g.kind) ?? byKind.set(g.kind, new Map()).get(g.kind)!;
      (grants.get(g.grant) ?? grants.set(g.grant, []).get(g.grant)!).push(r.type);
    }
  }
  const order = spec.permissionKinds ?? [];
  return [...byKind].sort(([a], [b]) => rank(order, a) - rank(order, b))
    .map(([kind, grants]) => ({ kind, grants: [...grants].map(([grant, resources]) => ({ grant, resources })) }));
}

/** One line per grant: "<kind>: <grant> (<resource types>)". */
export function configuredPermissionLines(spec: ProviderSpec, cfg: unknown): string[] {
  return configuredPermissions(spec, cfg).flatMap((k) => k.grants.map((g) => `${k.kind}: ${g.grant} (${g.resources.join(', ')})`));
}

/** The lines of every configured provider, by provider name (what the report's method appendix lists). */
export function configuredPermissionsByProvider(providers: Iterable<[string, { spec: ProviderSpec; config: unknown }]>): Record<string, string[]> {
  return Object.fromEntries([...providers].map(([name, p]) => [name, configuredPermissionLines(p.spec, p.config)]));
}

/** The provider doc's permission table (Markdown): one row per resource type, one column per kind of grant. */
export function permissionTable(spec: ProviderSpec): string {
  const kinds = [...(spec.permissionKinds ?? [])];
  for (const r of spec.resources) for (const k of Object.keys(r.permission?.grant ?? {})) if (!kinds.includes(k)) kinds.push(k);
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  // the 404 column only where some endpoint hides refusals behind a 404
  const hides = spec.resources.some((r) => r.permission?.refusedAs404);
  const lines = [
    `| Resource type | ${kinds.map(cell).join(' | ')} |${hides ? ' 404 means refused |' : ''}`,
    `|---|${kinds.map(() => '---').join('|')}|${hides ? '---|' : ''}`,
    ...spec.resources.map((r) => `| \`${r.type}\` | ${kinds.map((k) => cell(r.permission?.grant[k] ?? '—')).join(' | ')} |${hides ? ` ${r.permission?.refusedAs404 ? 'yes' : ''} |` : ''}`),
  ];
  return lines.join('\n');
}

export const PERMISSION_TABLE_BEGIN = '<!-- permission-table: generated from the resources\' `permission` (src/crawl/permissions.ts); test/coverage/permission-docs.test.ts checks it -->';
export const PERMISSION_TABLE_END = '<!-- /permission-table -->';

/** The reason already names the grant (all of it, or its first word: `users:read` of "users:read (…)"). */
function names(reason: string, grant: string): boolean {
  const first = grant.split(/[\s,;(]/)[0] ?? '';
  return reason.includes(grant) || (first.length > 2 && new RegExp(`(^|[\\s(;,])${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s);,])`).test(reason));
}

function rank(order: readonly string[], k: string): number {
  const i = order.indexOf(k);
  return i < 0 ? order.length : i;
}
