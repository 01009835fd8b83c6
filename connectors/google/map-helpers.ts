// Pure mapping helpers shared by the Google resources: node ids, tenant links, principals, time fields.
import { nodeId, type GraphEdge, type GraphNode } from '../../src/graph/model.ts';
import { describeValue, MalformedItem } from '../../src/crawl/malformed-item.ts';

export const P = 'google';

export const ids = {
  customer: (domain: string) => nodeId(P, 'customer', domain.toLowerCase()),
  user: (id: string) => nodeId(P, 'user', id),
  oauthClient: (clientId: string) => nodeId(P, 'oauth_client', clientId),
  grant: (userId: string, clientId: string) => nodeId(P, 'oauth_grant', `${userId}:${clientId}`),
  scope: (name: string) => nodeId(P, 'scope', name),
  project: (projectId: string) => nodeId(P, 'project', projectId),
  projectTenant: (projectId: string) => nodeId(P, 'project_tenant', projectId),
  serviceAccount: (email: string) => nodeId(P, 'service_account', email.toLowerCase()),
  saKey: (name: string) => nodeId(P, 'service_account_key', keyIdOf(name)),
  member: (member: string) => nodeId(P, 'iam_member', member.toLowerCase()),
  /** A Workload Identity pool, by its resource name `projects/N/locations/global/workloadIdentityPools/POOL`. */
  wifPool: (name: string) => nodeId(P, 'wif_pool', name.toLowerCase()),
  /** A Workload Identity pool provider, by its resource name (`…/workloadIdentityPools/POOL/providers/ID`). */
  wifProvider: (name: string) => nodeId(P, 'wif_provider', name.toLowerCase()),
};

export function inTenant(from: string, tenant: string): GraphEdge {
  return { type: 'IN_TENANT', from, to: ids.customer(tenant) };
}

/** A required field: a response without it is malformed (named in the error), not silently dropped. */
export function need<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined || value === '') throw new MalformedItem(field, 'a value', describeValue(value));
  return value;
}

/** Google reports "never" as the epoch (lastLoginTime) or year 9999 (key validBeforeTime): both mean null. */
export function googleTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  if (!Number.isFinite(t) || t <= 0) return null;
  if (new Date(t).getUTCFullYear() >= 9999) return null;
  return new Date(t).toISOString();
}

/** `projects/p/serviceAccounts/e/keys/KEYID` -> KEYID (key ids are globally unique). */
export function keyIdOf(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** A service account known only as an IAM member or key holder of a project not crawled: never overwrites. */
export function serviceAccountRef(email: string): GraphNode {
  return { id: ids.serviceAccount(email), kind: 'connector', type: 'google.service_account', name: email.toLowerCase(), ref: true,
    props: { connector_type: 'gcp_service_account', email: email.toLowerCase(), app_id: null } };
}

/** An OAuth scope string -> its scope node (shared by every grant that holds it). */
export function scopeNode(scope: string): GraphNode {
  const short = scope.replace(/^https:\/\/www\.googleapis\.com\/auth\//, '');
  return { id: ids.scope(scope), kind: 'scope', type: 'google.oauth_scope', name: scope, props: { permission: scope, short } };
}
