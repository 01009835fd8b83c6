// Workload Identity principals in an IAM policy (project or service account): the list step reads the providers
// of every pool the policy names (attached to the item as `_pools`, so `map` stays pure) and names the members that
// are not readable as skipped items; `map` turns each binding of such a principal into TRUSTS edges to the trust
// endpoints its pool's providers admit (wif-trust.ts), one edge per endpoint with every role that reaches it.
import type { cloudresourcemanager_v3 } from '@googleapis/cloudresourcemanager';
import type { ListContext } from '../../src/crawl/resource.ts';
import type { SkippedItem } from '../../src/crawl/malformed-item.ts';
import type { GraphEdge, GraphNode } from '../../src/graph/model.ts';
import type { GoogleClient } from './client.ts';
import { parseWifMember, type WifMember } from './wif-member.ts';
import { lookupPools, type PoolProvidersLookup } from './wif-providers.ts';
import { MAX_CONDITION, wifMemberProblem, wifTrusts } from './wif-trust.ts';

type Policy = cloudresourcemanager_v3.Schema$Policy;
/** An IAM policy as listed, with what the list step read about the pools its members name. */
export type PolicyWithPools = Policy & { _pools?: Record<string, PoolProvidersLookup> };

/** One grant of a role to a Workload Identity principal. */
export interface WifGrant { role: string; member: WifMember; condition: string | null }

/** The members of a policy as strings, read leniently (the mapper judges the policy's shape). */
function membersOf(policy: Policy): string[] {
  const out: string[] = [];
  for (const b of Array.isArray(policy?.bindings) ? policy.bindings : []) {
    for (const m of Array.isArray(b?.members) ? b.members : []) if (typeof m === 'string') out.push(m);
  }
  return out;
}

/**
 * List step: the policy with its pools' providers attached, and its unreadable Workload Identity members as skipped
 * items named by `owner`. When a pool's providers could not be read, the listing keeps what it mapped before (delta:
 * a trust known last time is not replaced by an unknown one) and its watermark is dropped, so it is read again.
 */
export async function attachPools(ctx: ListContext<GoogleClient>, policy: Policy, owner: string, watermark: string): Promise<{ item: PolicyWithPools; malformed: SkippedItem[] }> {
  const pools = new Set<string>();
  const malformed: SkippedItem[] = [];
  for (const m of membersOf(policy)) {
    const parsed = m.length > 1024 ? null : parseWifMember(m);
    const problem = wifMemberProblem(m, parsed);
    if (problem) malformed.push({ id: owner, problem });
    else if (parsed) pools.add(parsed.pool);
  }
  if (!pools.size) return { item: policy, malformed };
  const looked = await lookupPools(ctx, pools);
  if (Object.values(looked).some((l) => !l.ok)) {
    ctx.markDelta('a Workload Identity pool\'s providers were not read: what this policy mapped before is kept');
    ctx.state.set(watermark, null);
  }
  return { item: { ...policy, _pools: looked }, malformed };
}

/** A member naming a Workload Identity pool in a form that cannot be read (the list step reported it as malformed). */
export function unreadableWifMember(member: string): boolean {
  return wifMemberProblem(member, member.length > 1024 ? null : parseWifMember(member)) !== null;
}

/** The Workload Identity principal a member names, when it is one the list step accepted. */
export function wifMemberOf(member: string): WifMember | null {
  const parsed = member.length > 1024 ? null : parseWifMember(member);
  return parsed && !wifMemberProblem(member, parsed) ? parsed : null;
}

/** The pool credential node a principal of the pool is mapped to (a reference: the pools listing owns it). */
export function poolRef(id: string, m: WifMember): GraphNode {
  return { id, kind: 'credential', type: 'google.workload_identity_pool', name: m.pool, ref: true,
    props: { credential_type: 'gcp_workload_identity_pool', pool: m.pool, pool_id: m.poolId, project_number: m.projectNumber } };
}

/** TRUSTS edges from `from` (a service account, or a pool) for its grants, one per endpoint, with the endpoint nodes. */
export function trustEdges(from: string, grants: WifGrant[], pools: Record<string, PoolProvidersLookup> | undefined): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const byEndpoint = new Map<string, { node: GraphNode; roles: Set<string>; members: Set<string>; providers: Set<string>;
    binding: string | null; provider: string | null; enabled: boolean }>();
  for (const g of grants) {
    for (const t of wifTrusts(g.member, pools?.[g.member.pool])) {
      const e = byEndpoint.get(t.endpoint.id) ?? { node: t.endpoint, roles: new Set(), members: new Set(), providers: new Set(),
        binding: null, provider: null, enabled: false };
      e.roles.add(g.role);
      e.members.add(g.member.member);
      if (t.provider) e.providers.add(t.provider);
      e.binding ??= g.condition;
      e.provider ??= t.providerCondition;
      e.enabled ||= t.enabled;
      byEndpoint.set(t.endpoint.id, e);
    }
  }
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const [id, e] of [...byEndpoint].sort(([a], [b]) => a.localeCompare(b))) {
    const roles = [...e.roles].sort();
    nodes.push(e.node);
    edges.push({ type: 'TRUSTS', from, to: id, props: {
      via: 'iam_binding', role: roles.join(', '), roles, condition: e.binding ?? e.provider,
      binding_condition: e.binding, provider_condition: e.provider, providers: [...e.providers].sort(), members: [...e.members].sort(),
      enabled: e.enabled,
    } });
  }
  return { nodes, edges };
}

/** A binding's condition expression (bounded), or null. */
export function conditionText(condition: Record<string, unknown> | null): string | null {
  const x = condition?.expression;
  return typeof x === 'string' && x !== '' ? x.slice(0, MAX_CONDITION) : null;
}
