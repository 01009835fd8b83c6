// The time a reconciliation judges dates against ("now": expiry, rotation age, dormancy). `--now` takes only
// a real calendar date or a date-time with a zone, in ISO 8601 — never a bare number, a relative word or a
// date that rolls over (2026-02-30) — and never one earlier than the crawl it reconciles: judging data as of a
// time before it was collected would resolve findings that still stand.
import { InputError } from '../config/yaml-errors.ts';
import { runsLabel, type CrawlInfo } from '../graph/reconcile-snapshot.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;
const FORMS = 'YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or an offset such as +02:00';

/** Parses `--now`: a date (00:00 UTC) or a date-time with a zone; throws InputError naming the accepted forms. */
export function parseEvaluationTime(text: string, flag = '--now'): Date {
  const m = ISO.exec(text);
  const bad = (why: string) => new InputError(`${flag} must be an ISO 8601 date or date-time, ${FORMS} (${why}: ${JSON.stringify(text)})`);
  if (!m) throw bad(text.length && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? 'a date-time needs Z or an offset' : 'not in that form');
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth) throw bad('no such calendar date');
  if (h > 23 || mi > 59 || s > 59) throw bad('no such time of day');
  const zone = m[8];
  if (zone && zone !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4, 6)) > 59)) throw bad('no such offset');
  const at = new Date(m[4] === undefined ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(at.getTime())) throw bad('not a valid time');
  return at;
}

/** Refuses an evaluation time earlier than the end of any crawl run the reconciliation would use. */
export function refuseBeforeCrawls(now: Date, crawls: Iterable<CrawlInfo>, flag = '--now'): void {
  for (const c of crawls) {
    const end = c.finishedAt ?? c.startedAt;
    if (now.getTime() < Date.parse(end)) {
      throw new InputError(`${flag} ${now.toISOString()} is earlier than the crawl it would reconcile (${c.provider} ${runsLabel(c.runIds)}, ` +
        `finished ${end}): dates can only be judged as of a time the data had been collected; use a later --now, or none`);
    }
  }
}
