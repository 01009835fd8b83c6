// Who must act on a finding (docs/reconcile.md "Who must act"), provider-neutral. Candidates come in tiers:
//   1. the inventory entry's owners (technical, then business);
//   2. the provider-side owners: OWNS the subject or its connector (and the connector's siblings), or holds the
//      subject credential (HAS_CREDENTIAL from a principal);
//   3. who put it there: INSTALLED_BY (an installer, or a consenter where the edge records a consent) and the
//      users holding the connector's per-user grants (granting users);
//   4. the inventory's `defaults.security_contact`.
// The recipients are the active, addressable people (an e-mail known) of the first tier that has any. Departed
// people of every tier, and active principals known only by a login no e-mail resolves, are context — never
// recipients. With nobody active and no security contact, the attribution says "no active owner known".
import type { InventoryEntry } from '../inventory/schema.ts';
import type { RuleContext } from './context.ts';
import type { PrincipalState } from './identity.ts';

export type AttributionRole = 'inventory owner' | 'provider owner' | 'credential holder' | 'installer' | 'consenter' | 'granting user' | 'security contact';

/** An active person a finding is routed to. */
export interface Recipient { email: string; name: string | null; role: AttributionRole }

/** A person shown beside the recipients: departed, or active but known only by a login (no e-mail). */
export interface ContextPerson {
  email: string | null; name: string; role: AttributionRole; status: 'departed' | 'unresolved';
  departed_on: string | null; reason: string | null;
}

export interface Attribution { recipients: Recipient[]; context: ContextPerson[]; note: string | null }

export const NO_ACTIVE_OWNER = 'no active owner known';

interface Candidate { tier: number; role: AttributionRole; key: string; email: string | null; name: string; departed: boolean; departedOn: string | null; reason: string | null }

const VERB: Record<AttributionRole, string> = {
  'inventory owner': 'inventory owner', 'provider owner': 'owned by', 'credential holder': 'held by', installer: 'installed by',
  consenter: 'consented by', 'granting user': 'granted by', 'security contact': 'security contact',
};

/** "installed by Tom Berge, departed 2026-10-02" */
export function describeContext(c: ContextPerson): string {
  const who = c.email && c.name !== c.email ? `${c.name} <${c.email}>` : c.name;
  return c.status === 'departed'
    ? `${VERB[c.role]} ${who}, departed${c.departed_on ? ` ${c.departed_on}` : ''}`
    : `${VERB[c.role]} ${who} (no e-mail known: add the login to the people file)`;
}

/** "Alice Chen <alice@x> (inventory owner)" */
export function describeRecipient(r: Recipient): string {
  return `${r.name && r.name !== r.email ? `${r.name} <${r.email}>` : r.email} (${r.role})`;
}

/** A principal as a candidate of one tier and role, computed once per reconciliation (ctx.memo) and shared frozen. */
function fromPrincipal(ctx: RuleContext, principalId: string, tier: number, role: AttributionRole): Candidate | null {
  return ctx.memo('attribution-candidates', `${principalId}\0${tier}\0${role}`, () => {
    const c = principalCandidate(ctx, principalId, tier, role);
    return c && Object.freeze(c);
  });
}

function principalCandidate(ctx: RuleContext, principalId: string, tier: number, role: AttributionRole): Candidate | null {
  const s: PrincipalState | undefined = ctx.ids.principals.get(principalId);
  const node = ctx.snap.principals.get(principalId);
  if (!s && !node) return null;
  const own = typeof node?.props.email === 'string' && node.props.email.includes('@') ? node.props.email.toLowerCase() : null;
  const email = own ?? s?.emails[0] ?? s?.personKey ?? null;
  const person = email ? ctx.ids.personByEmail(email) : null;
  // a human name where one is known (people file, display name), else the e-mail, else the login
  const given = s && node && s.displayName !== node.name ? s.displayName : null;
  const human = node && /\S\s+\S/.test(node.name) && !node.name.includes('@') ? node.name : null;
  const name = person?.displayName ?? given ?? human ?? email ?? node?.name ?? principalId;
  return { tier, role, key: s?.personKey ?? principalId, email, name, departed: s?.departed ?? false,
    departedOn: s?.departedOn ?? null, reason: s?.reasons.join('; ') || null };
}

function fromEmail(ctx: RuleContext, email: string, tier: number, role: AttributionRole): Candidate {
  const p = ctx.ids.personByEmail(email);
  // an owner no provider knows is not evidence of departure: routed to
  return { tier, role, key: p?.key ?? email.toLowerCase(), email: email.toLowerCase(), name: p?.displayName ?? email.toLowerCase(), departed: p?.departed ?? false,
    departedOn: p?.departedOn ?? null, reason: p?.reasons.join('; ') || null };
}

