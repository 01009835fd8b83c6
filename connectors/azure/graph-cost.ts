// What one Microsoft Graph identity-and-access request costs in resource units (RU), from Microsoft's
// documented table (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits):
// base cost per operation and path (GET applications, users, oauth2PermissionGrants and
// servicePrincipals/{id}/appRoleAssignments cost 2; anything else 1), then $select −1, $expand +1,
// $top < 20 −1, never below 1. Requests inside a JSON $batch are metered one by one. The crawler draws
// these units from its rate budget so pacing matches what Graph charges; the simulator charges the same.
const BASE_COSTS: Array<{ method: string; path: RegExp; cost: number }> = [
  { method: 'GET', path: /^\/applications$/i, cost: 2 },
  { method: 'GET', path: /^\/applications\/[^/]+\/extensionProperties$/i, cost: 2 },
  { method: 'GET', path: /^\/contracts$/i, cost: 3 },
  { method: 'POST', path: /^\/directoryObjects\/getByIds$/i, cost: 3 },
  { method: 'GET', path: /^\/domains\/[^/]+\/domainNameReferences$/i, cost: 4 },
  { method: 'POST', path: /^\/getObjectsById$/i, cost: 3 },
  { method: 'GET', path: /^\/groups\/[^/]+\/members$/i, cost: 3 },
  { method: 'GET', path: /^\/groups\/[^/]+\/transitiveMembers$/i, cost: 5 },
  { method: 'GET', path: /^\/oauth2PermissionGrants(\/[^/]+)?$/i, cost: 2 },
  { method: 'GET', path: /^\/servicePrincipals\/[^/]+\/appRoleAssignments$/i, cost: 2 },
  { method: 'GET', path: /^\/subscribedSkus$/i, cost: 3 },
  { method: 'GET', path: /^\/users$/i, cost: 2 },
];

/** Graph's `/v1.0` and `/beta` prefixes (a path the table does not list, e.g. `/applications/delta`, costs 1). */
const VERSION = /^\/(v1\.0|beta)(?=\/)/i;

/** The resource units Graph charges for `method url` (`url` absolute, or relative to the versioned base). */
export function graphRequestCost(method: string, url: string): number {
  const u = new URL(url, 'https://graph.invalid/');
  const path = decodeURIComponent(u.pathname).replace(VERSION, '').replace(/\/$/, '') || '/';
  const m = method.toUpperCase();
  let cost = BASE_COSTS.find((c) => c.method === m && c.path.test(path))?.cost ?? 1;
  const q = u.searchParams;
  if (q.has('$select')) cost -= 1;
  if (q.has('$expand')) cost += 1;
  const top = Number(q.get('$top'));
  if (q.has('$top') && Number.isFinite(top) && top < 20) cost -= 1;
  return Math.max(1, cost);
}

/** The units Graph says it charged (`x-ms-resource-unit`), when it says so. */
export function chargedUnits(headers: Record<string, string | string[] | undefined> | undefined): number | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== 'x-ms-resource-unit') continue;
    const n = Number(Array.isArray(v) ? v[0] : v);
    return Number.isInteger(n) && n > 0 && n < 1000 ? n : undefined;
  }
  return undefined;
}
