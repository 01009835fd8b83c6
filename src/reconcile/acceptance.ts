// Risk acceptance (docs/reconcile.md "Accepted risks"): which of an inventory entry's `accepted_risks` covers a
// rule's result. An acceptance covers findings of its rule on the entry's connectors (and the credentials they hold),
// narrowed by `subject` (node id or name) and `detail` (scope, host or variant) when given. Until the end of its
// `expires` day it makes the finding 'accepted' (recorded, listed under "Accepted risks", not an open action item);
// after that the finding re-opens and carries the expired acceptance so the report can say so.
import type { InventoryEntry } from '../inventory/schema.ts';
import type { Clock } from './clock.ts';
import type { RuleResult } from './rule.ts';
import { endOfDay } from './rules/util.ts';

/** What a finding records of the acceptance covering it (findings.acceptance, finding_observations.acceptance). */
export interface AppliedAcceptance {
  rule: string; reason: string; ticket: string; expires: string; inventory_id: string;
  subject?: string; detail?: string;
  /** past its `expires` day: the finding is open again */
  expired: boolean;
}

type Accepted = NonNullable<InventoryEntry['accepted_risks']>[number];

const same = (a: string, b: string | null | undefined) => !!b && a.toLowerCase() === b.toLowerCase();

function covers(a: Accepted, rule: string, r: RuleResult): boolean {
  return a.rule === rule && (!a.subject || same(a.subject, r.subject.id) || same(a.subject, r.subject.name))
    && (!a.detail || same(a.detail, r.detail));
}

/**
 * The acceptance covering result `r` of `rule`, judged on the subject's clock (ctx.clock: its end is a revisit time): a
 * current one (the one lasting longest) when any, else the latest expired one (expired: true), else null. Only
 * findings with an inventory entry can be accepted.
 */
export function acceptanceFor(rule: string, r: RuleResult, clock: Clock): AppliedAcceptance | null {
  const list = (r.entry?.accepted_risks ?? []).filter((a) => covers(a, rule, r));
  if (!list.length) return null;
  const best = list.reduce((a, b) => (endOfDay(b.expires) > endOfDay(a.expires) ? b : a));
  return { rule: best.rule, reason: best.reason, ticket: best.ticket, expires: best.expires, inventory_id: r.entry!.id,
    ...(best.subject ? { subject: best.subject } : {}), ...(best.detail ? { detail: best.detail } : {}),
    expired: clock.reached(endOfDay(best.expires)) };
}

/** Whether a recorded acceptance (findings.acceptance JSON) still holds, on the subject's clock (for findings carried without re-evaluation). */
export function stillAccepted(acceptance: string | null, clock: Clock): boolean {
  const end = acceptanceEnds(acceptance);
  return end !== null && !clock.reached(end);
}

/** When a recorded acceptance (findings.acceptance JSON) stops holding (epoch ms), null if unreadable. */
function acceptanceEnds(acceptance: string | null): number | null {
  if (!acceptance) return null;
  try {
    const a = JSON.parse(acceptance) as Partial<AppliedAcceptance>;
    return typeof a.expires === 'string' ? endOfDay(a.expires) : null;
  } catch { return null; }
}
