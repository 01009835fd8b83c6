// Credentials of each app registration: client secrets and certificates (keyId, name, start and end —
// never the secret text or key) and federated identity credentials (issuer, subject, audiences).
// GET /applications/{id}/federatedIdentityCredentials, via $batch. Each federated credential TRUSTS the workload its
// issuer and subject name (../federated-trust.ts). Flexible federated credentials (claimsMatchingExpression) are beta
// only: v1.0, which this crawl reads, neither lists nor types them.
// https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials
import type { FederatedIdentityCredential } from '@microsoft/microsoft-graph-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { credentialNodes, ids, inTenant, P, type CredentialMeta } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';
import { federatedTrust } from '../federated-trust.ts';
import { applications, type AppRef } from './applications.ts';

type Item = { meta: CredentialMeta; hasFederated: boolean } | { federated: FederatedIdentityCredential };

export const applicationCredentials = defineResource<AzureClient, Item, AppRef>({
  provider: P, type: 'azure.application_credentials', description: 'Secrets, certificates and federated credentials of app registrations',
  docs: 'https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials',
  parent: applications,
  permission: { grant: { [GRAPH]: 'Application.Read.All' } },
  emits: { nodes: ['credential', 'endpoint'], edges: ['IN_TENANT', 'HAS_CREDENTIAL', 'TRUSTS'] },
  async *list(ctx) {
    const fics = await ctx.client.batch.getAll<FederatedIdentityCredential>(`/applications/${ctx.parent.objectId}/federatedIdentityCredentials`);
    // credentials the application listing could not read (no keyId) are reported here: this listing is partial
    yield { items: [...ctx.parent.credentials.map((meta) => ({ meta, hasFederated: fics.length > 0 })), ...fics.map((f) => ({ federated: f }))],
      ...(ctx.parent.malformedCredentials?.length ? { malformed: ctx.parent.malformedCredentials } : {}) };
  },
  map(item, ctx) {
    const holder = { id: ctx.parent.nodeId, name: ctx.parent.name, kind: 'application' as const };
    if ('meta' in item) return credentialNodes(item.meta, { ...holder, hasFederated: item.hasFederated }, ctx.tenant.id);
    const f = item.federated;
    const v = fieldsOf(f, 'federatedIdentityCredentials[]', ['id', 'name']);
    const id = ids.federated(v.string('id'));
    const name = v.label('name');
    const issuer = v.optionalString('issuer');
    const subject = v.optionalString('subject');
    const audiences = [...v.strings('audiences')].sort();
    const trust = federatedTrust(id, issuer, subject, audiences);
    return {
      nodes: [{ id, kind: 'credential', type: 'azure.federated_credential', name: `${name ?? 'federated'} (${holder.name})`, props: {
        credential_type: 'federated', name, issuer, subject,
        audiences, description: v.label('description'), created_at: null, expires_at: null,
        last_used_at: null, static: false, enabled: true, holder_kind: holder.kind,
      } }, ...trust.nodes],
      edges: [inTenant(id, ctx.tenant.id), { type: 'HAS_CREDENTIAL', from: holder.id, to: id, props: { on: holder.kind } }, ...trust.edges],
    };
  },
});
