// Providers of each Workload Identity pool: which issuer's tokens the pool accepts (OIDC issuer URI; AWS account),
// how their claims map to Google attributes, and the attribute condition that filters them. A disabled provider is
// listed and marked (it exchanges no new token; tokens already exchanged still work until they expire). The list is
// read once per crawl and shared with the IAM-policy listings that meet the pool's principals (wif-providers.ts).
// https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools.providers/list
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GoogleClient } from '../client.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { googleTime, ids, P } from '../map-helpers.ts';
import { IAM } from '../permission-hints.ts';
import { poolProviders, type WifProvider } from '../wif-providers.ts';
import { providerFacts, providerIssuerKind } from '../wif-trust.ts';
import { workloadIdentityPools, type PoolRef } from './workload-identity-pools.ts';

export const workloadIdentityProviders = defineResource<GoogleClient, WifProvider, PoolRef>({
  provider: P, type: 'google.workload_identity_providers', description: 'Providers of each Workload Identity pool (issuer, attribute mapping and condition)',
  docs: 'https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools.providers/list',
  parent: workloadIdentityPools,
  permission: { grant: { [IAM]: 'roles/iam.workloadIdentityPoolViewer (iam.workloadIdentityPoolProviders.list)' } },
  emits: { nodes: ['credential'], edges: ['IN_TENANT'] },
  async *list(ctx) {
    yield { items: await poolProviders(ctx.client, ctx.parent.name) };
  },
  map(p, ctx) {
    const f = fieldsOf(p, 'workloadIdentityPoolProviders[]', 'name');
    const name = f.string('name');
    f.optionalObject('attributeMapping');
    const facts = providerFacts(p, name);
    const id = ids.wifProvider(name);
    return {
      nodes: [{ id, kind: 'credential', type: 'google.workload_identity_provider', name, props: {
        credential_type: 'gcp_workload_identity_provider', provider_id: name.slice(name.lastIndexOf('/') + 1), pool: ctx.parent.name,
        project_id: ctx.parent.projectId, display_name: f.label('displayName'), description: f.label('description'),
        protocol: facts.protocol, issuer: facts.issuer, issuer_kind: providerIssuerKind(facts),
        allowed_audiences: facts.protocol === 'oidc' ? f.strings('oidc.allowedAudiences').slice(0, 10).map((a) => a.slice(0, 256)) : [],
        attribute_mapping: facts.mapping, attribute_condition: facts.condition,
        state: facts.state, disabled: facts.disabled, enabled: !facts.disabled, expire_time: googleTime(f.optionalString('expireTime')),
        static: false, created_at: null, expires_at: null, last_used_at: null,
      } }],
      edges: [{ type: 'IN_TENANT', from: id, to: ctx.parent.tenantNodeId }],
    };
  },
});
