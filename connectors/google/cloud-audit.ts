// Incremental Cloud crawls: which projects and service accounts changed since each listing's watermark, from
// the Admin Activity audit log (Cloud Logging `entries.list`, up to 100 projects per request; needs
// roles/logging.viewer). The projects listing reads it once per page of projects; each project's IAM-policy,
// service-account and Workload Identity pool listings, and each account's keys and IAM-policy listings, then re-read only if an entry naming them is
// newer than their watermark, and otherwise keep what they own (nothing removed, nothing sent). Every such listing keeps its own watermark
// (crawl state, written only when it completes), so a listing that failed is read again next time. A full crawl,
// a listing without a watermark (new, or older than cloudAuditMaxAgeDays) and a failed audit read (refused,
// errored, an entry that names no project) mean a full re-read, noted in the ledger — never a silent skip.
// https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list
// https://cloud.google.com/iam/docs/audit-logging
import type { logging_v2 } from '@googleapis/logging';
import type { ListContext, ParentRef } from '../../src/crawl/resource.ts';
import { errorMessage } from '../../src/crawl/errors.ts';
import type { GoogleClient } from './client.ts';
import { googlePages } from './paginate.ts';

/** Admin Activity methods that change a project's IAM policy, its service accounts or their keys. */
export const AUDIT_METHODS = [
  'SetIamPolicy', 'google.cloud.resourcemanager.v3.Projects.SetIamPolicy',
  ...['CreateServiceAccount', 'DeleteServiceAccount', 'UndeleteServiceAccount', 'DisableServiceAccount', 'EnableServiceAccount',
    'PatchServiceAccount', 'UpdateServiceAccount', 'CreateServiceAccountKey', 'UploadServiceAccountKey', 'DeleteServiceAccountKey',
    'DisableServiceAccountKey', 'EnableServiceAccountKey'].map((m) => `google.iam.admin.v1.${m}`),
  // a service account's own IAM policy (who may impersonate it; logged in either spelling)
  'google.iam.admin.v1.SetIAMPolicy', 'google.iam.admin.v1.SetIamPolicy',
  // Workload Identity pools and providers (what external tokens the project accepts)
  ...['CreateWorkloadIdentityPool', 'UpdateWorkloadIdentityPool', 'DeleteWorkloadIdentityPool', 'UndeleteWorkloadIdentityPool',
    'CreateWorkloadIdentityPoolProvider', 'UpdateWorkloadIdentityPoolProvider', 'DeleteWorkloadIdentityPoolProvider',
    'UndeleteWorkloadIdentityPoolProvider'].map((m) => `google.iam.v1.WorkloadIdentityPools.${m}`),
] as const;

/** The role an incremental Cloud crawl needs to read the audit log (named in notes and the permission table). */
export const AUDIT_ROLE = 'roles/logging.viewer (logging.logEntries.list) for incremental crawls';

const BATCH = 100; // entries.list accepts at most 100 resource names per request

/**
 * What the audit log says about one project since `since`, read at `readAt` (epoch ms): its latest entry, and each
 * named account's; or why it could not be read.
 */
type ProjectView = { ok: true; since: number; readAt: string; latest?: number; accounts: Map<string, number> } | { ok: false; reason: string };

const views = new WeakMap<GoogleClient, Map<string, ProjectView>>();

/** What a watermark is of: a project's IAM policy, service accounts or Workload Identity pools; an account's keys or IAM policy. */
export type Watermarked = 'iam' | 'accounts' | 'keys' | 'wif' | 'sa_iam';

/** The crawl-state key of a listing's watermark. */
export const watermarkKey = (what: Watermarked, id: string) => `cloud-audit:${what}:${id}`;

const FULL_KEY = 'cloud-audit:full';

/** Projects listing, full crawl: when it began (a floor for the next incremental crawls' audit reads). */
export function markFullCrawl(ctx: ListContext<GoogleClient>): void {
  if (ctx.mode === 'full') ctx.state.set(FULL_KEY, new Date().toISOString());
}

