// The organisation audit log as GitHub Enterprise Cloud serves it (GET /orgs/{org}/audit-log): newest first (or
// order=asc), `phrase` filtering on the qualifiers the crawler sends (action:<category|action>, created:<op><ISO
// 8601>, repo:<owner/name>; any other term is answered 422 so an adapter mistake shows), include=web|git|all, and
// cursor paging — per_page up to 100 (default 30), the next page in the Link header as `after=<cursor>` on
// /organizations/{id}/audit-log, as GitHub writes it. `auditLog: null` (or absent): the organisation is not on
// GitHub Enterprise Cloud and the endpoint answers 404.
// Hook changes a test makes to the scenario between crawls (repoHooks edited in place) are recorded as the audit
// events GitHub would have written — hook.create, hook.destroy, hook.active_changed, hook.events_changed,
// hook.config_changed — when the log or the first page of the organisation's repositories is next read, stamped with
// that time (never earlier than the change; a crawl reads its repositories before their hooks); a test may also push
// events to `auditLog` itself.
import type { SimRequest, SimResponse } from '../../../src/simulator/server.ts';
import { decodeCursor, encodeCursor, pageSize } from '../../../src/simulator/paging.ts';
import type { AuditLogEvent } from '../types.ts';
import type { GithubScenario } from './scenario.ts';

const notFound = (): SimResponse => ({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/enterprise-cloud@latest/rest/orgs/orgs#get-the-audit-log-for-an-organization' } });
const invalid = (message: string): SimResponse => ({ status: 422, body: { message, documentation_url: 'https://docs.github.com/enterprise-cloud@latest/rest/orgs/orgs#get-the-audit-log-for-an-organization' } });

/** What a hook looked like when the log was last read: the fields its audit events are about. */
interface HookState { active: boolean; events: string; config: string; name: string }
type Snapshot = Map<string, Map<number, HookState>>;

/** One recorder per scenario object: it survives a simulator restart on the same scenario. */
const snapshots = new WeakMap<GithubScenario, Snapshot>();

function snapshot(s: GithubScenario): Snapshot {
  const out: Snapshot = new Map();
  for (const [repo, hooks] of Object.entries(s.repoHooks ?? {})) {
    out.set(repo, new Map(hooks.map((h) => [h.id, { active: h.active, events: JSON.stringify([...(h.events ?? [])].sort()),
      config: JSON.stringify(h.config ?? {}), name: h.name }])));
  }
  return out;
}

/** Starts recording hook changes from the scenario as it is now (called when the simulator starts). */
export function watchHooks(s: GithubScenario): void {
  if (!snapshots.has(s)) snapshots.set(s, snapshot(s));
}

let documentSeq = 0;

/** Appends the audit events for every hook change since the last call (or since watchHooks), stamped `now`. */
export function recordHookChanges(s: GithubScenario, now = Date.now()): void {
  const before = snapshots.get(s) ?? new Map();
  const after = snapshot(s);
  snapshots.set(s, after);
  if (!Array.isArray(s.auditLog)) return;
  const org = s.org.login;
  const event = (action: string, repo: string, id: number, h: HookState, extra: Partial<AuditLogEvent> = {}): AuditLogEvent => ({
    '@timestamp': now, created_at: now, _document_id: `sim-${now}-${++documentSeq}`, action, actor: 'simulated-admin', org, org_id: s.org.id,
    repo: `${org}/${repo}`, hook_id: id, name: h.name, active: h.active, ...extra });
  for (const repo of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(repo) ?? new Map<number, HookState>();
    const now_ = after.get(repo) ?? new Map<number, HookState>();
    for (const [id, h] of now_) {
      const w = was.get(id);
      if (!w) { s.auditLog.push(event('hook.create', repo, id, h)); continue; }
      if (w.active !== h.active) s.auditLog.push(event('hook.active_changed', repo, id, h, { active_was: w.active }));
      if (w.events !== h.events) s.auditLog.push(event('hook.events_changed', repo, id, h));
      if (w.config !== h.config) s.auditLog.push(event('hook.config_changed', repo, id, h));
    }
    for (const [id, w] of was) if (!now_.has(id)) s.auditLog.push(event('hook.destroy', repo, id, w));
  }
}

type Test = (e: AuditLogEvent) => boolean;

/** The phrase's terms as tests, or the term the simulator does not know. */
function parsePhrase(phrase: string): Test[] | { unsupported: string } {
  const tests: Test[] = [];
  for (const term of phrase.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(action|created|repo):(.+)$/.exec(term);
    if (!m) return { unsupported: term };
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'action') {
      tests.push(value.includes('.') ? (e) => e.action === value : (e) => String(e.action ?? '').startsWith(`${value}.`));
    } else if (key === 'repo') {
      tests.push((e) => String(e.repo ?? '').toLowerCase() === value.toLowerCase());
    } else {
      const c = /^(>=|<=|>|<)?(.+)$/.exec(value)!;
      const at = Date.parse(c[2]!);
      if (Number.isNaN(at)) return { unsupported: term };
      const op = c[1] ?? '=';
      tests.push((e) => {
        const t = e['@timestamp'] ?? e.created_at ?? 0;
        return op === '>=' ? t >= at : op === '>' ? t > at : op === '<=' ? t <= at : op === '<' ? t < at : new Date(t).toISOString().slice(0, 10) === c[2];
      });
    }
  }
  return tests;
}

/** GET /orgs/{org}/audit-log and the /organizations/{id}/audit-log form its Link header uses. */
export function auditLogPage(s: GithubScenario, req: SimRequest): SimResponse {
  if (!Array.isArray(s.auditLog)) return notFound();
  recordHookChanges(s);
  const tests = parsePhrase(req.query.get('phrase') ?? '');
  if (!Array.isArray(tests)) return invalid(`simulator: unsupported audit-log phrase term '${tests.unsupported}'`);
  const include = req.query.get('include') ?? 'web';
  if (!['web', 'git', 'all'].includes(include)) return invalid(`include must be one of web, git, all`);
  const asc = req.query.get('order') === 'asc';
  // git events (git.clone, git.push…) are only served with include=git|all; web ones with web|all
  const kind = (e: AuditLogEvent) => (String(e.action ?? '').startsWith('git.') ? 'git' : 'web');
  const all = s.auditLog.filter((e) => (include === 'all' || kind(e) === include) && tests.every((t) => t(e)))
    .sort((a, b) => ((a['@timestamp'] ?? 0) - (b['@timestamp'] ?? 0)) * (asc ? 1 : -1));
  const perPage = pageSize(req.query.get('per_page'), 30, 100);
  const offset = decodeCursor(req.query.get('after'), 'audit');
  if (offset === null) return invalid('after: invalid cursor');
  const items = all.slice(offset, offset + perPage);
  const headers: Record<string, string> = {};
  if (offset + perPage < all.length) {
    const next = new URL(`/organizations/${s.org.id}/audit-log`, req.url);
    for (const [k, v] of req.query) if (k !== 'after' && k !== 'before' && k !== 'page') next.searchParams.set(k, v);
    next.searchParams.set('after', encodeCursor(offset + perPage, 'audit'));
    next.searchParams.set('before', '');
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  return { headers, body: items };
}
