// Service principals: enterprise apps (ours, Microsoft's, third parties'), managed identities and legacy
// principals. Type, appId (what the inventory matches on), owner organisation (ours vs a vendor's),
// verified publisher, enabled, tags, last sign-in (beta report), who gave admin consent (audit log,
// consents.ts: INSTALLED_BY the consenting admin). SP credentials go to the child listing as metadata
// only. GET /servicePrincipals/delta ($select: accountEnabled is returned only when named).
// https://learn.microsoft.com/graph/api/serviceprincipal-delta
import type { ServicePrincipal } from '@microsoft/microsoft-graph-types';
import type { GraphEdge, GraphNode } from '../../../src/graph/model.ts';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { deltaPages } from '../delta.ts';
import { AzureHttpError } from '../rest.ts';
import { adminConsents, type AdminConsent } from '../consents.ts';
import { fieldsOf, type SkippedItem } from '../../../src/crawl/malformed-item.ts';
import { credentialMetas, ids, inTenant, MICROSOFT_TENANT, P, userRef, type CredentialMeta } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';
import { tenantGuidOf } from '../client.ts';

type SP = ServicePrincipal & { '@removed'?: { reason?: string }; _tenantGuid?: string; _lastSignIn?: string | null; _signInKnown?: boolean; _adminConsents?: AdminConsent[] };
export type SpRef = ParentRef & { objectId: string; name: string; credentials: CredentialMeta[]; malformedCredentials: SkippedItem[] };

const SELECT = 'id,appId,displayName,servicePrincipalType,appOwnerOrganizationId,accountEnabled,tags,verifiedPublisher,'
  + 'appRoleAssignmentRequired,alternativeNames,passwordCredentials,keyCredentials,disabledByMicrosoftStatus,notes';

