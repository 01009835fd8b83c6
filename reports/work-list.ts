// The report as a work list (docs/report.md "Fix these first"): for each open finding, how far its subject reaches
// (resources, users who granted it, third-party publisher, the privilege its reach paths end on — its stored reach
// summary), its priority (severity × reach), the owner to act, its due date from the inventory's sla_days, the approval
// ticket, and the object-specific remediation (console page and command, never run by the tool). Also the inventory
// policy the reconciliation used (organisation, sla_days, rotation_days) and the hygiene table's "older than the
// rotation policy" figure, judged as the rule judges it.
import type { Db } from '../src/graph/db.ts';
import { inventoryPolicyOf } from '../src/graph/inventory-policy.ts';
import * as q from '../src/graph/report-queries.ts';
import { SLA_DAYS_DEFAULT } from '../src/inventory/schema.ts';
import { rotationAge } from '../src/reconcile/rotation-age.ts';
import { remediationFor } from '../src/remediation/index.ts';
import type { FindingItem, FindingReach } from './model-types.ts';
import { severityRank, type Severity } from './reference.ts';

const DAY = 86_400_000;

/** Severity weights of the priority score: each step doubles (docs/report.md). */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 16, high: 8, medium: 4, low: 2, info: 1 };
/** A third-party publisher multiplies the reach factor by this. */
export const THIRD_PARTY_FACTOR = 1.5;
/**
 * The privilege at the end of the connector's reach paths (its reach summary, docs/blast-radius.md) multiplies the reach
 * factor by this: a connector whose paths end on a critical-graded role (Owner on a subscription) outranks an equally
 * severe finding on a connector that reaches nothing privileged.
 */
export const PRIVILEGE_FACTOR: Partial<Record<Severity, number>> = { critical: 1.5, high: 1.25 };

/** The inventory policy a reconciliation used (migration 015), or the schema defaults for one recorded before it. */
export interface ReportPolicy {
  organisation: string | null; slaDays: Partial<Record<Severity, number>>; rotationDays: number; dormancyDays: number;
  source: 'inventory' | 'defaults';
}

export function reportPolicy(db: Db, reconId: number | null): ReportPolicy {
  const row = reconId === null ? undefined : inventoryPolicyOf(db, reconId);
  const d = row?.defaults ?? {};
  const sla = (d.sla_days && typeof d.sla_days === 'object' ? d.sla_days : {}) as Record<string, unknown>;
  const slaDays: Partial<Record<Severity, number>> = { ...SLA_DAYS_DEFAULT };
  for (const s of ['critical', 'high', 'medium', 'low', 'info'] as const) if (typeof sla[s] === 'number' && sla[s] > 0) slaDays[s] = sla[s];
  const days = (v: unknown) => (typeof v === 'number' && v > 0 ? v : 90);
  return { organisation: row?.organisation ?? null, slaDays, rotationDays: days(d.rotation_days), dormancyDays: days(d.dormancy_days),
    source: row ? 'inventory' : 'defaults' };
}

/** The reach factor: 1 + log10(1 + resources + users), × 1.5 for a third party, × 1.5 / 1.25 when its paths end on critical / high privilege. */
export function reachFactor(r: FindingReach): number {
  return (1 + Math.log10(1 + r.resources + r.users)) * (r.thirdParty ? THIRD_PARTY_FACTOR : 1) * ((r.privilege && PRIVILEGE_FACTOR[r.privilege]) || 1);
}

/** Priority score: severity weight × reach factor (rounded to 0.01 so it reads in findings.csv). */
export function priorityScore(severity: Severity, r: FindingReach): number {
  return Math.round(SEVERITY_WEIGHT[severity] * reachFactor(r) * 100) / 100;
}

/** The "Fix these first" order: priority, then severity, then the earliest due date, then the oldest, then the id. */
export function fixFirstOrder(a: FindingItem, b: FindingItem): number {
  return b.priority - a.priority || severityRank(a.severity) - severityRank(b.severity)
    || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.firstSeenAt.localeCompare(b.firstSeenAt) || a.id.localeCompare(b.id);
}

/** Due date (YYYY-MM-DD) = first seen + sla_days[severity]; null when the severity has no SLA. */
export function dueDate(firstSeenAt: string, severity: Severity, sla: Partial<Record<Severity, number>>): string | null {
  const days = sla[severity];
  const t = Date.parse(firstSeenAt);
  return days === undefined || Number.isNaN(t) ? null : new Date(t + days * DAY).toISOString().slice(0, 10);
}

/** Overdue when the figures' moment is past the end of the due day. */
export function isOverdue(due: string | null, asOf: string): boolean {
  return due !== null && Date.parse(asOf) >= Date.parse(due) + DAY;
}

export const NO_REACH: FindingReach = { resources: 0, tenantWide: false, users: 0, thirdParty: false, vendor: null };

export type WorkFields = Pick<FindingItem, 'reach' | 'priority' | 'dueDate' | 'overdue' | 'ownerEmail' | 'ticket' | 'action'>;

/**
 * Everything the work fields need for a set of findings, read once: reach per subject/connector as of each provider's
 * run, subject and connector nodes, what they can access, and the inventory entries' tickets.
 */
