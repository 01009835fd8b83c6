// Pure mapping helpers shared by the GitHub resources: node ids, tenant links, principals, scopes.
import { nodeId, type GraphEdge, type GraphNode } from '../../src/graph/model.ts';
import { describeValue, MalformedItem } from '../../src/crawl/malformed-item.ts';

export const P = 'github';

export const ids = {
  org: (login: string) => nodeId(P, 'org', login.toLowerCase()),
  user: (login: string) => nodeId(P, 'user', login.toLowerCase()),
  repo: (id: number | bigint | string) => nodeId(P, 'repository', String(id)),
  installation: (id: number | string) => nodeId(P, 'app_installation', String(id)),
  scope: (name: string) => nodeId(P, 'scope', name),
  vendor: (login: string) => nodeId(P, 'vendor', login.toLowerCase()),
  endpoint: (host: string) => nodeId(P, 'endpoint', host),
};

export function inTenant(from: string, org: string): GraphEdge {
  return { type: 'IN_TENANT', from, to: ids.org(org) };
}

/** A user referenced by another object (creator, owner): created if unknown, never overwrites a member's node. */
export function userRef(login: string): GraphNode {
  return { id: ids.user(login), kind: 'principal', type: 'github.user', name: login, ref: true, props: { login, status: 'unknown' } };
}

/** GitHub permission maps ({contents: 'write'}) -> 'contents:write' scope nodes and HAS_SCOPE edges. */
export function scopeGrants(holder: string, permissions: Record<string, string | undefined> | null | undefined, props: Record<string, unknown> = {}): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const [perm, level] of Object.entries(permissions ?? {}).sort()) {
    if (!level) continue;
    const name = `${perm}:${level}`;
    nodes.push({ id: ids.scope(name), kind: 'scope', type: 'github.permission', name, props: { permission: perm, access: level } });
    edges.push({ type: 'HAS_SCOPE', from: holder, to: ids.scope(name), props });
  }
  return { nodes, edges };
}

/** A required field: a response without it is malformed (named in the error), not silently dropped. */
export function need<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined) throw new MalformedItem(field, 'a value', describeValue(value));
  return value;
}

export function orgOf(tenant: { id: string }): string {
  return tenant.id;
}

/** OAuth-style scope lists (classic PAT scopes such as 'repo', 'admin:org') -> scope nodes. */
export function scopeGrantsFromList(holder: string, scopes: string[]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const uniq = [...new Set(scopes)].sort();
  return {
    nodes: uniq.map((s) => ({ id: ids.scope(s), kind: 'scope' as const, type: 'github.oauth_scope', name: s, props: { permission: s } })),
    edges: uniq.map((s) => ({ type: 'HAS_SCOPE' as const, from: holder, to: ids.scope(s), props: {} })),
  };
}