export const servicePrincipals = defineResource<AzureClient, SP>({
  provider: P, type: 'azure.service_principals', description: 'Service principals (enterprise apps, managed identities)',
  docs: 'https://learn.microsoft.com/graph/api/serviceprincipal-delta',
  permission: { grant: { [GRAPH]: 'Application.Read.All' } },
  emits: { nodes: ['connector', 'vendor', 'principal'], edges: ['IN_TENANT', 'PUBLISHED_BY', 'INSTALLED_BY'] },
  matchKeys: ['object_id', 'app_id'],
  async *list(ctx) {
    const tenantGuid = tenantGuidOf(await ctx.client.organization(), ctx.client.cfg.tenantId);
    // Sign-in activity is a separate (beta, licensed) listing; without it last_used_at stays unknown.
    const signIns = ctx.client.cfg.signInActivity ? await ctx.client.signIns().catch(() => null) : null;
    // Who consented for the whole tenant: the directory audit log, remembered across runs (consents.ts).
    const consents = await adminConsents(ctx);
    const listed = new Set<string>();
    const removed: string[] = [];
    let delta = false;
    const decorate = (sp: SP): SP => ({ ...sp, _tenantGuid: tenantGuid, _lastSignIn: signIns?.get(sp.appId ?? '') ?? null,
      _signInKnown: signIns !== null, _adminConsents: consents.bySp.get(sp.id ?? '') ?? [] });
    for await (const page of deltaPages<SP>(ctx, { collection: 'servicePrincipals', select: SELECT, nodeId: ids.servicePrincipal, onDelta: () => { delta = true; } })) {
      for (const sp of page.items) if (sp.id) listed.add(sp.id);
      removed.push(...(page.removed ?? []));
      yield { ...page, items: page.items.map(decorate) };
    }
    // A consent grants permissions without changing the service principal, so delta does not return it: in a
    // delta round, re-read the ones the audit log says were consented to, as changed objects (their
    // grants, role assignments and owners are listed again, and the INSTALLED_BY edge is drawn now).
    const consented = delta ? [...consents.learnt].filter((id) => !listed.has(id)) : [];
    if (consented.length) {
      const got = await Promise.all(consented.map((id) => ctx.client.batch.get<SP>(`/servicePrincipals/${id}?$select=${SELECT}`)
        .catch((err: unknown) => { if (err instanceof AzureHttpError && err.status === 404) return null; throw err; })));
      const items = got.filter((sp): sp is SP => sp !== null && !!sp.id);
      for (const sp of items) listed.add(sp.id!);
      yield { items: items.map(decorate) };
    }
    consents.save(delta ? null : listed, removed);
  },
  map(sp, ctx) {
    const f = fields(sp);
    const objectId = f.string('id');
    const appId = f.optionalString('appId');
    const id = ids.servicePrincipal(objectId);
    const owner = f.optionalString('appOwnerOrganizationId')?.toLowerCase() ?? null;
    const ownership = sp.servicePrincipalType === 'ManagedIdentity' ? 'managed_identity' : !owner ? 'unknown'
      : owner === sp._tenantGuid?.toLowerCase() ? 'internal' : owner === MICROSOFT_TENANT ? 'microsoft' : 'third_party';
    const nodes: GraphNode[] = [{ id, kind: 'connector', type: 'azure.service_principal', name: f.label('displayName') ?? appId ?? objectId, props: {
      connector_type: sp.servicePrincipalType === 'ManagedIdentity' ? 'managed_identity' : 'service_principal',
      app_id: appId, object_id: objectId, service_principal_type: sp.servicePrincipalType ?? null, enabled: sp.accountEnabled ?? null,
      created_at: null, last_used_at: sp._lastSignIn ?? null, last_used_source: sp._signInKnown ? 'beta:reports/servicePrincipalSignInActivities' : null,
      app_owner_organization_id: owner, ownership, first_party: ownership === 'microsoft', verified_publisher: sp.verifiedPublisher?.displayName ?? null,
      tags: [...f.strings('tags')].sort(), app_role_assignment_required: sp.appRoleAssignmentRequired ?? null,
      alternative_names: [...f.strings('alternativeNames')].sort(), disabled_by_microsoft: sp.disabledByMicrosoftStatus ?? null,
      secret_count: f.list('passwordCredentials').length, certificate_count: f.list('keyCredentials').length,
    } }];
    const edges: GraphEdge[] = [inTenant(id, ctx.tenant.id)];
    for (const c of sp._adminConsents ?? []) {
      nodes.push(userRef(c.userId));
      edges.push({ type: 'INSTALLED_BY', from: id, to: ids.user(c.userId), props: { via: 'admin consent', consented_at: c.at, consented_by: c.upn } });
    }
    if (owner) {
      nodes.push(vendorNode(owner, sp, ownership));
      edges.push({ type: 'PUBLISHED_BY', from: id, to: ids.vendor(owner), props: { verified: !!sp.verifiedPublisher?.verifiedPublisherId } });
    }
    return { nodes, edges };
  },
  ref: (sp) => {
    const f = fields(sp);
    const objectId = f.string('id');
    const { credentials, malformed } = credentialMetas(sp, objectId);
    return { nodeId: ids.servicePrincipal(objectId), objectId, name: f.label('displayName') ?? f.optionalString('appId') ?? objectId,
      credentials, malformedCredentials: malformed };
  },
});

/** A service principal's fields as the mapper reads them (named `servicePrincipals[].<field>`; its id, or its appId). */
const fields = (sp: SP) => fieldsOf(sp, 'servicePrincipals[]', ['id', 'appId']);

function vendorNode(owner: string, sp: SP, ownership: string): GraphNode {
  const name = ownership === 'microsoft' ? 'Microsoft' : sp.verifiedPublisher?.displayName ?? owner;
  return { id: ids.vendor(owner), kind: 'vendor' as const, type: 'azure.publisher_tenant', name, props: {
    tenant_id: owner, first_party: ownership === 'internal', microsoft: ownership === 'microsoft',
    verified: !!sp.verifiedPublisher?.verifiedPublisherId, verified_publisher_id: sp.verifiedPublisher?.verifiedPublisherId ?? null,
  } };
}
