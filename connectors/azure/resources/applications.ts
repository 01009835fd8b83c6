// App registrations (connectors defined in this tenant): audience, publisher, requested permissions (by
// name), created date. Secrets and certificates ride on the object and are handed to the child listing as
// metadata only (the secret text and key blob never leave this file's list step).
// GET /applications/delta — $select names keyCredentials, so these few list pages draw on the 150/min bucket.
// https://learn.microsoft.com/graph/api/application-delta
import type { Application } from '@microsoft/microsoft-graph-types';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { deltaPages } from '../delta.ts';
import { fieldsOf, type SkippedItem } from '../../../src/crawl/malformed-item.ts';
import { credentialMetas, ids, inTenant, P, type CredentialMeta } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';

export interface RequestedPermission { resource: string; resourceAppId: string; type: 'Application' | 'Delegated'; value: string }
type App = Application & { '@removed'?: { reason?: string }; _requested?: RequestedPermission[]; _lastSignIn?: string | null; _signInKnown?: boolean };
export type AppRef = ParentRef & { objectId: string; name: string; credentials: CredentialMeta[]; malformedCredentials: SkippedItem[] };

const SELECT = 'id,appId,displayName,createdDateTime,signInAudience,publisherDomain,verifiedPublisher,requiredResourceAccess,'
  + 'passwordCredentials,keyCredentials,tags,notes,serviceManagementReference';

export const applications = defineResource<AzureClient, App>({
  provider: P, type: 'azure.applications', description: 'App registrations',
  docs: 'https://learn.microsoft.com/graph/api/application-delta',
  permission: { grant: { [GRAPH]: 'Application.Read.All' } },
  emits: { nodes: ['connector'], edges: ['IN_TENANT'] },
  matchKeys: ['object_id', 'app_id'],
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
    // appId is nullable in Graph's schema: an application without one is still an application (app_id null)
    const f = fields(a);
    const objectId = f.string('id');
    const appId = f.optionalString('appId');
    const id = ids.application(objectId);
    return {
      nodes: [{ id, kind: 'connector', type: 'azure.application', name: f.label('displayName') ?? appId ?? objectId, props: {
        connector_type: 'entra_application', app_id: appId, object_id: objectId, enabled: true,
        created_at: a.createdDateTime ?? null, last_used_at: a._lastSignIn ?? null,
        last_used_source: a._signInKnown ? 'beta:reports/servicePrincipalSignInActivities' : null, sign_in_audience: a.signInAudience ?? null,
        multi_tenant: a.signInAudience ? a.signInAudience !== 'AzureADMyOrg' : null, publisher_domain: a.publisherDomain ?? null,
        verified_publisher: a.verifiedPublisher?.displayName ?? null, tags: [...f.strings('tags')].sort(), notes: a.notes ?? null,
        requested_permissions: (a._requested ?? []).map((r) => `${r.resource}: ${r.value} (${r.type})`).sort(),
        secret_count: f.list('passwordCredentials').length, certificate_count: f.list('keyCredentials').length,
      } }],
      edges: [inTenant(id, ctx.tenant.id)],
    };
  },
  ref: (a) => {
    const f = fields(a);
    const objectId = f.string('id');
    const { credentials, malformed } = credentialMetas(a, objectId);
    return { nodeId: ids.application(objectId), objectId, name: f.label('displayName') ?? f.optionalString('appId') ?? objectId,
      credentials, malformedCredentials: malformed };
  },
});

/** An application's fields as the mapper reads them (named `applications[].<field>`; the item's id, or its appId). */
const fields = (a: App) => fieldsOf(a, 'applications[]', ['id', 'appId']);

/**
 * requiredResourceAccess ids -> permission names through each resource API's service principal. What it is
 * shown for (a prop) does not drop the app: entries not shaped as Graph documents them are left out.
 */
async function requested(client: AzureClient, a: App): Promise<RequestedPermission[]> {
  const out: RequestedPermission[] = [];
  for (const rra of Array.isArray(a.requiredResourceAccess) ? a.requiredResourceAccess : []) {
    if (typeof rra?.resourceAppId !== 'string' || !rra.resourceAppId) continue;
    const api = await client.permissions.resourceByAppId(rra.resourceAppId);
    for (const ra of Array.isArray(rra.resourceAccess) ? rra.resourceAccess : []) {
      if (typeof ra?.id !== 'string') continue;
      const type = ra.type === 'Role' ? 'Application' : 'Delegated';
      const value = (type === 'Application' ? api?.roles : api?.scopes)?.get(ra.id) ?? ra.id;
      out.push({ resource: api?.displayName ?? rra.resourceAppId, resourceAppId: rra.resourceAppId, type, value });
    }
  }
  return out;
}