/** Projects listing, incremental crawl: reads the audit log for one page of projects (those with watermarks). */
export async function readAuditForProjects(ctx: ListContext<GoogleClient>, projectIds: string[]): Promise<void> {
  if (ctx.mode !== 'incremental' || !projectIds.length) return;
  const { cfg } = ctx.client;
  const readAt = new Date().toISOString();
  const oldest = new Date(Date.now() - cfg.cloudAuditMaxAgeDays * 86_400_000).toISOString();
  const overlapMs = cfg.cloudAuditOverlapMinutes * 60_000;
  let since = readAt;
  const asked: string[] = [];
  for (const id of projectIds) {
    const marks = [ctx.state.get(watermarkKey('iam', id)), accountsMark(ctx.state.get(watermarkKey('accounts', id)))?.at];
    if (marks.some((m) => !m || !Number.isFinite(Date.parse(m)) || m < oldest)) continue; // read in full: no view
    // the pools listing's watermark, when it has one, is covered too (a project without one reads its pools in full)
    const wif = ctx.state.get(watermarkKey('wif', id));
    for (const m of [...marks, ...(wif && Number.isFinite(Date.parse(wif)) && wif >= oldest ? [wif] : [])]) {
      const from = new Date(Date.parse(m!) - overlapMs).toISOString();
      if (from < since) since = from;
    }
    asked.push(id);
  }
  if (!asked.length) return;
  // back to the last full crawl too: an account's keys listing keeps the watermark that crawl gave it while its
  // project is quiet, so its first change after that is judged by its own entries, not by a full re-read
  const full = ctx.state.get(FULL_KEY);
  if (full && Number.isFinite(Date.parse(full)) && full >= oldest) {
    const from = new Date(Date.parse(full) - overlapMs).toISOString();
    if (from < since) since = from;
  }
  let byProject = views.get(ctx.client);
  if (!byProject) { byProject = new Map(); views.set(ctx.client, byProject); }
  try {
    const found = new Map<string, { latest: number; accounts: Map<string, number> }>();
    for (let i = 0; i < asked.length; i += BATCH) {
      const batch = asked.slice(i, i + BATCH);
      const body: logging_v2.Schema$ListLogEntriesRequest = {
        resourceNames: batch.map((id) => `projects/${id}`), filter: auditFilter(since), orderBy: 'timestamp desc', pageSize: 1000,
      };
      for await (const page of googlePages(ctx.client, 'logging.entries.list',
        (pageToken) => ctx.client.logging.entries.list({ requestBody: { ...body, pageToken } }), (d) => d.entries)) {
        for (const e of page.items) {
          const [project, account] = attribute(e);
          if (!project) throw new Error(`an audit entry names no project (logName ${JSON.stringify(e.logName ?? null)})`);
          const at = Date.parse(e.timestamp ?? '');
          const t = Number.isFinite(at) ? at : Date.now(); // an entry without a time counts as a change now
          const f = found.get(project) ?? { latest: t, accounts: new Map<string, number>() };
          f.latest = Math.max(f.latest, t);
          if (account) f.accounts.set(account, Math.max(f.accounts.get(account) ?? t, t));
          found.set(project, f);
        }
      }
    }
    for (const id of asked) byProject.set(id, { ok: true, since: Date.parse(since), readAt, latest: found.get(id)?.latest, accounts: found.get(id)?.accounts ?? new Map() });
  } catch (err) {
    const reason = `Cloud audit log not read (${errorMessage(err).slice(0, 160)}): IAM policies, service accounts and keys read in full; grant ${AUDIT_ROLE}`;
    ctx.note(reason);
    for (const id of asked) byProject.set(id, { ok: false, reason });
  }
}

/** The Logging-query-language filter: Admin Activity entries of the listed methods since `since`. */
export function auditFilter(since: string): string {
  return `logName:"/logs/cloudaudit.googleapis.com%2Factivity" AND timestamp>="${since}" AND (${AUDIT_METHODS.map((m) => `protoPayload.methodName="${m}"`).join(' OR ')})`;
}

