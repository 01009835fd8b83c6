// Microsoft Graph (v1.0 and beta), Azure Resource Manager and Entra token routes served from an
// AzureScenario: `$top`/`$skiptoken` paging with absolute @odata.nextLink, `$select`, delta rounds with
// deltaLinks and `@removed`, JSON `$batch` (each sub-request routed, metered and faulted on its own),
// Graph error bodies, resource-unit throttling (429 + Retry-After) and the OpenID/token endpoints MSAL calls.
// A 'next' fault rewrites @odata.nextLink (Graph, dropping a deltaLink) or nextLink (ARM), in $batch answers too.
import crypto from 'node:crypto';
import { applyNextFault, type NextPageSpec, type Route, type SimRequest, type SimResponse } from '../../../src/simulator/server.ts';
import { decodeCursor, encodeCursor, pageSize, selfUrl } from '../../../src/simulator/paging.ts';
import { malformItem, matchFault, type Fault } from '../../../src/simulator/faults.ts';
import { DeltaRounds, project } from './delta.ts';
import type { ServicePrincipal, User } from '@microsoft/microsoft-graph-types';
import type { AzureScenario } from './scenario.ts';
import { graphRequestCost } from '../graph-cost.ts';

type Obj = Record<string, unknown> & { id?: string };

export interface AzureSimContext {
  /** Faults of the running simulator (applied to $batch sub-requests too). */
  faults(): Fault[];
  /** Records a $batch sub-request in the simulator's request log. */
  logSub(entry: { method: string; path: string; query: string; route: string; status: number; fault?: string }): void;
}

/** Graph answers carry `@odata.nextLink` (and a delta round's last page a deltaLink), ARM answers `nextLink`. */
export const azureNextPage: NextPageSpec = {
  self: (req, salt) => selfUrl(req.url, salt),
  set: (out, next, req) => {
    const body = { ...((out.body ?? {}) as Record<string, unknown>) };
    if (/^\/(v1\.0|beta)\//.test(req.path)) { delete body['@odata.deltaLink']; body['@odata.nextLink'] = next; } else body.nextLink = next;
    return { ...out, body };
  },
};

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': crypto.randomUUID() } } } };
}

