// The approved-inventory format (docs/reconcile.md): one entry per approved connector, with its
// owners, approval dates, per-provider match rules, approved scopes, allowed forwarding destinations
// and rotation policy. zod checks each field; the root refinement checks what spans entries
// (unique ids, a match value claimed by two entries) so every error carries a path -> file:line:field.
import { z } from 'zod';
import { MATCH_KEYS } from './match-keys.ts';
import { namePatternProblem } from './name-pattern.ts';
import { RULES } from '../reconcile/rules/index.ts';
import { unknownMessage } from '../util/did-you-mean.ts';
import { CATEGORIES, isCategory } from '../categories/types.ts';

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const date = z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v),
  z.string({ error: 'required: a date (YYYY-MM-DD)' })
    .refine((s) => DATE.test(s) && !Number.isNaN(Date.parse(s)), { error: (i) => (i.input === '' ? 'required: a date (YYYY-MM-DD)' : 'must be a date (YYYY-MM-DD)') }));
const text = (what: string) => z.string({ error: `required: ${what}` }).trim().min(1, `required: ${what} (empty)`);
const email = z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.email({ error: (i) => (i.input === undefined || i.input === '' ? 'required: an e-mail address' : 'must be an e-mail address') }));
const oneOrMany = z.union([z.string().trim().min(1), z.number().transform(String)]).transform((v) => [v])
  .or(z.array(z.union([z.string().trim().min(1), z.number().transform(String)])).min(1, 'must list at least one value'));
const HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const host = z.string().trim().toLowerCase().regex(HOST, 'must be a host name (example.com or *.example.com), not a URL');
/** A host an inventory can name as written (lower case, no wildcard needed). */
export const isInventoryHost = (h: string): boolean => HOST.test(h);
/** A chat channel a connector posts into: '#' and the channel's name or id (#alerts-prod, #C0HALERTS1); no blanks, '#' or ','. */
const CHANNEL = /^#[\p{L}\p{N}_.-]{1,80}$/u;
export const isInventoryChannel = (c: string): boolean => CHANNEL.test(c);
/** A `forwarding` destination: a host (as above) or a chat channel. */
const destination = z.string().trim().refine((d) => (d.startsWith('#') ? CHANNEL.test(d) : HOST.test(d.toLowerCase())),
  { error: (i) => (String(i.input).trim().startsWith('#') ? 'must be a chat channel: # and the channel name or id (#alerts-prod, #C0HALERTS1)'
    : 'must be a host name (example.com or *.example.com) or a chat channel (#alerts-prod), not a URL') })
  .transform((d) => (d.startsWith('#') ? d : d.toLowerCase()));

const providerMatch = (provider: string) => z.strictObject(Object.fromEntries(
  Object.keys(MATCH_KEYS[provider]!).map((k) => [k, oneOrMany.optional()])) as Record<string, z.ZodOptional<typeof oneOrMany>>);

export const matchSchema = z.strictObject({
  ...Object.fromEntries(Object.keys(MATCH_KEYS).map((p) => [p, providerMatch(p).optional()])),
  webhook_host: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(host).min(1)).optional(),
  name_pattern: z.string().min(1).superRefine((s, ctx) => {
    const problem = namePatternProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).optional(),
}).refine((m) => Object.values(m).some((v) => v !== undefined && (typeof v !== 'object' || Object.values(v as object).some((x) => x !== undefined))),
  'needs at least one match rule (a provider id, webhook_host or name_pattern)');

const RULE_IDS = RULES.map((r) => r.id);
/**
 * A risk the organisation accepts for this entry's connectors (docs/reconcile.md "Accepted risks"): findings of `rule`
 * (optionally only on `subject`, a node id or name, and `detail`, a scope / host / variant) are listed as accepted until
 * `expires`, not as open action items; after it they re-open.
 */
const acceptedRisk = z.strictObject({
  rule: z.string({ error: 'required: a rule id (docs/reconcile.md "Rules")' }).trim()
    .refine((r) => RULE_IDS.includes(r), { error: (i) => unknownMessage('rule', String(i.input), RULE_IDS) }),
  reason: text('why the risk is accepted'),
  ticket: text('the risk-acceptance ticket / reference'),
  expires: date,
  subject: z.string().trim().min(1).optional(),
  detail: z.string().trim().min(1).optional(),
});

