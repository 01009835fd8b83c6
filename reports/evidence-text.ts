// A finding's evidence as report.md and report.html show it: labelled fields ("Granted by: Maya Chen
// <maya.chen@…>"), not the rule's JSON keys; dates as dates, day counts with their unit, lists joined, nested
// objects as what they name (a scope with its grade, a person, a run), and people by name and e-mail rather than
// internal principal ids. report.json and the CSVs keep the structured evidence unchanged. Provider-neutral: labels
// are per evidence key (a declarative table, else the key in words), never per provider.
import { displayScope } from '../src/reconcile/title-facts.ts';
import { day, typeLabel } from './text.ts';

/** How a person reads: their name and e-mail as far as the graph knows them. */
export interface PersonName { name: string | null; email: string | null }
/** Resolves a principal node id or an e-mail to the person (undefined: names nobody the graph knows). */
export type PeopleLookup = (value: string) => PersonName | undefined;
/** The display name of a graph node by id (undefined: no such node); the evidence shows names, not internal ids. */
export type NodeNames = (id: string) => string | undefined;

interface Field {
  label: string;
  /** A number is a count of days (shown "14 days"). */
  days?: true;
  /** Not shown: internal ids and discriminators the title already says. */
  hide?: true;
  /** Shown after the other fields (background the 300-character cap may cut before the decisive facts). */
  late?: true;
  /** A code-like value shown in words: 'client_secret' -> 'client secret', 'x.repo_webhook' -> 'repo webhook'. */
  words?: true;
}

/** Labels per evidence key the rules write; any other key is shown in words (`idle_days` -> "Idle days"). */
const FIELDS: Record<string, Field> = {
  // permissions
  scope: { label: 'Scope' }, scopes: { label: 'Scopes' }, severity: { label: 'Grade' }, reason: { label: 'Why', late: true },
  source: { label: 'Source', late: true }, approved: { label: 'Approved' }, inventory_entry: { label: 'Inventory entry' },
  excess: { label: 'Beyond approval' }, granted: { label: 'Granted' }, added: { label: 'Added' }, removed: { label: 'Removed' },
  from_run: { label: 'Compared with run' }, to_run: { label: 'Run' }, worst_scope_severity: { label: 'Worst scope grade', late: true },
  folded: { label: 'Also covers', late: true },
  // connectors
  type: { label: 'Type', late: true, words: true }, connector_type: { label: 'Connector type', late: true, words: true },
  app_id: { label: 'App id', late: true }, vendor: { label: 'Vendor' },
  forwards_to: { label: 'Sends to' }, created_at: { label: 'Created' }, enabled: { label: 'Enabled', late: true }, related: { label: 'Related', hide: true },
  reach: { label: 'Reach' }, granted_by: { label: 'Granted by' }, admin_consent: { label: 'Admin consent for all users' },
  // owners
  variant: { label: 'Variant', hide: true }, graph_owners: { label: 'Owners in the provider' }, owners: { label: 'Owners' },
  departed: { label: 'Departed' }, all_departed: { label: 'All owners departed' }, connectors: { label: 'Connectors', hide: true },
  access: { label: 'Access' },
  // approval and inventory
  end_date: { label: 'End date' }, days_past: { label: 'Overdue by', days: true }, ticket: { label: 'Ticket' },
  approval_expires: { label: 'Approval expired' }, match: { label: 'Match rule' }, providers_checked: { label: 'Crawls checked' },
  provider: { label: 'Provider' }, run: { label: 'Crawl run' }, run_started_at: { label: 'Crawl started' },
  // destinations and transport
  host: { label: 'Host' }, events: { label: 'Events' }, sensitive_events: { label: 'Sensitive events' },
  allowed: { label: 'Allowed destinations' }, problems: { label: 'Problems', words: true }, url: { label: 'URL' }, scheme: { label: 'Scheme', hide: true },
  insecure_ssl: { label: 'TLS verification off' }, active: { label: 'Active' }, severity_reason: { label: 'Severity because' },
  // credentials
  credential_type: { label: 'Credential type', words: true }, credential_class: { label: 'Credential class', words: true }, expires_at: { label: 'Expires' },
  last_used_at: { label: 'Last used' }, days_expired: { label: 'Expired for', days: true }, days_left: { label: 'Expires in', days: true },
  warning_days: { label: 'Warning window', days: true }, connector: { label: 'Connector' }, replacement: { label: 'Replacement' },
  lifetime_days: { label: 'Lifetime', days: true }, max_lifetime_days: { label: 'Lifetime policy', days: true },
  times_policy: { label: 'Times the policy' }, policy_source: { label: 'Policy from' }, age_days: { label: 'Age', days: true },
  measured_from: { label: 'Measured from', words: true }, max_age_days: { label: 'Rotation policy', days: true }, idle_days: { label: 'Unused for', days: true },
  dormancy_days: { label: 'Dormancy window', days: true }, kind: { label: 'Kind', words: true }, alternative: { label: 'Short-lived alternative' },
  holder: { label: 'Holder' }, count: { label: 'Count' }, credentials: { label: 'Credentials' },
};