/** An entry's project (from its log name) and the service account it names (e-mail or unique id), if any. */
function attribute(e: logging_v2.Schema$LogEntry): [string | undefined, string | undefined] {
  const project = /^projects\/([^/]+)\/logs\//.exec(e.logName ?? '')?.[1];
  const p = (e.protoPayload ?? {}) as { resourceName?: unknown; request?: { name?: unknown }; response?: { email?: unknown } };
  const names = [p.resourceName, p.request?.name, p.response?.email].filter((v): v is string => typeof v === 'string');
  for (const n of names) {
    const m = /serviceAccounts\/([^/]+)/.exec(n) ?? /^([^/\s]+@[^/\s]+)$/.exec(n);
    if (m) return [project, m[1]!.toLowerCase()];
  }
  return [project, undefined];
}

type Account = { email: string; uniqueId?: string | null };

/** A service-account listing's watermark: when, and the accounts it listed (their keys listings hang off it). */
function accountsMark(value: string | undefined): { at: string; accounts: Account[] } | undefined {
  try {
    const v = JSON.parse(value ?? '') as { at?: unknown; accounts?: unknown };
    return typeof v.at === 'string' && Array.isArray(v.accounts) ? { at: v.at, accounts: v.accounts as Account[] } : undefined;
  } catch { return undefined; }
}

/** Service-account listing read: its watermark, written when it completes, with the accounts it listed. */
export function recordAccounts(ctx: ListContext<GoogleClient, ParentRef>, projectId: string, at: string, accounts: Account[]): void {
  ctx.state.set(watermarkKey('accounts', projectId), JSON.stringify({ at, accounts }));
}

/**
 * A project's IAM-policy, service-account or pools listing, or an account's keys or IAM-policy listing: keep it (no audit entry naming
 * it is newer than its watermark) or read it. Sets the next watermark (a read service-account listing: recordAccounts).
 * A service-account listing is kept only if every account's keys listing would be kept too (one that failed, or
 * is named, needs the listing read to be scheduled).
 */
export function readOrKeep(ctx: ListContext<GoogleClient, ParentRef>, what: Watermarked, projectId: string,
  account?: Account): 'read' | 'keep' {
  const key = watermarkKey(what, account ? account.email : projectId);
  const view = ctx.mode === 'incremental' ? views.get(ctx.client)?.get(projectId) : undefined;
  const listed = what === 'accounts' ? accountsMark(ctx.state.get(key)) : undefined;
  const mark = what === 'accounts' ? listed?.at : ctx.state.get(key);
  if (view?.ok && current(ctx, view, mark, account ? entryTime(view, account) : view.latest)
    && (what !== 'accounts' || listed!.accounts.every((a) => current(ctx, view, ctx.state.get(watermarkKey('keys', a.email)), entryTime(view, a))))) {
    ctx.state.set(key, what === 'accounts' ? JSON.stringify({ ...listed, at: view.readAt }) : view.readAt);
    ctx.keepAll('no Admin Activity audit entries since the last crawl');
    return 'keep';
  }
  if (view && !view.ok) ctx.note(view.reason);
  if (what !== 'accounts') ctx.state.set(key, new Date().toISOString());
  return 'read';
}

/** The latest entry naming an account (by e-mail or unique id), if any. */
const entryTime = (view: Extract<ProjectView, { ok: true }>, a: Account) =>
  Math.max(view.accounts.get(a.email.toLowerCase()) ?? -1, view.accounts.get(a.uniqueId ?? '') ?? -1);

/** A watermark the audit read covers, with no entry (`latest`) newer than it: nothing changed. */
function current(ctx: ListContext<GoogleClient, ParentRef>, view: Extract<ProjectView, { ok: true }>, mark: string | undefined, latest: number | undefined): boolean {
  const from = Date.parse(mark ?? '') - ctx.client.cfg.cloudAuditOverlapMinutes * 60_000; // NaN without a watermark: false
  return from >= view.since && (latest ?? -1) < from;
}
