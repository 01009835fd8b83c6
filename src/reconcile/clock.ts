// Judging dates against the reconciliation's "now", per subject, remembering when each judgement would change.
// Rules read the clock only through here (ctx.clock(subjectId)); the instants recorded tell the incremental
// reconciliation (src/reconcile/units.ts) when a subject whose data did not change must be judged again: a
// threshold crossed (a credential expiring, dormant, overdue; an approval lapsing) or a day count in a title ticking.

const DAY = 86_400_000;

export interface Clock {
  /** now ≥ `atMs`; the instant is recorded when still ahead. */
  reached(atMs: number): boolean;
  /** Whole days from an ISO date (or epoch ms) to now (negative ahead of it), null if unreadable; it changes the next time the count ticks. */
  daysSince(iso: unknown): number | null;
  /** More than `days` whole days have passed since the ISO date (false when unreadable). */
  olderThan(iso: unknown, days: number): boolean;
}

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
      daysSince: (iso) => {
        const t = parseTime(iso);
        if (t === null) return null;
        const d = Math.floor((now - t) / DAY);
        this.note(id, t + (d + 1) * DAY);
        return d;
      },
      olderThan: (iso, days) => {
        const t = parseTime(iso);
        return t !== null && clock.reached(t + (days + 1) * DAY);
      },
    };
    return clock;
  }
}
