// The organisation audit log as a change signal for repository webhooks (GitHub Enterprise Cloud only):
// GET /orgs/{org}/audit-log?phrase=action:hook created:>=<since>&include=web, Link-header (`after` cursor) paging
// through the project's PageGuard, read once per crawl. It names the repositories whose hooks were created,
// deleted or changed (hook.create, hook.destroy, hook.config_changed, hook.events_changed, hook.active_changed:
// `repo` is `owner/name`; an event without a repository is an organisation hook's, listed by its own conditional
// listing). resources/repo-webhooks.ts lists only those repositories on incremental crawls and keeps the rest.
// Any failure — 404 (no GHEC, or a credential it is hidden from), 403 (no read:audit_log / Administration read, not an
// owner), a paging refusal, a malformed answer — is an answer too: { ok: false, reason }, and every repository is
// listed with conditional requests as before. Never a reason to remove anything.
// https://docs.github.com/enterprise-cloud@latest/rest/orgs/orgs#get-the-audit-log-for-an-organization
import type { Octokit } from '@octokit/rest';
import type { PageGuard } from '../../src/crawl/page-guard.ts';
import { checkIssued, discardNote, type Issuer } from '../../src/crawl/base-relative.ts';
import { nextLink } from './paginate.ts';
import type { AuditLogEvent } from './types.ts';

/** How far before the last watermark the log is read again: clock skew and events the log records late. */
export const AUDIT_OVERLAP_MS = 5 * 60_000;

/** `note`: the ledger line saying why every repository is listed (with conditional requests). */
export type HookSignal =
  | { ok: true; since: number; repos: ReadonlySet<string>; events: number }
  | { ok: false; note: string };

/** The previous crawl's watermark for the organisation (ms), with the base URL it was taken against. */
export interface Watermark { at: number; base: string }

interface RequestErrorLike { status?: number; message?: string; response?: { data?: unknown } }

/** `created:>=` takes ISO 8601 with an offset (docs: YYYY-MM-DDTHH:MM:SS+00:00). */
export function auditTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export class HookChangeIndex {
  /** This crawl's watermark (ms): taken before any of its hook listings was read, so every later change is after it. */
  readonly watermark: number;
  private read: Promise<HookSignal> | undefined;
  /** Audit-log pages requested and hook events seen, for the ledger and tests. */
  readonly stats = { requests: 0, events: 0 };

  constructor(private readonly octokit: Octokit, private readonly org: string, private readonly guard: () => PageGuard, now = Date.now()) {
    this.watermark = now;
  }

  /**
   * The repositories (lower-case names) whose hooks changed since the previous crawl's watermark less AUDIT_OVERLAP_MS.
   * Decided once, from the watermark as the first caller read it (later listings of this crawl may already see this
   * crawl's own): every caller of the crawl gets the same answer. No watermark, or one taken against another base
   * URL, is no signal (nothing is read).
   */
  signal(last: Watermark | undefined, issuer: Issuer): Promise<HookSignal> {
    return (this.read ??= (async (): Promise<HookSignal> => {
      if (!last) return { ok: false, note: 'hooks listed with conditional requests: no audit-log watermark from an earlier crawl' };
      const moved = checkIssued(last.base, issuer);
      if (moved) return { ok: false, note: discardNote(moved) };
      return this.fetch(last.at);
    })());
  }

  private async fetch(since: number): Promise<HookSignal> {
    const owner = this.org.toLowerCase();
    const repos = new Set<string>();
    let events = 0;
    try {
      const first = this.octokit.request.endpoint('GET /orgs/{org}/audit-log', {
        org: this.org, phrase: `action:hook created:>=${auditTime(since - AUDIT_OVERLAP_MS)}`, include: 'web', per_page: 100 });
      const guard = this.guard();
      let url: string | null = guard.start(first.url);
      while (url) {
        guard.beforePage();
        const res = await this.octokit.request({ method: 'GET', url });
        this.stats.requests++;
        if (!Array.isArray(res.data)) throw new Error('the answer is not a list of audit events');
        for (const e of res.data as AuditLogEvent[]) {
          if (typeof e?.action !== 'string' || !e.action.startsWith('hook.')) continue;
          events++;
          const named = e.repo ?? e.repository;
          if (typeof named !== 'string' || !named) continue; // an organisation hook
          const slash = named.indexOf('/');
          if (slash >= 0 && named.slice(0, slash).toLowerCase() !== owner) continue;
          repos.add(named.slice(slash + 1).toLowerCase());
        }
        const next = nextLink(res.headers.link as string | undefined);
        url = next ? guard.follow(next) : null;
      }
    } catch (err) {
      return { ok: false, note: `hooks listed with conditional requests: ${unavailable(err as RequestErrorLike)}` };
    }
    this.stats.events += events;
    return { ok: true, since, repos, events };
  }
}

/** Why the log could not serve as the signal, for the ledger note. */
function unavailable(e: RequestErrorLike): string {
  const said = String((e.response?.data as { message?: unknown } | undefined)?.message ?? e.message ?? '').replace(/ - https:\/\/docs\.github\.com\S*$/, '').slice(0, 120);
  if (e.status === 404) return 'organisation audit log not available (HTTP 404: GitHub Enterprise Cloud only)';
  if (e.status === 403) {
    return `organisation audit log refused (HTTP 403${said ? ` "${said}"` : ''}: it needs an organisation owner's classic PAT with read:audit_log, `
      + 'or the GitHub App permission Organization › Administration (read))';
  }
  return `organisation audit log not read (${e.status ? `HTTP ${e.status}` : ''}${e.status && said ? ': ' : ''}${said || (e.status ? '' : 'error')})`;
}
