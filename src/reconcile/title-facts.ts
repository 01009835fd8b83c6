// The decisive facts a finding's title names, read from the graph (never invented): which permissions (worst
// first, a few then "+N more"), which role on which resource ("Owner on subscription Contoso-Prod"), how far a
// connector reaches ("all repositories", "3 repositories"), which chat channels it posts to, and how many people
// granted it. Provider-neutral: only edge types, node kinds/types and the documented edge props are read.
import { normaliseScope, severityRank } from '../catalogue/index.ts';
import type { RuleContext } from './context.ts';

/**
 * Facts are read once per reconciliation (its context) and holders: several rules title the same connector, and
 * high-risk-permission asks once per scope. Values are strings (or null), so sharing them is safe.
 */
function memoFact(ctx: RuleContext, key: string, compute: () => string | null): string | null {
  return ctx.memo('title-facts', key, compute);
}

/** At most `max` items, then "+N more": `a, b, c +2 more`. */
export function capList(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} +${items.length - max} more` : shown;
}

/** `1 user`, `4 users`; `1 repository`, `3 repositories`. */
export function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : pluralOf(noun)}`;
}

function pluralOf(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return noun.slice(0, -1) + 'ies';
  if (/(s|x|ch|sh)$/.test(noun)) return noun + 'es';
  return noun + 's';
}

/** A node type without its provider prefix, in words: 'x.subscription' -> 'subscription', 'x.repo_webhook' -> 'repo webhook'. */
export function typeWords(type: string | null | undefined): string {
  if (!type) return 'resource';
  const i = type.indexOf('.');
  return (i >= 0 ? type.slice(i + 1) : type).replace(/[_-]+/g, ' ');
}

/** A connector type for a title, without the provider's own prefix ('<provider>_oauth_client' -> 'oauth client'). */
export function connectorTypeWords(provider: string, connectorType: unknown, type: string): string {
  const t = typeof connectorType === 'string' && connectorType ? connectorType : typeWords(type);
  return t.replace(new RegExp(`^${provider}[_.-]`, 'i'), '').replace(/[_-]+/g, ' ');
}

/** A scope as a title shows it: a URL-shaped scope in the catalogue's short form, others as granted. */
export function displayScope(provider: string, scope: string): string {
  return /^https?:\/\//i.test(scope) ? normaliseScope(provider, scope) : scope;
}

/** Scopes worst grade first (then by name): the decisive ones come first in a capped list. */
export function worstFirst(ctx: RuleContext, provider: string, scopes: readonly string[]): string[] {
  return [...scopes].sort((a, b) => severityRank(ctx.grade(provider, a).severity) - severityRank(ctx.grade(provider, b).severity) || a.localeCompare(b));
}

/** The resources `holders` hold `role` on, as "subscription halcyon-prod" / "subscriptions a, b" (null: not a role). */
export function roleResources(ctx: RuleContext, holders: readonly string[], role: string): string | null {
  return memoFact(ctx, `role\0${role}\0${holders.join('\0')}`, () => roleResourcesOnce(ctx, holders, role));
}

function roleResourcesOnce(ctx: RuleContext, holders: readonly string[], role: string): string | null {
  const byType = new Map<string, string[]>();
  for (const h of holders) {
    for (const r of ctx.snap.rolesOf.get(h) ?? []) {
      if (r.role !== role) continue;
      const t = typeWords(r.resourceType);
      const names = byType.get(t) ?? [];
      const name = r.resourceName ?? r.resourceId;
      if (!names.includes(name)) names.push(name);
      byType.set(t, names);
    }
  }
  if (!byType.size) return null;
  return [...byType].map(([t, names]) => `${names.length === 1 ? t : pluralOf(t)} ${capList(names.sort())}`).join(', ');
}

/** A permission as a title names it: a role with the resources it is held on ("Owner on subscription halcyon-prod"), else the scope. */
export function permissionText(ctx: RuleContext, provider: string, holders: readonly string[], scope: string): string {
  const on = roleResources(ctx, holders, scope);
  return on ? `${scope} on ${on}` : displayScope(provider, scope);
}