export function workContext(db: Db, findings: q.FindingSubjectRow[], runs: Record<string, number>, reconId: number | null, policy: ReportPolicy, asOf: string,
  privilegeOf: (connectorId: string) => Severity | null = () => null) {
  const keyOf = (f: q.FindingSubjectRow) => f.connector_id ?? f.subject_id;
  const byProvider = new Map<string, Set<string>>();
  for (const f of findings) {
    const k = keyOf(f);
    if (k && f.provider) (byProvider.get(f.provider) ?? byProvider.set(f.provider, new Set()).get(f.provider)!).add(k);
  }
  const reach = new Map<string, FindingReach>();
  for (const [p, ids] of byProvider) {
    const run = runs[p];
    if (run === undefined) continue;
    for (const r of q.reachAsOf(db, p, run, [...ids])) {
      reach.set(r.id, { resources: Math.max(r.resources, r.tenant_wide ? 1 : 0), tenantWide: r.tenant_wide === 1, users: r.users, thirdParty: r.third_party === 1, vendor: r.vendor,
        privilege: privilegeOf(r.id) });
    }
  }
  const ids = [...new Set(findings.flatMap((f) => [f.subject_id, f.connector_id]).filter((x): x is string => !!x))];
  const nodes = new Map(q.nodesByIds(db, ids).map((n) => [n.id, n]));
  const access = new Map<string, { resource: string | null; props: Record<string, unknown> }[]>();
  for (const a of q.accessOf(db, ids)) (access.get(a.src) ?? access.set(a.src, []).get(a.src)!).push({ resource: a.resource, props: json(a.props) });
  const entries = reconId === null ? new Map() : q.entryFactsOf(db, reconId);
  return { keyOf, reach, nodes, access, entries, policy, asOf };
}

export type WorkContext = ReturnType<typeof workContext>;

export function workFields(ctx: WorkContext, f: q.ObservedFinding, severity: Severity, owners: string[], evidence: Record<string, unknown>): WorkFields {
  const key = ctx.keyOf(f);
  const reach = (key && ctx.reach.get(key)) || NO_REACH;
  const due = dueDate(f.first_seen_at, severity, ctx.policy.slaDays);
  const node = (id: string | null) => {
    const n = id ? ctx.nodes.get(id) : undefined;
    return n ? { id: n.id, type: n.type, name: n.name, props: json(n.props) } : null;
  };
  const subject = node(f.subject_id);
  const connector = f.connector_id && f.connector_id !== f.subject_id ? node(f.connector_id) : null;
  const tenantRow = (f.subject_id && ctx.nodes.get(f.subject_id)) || (f.connector_id && ctx.nodes.get(f.connector_id)) || undefined;
  const action = f.provider ? remediationFor({ rule: f.rule, provider: f.provider, tenant: f.tenant, subject, connector,
    tenantProps: json(tenantRow?.tenant_props ?? '{}'), access: (f.subject_id && ctx.access.get(f.subject_id)) || [], evidence }) : null;
  return {
    reach, priority: priorityScore(severity, reach), dueDate: due, overdue: isOverdue(due, ctx.asOf),
    ownerEmail: owners.find((o) => o.includes('@')) ?? owners[0] ?? null,
    ticket: (f.inventory_id && ctx.entries.get(f.inventory_id)?.ticket) || null,
    action: action && (action.console_url || action.command) ? { consoleUrl: action.console_url, command: action.command, note: action.note } : null,
  };
}

/**
 * Static credentials older than their rotation policy as of `at` — the credential-rotation-overdue rule's test: the
 * entry's rotation_days (via a connector holding it), else the inventory's defaults.rotation_days; enabled and
 * unexpired credentials only; age from the date the value was last set.
 */
export function olderThanRotationPolicy(db: Db, provider: string, run: number, reconId: number | null, at: string, defaultDays: number): number {
  const now = new Date(at);
  let n = 0;
  for (const c of q.credentialsForRotationAsOf(db, provider, run, reconId)) {
    const props = json(c.props);
    if (props.enabled === false || props.expired === true) continue;
    if (typeof props.expires_at === 'string' && Date.parse(props.expires_at) <= now.getTime()) continue;
    const { age } = rotationAge(c.credential_type, props, now);
    if (age !== null && age > (c.entry_rotation_days ?? defaultDays)) n++;
  }
  return n;
}

function json(s: string): Record<string, unknown> {
  try { const v = JSON.parse(s); return v && typeof v === 'object' && !Array.isArray(v) ? v : {}; } catch { return {}; }
}

/** How many open findings the "Fix these first" section lists (all of them are in findings.csv, in the same order). */
export const FIX_FIRST_ROWS = 15;

/** Reach in words: "12 resources (a whole tenant) · 5 users granted it · third-party (deployhub)". */
export function reachText(r: FindingReach): string {
  const parts: string[] = [];
  if (r.resources) parts.push(`${r.resources} resource${r.resources === 1 ? '' : 's'}${r.tenantWide ? ' (a whole tenant)' : ''}`);
  if (r.users) parts.push(`${r.users} user${r.users === 1 ? '' : 's'} granted it`);
  if (r.thirdParty) parts.push(`third-party${r.vendor ? ` (${r.vendor})` : ''}`);
  if (r.privilege && PRIVILEGE_FACTOR[r.privilege]) parts.push(`paths reach ${r.privilege} privilege`);
  return parts.join(' · ') || 'no reach recorded';
}

/** The line every report prints beside remediation commands. */
export const NEVER_RUN = 'Commands are printed for an administrator to review and run; nhi-census never runs them (it holds read-only credentials).';
