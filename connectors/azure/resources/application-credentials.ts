// Credentials of each app registration: client secrets and certificates (keyId, name, start and end —
// never the secret text or key) and federated identity credentials (issuer, subject, audiences).
// GET /applications/{id}/federatedIdentityCredentials, via $batch.
// https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials
import type { FederatedIdentityCredential } from '@microsoft/microsoft-graph-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { credentialNodes, ids, inTenant, need, P, type CredentialMeta } from '../map-helpers.ts';
import { applications, type AppRef } from './applications.ts';

type Item = { meta: CredentialMeta; hasFederated: boolean } | { federated: FederatedIdentityCredential };

export const applicationCredentials = defineResource<AzureClient, Item, AppRef>({
  provider: P, type: 'azure.application_credentials', description: 'Secrets, certificates and federated credentials of app registrations',
  docs: 'https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials',
  parent: applications,
  emits: { nodes: ['credential'], edges: ['IN_TENANT', 'HAS_CREDENTIAL'] },
  async *list(ctx) {
    const fics = await ctx.client.batch.getAll<FederatedIdentityCredential>(`/applications/${ctx.parent.objectId}/federatedIdentityCredentials`);
    yield { items: [...ctx.parent.credentials.map((meta) => ({ meta, hasFederated: fics.length > 0 })), ...fics.map((f) => ({ federated: f }))] };
  },
  map(item, ctx) {
    const holder = { id: ctx.parent.nodeId, name: ctx.parent.name, kind: 'application' as const };
    if ('meta' in item) return credentialNodes(item.meta, { ...holder, hasFederated: item.hasFederated }, ctx.tenant.id);
    const f = item.federated;
    const id = ids.federated(need(f.id, 'federatedIdentityCredentials[].id'));
    return {
      nodes: [{ id, kind: 'credential', type: 'azure.federated_credential', name: `${f.name ?? 'federated'} (${holder.name})`, props: {
        credential_type: 'federated', name: f.name ?? null, issuer: f.issuer ?? null, subject: f.subject ?? null,
        audiences: [...(f.audiences ?? [])].sort(), description: f.description ?? null, created_at: null, expires_at: null,
        last_used_at: null, static: false, enabled: true, holder_kind: holder.kind,
      } }],
      edges: [inTenant(id, ctx.tenant.id), { type: 'HAS_CREDENTIAL', from: holder.id, to: id, props: { on: holder.kind } }],
    };
  },
});
