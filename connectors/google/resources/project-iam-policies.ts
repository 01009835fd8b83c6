// Project IAM policies (getIamPolicy, a POST; policy version 3 so conditional bindings are visible):
// CAN_ACCESS from each service account, and from each principal outside the domain (other domains'
// users and groups, allUsers), to the project, with its roles — so a key's blast radius is key -> service
// account -> CAN_ACCESS -> project. A Workload Identity principal (principal(Set)://…/workloadIdentityPools/POOL/…)
// is its pool's: CAN_ACCESS from the pool credential, and the pool TRUSTS the workloads its providers admit for
// the principal's selector (wif-bindings.ts) — external workload -> pool -> project; a service-account role granted so
// (roles/iam.workloadIdentityUser…) lets those workloads act as every account of the project, which the CAN_ACCESS edge
// names (acts_as_connectors_for: the endpoints admitted through it). Members inside the Workspace
// domain are people, not NHIs, and are counted only.
// https://cloud.google.com/resource-manager/reference/rest/v3/projects/getIamPolicy
import type { cloudresourcemanager_v3 } from '@googleapis/cloudresourcemanager';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GraphEdge, GraphNode } from '../../../src/graph/model.ts';
import type { GoogleClient } from '../client.ts';
import { MalformedResponse } from '../../../src/crawl/errors.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, P, serviceAccountRef } from '../map-helpers.ts';
import { IAM } from '../permission-hints.ts';
import { projects, type ProjectRef } from './projects.ts';
import { readOrKeep, watermarkKey } from '../cloud-audit.ts';
import { attachPools, conditionText, poolRef, trustEdges, unreadableWifMember, wifMemberOf, type PolicyWithPools, type WifGrant } from '../wif-bindings.ts';

type Policy = cloudresourcemanager_v3.Schema$Policy & Pick<PolicyWithPools, '_pools'>;

/**
 * Roles that, granted on a project, let the member obtain tokens of (or run as) every service account of the project
 * (https://cloud.google.com/iam/docs/service-account-permissions): the trusts admitted through them are judged on
 * those accounts (CAN_ACCESS props.acts_as_connectors_for, read by src/graph/trust-snapshot.ts). Owner and Editor act
 * on the project themselves: the pool holds them.
 */
export const PROJECT_IMPERSONATION_ROLES = new Set(['roles/iam.workloadIdentityUser', 'roles/iam.serviceAccountTokenCreator',
  'roles/iam.serviceAccountOpenIdTokenCreator', 'roles/iam.serviceAccountUser']);