function roleOfInstall(props: Record<string, unknown> | undefined): AttributionRole {
  return /consent/i.test(String(props?.via ?? '')) || props?.consent !== undefined ? 'consenter' : 'installer';
}

/** Every candidate, in tier order (duplicates included; attribute() keeps each person's first). */
function candidates(ctx: RuleContext, subjectId: string | null, connectorId: string | null, entry: InventoryEntry | null): Candidate[] {
  const out: Candidate[] = [];
  const e = entry ?? (subjectId ? ctx.entryOf(subjectId)?.entry : undefined) ?? (connectorId ? ctx.entryOf(connectorId)?.entry : undefined) ?? null;
  if (e) for (const o of [e.technical_owner, e.business_owner]) if (o) out.push(fromEmail(ctx, o, 1, 'inventory owner'));
  const nodes = [...new Set([subjectId, connectorId, ...(connectorId ? ctx.siblings(connectorId).map((n) => n.id) : [])].filter((x): x is string => !!x))];
  const push = (c: Candidate | null) => { if (c) out.push(c); };
  for (const id of nodes) for (const o of ctx.snap.ownersOf.get(id) ?? []) {
    if (o.relation === 'OWNS') push(fromPrincipal(ctx, o.principalId, 2, 'provider owner'));
    else if (o.relation === 'HAS_CREDENTIAL') push(fromPrincipal(ctx, o.principalId, 2, 'credential holder'));
  }
  for (const id of nodes) for (const o of ctx.snap.ownersOf.get(id) ?? []) {
    if (o.relation === 'INSTALLED_BY') push(fromPrincipal(ctx, o.principalId, 3, roleOfInstall(o.props)));
  }
  // users holding the connector's per-user grants (a credential both the connector and a principal hold)
  for (const id of nodes) {
    if (ctx.node(id)?.kind !== 'connector') continue;
    for (const cred of ctx.snap.credentialsOf.get(id) ?? []) for (const o of ctx.snap.ownersOf.get(cred) ?? []) {
      if (o.relation === 'HAS_CREDENTIAL' || o.relation === 'INSTALLED_BY') push(fromPrincipal(ctx, o.principalId, 3, 'granting user'));
    }
  }
  return out;
}

/** The attribution of a finding on `subjectId` (its connector `connectorId`, the entry governing it if known). */
export function attribute(ctx: RuleContext, subject: { subjectId: string | null; connectorId: string | null; entry?: InventoryEntry | null }): Attribution {
  const key = `${subject.subjectId ?? ''}\0${subject.connectorId ?? ''}\0${subject.entry ? `=${subject.entry.id}` : ''}`;
  return ctx.memo('attributions', key, () => deepFreeze(attributeOnce(ctx, subject)));
}

function deepFreeze(a: Attribution): Attribution {
  for (const r of a.recipients) Object.freeze(r);
  for (const c of a.context) Object.freeze(c);
  Object.freeze(a.recipients); Object.freeze(a.context);
  return Object.freeze(a);
}

function attributeOnce(ctx: RuleContext, subject: { subjectId: string | null; connectorId: string | null; entry?: InventoryEntry | null }): Attribution {
  const all = candidates(ctx, subject.subjectId, subject.connectorId, subject.entry ?? null);
  const seen = new Set<string>();
  const firstOfEach = all.filter((c) => !seen.has(c.key) && !!seen.add(c.key));
  const active = firstOfEach.filter((c) => !c.departed && c.email);
  const tier = active.length ? Math.min(...active.map((c) => c.tier)) : null;
  const recipients: Recipient[] = active.filter((c) => c.tier === tier).map((c) => ({ email: c.email!, name: c.name === c.email ? null : c.name, role: c.role }));
  const context: ContextPerson[] = firstOfEach.filter((c) => c.departed || !c.email).map((c) => ({ email: c.email, name: c.name, role: c.role,
    status: c.departed ? 'departed' as const : 'unresolved' as const, departed_on: c.departed ? c.departedOn : null, reason: c.reason }));
  const contact = ctx.inventory.defaults.security_contact;
  if (!recipients.length && contact) recipients.push({ email: contact, name: ctx.ids.personByEmail(contact)?.displayName ?? null, role: 'security contact' });
  return { recipients, context, note: recipients.length ? null : NO_ACTIVE_OWNER };
}

/** The recipients' e-mails, in order (what findings.owners holds). */
export const recipientEmails = (a: Attribution): string[] => a.recipients.map((r) => r.email);