/** Whether `scope` is a role held on a resource (CAN_ACCESS props.roles) rather than a granted scope. */
export function isRole(ctx: RuleContext, holders: readonly string[], scope: string): boolean {
  return holders.some((h) => (ctx.snap.rolesOf.get(h) ?? []).some((r) => r.role === scope));
}

/**
 * How far `holders` reach through CAN_ACCESS edges that are not role assignments: "all repositories" (an edge whose
 * props.repositories names the selection), "repository acme/api", "3 repositories"; null when nothing is recorded.
 * Resources whose name `except` (e.g. the connector's own name) already contains are left out.
 */
export function reachText(ctx: RuleContext, holders: readonly string[], except = ''): string | null {
  return memoFact(ctx, `reach\0${except}\0${holders.join('\0')}`, () => reachTextOnce(ctx, holders, except));
}

function reachTextOnce(ctx: RuleContext, holders: readonly string[], except: string): string | null {
  const selections = new Set<string>();
  const byType = new Map<string, Set<string>>();
  for (const h of holders) {
    for (const a of ctx.snap.accessOf.get(h) ?? []) {
      if (Array.isArray(a.props.roles)) continue;
      if (typeof a.props.repositories === 'string' && a.props.repositories) { selections.add(`${a.props.repositories} repositories`); continue; }
      if (a.resourceKind !== 'resource' || (except && except.includes(a.resourceName ?? a.resourceId))) continue;
      const t = typeWords(a.resourceType);
      const set = byType.get(t) ?? new Set<string>();
      set.add(a.resourceName ?? a.resourceId);
      byType.set(t, set);
    }
  }
  const parts = [...selections].sort();
  for (const [t, names] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    parts.push(names.size === 1 ? `${t} ${[...names][0]}` : count(names.size, t));
  }
  return parts.length ? parts.join(', ') : null;
}

/** Chat channels `holders` post into (FORWARDS_TO a channel endpoint), by name ('#alerts-prod'). */
export function channelNames(ctx: RuleContext, holders: readonly string[]): string[] {
  return [...new Set(holders.flatMap((h) => (ctx.snap.channelsOf.get(h) ?? []).map((c) => c.channel || c.channelId || '')).filter(Boolean))].sort();
}

/**
 * The people who granted `holders` (optionally only `scope`): holders of the per-user grants (credentials) the
 * connector holds, and the users a scope was consented for (HAS_SCOPE props.consented_for). Principal node ids.
 */
export function grantingUsers(ctx: RuleContext, holders: readonly string[], scope?: string): string[] {
  const out = new Set<string>();
  for (const h of holders) {
    for (const cred of ctx.snap.credentialsOf.get(h) ?? []) {
      if (scope !== undefined && !(ctx.snap.scopesOf.get(cred) ?? []).some((s) => s.scope === scope)) continue;
      for (const p of ctx.snap.holdersOf.get(cred) ?? []) if (ctx.snap.principals.has(p)) out.add(p);
    }
    for (const s of ctx.snap.scopesOf.get(h) ?? []) {
      if (scope !== undefined && s.scope !== scope) continue;
      if (Array.isArray(s.props.consented_for)) for (const p of s.props.consented_for) if (typeof p === 'string') out.add(p);
    }
  }
  return [...out].sort();
}

/** Whether an administrator consented to `scope` for every user of the tenant (HAS_SCOPE props.admin_consent). */
export function adminConsented(ctx: RuleContext, holders: readonly string[], scope?: string): boolean {
  return holders.some((h) => (ctx.snap.scopesOf.get(h) ?? []).some((s) => (scope === undefined || s.scope === scope) && s.props.admin_consent === true));
}

/** How a delegated permission was granted, for a title: "admin consent for all users" / "granted by 4 users" / null. */
export function grantText(ctx: RuleContext, holders: readonly string[], scope?: string): string | null {
  return memoFact(ctx, `grant\0${scope === undefined ? '' : `=${scope}`}\0${holders.join('\0')}`, () => grantTextOnce(ctx, holders, scope));
}

function grantTextOnce(ctx: RuleContext, holders: readonly string[], scope?: string): string | null {
  if (adminConsented(ctx, holders, scope)) return 'admin consent for all users';
  const users = grantingUsers(ctx, holders, scope);
  return users.length ? `granted by ${count(users.length, 'user')}` : null;
}
