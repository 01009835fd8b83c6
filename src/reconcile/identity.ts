// Identity resolution: links the principals that are the same human across providers (same verified
// e-mail, case-insensitive, aliases included where the provider lists them in `emails`), and decides
// whether each has departed — from any provider that knows: Slack deleted, Google suspended, Entra
// disabled (status disabled/deleted), a node removed by a complete listing (GitHub: no longer a
// member), or a principal only ever referenced (source IS NULL) in a tenant whose member listings all
// completed in the provider's latest crawl (GitHub: a deploy key's author who is not a member).
// An optional people mapping (src/inventory/people.ts) gives a principal known only by a login its e-mail and name.
import type { CrawlInfo, PeopleSnapshot, SnapNode } from '../graph/reconcile-snapshot.ts';
import type { PersonMapping } from '../inventory/people.ts';

export interface PrincipalState {
  id: string; provider: string; tenant: string | null; name: string;
  personKey: string | null;
  emails: string[];
  /** A human-readable name (the people mapping's, the provider's display name, else the principal's name). */
  displayName: string;
  /** Departed itself or through a linked account. */
  departed: boolean;
  reasons: string[];
  /** When it departed (YYYY-MM-DD), where a provider says (deletion time, removal by a complete listing). */
  departedOn: string | null;
}

export interface Identities {
  principals: Map<string, PrincipalState>;
  /** person key -> principal ids */
  persons: Map<string, string[]>;
  /** any e-mail (alias) -> person key */
  byEmail: Map<string, string>;
  /** principal pairs to link with SAME_PERSON (from < to) */
  links: Array<[string, string]>;
  /** The state of whoever holds this e-mail, or null if no provider knows it. */
  personByEmail(email: string): { key: string; departed: boolean; reasons: string[]; principals: string[]; departedOn: string | null; displayName: string | null } | null;
}

export function normaliseEmail(e: string): string {
  return e.trim().toLowerCase();
}

/** The people-mapping entries naming this principal (by id, or by login within the provider if given). */
function mappedTo(p: SnapNode, people: readonly PersonMapping[]): PersonMapping[] {
  const login = String(p.props.login ?? p.name).toLowerCase();
  return people.filter((m) => (m.principal ? m.principal === p.id : m.login!.toLowerCase() === login && (!m.provider || m.provider === p.provider)));
}

const HUMAN_NAME = /\S\s+\S/;

function displayNameOf(p: SnapNode, mapped: PersonMapping[]): string {
  const fromMap = mapped.find((m) => m.name)?.name;
  const dn = p.props.display_name ?? p.props.real_name;
  return fromMap ?? (typeof dn === 'string' && dn ? dn : p.name);
}

function departureDate(p: SnapNode): string | null {
  for (const v of [p.props.departed_at, p.props.deleted_at, p.props.suspended_at, p.removed ? p.removedAt : null]) {
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString().slice(0, 10);
  }
  return null;
}

function emailsOf(p: SnapNode, mapped: PersonMapping[] = []): string[] {
  const out = new Set<string>(mapped.map((m) => normaliseEmail(m.email)));
  const one = p.props.email;
  if (typeof one === 'string' && one.includes('@')) out.add(normaliseEmail(one));
  const many = p.props.emails;
  if (Array.isArray(many)) for (const e of many) if (typeof e === 'string' && e.includes('@')) out.add(normaliseEmail(e));
  return [...out];
}

function listingComplete(crawl: CrawlInfo | undefined, tenant: string | null, types: Set<string> | undefined): boolean {
  if (!crawl || !tenant || !types?.size) return false;
  const res = crawl.resources.get(tenant);
  return !!res && [...types].every((t) => res.get(t) === 'complete');
}

