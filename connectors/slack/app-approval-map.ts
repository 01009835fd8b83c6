// Shared mapping for Grid app governance lists (approved and restricted apps): a connector per app and
// decision, with the scopes the decision covers (token type and sensitivity on the grant).
import type { AdminAppsApprovedListResponse } from '@slack/web-api';
import type { Emitted } from '../../src/graph/model.ts';
import { fieldsOf } from '../../src/crawl/malformed-item.ts';
import { ids, inTenant, isoFromEpoch, scopeGrants } from './map-helpers.ts';

export type ApprovalEntry = NonNullable<AdminAppsApprovedListResponse['approved_apps']>[number];

export function mapApproval(a: ApprovalEntry, status: 'approved' | 'restricted', tenantId: string, tenantNodeId: string): Emitted {
  const f = fieldsOf(a, `${status}_apps[]`, ['app.id', 'app.name']);
  const appId = f.string('app.id');
  const id = ids.approvedApp(tenantId, appId, status);
  const scopes = f.list('scopes') as NonNullable<ApprovalEntry['scopes']>;
  const byScope = new Map(scopes.filter((s) => typeof s?.name === 'string' && s.name).map((s) => [s.name!, s]));
  const g = scopeGrants(id, byScope.keys(), (s) => ({ via: status, token_type: byScope.get(s)?.token_type ?? null, is_sensitive: byScope.get(s)?.is_sensitive ?? null }));
  return {
    nodes: [{ id, kind: 'connector', type: `slack.${status}_app`, name: f.label('app.name') ?? appId, props: {
      connector_type: `${status}_app`, app_id: appId, approval: status, enabled: status === 'approved',
      is_internal: a.app?.is_internal ?? null, is_app_directory_approved: a.app?.is_app_directory_approved ?? null,
      is_granular_bot_app: a.app?.is_granular_bot_app ?? null, app_directory_url: a.app?.app_directory_url ?? null,
      created_at: null, updated_at: isoFromEpoch(a.date_updated), last_used_at: null,
      resolved_by: a.last_resolved_by?.actor_id ?? null, resolved_by_type: a.last_resolved_by?.actor_type ?? null,
      scopes: [...byScope.keys()].sort(),
    } }, ...g.nodes],
    edges: [inTenant(id, tenantNodeId), ...g.edges],
  };
}
