// Judging dates against the reconciliation's "now", per subject, remembering when each judgement would change.
// Rules read the clock only through here (ctx.clock(subjectId)); the instants recorded tell the incremental
// reconciliation (src/reconcile/incremental.ts) when a subject whose data did not change must be judged again: a
// threshold crossed (a credential expiring, dormant, overdue; an approval or acceptance lapsing). Findings state dates
// (`unused since 2026-05-03`), never counts of days to now: a stored count is stale the next day, and would make every
// dated finding change — and be rewritten and re-evaluated — every night.

const DAY = 86_400_000;

export interface Clock {
  /** now ≥ `atMs`; the instant is recorded when still ahead. */
  reached(atMs: number): boolean;
  /** More than `days` whole days have passed since the ISO date (false when unreadable). */
  olderThan(iso: unknown, days: number): boolean;
}

/** The UTC calendar day of an instant (YYYY-MM-DD): how titles state dates (a stored day count would be stale tomorrow). */
export const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const parseTime = (iso: unknown): number | null => {
  if (typeof iso === 'number') return Number.isFinite(iso) ? iso : null;
  if (typeof iso !== 'string' || !iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

/** The clocks of one reconciliation: each records into `next` (subject id -> earliest instant ahead of now). */
export class Clocks {
  readonly next = new Map<string, number>();
  constructor(private readonly nowMs: number) {}

  private note(id: string, at: number): void {
    if (at <= this.nowMs) return;
    const was = this.next.get(id);
    if (was === undefined || at < was) this.next.set(id, at);
  }

  for(id: string): Clock {
    const now = this.nowMs;
    const clock: Clock = {
      reached: (at) => { if (Number.isNaN(at)) return false; this.note(id, at); return now >= at; },
      olderThan: (iso, days) => {
        const t = parseTime(iso);
        return t !== null && clock.reached(t + (days + 1) * DAY);
      },
    };
    return clock;
  }
}