const RELATIONS: Record<string, string> = { OWNS: 'owner', INSTALLED_BY: 'installed it', HAS_CREDENTIAL: 'holds it' };
const SEPARATOR = ' · ';
/** Most items of one list shown before "+N more". */
const LIST_MAX = 5;

/** The label of an evidence key: the table's, else the key in words. */
export function evidenceLabel(key: string): string {
  const f = FIELDS[key];
  if (f) return f.label;
  const words = key.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Maya Chen <maya.chen@example.com>", else whichever of the two is known. */
export function personText(p: PersonName): string {
  const name = p.name && p.name !== p.email ? p.name : null;
  return name && p.email ? `${name} <${p.email}>` : (p.email ?? name ?? '');
}

/** Evidence as one readable line of labelled fields, at most `max` characters (an ellipsis when cut). */
export function formatEvidence(e: Record<string, unknown>, opts: { people?: PeopleLookup; names?: NodeNames; max?: number; provider?: string | null } = {}): string {
  const max = opts.max ?? 300;
  const fmt = new Formatter(opts.people, opts.provider ?? null, opts.names);
  const entries = Object.entries(e).filter(([k]) => !FIELDS[k]?.hide);
  const ordered = [...entries.filter(([k]) => !FIELDS[k]?.late), ...entries.filter(([k]) => FIELDS[k]?.late)];
  const parts = ordered.map(([k, v]) => [k, fmt.value(k, v, 0)] as const).filter(([, v]) => v !== '')
    .map(([k, v]) => `${evidenceLabel(k)}: ${v}`);
  const s = parts.join(SEPARATOR);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** Keys whose string values are scopes. */
const SCOPE_LISTS = new Set(['scope', 'scopes', 'granted', 'approved', 'added', 'removed', 'excess']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
/** A value that may name a principal: a node id (`provider:type:id`) or an e-mail address. */
const MAY_NAME_PERSON = /^[^\s:]+:[^\s:]+:\S+$|^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A graph node id (`provider:type:id`): shown by its node's name when it is not a person. */
const NODE_ID = /^[a-z][a-z0-9_-]*:[a-z][a-z0-9_.]*:\S+$/;

class Formatter {
  constructor(private readonly people: PeopleLookup | undefined, private readonly provider: string | null, private readonly names?: NodeNames) {}

  /** A scope in the catalogue's short form when it is URL-shaped (as titles show it). */
  scope(v: string): string {
    return this.provider ? displayScope(this.provider, v) : v;
  }

  person(v: string): string | null {
    if (!MAY_NAME_PERSON.test(v)) return null;
    const p = this.people?.(v);
    if (p) return personText(p) || null;
    return NODE_ID.test(v) ? this.names?.(v) ?? null : null;
  }

  /** One value as text ('' when there is nothing to show). */
  value(key: string, v: unknown, depth: number): string {
    if (v === null || v === undefined || v === '') return '';
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v === 'number') return FIELDS[key]?.days || /_days$/.test(key) ? `${v} day${v === 1 ? '' : 's'}` : String(v);
    if (typeof v === 'string') {
      if (ISO_DATE.test(v)) return day(v);
      if (FIELDS[key]?.words) return typeLabel(v);
      if (SCOPE_LISTS.has(key)) return this.scope(v);
      return this.person(v) ?? v;
    }
    if (Array.isArray(v)) {
      const items = v.map((x) => this.value(key, x, depth + 1)).filter(Boolean);
      return items.length > LIST_MAX ? `${items.slice(0, LIST_MAX).join(', ')} +${items.length - LIST_MAX} more` : items.join(', ');
    }
    if (typeof v === 'object') return this.object(v as Record<string, unknown>, depth);
    return String(v);
  }

  /** A nested object as what it names: a scope with its grade, a person, a run, a named thing; else "label value" pairs. */
  private object(o: Record<string, unknown>, depth: number): string {
    if (typeof o.scope === 'string') return typeof o.severity === 'string' ? `${this.scope(o.scope)} (${o.severity})` : this.scope(o.scope);
    if (typeof o.principal === 'string' || (typeof o.email === 'string' && o.scope === undefined)) {
      const who = (typeof o.principal === 'string' ? this.person(o.principal) : null) ?? (typeof o.email === 'string' ? this.person(o.email) : null)
        ?? [o.name, o.email, o.principal].find((x): x is string => typeof x === 'string' && x !== '') ?? '';
      const notes = [typeof o.relation === 'string' ? RELATIONS[o.relation] ?? o.relation.toLowerCase().replace(/_/g, ' ') : null,
        ...(Array.isArray(o.reasons) ? o.reasons.map(String) : [])].filter(Boolean);
      return notes.length ? `${who} (${notes.join('; ')})` : who;
    }
    if (typeof o.id === 'number' && typeof o.at === 'string') return `#${o.id} (${day(o.at)})`;
    if (typeof o.provider === 'string' && typeof o.run === 'number') return `${o.provider} run #${o.run}`;
    if (typeof o.name === 'string' && o.name) return o.name;
    if (typeof o.id === 'string') return this.person(o.id) ?? o.id;
    if (depth > 2) return '';
    return Object.entries(o).map(([k, x]) => [k, this.value(k, x, depth + 1)] as const).filter(([, x]) => x !== '')
      .map(([k, x]) => `${evidenceLabel(k).toLowerCase()} ${x}`).join(', ');
  }
}

/**
 * A people lookup over named queries (`rowsFor`: src/graph/report-queries.ts principalsNamed), memoised: the
 * person's display name — their own, else one of their other accounts' — and e-mail (their own, else the resolved one).
 */
export function peopleLookup(rowsFor: (value: string) => Array<{ id: string; name: string | null; display_name: string | null; email: string | null; person_key: string | null }>): PeopleLookup {
  const memo = new Map<string, PersonName | undefined>();
  return (value) => {
    if (memo.has(value)) return memo.get(value);
    const rows = rowsFor(value);
    const lower = value.toLowerCase();
    const hit = rows.find((r) => r.id === value) ?? rows.find((r) => r.person_key === lower || r.email?.toLowerCase() === lower);
    let out: PersonName | undefined;
    if (hit) {
      const others = rows.filter((r) => r !== hit);
      const name = hit.display_name ?? others.find((r) => r.display_name)?.display_name
        ?? [hit, ...others].map((r) => r.name).find((n) => n && /\s/.test(n) && !n.includes('@')) ?? hit.name;
      const email = hit.email ?? hit.person_key ?? others.find((r) => r.email)?.email ?? null;
      out = { name, email };
    }
    memo.set(value, out);
    return out;
  };
}
