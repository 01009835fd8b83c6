// Workload Identity pools of each project (location global; deleted pools left out, showDeleted false): each pool
// is a credential of the project — every external token its providers accept can become a Google identity, acting
// with whatever IAM grants the pool's principals. A disabled pool is kept, marked (its tokens grant nothing until
// re-enabled). Its principals' trusts are mapped from the IAM policies that name them (wif-bindings.ts).
// https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools/list
import type { iam_v1 } from '@googleapis/iam';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GoogleClient } from '../client.ts';
import { googlePages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { googleTime, ids, P } from '../map-helpers.ts';
import { IAM } from '../permission-hints.ts';
import { projects, type ProjectRef } from './projects.ts';
import { readOrKeep } from '../cloud-audit.ts';

type Pool = iam_v1.Schema$WorkloadIdentityPool;
export type PoolRef = ParentRef & { name: string; projectId: string; tenantNodeId: string };

/** `projects/N/locations/global/workloadIdentityPools/POOL` -> [N, POOL]. */
export function poolNameParts(name: string): { projectNumber: string | null; poolId: string } {
  const m = /^projects\/([^/]+)\/locations\/[^/]+\/workloadIdentityPools\/([^/]+)$/.exec(name);
  return { projectNumber: m?.[1] ?? null, poolId: m?.[2] ?? name.slice(name.lastIndexOf('/') + 1) };
}

export const workloadIdentityPools = defineResource<GoogleClient, Pool, ProjectRef>({
  provider: P, type: 'google.workload_identity_pools', description: 'Workload Identity pools per project',
  docs: 'https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools/list',
  parent: projects,
  permission: { grant: { [IAM]: 'roles/iam.workloadIdentityPoolViewer (iam.workloadIdentityPools.list)' } },
  emits: { nodes: ['credential'], edges: ['IN_TENANT'] },
  async *list(ctx) {
    if (readOrKeep(ctx, 'wif', ctx.parent.projectId) === 'keep') return;
    yield* googlePages(ctx.client, 'iam.projects.locations.workloadIdentityPools.list', (pageToken) =>
      ctx.client.iam.projects.locations.workloadIdentityPools.list({
        parent: `projects/${ctx.parent.projectId}/locations/global`, pageSize: ctx.client.cfg.pageSize.workloadIdentityPools, pageToken, showDeleted: false,
      }), (d) => d.workloadIdentityPools);
  },
  map(p, ctx) {
    const f = fields(p);
    const name = f.string('name');
    const id = ids.wifPool(name);
    const { projectNumber, poolId } = poolNameParts(name);
    const disabled = f.optionalBoolean('disabled') === true;
    return {
      nodes: [{ id, kind: 'credential', type: 'google.workload_identity_pool', name, props: {
        credential_type: 'gcp_workload_identity_pool', pool: name, pool_id: poolId, project_id: ctx.parent.projectId, project_number: projectNumber,
        display_name: f.label('displayName'), description: f.label('description'), mode: f.label('mode'),
        state: f.label('state'), disabled, enabled: !disabled, expire_time: googleTime(f.optionalString('expireTime')),
        static: false, created_at: null, expires_at: null, last_used_at: null,
      } }],
      edges: [{ type: 'IN_TENANT', from: id, to: ctx.parent.tenantNodeId }],
    };
  },
  ref: (p, ctx): PoolRef => {
    const name = fields(p).string('name');
    return { nodeId: ids.wifPool(name), label: name, name, projectId: ctx.parent.projectId, tenantNodeId: ctx.parent.tenantNodeId };
  },
});

/** A pool's fields as the mapper reads them (`workloadIdentityPools[].<field>`; named by resource name). */
const fields = (p: Pool) => fieldsOf(p, 'workloadIdentityPools[]', 'name');