export const projectIamPolicies = defineResource<GoogleClient, Policy, ProjectRef>({
  provider: P, type: 'google.project_iam', description: 'Project IAM bindings of service accounts and external principals',
  docs: 'https://cloud.google.com/resource-manager/reference/rest/v3/projects/getIamPolicy',
  parent: projects,
  permission: { grant: { [IAM]: 'roles/iam.securityReviewer (resourcemanager.projects.getIamPolicy)' } },
  emits: { nodes: ['connector', 'principal', 'credential', 'endpoint'], edges: ['CAN_ACCESS', 'TRUSTS'] },
  matchKeys: ['service_account_email'],
  async *list(ctx) {
    if (readOrKeep(ctx, 'iam', ctx.parent.projectId) === 'keep') return;
    const res = await ctx.client.crm.projects.getIamPolicy({
      resource: `projects/${ctx.parent.projectId}`, requestBody: { options: { requestedPolicyVersion: 3 } },
    });
    if (!res.data || typeof res.data !== 'object') throw new MalformedResponse('getIamPolicy', 'expected a policy object');
    const { item, malformed } = await attachPools(ctx, res.data, ctx.parent.projectId, watermarkKey('iam', ctx.parent.projectId));
    yield { items: [item], ...(malformed.length ? { malformed } : {}) };
  },
  map(policy, ctx) {
    const domain = ctx.tenant.id.toLowerCase();
    const byMember = new Map<string, { roles: Set<string>; conditional: Set<string> }>();
    const wif: WifGrant[] = [];
    // the policy is one item, named by its project: a binding not shaped as documented makes the whole policy malformed
    const f = fieldsOf(policy, 'policy', 'etag', ctx.parent.projectId);
    for (const raw of f.list('bindings')) {
      const bf = fieldsOf(raw, 'policy.bindings[]', 'role', ctx.parent.projectId);
      const b = { role: bf.optionalString('role'), members: bf.strings('members'), condition: bf.optionalObject('condition') };
      if (!b.role) continue;
      for (const m of b.members) {
        const e = byMember.get(m) ?? { roles: new Set(), conditional: new Set() };
        e.roles.add(b.role);
        if (b.condition) e.conditional.add(b.role);
        byMember.set(m, e);
        const member = wifMemberOf(m);
        if (member) wif.push({ role: b.role, member, condition: conditionText(b.condition) });
      }
    }
    const nodes: GraphNode[] = [];
    const edges: GraphEdge[] = [];
    // a pool's principals, merged: one CAN_ACCESS from the pool with every role any of them holds
    const pools = new Map<string, { node: GraphNode; members: Set<string>; roles: Set<string>; conditional: Set<string> }>();
    for (const [member, grant] of [...byMember].sort(([a], [b]) => a.localeCompare(b))) {
      const w = wifMemberOf(member);
      if (w) {
        const id = ids.wifPool(w.pool);
        const p = pools.get(id) ?? { node: poolRef(id, w), members: new Set(), roles: new Set(), conditional: new Set() };
        p.members.add(member);
        for (const r of grant.roles) p.roles.add(r);
        for (const r of grant.conditional) p.conditional.add(r);
        pools.set(id, p);
        continue;
      }
      if (unreadableWifMember(member)) continue; // skipped as malformed by the list step
      const holder = holderOf(member, domain);
      if (!holder) continue;
      nodes.push(holder);
      edges.push({ type: 'CAN_ACCESS', from: holder.id, to: ctx.parent.nodeId, props: {
        access: 'iam', member, roles: [...grant.roles].sort(), conditional_roles: [...grant.conditional].sort(), project_id: ctx.parent.projectId,
      } });
    }
    for (const [id, p] of pools) {
      const members = [...p.members].sort();
      const grants = wif.filter((g) => ids.wifPool(g.member.pool) === id);
      // the workloads granted a service-account role here may act as every service account of the project
      const actsAs = trustEdges(id, grants.filter((g) => PROJECT_IMPERSONATION_ROLES.has(g.role)), policy._pools).edges.map((e) => e.to);
      nodes.push(p.node);
      edges.push({ type: 'CAN_ACCESS', from: id, to: ctx.parent.nodeId, props: {
        access: 'iam', member: members[0], members, roles: [...p.roles].sort(), conditional_roles: [...p.conditional].sort(), project_id: ctx.parent.projectId,
        ...(actsAs.length ? { acts_as_connectors_for: actsAs } : {}),
      } });
      const t = trustEdges(id, grants, policy._pools);
      for (const n of t.nodes) if (!nodes.some((x) => x.id === n.id)) nodes.push(n);
      edges.push(...t.edges);
    }
    return { nodes, edges };
  },
});

/** The node an IAM member maps to, or null for people inside the Workspace domain. */
function holderOf(member: string, domain: string): GraphNode | null {
  const [kind, rest = ''] = splitMember(member);
  const email = rest.split('?')[0]!.toLowerCase();
  if (kind === 'serviceAccount') return serviceAccountRef(email);
  if (kind === 'deleted') return null; // a binding of a deleted identity grants nothing until the id is reused
  const internal = (kind === 'user' || kind === 'group') && email.endsWith(`@${domain}`);
  if (internal || (kind === 'domain' && email === domain)) return null;
  return { id: ids.member(member), kind: 'principal', type: 'google.iam_member', name: member, shared: true, props: {
    member, member_type: kind, email: kind === 'user' || kind === 'group' ? email : null, external: true,
    status: 'unknown', is_admin: false, public: member === 'allUsers' || member === 'allAuthenticatedUsers',
  } };
}

function splitMember(member: string): [string, string] {
  if (member === 'allUsers' || member === 'allAuthenticatedUsers') return [member, ''];
  if (member.startsWith('principal://') || member.startsWith('principalSet://')) return ['workloadIdentity', member];
  const i = member.indexOf(':');
  return i < 0 ? [member, ''] : [member.slice(0, i), member.slice(i + 1)];
}
