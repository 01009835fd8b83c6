// Secrets and certificates held by service principals themselves (SAML signing certificates, secrets added
// to an enterprise app, managed identities' platform-managed keys): metadata from the SP object, no API call.
// https://learn.microsoft.com/graph/api/resources/serviceprincipal
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { credentialNodes, P, type CredentialMeta } from '../map-helpers.ts';
import { servicePrincipals, type SpRef } from './service-principals.ts';

export const servicePrincipalCredentials = defineResource<AzureClient, CredentialMeta, SpRef>({
  provider: P, type: 'azure.service_principal_credentials', description: 'Secrets and certificates on service principals',
  docs: 'https://learn.microsoft.com/graph/api/resources/serviceprincipal',
  parent: servicePrincipals,
  emits: { nodes: ['credential'], edges: ['IN_TENANT', 'HAS_CREDENTIAL'] },
  async *list(ctx) {
    // credentials the service-principal listing could not read (no keyId) are reported here: this listing is partial
    yield { items: ctx.parent.credentials, ...(ctx.parent.malformedCredentials?.length ? { malformed: ctx.parent.malformedCredentials } : {}) };
  },
  map: (meta, ctx) => credentialNodes(meta, { id: ctx.parent.nodeId, name: ctx.parent.name, kind: 'service_principal', hasFederated: false }, ctx.tenant.id),
});
