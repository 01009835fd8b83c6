// An approved connector whose approval has lapsed (approval_expires passed) or whose temporary
// approval ended (temporary: true, end_date passed) — and it is still present. The title names the date and the
// approval ticket to renew or close (a date, not "N days ago": a stored count is stale the next day).
import { defineRule, type RuleResult } from '../rule.ts';
import { endOfDay, subjectOf } from './util.ts';

const ticketText = (ticket: unknown) => (typeof ticket === 'string' && ticket ? ` (approval ticket ${ticket})` : '');

export const approvalExpired = defineRule({
  id: 'approval-expired', family: 'approval', severity: 'medium',
  owasp: ['NHI1:2025'], nist: ['ID.RA-07', 'GV.SC-10'],
  description: 'A connector still present after its approval expired (medium) or its temporary approval ended (high).',
  remediation: 'Re-approve it (new approval_expires / end_date with a ticket) or remove it.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const c of ctx.snap.connectors) {
      const m = ctx.matchOf(c.id);
      if (!m) continue;
      const e = m.entry;
      const clock = ctx.clock(c.id);
      if (e.temporary && e.end_date && clock.reached(endOfDay(e.end_date))) {
        out.push({ subject: subjectOf(c), detail: 'temporary-ended', severity: 'high', entry: e, matchRule: m.rule,
          title: `Temporary connector ${c.name} still present after its end date ${e.end_date}${ticketText(e.ticket)}`,
          evidence: { variant: 'temporary-ended', end_date: e.end_date, ticket: e.ticket },
          remediation: 'Remove the temporary connector, or re-approve it as permanent with a ticket.' });
      } else if (e.approval_expires && clock.reached(endOfDay(e.approval_expires))) {
        out.push({ subject: subjectOf(c), detail: 'approval-expired', entry: e, matchRule: m.rule,
          title: `Approval of ${c.name} expired on ${e.approval_expires}${ticketText(e.ticket)}`,
          evidence: { variant: 'approval-expired', approval_expires: e.approval_expires,
            ticket: e.ticket } });
      }
    }
    return out;
  },
});