const notFound = (id: string) => graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export function azureRoutes(s: AzureScenario, sim: AzureSimContext): Route[] {
  const rounds = { applications: new DeltaRounds(), servicePrincipals: new DeltaRounds(), users: new DeltaRounds() };
  const throttle = s.throttle ?? { resourceUnits: 3500, windowMs: 10_000 };
  let win = { start: Date.now(), used: 0 };
  /** Charges `cost` RU; the seconds to wait when the window's budget is spent. */
  const charge = (cost: number): number | null => {
    const now = Date.now();
    if (now - win.start >= throttle.windowMs) win = { start: now, used: 0 };
    if (win.used + cost > throttle.resourceUnits) return Math.max(1, Math.ceil((win.start + throttle.windowMs - now) / 1000));
    win.used += cost;
    return null;
  };
  const throttled = (retryAfterS: number) => graphError(429, 'TooManyRequests', 'Too many requests.', {
    'retry-after': String(retryAfterS), 'x-ms-throttle-scope': 'Tenant_Application/ReadWrite/app/tenant', 'x-ms-throttle-information': 'ResourceUnitLimitExceeded' });

  const apps = groupBy(() => s.applications, (a) => a.id);
  const sps = groupBy(() => s.servicePrincipals, (p) => p.id);
  const usersById = groupBy(() => s.users, (u) => u.id);
  const assignmentsOf = groupBy(() => s.appRoleAssignments ?? [], (a) => a.principalId ?? '');
  const grantsOf = groupBy(() => s.oauth2PermissionGrants ?? [], (g) => g.clientId ?? '');
  const appById = (id: string) => apps(id)[0];
  const spById = (id: string) => sps(id)[0];
  /** A member of a directoryObject collection (owners, role members): annotated with its derived type unless the scenario says bare. */
  const directoryObject = (id: string): Obj | null => {
    const type = (t: string) => (s.directoryObjectForm === 'bare' ? {} : { '@odata.type': `#microsoft.graph.${t}` });
    const u = usersById(id)[0];
    // a nullable property the scenario leaves out is served absent
    if (u) return { ...type('user'), id, ...(u.displayName !== undefined ? { displayName: u.displayName } : {}), userPrincipalName: u.userPrincipalName } satisfies Obj & Partial<User>;
    const sp = spById(id);
    if (sp) return { ...type('servicePrincipal'), id, displayName: sp.displayName } satisfies Obj & Partial<ServicePrincipal>;
    return null;
  };

  const authed = (aud: 'graph' | 'arm', h: (req: SimRequest) => SimResponse | Promise<SimResponse>): ((req: SimRequest) => SimResponse | Promise<SimResponse>) => (req) => {
    const auth = String(req.headers.authorization ?? '');
    // Graph and ARM share the simulator's origin, so one token (one audience) serves both.
    if (!auth.startsWith('Bearer sim.')) {
      return aud === 'arm' ? { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'The access token is missing or invalid for this audience.' } } }
        : graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or not valid for Microsoft Graph.');
    }
    return h(req);
  };
  /** A Graph route: authenticated and metered in resource units at Graph's documented cost, which it reports (x-ms-resource-unit). */
  const graph = (path: string, name: string, h: (req: SimRequest) => SimResponse, method = 'GET'): Route => ({
    method, path, name, handler: authed('graph', (req) => {
      const cost = graphRequestCost(req.method, req.url.toString());
      const wait = charge(cost);
      if (wait !== null) return throttled(wait);
      const res = h(req);
      return { ...res, headers: { ...(res.headers ?? {}), 'x-ms-resource-unit': String(cost) } };
    }),
  });

  const page = (req: SimRequest, all: Obj[], def = 100, max = 999): SimResponse => {
    const size = pageSize(req.query.get('$top'), def, max);
    const offset = decodeCursor(req.query.get('$skiptoken'));
    if (offset === null) return graphError(400, 'BadRequest', 'Invalid $skiptoken.');
    const select = req.query.get('$select');
    const value = all.slice(offset, offset + size).map((o) => project(o, select));
    const body: Record<string, unknown> = { '@odata.context': `${req.url.origin}${req.path}`, value };
    if (offset + size < all.length) {
      const next = new URL(req.url.toString());
      next.searchParams.set('$skiptoken', encodeCursor(offset + size));
      body['@odata.nextLink'] = next.toString();
    }
    return { body };
  };

  const delta = (collection: keyof typeof rounds, current: () => Obj[], removedReason: (id: string) => string) => (req: SimRequest): SimResponse => {
    const r = rounds[collection];
    const skip = req.query.get('$skiptoken');
    const token = req.query.get('$deltatoken');
    let roundId: string;
    let offset = 0;
    if (skip) {
      const [id, off] = skip.split('.');
      roundId = id!;
      offset = Number(off);
    } else {
      if (token && s.expireDeltaTokens) return graphError(400, 'syncStateNotFound', 'The sync state generation is not found: the delta token has expired. Restart the sync without a token.');
      const started = r.start(current(), req.query.get('$select'), token, removedReason);
      if (!started) return graphError(400, 'syncStateNotFound', 'The sync state generation is not found.');
      roundId = started;
    }
    const p = r.page(roundId, offset, s.deltaPageSize ?? 200);
    if (!p) return graphError(400, 'BadRequest', 'Invalid or expired $skiptoken.');
    const base = `${req.url.origin}/v1.0/${collection}/delta`;
    return { body: {
      '@odata.context': `${req.url.origin}/v1.0/$metadata#${collection}`, value: p.items,
      ...(p.next !== null ? { '@odata.nextLink': `${base}?$skiptoken=${roundId}.${p.next}` } : { '@odata.deltaLink': `${base}?$deltatoken=${p.deltaToken}` }),
    } };
  };

  const routes: Route[] = [
    // --- Entra ID authority (what MSAL / @azure/identity call) ---
    { method: 'GET', path: '/:tenant/v2.0/.well-known/openid-configuration', name: 'openid-configuration', handler: (req) => {
      const t = `${req.url.origin}/${req.params.tenant}`;
      return { body: { token_endpoint: `${t}/oauth2/v2.0/token`, authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
        issuer: `${t}/v2.0`, jwks_uri: `${t}/discovery/v2.0/keys`, end_session_endpoint: `${t}/oauth2/v2.0/logout`,
        response_types_supported: ['code', 'id_token', 'token'], token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'] } };
    } },
    { method: 'POST', path: '/:tenant/oauth2/v2.0/token', name: 'token', handler: (req) => {
      const b = req.body as Record<string, string>;
      if (b.grant_type !== 'client_credentials' || !b.client_id || !(b.client_secret || b.client_assertion)) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } };
      }
      return { body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `sim.${crypto.randomBytes(12).toString('hex')}` } };
    } },

    // --- Microsoft Graph v1.0 ---
    graph('/v1.0/organization', 'organization', (req) => page(req, [s.organization])),
    graph('/v1.0/users/delta', 'users-delta', delta('users', () => s.users, (id) => (s.deletedUsers?.some((u) => u.id === id) ? 'changed' : 'deleted'))),
    graph('/v1.0/applications/delta', 'applications-delta', delta('applications', () => s.applications, () => 'deleted')),
    graph('/v1.0/servicePrincipals/delta', 'servicePrincipals-delta', delta('servicePrincipals', () => s.servicePrincipals, () => 'deleted')),
    graph('/v1.0/directory/deletedItems/microsoft.graph.user', 'deleted-users', (req) => page(req, s.deletedUsers ?? [])),
    graph('/v1.0/directory/deletedItems/:id', 'deleted-item', (req) => {
      const u = s.deletedUsers?.find((x) => x.id === req.params.id);
      return u ? { body: project(u, req.query.get('$select')) } : notFound(req.params.id!);
    }),
    graph('/v1.0/:role/members', 'directory-role-members', (req) => {
      if (!/^directoryRoles\(roleTemplateId='62e90394-69f5-4237-9190-012177145e10'\)$/.test(req.params.role!)) return notFound(req.params.role!);
      if (!s.globalAdmins) return notFound(req.params.role!);
      return page(req, s.globalAdmins.map((id) => directoryObject(id)).filter((o): o is Obj => o !== null));
    }),
    graph('/v1.0/applications/:id/owners', 'app-owners', (req) => (appById(req.params.id!)
      ? page(req, (s.owners?.[req.params.id!] ?? []).map(directoryObject).filter((o): o is Obj => o !== null)) : notFound(req.params.id!))),
    graph('/v1.0/applications/:id/federatedIdentityCredentials', 'app-fic', (req) => (appById(req.params.id!)
      ? page(req, s.federatedIdentityCredentials?.[req.params.id!] ?? []) : notFound(req.params.id!))),
    graph('/v1.0/servicePrincipals/:id/owners', 'sp-owners', (req) => (spById(req.params.id!)
      ? page(req, (s.owners?.[req.params.id!] ?? []).map(directoryObject).filter((o): o is Obj => o !== null)) : notFound(req.params.id!))),
    graph('/v1.0/servicePrincipals/:id/appRoleAssignments', 'sp-app-role-assignments', (req) => (spById(req.params.id!)
      ? page(req, assignmentsOf(req.params.id!)) : notFound(req.params.id!))),
    graph('/v1.0/servicePrincipals/:id/oauth2PermissionGrants', 'sp-grants', (req) => (spById(req.params.id!)
      ? page(req, grantsOf(req.params.id!)) : notFound(req.params.id!))),
    graph('/v1.0/servicePrincipals/:id', 'sp-get', (req) => {
      const sp = spById(req.params.id!);
      return sp ? { body: project(sp, req.query.get('$select')) } : notFound(req.params.id!);
    }),
    graph('/v1.0/servicePrincipals', 'sp-list', (req) => {
      const m = /^appId eq '([^']+)'$/.exec(req.query.get('$filter') ?? '');
      return page(req, m ? s.servicePrincipals.filter((p) => p.appId === m[1]) : s.servicePrincipals);
    }),
    graph('/v1.0/applications', 'app-list', (req) => page(req, s.applications)),
    graph('/v1.0/auditLogs/directoryAudits', 'directory-audits', (req) => {
      if (s.directoryAudits === null) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      const filter = auditFilter(req.query.get('$filter'));
      if (!filter) return graphError(400, 'BadRequest', `Invalid filter clause: ${req.query.get('$filter')}`);
      const rows = (s.directoryAudits ?? []).filter((a) => (!filter.name || a.activityDisplayName === filter.name) && (!filter.since || a.activityDateTime >= filter.since))
        .sort((a, b) => b.activityDateTime.localeCompare(a.activityDateTime));
      return page(req, rows as unknown as Obj[], 100, 999);
    }),
    graph('/v1.0/users', 'user-list', (req) => page(req, s.users)),

    // --- Microsoft Graph beta ---
    graph('/beta/reports/servicePrincipalSignInActivities', 'sign-in-activity', (req) => (s.signInActivities === null
      ? graphError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license")
      : page(req, (s.signInActivities ?? []) as unknown as Obj[], 100, 1000))),

    // --- Azure Resource Manager ---
    { method: 'GET', path: '/subscriptions', name: 'arm-subscriptions', handler: authed('arm', () => ({ body: { value: s.subscriptions ?? [] } })) },
    { method: 'GET', path: '/subscriptions/:sub/providers/Microsoft.Authorization/roleDefinitions', name: 'arm-role-definitions',
      handler: authed('arm', (req) => (armSub(req) ? { body: { value: s.roleDefinitions ?? [] } } : armNotFound(req))) },
    { method: 'GET', path: '/subscriptions/:sub/providers/Microsoft.Authorization/roleAssignments', name: 'arm-role-assignments',
      handler: authed('arm', (req) => (armSub(req) ? armPage(req, s.roleAssignments?.[req.params.sub!] ?? []) : armNotFound(req))) },
  ];
  const armSub = (req: SimRequest) => (s.subscriptions ?? []).some((x) => x.subscriptionId === req.params.sub);
  const armNotFound = (req: SimRequest): SimResponse => ({ status: 404, body: { error: { code: 'SubscriptionNotFound', message: `The subscription '${req.params.sub}' could not be found.` } } });

  // JSON batching: each sub-request is routed, metered and faulted as if sent alone.
  const batchable = routes.filter((r) => r.path.startsWith('/v1.0/')).map((r) => ({ route: r, re: compile(r.path) }));
  routes.push({ method: 'POST', path: '/v1.0/$batch', name: 'batch', handler: authed('graph', async (req) => {
    const requests = (req.body as { requests?: Array<{ id: string; method: string; url: string }> }).requests ?? [];
    if (requests.length > 20) return graphError(400, 'BadRequest', 'The number of requests in the batch exceeds the limit of 20.');
    const responses = [];
    for (const r of requests) {
      const url = new URL(`/v1.0${r.url.startsWith('/') ? '' : '/'}${r.url}`, req.url.origin);
      const path = decodeURIComponent(url.pathname);
      const found = batchable.map((b) => ({ b, m: b.re.re.exec(path) })).find((x) => x.m && x.b.route.method === r.method);
      let out: SimResponse;
      let fault: Fault | undefined;
      if (!found) out = graphError(404, 'BadRequest', `Resource not found for the segment '${path}'.`);
      else {
        const params: Record<string, string> = {};
        found.b.re.keys.forEach((k, i) => { params[k] = found.m![i + 1]!; });
        const sub: SimRequest = { ...req, method: r.method, path, url, query: url.searchParams, params, body: {}, route: found.b.route.name! };
        fault = matchFault(sim.faults(), sub);
        if (fault?.kind === 'status') out = { status: fault.status ?? 500, headers: fault.headers, body: fault.body ?? { error: { code: 'simulated', message: 'simulated fault' } } };
        else out = await found.b.route.handler(sub);
        if (fault?.kind === 'next' && (out.status ?? 200) < 300) out = applyNextFault(fault, azureNextPage, out, sub);
        if (fault?.kind === 'malformed' && (out.status ?? 200) < 300) out = { ...out, body: malformItem(out.body, fault.item) };
      }
      sim.logSub({ method: r.method, path, query: url.search, route: `batch:${found?.b.route.name ?? '?'}`, status: out.status ?? 200, ...(fault ? { fault: fault.kind } : {}) });
      responses.push({ id: r.id, status: out.status ?? 200, headers: { 'content-type': 'application/json', ...(out.headers ?? {}) }, body: out.body });
    }
    return { body: { responses } };
  }) });
  return routes;
}