export const entrySchema = z.strictObject({
  id: z.string({ error: 'required: a stable id' }).regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, . _ - only'),
  name: text('the connector name'),
  vendor: text('the vendor (publisher)'),
  business_owner: email,
  technical_owner: email,
  purpose: text('what it is for'),
  ticket: text('the approval ticket / reference'),
  approved_on: date,
  approval_expires: date.optional(),
  temporary: z.boolean().default(false),
  end_date: date.optional(),
  match: matchSchema,
  scopes: z.record(z.string(), z.array(z.string().min(1))).optional(),
  /** Hosts and chat channels (#name or #id) this connector may send data to. */
  forwarding: z.array(destination).optional(),
  rotation_days: z.number().int().positive().optional(),
  /** Longest lifetime (expires − created) a static credential of this connector may be issued with; overrides the default. */
  max_credential_lifetime_days: z.number().int().positive().optional(),
  /** The entry records a Google Workspace domain-wide delegation grant (client id in match.google, delegated scopes in scopes.google). */
  domain_wide_delegation: z.boolean().optional(),
  /** Risks accepted for this entry's connectors, each with a reason, a ticket and an expiry (an expired acceptance re-opens the finding). */
  accepted_risks: z.array(acceptedRisk).optional(),
  notes: z.string().optional(),
  /** What the connector is for (docs/reconcile.md "Connector categories"); wins over the category catalogue. */
  category: z.string({ error: `must be a category (${CATEGORIES.join(', ')})` }).trim()
    .refine(isCategory, { error: (i) => unknownMessage('category', String(i.input), CATEGORIES) }).optional(),
}).superRefine((e, ctx) => {
  if (e.temporary && !e.end_date) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'required when temporary: true' });
  if (e.end_date && Date.parse(e.end_date) < Date.parse(e.approved_on)) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'is before approved_on' });
  if (e.approval_expires && Date.parse(e.approval_expires) < Date.parse(e.approved_on)) {
    ctx.addIssue({ code: 'custom', path: ['approval_expires'], message: 'is before approved_on' });
  }
  for (const p of Object.keys(e.scopes ?? {})) {
    if (!(p in MATCH_KEYS)) ctx.addIssue({ code: 'custom', path: ['scopes', p], message: `unknown provider (known: ${Object.keys(MATCH_KEYS).join(', ')})` });
  }
});

/** Default fix-by windows per severity (days from first seen); info findings have none unless set. */
export const SLA_DAYS_DEFAULT = { critical: 7, high: 30, medium: 90, low: 180 };
const slaDay = z.number().int().positive();
export const slaDaysSchema = z.strictObject({
  critical: slaDay.default(SLA_DAYS_DEFAULT.critical), high: slaDay.default(SLA_DAYS_DEFAULT.high),
  medium: slaDay.default(SLA_DAYS_DEFAULT.medium), low: slaDay.default(SLA_DAYS_DEFAULT.low), info: slaDay.optional(),
});

export const inventorySchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }).default(1),
  organisation: z.string().optional(),
  /** An optional people mapping file (src/inventory/people.ts), relative to the inventory. */
  people: z.string().trim().min(1).optional(),
  defaults: z.strictObject({
    rotation_days: z.number().int().positive().default(90),
    dormancy_days: z.number().int().positive().default(90),
    /** Warn this many days before a static credential expires (default 30). */
    expiry_warning_days: z.number().int().positive().default(30),
    /** Longest lifetime (expires − created) a static credential may be issued with (credential-lifetime-excessive; default 365). */
    max_credential_lifetime_days: z.number().int().positive().default(365),
    /** Hosts any connector may forward to (the organisation's own domains). */
    allowed_destinations: z.array(host).default([]),
    /** Who receives a finding when no accountable active person is known (src/reconcile/attribution.ts). */
    security_contact: email.optional(),
    /** Days to fix an open finding, per severity, counted from when it was first seen (the report's due dates). */
    sla_days: slaDaysSchema.default(SLA_DAYS_DEFAULT),
  }).default({ rotation_days: 90, dormancy_days: 90, expiry_warning_days: 30, max_credential_lifetime_days: 365, allowed_destinations: [], sla_days: SLA_DAYS_DEFAULT }),
  entries: z.array(entrySchema).default([]),
}).superRefine((inv, ctx) => {
  const ids = new Map<string, number>();
  const claimed = new Map<string, string>();
  inv.entries.forEach((e, i) => {
    const prev = ids.get(e.id.toLowerCase());
    if (prev !== undefined) ctx.addIssue({ code: 'custom', path: ['entries', i, 'id'], message: `duplicate id '${e.id}' (also entries.${prev})` });
    else ids.set(e.id.toLowerCase(), i);
    for (const p of Object.keys(MATCH_KEYS)) {
      const rules = (e.match as Record<string, Record<string, string[] | undefined> | undefined>)[p];
      for (const [k, values] of Object.entries(rules ?? {})) {
        for (const v of values ?? []) {
          const key = `${p}.${k}=${v.toLowerCase()}`;
          const owner = claimed.get(key);
          if (owner && owner !== e.id) ctx.addIssue({ code: 'custom', path: ['entries', i, 'match', p, k], message: `'${v}' is already matched by entry '${owner}'` });
          claimed.set(key, e.id);
        }
      }
    }
  });
});

export type Inventory = z.output<typeof inventorySchema>;
export type InventoryEntry = Inventory['entries'][number];
export type EntryMatch = InventoryEntry['match'];
