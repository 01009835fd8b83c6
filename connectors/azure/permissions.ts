// Permission ids -> names. App role assignments carry only `appRoleId` and requested permissions only ids:
// the names live on the resource service principal (`appRoles` for application permissions,
// `oauth2PermissionScopes` for delegated ones). Each resource SP is read once per crawl (through $batch)
// and shared by every listing; Microsoft Graph's own SP resolves the well-known permissions.
// https://learn.microsoft.com/graph/api/serviceprincipal-get
import type { AppRole, PermissionScope, ServicePrincipal } from '@microsoft/microsoft-graph-types';
import type { GraphBatcher } from './batch.ts';

export interface ResourceApi { id: string; appId: string | null; displayName: string | null; roles: Map<string, string>; scopes: Map<string, string> }

const SELECT = '$select=id,appId,displayName,appRoles,oauth2PermissionScopes';

export class PermissionResolver {
  private byId = new Map<string, Promise<ResourceApi>>();
  private byAppId = new Map<string, Promise<ResourceApi | null>>();

  constructor(private readonly batch: GraphBatcher) {}

  /** The resource API (service principal object id) with its permission names. */
  resource(spId: string): Promise<ResourceApi> {
    let p = this.byId.get(spId);
    if (!p) {
      p = this.batch.get<ServicePrincipal>(`/servicePrincipals/${encodeURIComponent(spId)}?${SELECT}`).then(toResource);
      this.byId.set(spId, p);
      p.catch(() => this.byId.delete(spId));
    }
    return p;
  }

  /** The resource API by application id (requiredResourceAccess.resourceAppId); null if not in the tenant. */
  resourceByAppId(appId: string): Promise<ResourceApi | null> {
    let p = this.byAppId.get(appId);
    if (!p) {
      p = this.batch.get<{ value?: ServicePrincipal[] }>(`/servicePrincipals?$filter=appId eq '${appId}'&${SELECT}`)
        .then((r) => (r.value?.[0] ? toResource(r.value[0]) : null));
      this.byAppId.set(appId, p);
      p.catch(() => this.byAppId.delete(appId));
    }
    return p;
  }
}

function toResource(sp: ServicePrincipal): ResourceApi {
  const roles = new Map((sp.appRoles ?? []).filter((r: AppRole) => r.id && r.value).map((r: AppRole) => [r.id!, r.value!]));
  const scopes = new Map((sp.oauth2PermissionScopes ?? []).filter((s: PermissionScope) => s.id && s.value).map((s: PermissionScope) => [s.id!, s.value!]));
  return { id: sp.id ?? '', appId: sp.appId ?? null, displayName: sp.displayName ?? null, roles, scopes };
}
