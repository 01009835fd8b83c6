// Google API routes served from a GoogleScenario, by the real API paths (the SDK's rootUrl replaces only
// the origin): Admin SDK Directory (customer, users, tokens) and Reports (token activities), Cloud Resource
// Manager v3 (projects:search, :getIamPolicy) and IAM v1 (service accounts, keys, an account's :getIamPolicy,
// Workload Identity pools and their providers). pageToken / nextPageToken paging with maxResults / pageSize caps,
// and Google's JSON error bodies.
import type { Route, SimRequest, SimResponse } from '../../../src/simulator/server.ts';
import { decodeCursor, encodeCursor, pageSize, slice } from '../../../src/simulator/paging.ts';
import type { GoogleScenario, SimActivity, SimLogEntry } from './scenario.ts';

/** Google's error body (Admin SDK style: `errors[].reason`; Cloud style: `status`). */
export function googleError(code: number, message: string, reason: string, status?: string): SimResponse {
  return { status: code, body: { error: { code, message, errors: [{ message, domain: /RateLimit|quota/i.test(reason) ? 'usageLimits' : 'global', reason }], ...(status ? { status } : {}) } } };
}

const notFound = (what: string) => googleError(404, `${what} not found`, 'notFound', 'NOT_FOUND');

/** Slices `all` by pageToken; answers 400 for a token it did not issue. */
function paged<T>(req: SimRequest, all: T[], sizeParam: string, def: number, max: number, wrap: (items: T[], next?: string) => unknown): SimResponse {
  const offset = decodeCursor(req.query.get('pageToken'), 'g');
  if (offset === null) return googleError(400, 'Invalid page token', 'invalid', 'INVALID_ARGUMENT');
  const s = slice(all, offset, pageSize(req.query.get(sizeParam), def, max));
  return { body: wrap(s.items, s.nextOffset === null ? undefined : encodeCursor(s.nextOffset, 'g')) };
}