export function ownDeparture(p: SnapNode, snap: PeopleSnapshot): string | null {
  if (p.removed) return `no longer in ${p.provider} ${p.tenant ?? ''} (removed by a complete listing)`.replace(/\s+\(/, ' (');
  const status = p.props.status;
  if (status === 'disabled' || status === 'deleted') return `${status} in ${p.provider}`;
  if (p.source === null) {
    const key = `${p.provider}|${p.tenant}`;
    if (listingComplete(snap.crawls.get(p.provider), p.tenant, snap.principalListings.get(key))) {
      return `not a member of ${p.provider} ${p.tenant} (its member listings completed without them)`;
    }
  }
  return null;
}

export function resolveIdentities(snap: PeopleSnapshot, people: readonly PersonMapping[] = []): Identities {
  const parent = new Map<string, string>();
  const find = (x: string): string => { let r = x; while (parent.get(r) !== r) r = parent.get(r)!; parent.set(x, r); return r; };
  const union = (a: string, b: string) => { const ra = find(a), rb = find(b); if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb); };
  const emails = new Map<string, string[]>();
  const names = new Map<string, string>();
  for (const p of snap.principals.values()) {
    const mapped = people.length ? mappedTo(p, people) : [];
    names.set(p.id, displayNameOf(p, mapped));
    const es = emailsOf(p, mapped);
    emails.set(p.id, es);
    for (const e of es) { if (!parent.has(`e:${e}`)) parent.set(`e:${e}`, `e:${e}`); }
    if (es.length) { parent.set(`p:${p.id}`, `p:${p.id}`); for (const e of es) union(`p:${p.id}`, `e:${e}`); }
  }
  // person key = the smallest e-mail in the cluster (stable, readable)
  const clusterKey = new Map<string, string>();
  for (const k of parent.keys()) {
    if (!k.startsWith('e:')) continue;
    const root = find(k); const e = k.slice(2);
    const cur = clusterKey.get(root);
    if (!cur || e < cur) clusterKey.set(root, e);
  }
  const principals = new Map<string, PrincipalState>();
  const persons = new Map<string, string[]>();
  const byEmail = new Map<string, string>();
  for (const p of snap.principals.values()) {
    const es = emails.get(p.id)!;
    const personKey = es.length ? clusterKey.get(find(`p:${p.id}`))! : null;
    const own = ownDeparture(p, snap);
    principals.set(p.id, { id: p.id, provider: p.provider, tenant: p.tenant, name: p.name, personKey, emails: es, displayName: names.get(p.id)!,
      departed: !!own, reasons: own ? [own] : [], departedOn: own ? departureDate(p) : null });
    if (personKey) { const a = persons.get(personKey) ?? []; a.push(p.id); persons.set(personKey, a); for (const e of es) byEmail.set(e, personKey); }
  }
  const links: Array<[string, string]> = [];
  for (const [, ids] of persons) {
    const states = ids.map((i) => principals.get(i)!);
    const reasons = states.flatMap((s) => s.reasons.map((r) => `${s.name}: ${r}`));
    const on = states.map((s) => s.departedOn).filter((d): d is string => !!d).sort()[0] ?? null;
    if (reasons.length) for (const s of states) {
      if (!s.departed) { s.departed = true; s.reasons = reasons; }
      s.departedOn = on; // the earliest departure date any of the person's accounts records
    }
    const sorted = [...ids].sort();
    for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) links.push([sorted[i]!, sorted[j]!]);
  }
  // each person is looked up by every finding routed to them: computed once per reconciliation (shared, so frozen)
  const byPerson = new Map<string, ReturnType<Identities['personByEmail']>>();
  return {
    principals, persons, byEmail, links,
    personByEmail(email) {
      const key = byEmail.get(normaliseEmail(email));
      if (!key) return null;
      const known = byPerson.get(key);
      if (known) return known;
      const ids = persons.get(key)!;
      const states = ids.map((i) => principals.get(i)!);
      const human = states.map((s) => s.displayName).find((n) => HUMAN_NAME.test(n) && !n.includes('@')) ?? null;
      const person = Object.freeze({ key, departed: states.some((s) => s.departed), reasons: [...new Set(states.flatMap((s) => s.reasons))], principals: ids,
        departedOn: states.map((s) => s.departedOn).filter((d): d is string => !!d).sort()[0] ?? null, displayName: human });
      byPerson.set(key, person);
      return person;
    },
  };
}
