// App registrations (connectors defined in this tenant): audience, publisher, requested permissions (by
// name), created date. Secrets and certificates ride on the object and are handed to the child listing as
// metadata only (the secret text and key blob never leave this file's list step).
// GET /applications/delta — $select names keyCredentials, so these few list pages draw on the 150/min bucket.
// https://learn.microsoft.com/graph/api/application-delta
import type { Application } from '@microsoft/microsoft-graph-types';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { deltaPages } from '../delta.ts';
import { ids, inTenant, keyMeta, need, P, passwordMeta, type CredentialMeta } from '../map-helpers.ts';

export interface RequestedPermission { resource: string; resourceAppId: string; type: 'Application' | 'Delegated'; value: string }
type App = Application & { '@removed'?: { reason?: string }; _requested?: RequestedPermission[]; _lastSignIn?: string | null; _signInKnown?: boolean };
export type AppRef = ParentRef & { objectId: string; name: string; credentials: CredentialMeta[] };

const SELECT = 'id,appId,displayName,createdDateTime,signInAudience,publisherDomain,verifiedPublisher,requiredResourceAccess,'
  + 'passwordCredentials,keyCredentials,tags,notes,serviceManagementReference';

export const applications = defineResource<AzureClient, App>({
  provider: P, type: 'azure.applications', description: 'App registrations',
  docs: 'https://learn.microsoft.com/graph/api/application-delta',
  emits: { nodes: ['connector'], edges: ['IN_TENANT'] },
  async *list(ctx) {
    // The app's own service principal signs in for it: the beta report's last sign-in per appId applies.
    const signIns = ctx.client.cfg.signInActivity ? await ctx.client.signIns().catch(() => null) : null;
    for await (const page of deltaPages<App>(ctx, { collection: 'applications', select: SELECT, nodeId: ids.application })) {
      const items = await Promise.all(page.items.map(async (a) => ({ ...a, _requested: await requested(ctx.client, a),
        _lastSignIn: signIns?.get(a.appId ?? '') ?? null, _signInKnown: signIns !== null })));
      yield { ...page, items };
    }
  },
  map(a, ctx) {
    const id = ids.application(need(a.id, 'applications[].id'));
    return {
      nodes: [{ id, kind: 'connector', type: 'azure.application', name: a.displayName ?? a.appId ?? a.id!, props: {
        connector_type: 'entra_application', app_id: need(a.appId, 'applications[].appId'), object_id: a.id, enabled: true,
        created_at: a.createdDateTime ?? null, last_used_at: a._lastSignIn ?? null,
        last_used_source: a._signInKnown ? 'beta:reports/servicePrincipalSignInActivities' : null, sign_in_audience: a.signInAudience ?? null,
        multi_tenant: a.signInAudience ? a.signInAudience !== 'AzureADMyOrg' : null, publisher_domain: a.publisherDomain ?? null,
        verified_publisher: a.verifiedPublisher?.displayName ?? null, tags: [...(a.tags ?? [])].sort(), notes: a.notes ?? null,
        requested_permissions: (a._requested ?? []).map((r) => `${r.resource}: ${r.value} (${r.type})`).sort(),
        secret_count: a.passwordCredentials?.length ?? 0, certificate_count: a.keyCredentials?.length ?? 0,
      } }],
      edges: [inTenant(id, ctx.tenant.id)],
    };
  },
  ref: (a) => ({ nodeId: ids.application(a.id!), objectId: a.id!, name: a.displayName ?? a.appId ?? a.id!,
    credentials: [...(a.passwordCredentials ?? []).map(passwordMeta), ...(a.keyCredentials ?? []).map(keyMeta)] }),
});

/** requiredResourceAccess ids -> permission names through each resource API's service principal. */
async function requested(client: AzureClient, a: App): Promise<RequestedPermission[]> {
  const out: RequestedPermission[] = [];
  for (const rra of a.requiredResourceAccess ?? []) {
    if (!rra.resourceAppId) continue;
    const api = await client.permissions.resourceByAppId(rra.resourceAppId);
    for (const ra of rra.resourceAccess ?? []) {
      const type = ra.type === 'Role' ? 'Application' : 'Delegated';
      const value = (type === 'Application' ? api?.roles : api?.scopes)?.get(ra.id ?? '') ?? ra.id ?? '?';
      out.push({ resource: api?.displayName ?? rra.resourceAppId, resourceAppId: rra.resourceAppId, type, value });
    }
  }
  return out;
}