export function googleRoutes(s: GoogleScenario): Route[] {
  const caps = { users: 500, activities: 1000, projects: 1000, serviceAccounts: 100, workloadIdentityPools: 1000, workloadIdentityPoolProviders: 100, ...(s.maxPageSize ?? {}) };
  const customerOk = (key: string | undefined) => key === 'my_customer' || key === s.customer.id;
  const findUser = (key: string) => s.users.find((u) => u.id === key || u.primaryEmail.toLowerCase() === key.toLowerCase());
  const project = (id: string) => (s.projects ?? []).find((p) => p.projectId === id || p.name === `projects/${id}`);
  const eventTime = (a: SimActivity) => a.id.time ?? '';
  /** A service account by e-mail or unique id, in the project named (id, number) or any (`-`). */
  const account = (projectKey: string, key: string) => {
    const p = projectKey === '-' ? undefined : project(projectKey);
    if (projectKey !== '-' && !p) return undefined;
    const lists = p ? [s.serviceAccounts?.[p.projectId] ?? []] : Object.values(s.serviceAccounts ?? {});
    return lists.flat().find((a) => a.email === key || a.uniqueId === key);
  };

  return [
    { method: 'GET', path: '/admin/directory/v1/customers/:customerKey', name: 'customer', handler: (req) =>
      (customerOk(req.params.customerKey) ? { body: { kind: 'admin#directory#customer', ...s.customer } } : notFound('Customer')) },

    { method: 'GET', path: '/admin/directory/v1/users', name: 'users', handler: (req) => {
      if (!customerOk(req.query.get('customer') ?? undefined) && !req.query.get('domain')) return googleError(400, 'Bad Request', 'badRequest', 'INVALID_ARGUMENT');
      const all = req.query.get('showDeleted') === 'true' ? s.deletedUsers ?? [] : s.users;
      return paged(req, all, 'maxResults', 100, caps.users, (users, next) =>
        ({ kind: 'admin#directory#users', ...(users.length ? { users } : {}), ...(next ? { nextPageToken: next } : {}) }));
    } },

    { method: 'GET', path: '/admin/directory/v1/users/:userKey/tokens', name: 'tokens', handler: (req) => {
      const u = findUser(req.params.userKey!);
      const items = u ? s.tokens?.[u.id] : undefined;
      if (!u || !items) return notFound('Resource');
      return { body: { kind: 'admin#directory#tokenList', ...(items.length ? { items: items.map((t) => ({ kind: 'admin#directory#token', userKey: u.id, ...t })) } : {}) } };
    } },

    { method: 'GET', path: '/admin/reports/v1/activity/users/:userKey/applications/:app', name: 'activities', handler: (req) => {
      if (req.params.app !== 'token') return { body: { kind: 'admin#reports#activities' } };
      const start = req.query.get('startTime');
      const end = req.query.get('endTime');
      const event = req.query.get('eventName');
      const userKey = req.params.userKey!;
      if (start && !Number.isFinite(Date.parse(start))) return googleError(400, 'Invalid value for startTime', 'invalid', 'INVALID_ARGUMENT');
      const all = (s.tokenEvents ?? [])
        .filter((a) => (!start || eventTime(a) >= new Date(start).toISOString()) && (!end || eventTime(a) <= new Date(end).toISOString()))
        .filter((a) => !event || a.events.some((e) => e.name === event))
        .filter((a) => userKey === 'all' || a.actor.email === userKey || a.actor.profileId === userKey)
        .sort((a, b) => eventTime(b).localeCompare(eventTime(a))); // newest first
      return paged(req, all, 'maxResults', 1000, caps.activities, (items, next) =>
        ({ kind: 'admin#reports#activities', ...(items.length ? { items } : {}), ...(next ? { nextPageToken: next } : {}) }));
    } },

    { method: 'GET', path: '/v3/projects:search', name: 'projects-search', handler: (req) =>
      paged(req, s.projects ?? [], 'pageSize', 500, caps.projects, (projects, next) => ({ projects, ...(next ? { nextPageToken: next } : {}) })) },

    { method: 'POST', path: '/v3/projects/:target', name: 'project-iam-policy', handler: (req) => {
      const m = /^(.+):getIamPolicy$/.exec(req.params.target!);
      if (!m) return notFound('Method');
      const p = project(m[1]!);
      if (!p) return googleError(403, `The caller does not have permission`, 'forbidden', 'PERMISSION_DENIED');
      const policy = s.iamPolicies?.[p.projectId] ?? {};
      return { body: { version: policy.bindings?.some((b) => b.condition) ? 3 : 1, etag: 'BwXsim=', ...policy } };
    } },

    { method: 'GET', path: '/v1/projects/:project/serviceAccounts', name: 'service-accounts', handler: (req) => {
      if (!project(req.params.project!)) return googleError(403, 'Permission iam.serviceAccounts.list denied on resource (or it may not exist).', 'forbidden', 'PERMISSION_DENIED');
      return paged(req, s.serviceAccounts?.[req.params.project!] ?? [], 'pageSize', 20, caps.serviceAccounts, (accounts, next) =>
        ({ ...(accounts.length ? { accounts } : {}), ...(next ? { nextPageToken: next } : {}) }));
    } },

    // Cloud Logging entries:list — the filter terms the crawler sends: logName:"…", timestamp>="…", methodName="…" OR …
    { method: 'POST', path: '/v2/entries:list', name: 'log-entries', handler: (req) => {
      const body = (req.body ?? {}) as { resourceNames?: unknown; filter?: unknown; pageSize?: unknown; pageToken?: unknown; orderBy?: unknown };
      const names = Array.isArray(body.resourceNames) ? body.resourceNames.map(String) : [];
      if (!names.length || names.length > 100) return googleError(400, 'resource_names: between 1 and 100 resources required', 'badRequest', 'INVALID_ARGUMENT');
      const filter = typeof body.filter === 'string' ? body.filter : '';
      const since = /timestamp>="([^"]+)"/.exec(filter)?.[1];
      if (since !== undefined && !Number.isFinite(Date.parse(since))) return googleError(400, 'Invalid timestamp in filter', 'badRequest', 'INVALID_ARGUMENT');
      const logName = /logName:"([^"]+)"/.exec(filter)?.[1];
      const methods = [...filter.matchAll(/protoPayload\.methodName="([^"]+)"/g)].map((m) => m[1]!);
      const method = (e: SimLogEntry) => (e.protoPayload as { methodName?: string } | undefined)?.methodName ?? '';
      const all = (s.cloudAuditLog ?? [])
        .filter((e) => names.some((n) => e.logName.startsWith(`${n}/logs/`)))
        .filter((e) => (!since || e.timestamp >= new Date(since).toISOString()) && (!logName || e.logName.includes(logName)))
        .filter((e) => !methods.length || methods.includes(method(e)))
        .sort((a, b) => (body.orderBy === 'timestamp desc' ? b.timestamp.localeCompare(a.timestamp) : a.timestamp.localeCompare(b.timestamp)));
      const q = new URLSearchParams();
      if (body.pageToken) q.set('pageToken', String(body.pageToken));
      if (body.pageSize) q.set('pageSize', String(body.pageSize));
      return paged({ ...req, query: q }, all, 'pageSize', 50, 1000, (entries, next) => ({ ...(entries.length ? { entries } : {}), ...(next ? { nextPageToken: next } : {}) }));
    } },

    { method: 'POST', path: '/v1/projects/:project/serviceAccounts/:target', name: 'service-account-iam-policy', handler: (req) => {
      const m = /^(.+):getIamPolicy$/.exec(req.params.target!);
      if (!m) return notFound('Method');
      const sa = account(req.params.project!, m[1]!);
      if (!sa) return notFound(`Service account projects/${req.params.project}/serviceAccounts/${m[1]}`);
      const policy = s.serviceAccountIamPolicies?.[sa.email] ?? {};
      return { body: { version: policy.bindings?.some((b) => b.condition) ? 3 : 1, etag: 'BwXsa=', ...policy } };
    } },

    // Workload Identity pools (location global): names carry the project number; deleted ones only with showDeleted=true
    { method: 'GET', path: '/v1/projects/:project/locations/:location/workloadIdentityPools', name: 'wif-pools', handler: (req) => {
      const p = project(req.params.project!);
      if (!p) return googleError(403, `Permission 'iam.workloadIdentityPools.list' denied on resource (or it may not exist).`, 'forbidden', 'PERMISSION_DENIED');
      if (req.params.location !== 'global') return notFound('Location');
      const all = (s.workloadIdentityPools?.[p.projectId] ?? []).filter((x) => req.query.get('showDeleted') === 'true' || x.state !== 'DELETED');
      return paged(req, all, 'pageSize', 50, caps.workloadIdentityPools, (workloadIdentityPools, next) =>
        ({ ...(workloadIdentityPools.length ? { workloadIdentityPools } : {}), ...(next ? { nextPageToken: next } : {}) }));
    } },

    { method: 'GET', path: '/v1/projects/:project/locations/:location/workloadIdentityPools/:pool', name: 'wif-pool', handler: (req) => {
      const p = project(req.params.project!);
      if (!p) return googleError(403, `Permission 'iam.workloadIdentityPools.get' denied on resource (or it may not exist).`, 'forbidden', 'PERMISSION_DENIED');
      const name = `${p.name}/locations/${req.params.location}/workloadIdentityPools/${req.params.pool}`;
      const pool = (s.workloadIdentityPools?.[p.projectId] ?? []).find((x) => x.name === name);
      return pool ? { body: pool } : notFound(`Workload identity pool ${name}`);
    } },

    { method: 'GET', path: '/v1/projects/:project/locations/:location/workloadIdentityPools/:pool/providers', name: 'wif-providers', handler: (req) => {
      const p = project(req.params.project!);
      if (!p) return googleError(403, `Permission 'iam.workloadIdentityPoolProviders.list' denied on resource (or it may not exist).`, 'forbidden', 'PERMISSION_DENIED');
      const name = `${p.name}/locations/${req.params.location}/workloadIdentityPools/${req.params.pool}`;
      if (!(s.workloadIdentityPools?.[p.projectId] ?? []).some((x) => x.name === name)) return notFound(`Workload identity pool ${name}`);
      const all = (s.workloadIdentityPoolProviders?.[name] ?? []).filter((x) => req.query.get('showDeleted') === 'true' || x.state !== 'DELETED');
      return paged(req, all, 'pageSize', 50, caps.workloadIdentityPoolProviders, (workloadIdentityPoolProviders, next) =>
        ({ ...(workloadIdentityPoolProviders.length ? { workloadIdentityPoolProviders } : {}), ...(next ? { nextPageToken: next } : {}) }));
    } },

    { method: 'GET', path: '/v1/projects/:project/serviceAccounts/:account/keys', name: 'service-account-keys', handler: (req) => {
      const sa = (s.serviceAccounts?.[req.params.project!] ?? []).find((a) => a.email === req.params.account || a.uniqueId === req.params.account);
      if (!sa) return notFound(`Service account projects/${req.params.project}/serviceAccounts/${req.params.account}`);
      const types = req.query.getAll('keyTypes');
      const keys = (s.keys?.[sa.email] ?? []).filter((k) => !types.length || types.includes(k.keyType));
      return { body: keys.length ? { keys } : {} };
    } },
  ];
}
