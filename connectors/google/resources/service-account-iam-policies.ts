// Each service account's own IAM policy (who may act as it): a Workload Identity principal granted a role that lets
// it impersonate the account (roles/iam.workloadIdentityUser, the token creators, actAs, owner/editor, or a custom
// role) makes the account TRUST the workloads its pool's providers admit — e.g. principalSet://…/github/
// attribute.repository/acme/deploy → GitHub Actions runs of acme/deploy can act with everything the account holds.
// Policy version 3, so conditional bindings are visible. Other members (people, other accounts) are not mapped here.
// https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/getIamPolicy
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GoogleClient } from '../client.ts';
import { MalformedResponse } from '../../../src/crawl/errors.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { P } from '../map-helpers.ts';
import { IAM } from '../permission-hints.ts';
import { readOrKeep, watermarkKey } from '../cloud-audit.ts';
import { attachPools, conditionText, trustEdges, wifMemberOf, type PolicyWithPools, type WifGrant } from '../wif-bindings.ts';
import { serviceAccounts, type ServiceAccountRef } from './service-accounts.ts';

/** Predefined roles on a service account that let the member obtain its tokens or run as it; custom roles may, and count too. */
export const IMPERSONATION_ROLES = new Set(['roles/iam.workloadIdentityUser', 'roles/iam.serviceAccountTokenCreator', 'roles/iam.serviceAccountOpenIdTokenCreator',
  'roles/iam.serviceAccountUser', 'roles/owner', 'roles/editor']);
const impersonates = (role: string) => IMPERSONATION_ROLES.has(role) || !role.startsWith('roles/');

export const serviceAccountIamPolicies = defineResource<GoogleClient, PolicyWithPools, ServiceAccountRef>({
  provider: P, type: 'google.service_account_iam', description: 'Service-account IAM policies: Workload Identity principals allowed to act as each account',
  docs: 'https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/getIamPolicy',
  parent: serviceAccounts,
  permission: { grant: { [IAM]: 'roles/iam.serviceAccountViewer or roles/iam.securityReviewer (iam.serviceAccounts.getIamPolicy); roles/iam.workloadIdentityPoolViewer to resolve the principals\' pools' } },
  emits: { nodes: ['endpoint'], edges: ['TRUSTS'] },
  async *list(ctx) {
    if (readOrKeep(ctx, 'sa_iam', ctx.parent.projectId, ctx.parent) === 'keep') return;
    const res = await ctx.client.iam.projects.serviceAccounts.getIamPolicy({ resource: ctx.parent.name, 'options.requestedPolicyVersion': 3 });
    if (!res.data || typeof res.data !== 'object') throw new MalformedResponse('serviceAccounts.getIamPolicy', 'expected a policy object');
    const { item, malformed } = await attachPools(ctx, res.data, ctx.parent.email, watermarkKey('sa_iam', ctx.parent.email));
    yield { items: [item], ...(malformed.length ? { malformed } : {}) };
  },
  map(policy, ctx) {
    // one item, named by its account: a binding not shaped as documented makes the whole policy malformed
    const f = fieldsOf(policy, 'policy', 'etag', ctx.parent.email);
    const grants: WifGrant[] = [];
    for (const raw of f.list('bindings')) {
      const bf = fieldsOf(raw, 'policy.bindings[]', 'role', ctx.parent.email);
      const role = bf.optionalString('role');
      const members = bf.strings('members');
      if (!role || !impersonates(role)) continue;
      const condition = conditionText(bf.optionalObject('condition'));
      for (const m of members) {
        const member = wifMemberOf(m);
        if (member) grants.push({ role, member, condition });
      }
    }
    return trustEdges(ctx.parent.nodeId, grants, policy._pools);
  },
});