/**
 * A lookup by key over a live scenario array, rebuilt when the array is replaced or changes length (tests
 * add and remove objects between crawls; at benchmark scale a linear search per request would dominate).
 */
function groupBy<T>(arr: () => T[], key: (t: T) => string | undefined): (k: string) => T[] {
  let built: { arr: T[]; len: number; map: Map<string, T[]> } | undefined;
  return (k) => {
    const a = arr();
    if (!built || built.arr !== a || built.len !== a.length) {
      const map = new Map<string, T[]>();
      for (const t of a) { const v = key(t); if (v !== undefined) map.set(v, [...(map.get(v) ?? []), t]); }
      built = { arr: a, len: a.length, map };
    }
    return built.map.get(k) ?? [];
  };
}

function armPage(req: SimRequest, all: unknown[]): SimResponse {
  const size = 100;
  const offset = decodeCursor(req.query.get('$skiptoken')) ?? 0;
  const value = all.slice(offset, offset + size);
  const next = new URL(req.url.toString());
  next.searchParams.set('$skiptoken', encodeCursor(offset + size));
  return { body: { value, ...(offset + size < all.length ? { nextLink: next.toString() } : {}) } };
}

function compile(pattern: string): { re: RegExp; keys: string[] } {
  const keys: string[] = [];
  const src = pattern.split('/').map((seg) => {
    if (seg.startsWith(':')) { keys.push(seg.slice(1)); return '([^/]+)'; }
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return { re: new RegExp(`^${src}/?$`), keys };
}

/** The $filter clauses directoryAudits accepts here: activityDisplayName eq '…' and/or activityDateTime ge <ISO time>. */
function auditFilter(raw: string | null): { name?: string; since?: string } | null {
  if (!raw) return {};
  const out: { name?: string; since?: string } = {};
  for (const clause of raw.split(/\s+and\s+/i)) {
    const name = /^activityDisplayName eq '([^']*)'$/.exec(clause.trim());
    const since = /^activityDateTime ge (\S+)$/.exec(clause.trim());
    if (name) out.name = name[1];
    else if (since && Number.isFinite(Date.parse(since[1]!))) out.since = new Date(since[1]!).toISOString();
    else return null;
  }
  return out;
}
