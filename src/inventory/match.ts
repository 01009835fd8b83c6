// Matches connectors to inventory entries, explainably: each match records the rule that made it
// ('github.app_slug', 'webhook_host', 'name_pattern') and the value compared. Exact provider ids are
// tried first (hash lookups: 100k connectors x 5k entries stays linear), then the webhook's target
// host, then the name-pattern fallback (linear time: src/inventory/name-pattern.ts). One entry may match
// connectors in several providers.
import { MATCH_KEYS } from './match-keys.ts';
import { compileNamePattern, type NamePattern } from './name-pattern.ts';
export { MAX_PATTERN_INPUT } from './name-pattern.ts';
import type { Inventory, InventoryEntry } from './schema.ts';

export interface MatchableConnector {
  id: string;
  provider: string;
  name: string;
  props: Record<string, unknown>;
  /** Hosts it forwards data to (FORWARDS_TO endpoints). */
  hosts: string[];
}

export interface Match { entry: InventoryEntry; rule: string; value: string }

export class InventoryMatcher {
  private readonly exact = new Map<string, InventoryEntry>();
  private readonly hosts = new Map<string, InventoryEntry>();
  private readonly wildcardHosts: Array<[suffix: string, entry: InventoryEntry]> = [];
  private readonly patterns: Array<[NamePattern, InventoryEntry]> = [];

  constructor(readonly inventory: Inventory) {
    for (const e of inventory.entries) {
      const m = e.match as Record<string, unknown>;
      for (const [provider, keys] of Object.entries(MATCH_KEYS)) {
        const rules = m[provider] as Record<string, string[] | undefined> | undefined;
        for (const key of Object.keys(keys)) {
          for (const v of rules?.[key] ?? []) this.exact.set(`${provider}.${key}\0${v.toLowerCase()}`, e);
        }
      }
      for (const h of e.match.webhook_host ?? []) {
        if (h.startsWith('*.')) this.wildcardHosts.push([h.slice(1), e]);
        else this.hosts.set(h, e);
      }
      if (e.match.name_pattern) this.patterns.push([compileNamePattern(e.match.name_pattern), e]);
    }
  }

  match(c: MatchableConnector): Match | null {
    const keys = MATCH_KEYS[c.provider];
    for (const [key, spec] of Object.entries(keys ?? {})) {
      for (const field of spec.fields) {
        const raw = field === '$native' ? c.id.split(':').slice(2).join(':') : c.props[field];
        if (raw === null || raw === undefined || raw === '') continue;
        const e = this.exact.get(`${c.provider}.${key}\0${String(raw).toLowerCase()}`);
        if (e) return { entry: e, rule: `${c.provider}.${key}`, value: String(raw) };
      }
    }
    for (const host of c.hosts) {
      const h = host.toLowerCase();
      const e = this.hosts.get(h) ?? this.wildcardHosts.find(([suffix]) => h.endsWith(suffix))?.[1];
      if (e) return { entry: e, rule: 'webhook_host', value: host };
    }
    for (const [re, e] of this.patterns) if (re.test(c.name)) return { entry: e, rule: 'name_pattern', value: c.name };
    return null;
  }
}

/** Providers an entry names a provider-specific match rule for. */
export function entryProviders(e: InventoryEntry): string[] {
  const m = e.match as Record<string, unknown>;
  return Object.keys(MATCH_KEYS).filter((p) => m[p] && Object.values(m[p] as object).some((v) => v !== undefined));
}

/** host is allowed by a list of hosts / '*.suffix' wildcards. */
export function hostAllowed(host: string, allowed: string[]): boolean {
  const h = host.toLowerCase();
  return allowed.some((a) => (a.startsWith('*.') ? h.endsWith(a.slice(1)) || h === a.slice(2) : h === a));
}
