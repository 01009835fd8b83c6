// Pure mapping helpers shared by the Slack resources: node ids, tenant links, user references, scopes.
// Ids of per-workspace installations are namespaced by team (an app id repeats across Grid workspaces).
import { nodeId, type GraphEdge, type GraphNode } from '../../src/graph/model.ts';
import { describeValue, MalformedItem } from '../../src/crawl/malformed-item.ts';

export const P = 'slack';
/** Incoming webhooks post through this host; the URL's path is the secret and is never kept. */
export const WEBHOOK_HOST = 'hooks.slack.com';

export const ids = {
  team: (id: string) => nodeId(P, 'team', id),
  enterprise: (id: string) => nodeId(P, 'enterprise', id),
  user: (id: string) => nodeId(P, 'user', id),
  bot: (id: string) => nodeId(P, 'bot', id),
  app: (team: string, appId: string) => nodeId(P, 'app', `${team}:${appId}`),
  service: (team: string, serviceId: string | number) => nodeId(P, 'service', `${team}:${serviceId}`),
  appWebhook: (team: string, appId: string, channel: string) => nodeId(P, 'incoming_webhook', `${team}:${appId}:${channel}`),
  approvedApp: (tenant: string, appId: string, status: string) => nodeId(P, `${status}_app`, `${tenant}:${appId}`),
  appRequest: (id: string) => nodeId(P, 'app_request', id),
  workflow: (id: string) => nodeId(P, 'workflow', id),
  scope: (name: string) => nodeId(P, 'scope', name),
  endpoint: (host: string) => nodeId(P, 'endpoint', host),
};

export function inTenant(from: string, tenantNode: string): GraphEdge {
  return { type: 'IN_TENANT', from, to: tenantNode };
}

/** A user referenced by another object (installer, collaborator): created if unknown, never overwrites users.list's node. */
export function userRef(userId: string, name?: string | null): GraphNode {
  return { id: ids.user(userId), kind: 'principal', type: 'slack.user', name: name || userId, ref: true,
    props: { user_id: userId, username: name ?? null, status: 'unknown' } };
}

/** Scope strings -> scope nodes and HAS_SCOPE edges from `holder`. */
export function scopeGrants(holder: string, scopes: Iterable<string>, props: (s: string) => Record<string, unknown> = () => ({})): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const uniq = [...new Set([...scopes].map((s) => s.trim()).filter(Boolean))].sort();
  return {
    nodes: uniq.map((s) => ({ id: ids.scope(s), kind: 'scope' as const, type: 'slack.oauth_scope', name: s, props: { scope: s } })),
    edges: uniq.map((s) => ({ type: 'HAS_SCOPE' as const, from: holder, to: ids.scope(s), props: props(s) })),
  };
}

/** Slack's comma-separated scope strings ("chat:write,users:read"). */
export function splitScopes(scope: string | null | undefined): string[] {
  return (scope ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Epoch seconds (number or numeric string) -> ISO time, or null. */
export function isoFromEpoch(v: number | string | null | undefined): string | null {
  const n = Number(v);
  return v === null || v === undefined || v === '' || !Number.isFinite(n) || n <= 0 ? null : new Date(n * 1000).toISOString();
}

/** A required field: a response without it is malformed (named in the error), not silently dropped. */
export function need<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined || value === '') throw new MalformedItem(field, 'a value', describeValue(value));
  return value;
}

/** The tenant node a workspace-level object links to: its workspace. */
export function teamNode(teamId: string): string {
  return ids.team(teamId);
}

/** The tenant node org-level objects link to: the Grid org, or the workspace when crawling one workspace. */
export function tenantNode(tenant: { id: string }): string {
  return tenantOf(tenant.id);
}

/** Slack names an Enterprise Grid org with an `E…` id where a team id is expected (a workflow's or user's `team_id`). */
export function isEnterpriseId(id: string): boolean {
  return /^E[A-Z0-9]+$/.test(id);
}

/** The tenant node of a team id as Slack gives it: the enterprise for `E…`, else the workspace. */
export function tenantOf(teamOrEnterpriseId: string): string {
  return isEnterpriseId(teamOrEnterpriseId) ? ids.enterprise(teamOrEnterpriseId) : ids.team(teamOrEnterpriseId);
}

/** The enterprise (Grid org) tenant node. A reference unless the listing naming it owns it (workspaces). */
export function enterpriseNode(id: string, name?: string | null, ref = true): GraphNode {
  return { id: ids.enterprise(id), kind: 'tenant', type: 'slack.enterprise', name: name || id, ...(ref ? { ref: true } : {}),
    props: { enterprise_id: id, ...(name ? { enterprise_name: name } : {}) } };
}

/** The tenant node `teamOrEnterpriseId` links to, with a reference node when it is an enterprise (created if unknown). */
export function tenantLink(from: string, teamOrEnterpriseId: string): { nodes: GraphNode[]; edges: GraphEdge[] } {
  return { nodes: isEnterpriseId(teamOrEnterpriseId) ? [enterpriseNode(teamOrEnterpriseId)] : [], edges: [inTenant(from, tenantOf(teamOrEnterpriseId))] };
}
