// Cloud projects the crawl identity can see (projects.search): each is a resource (what IAM reaches) and a
// tenant (the boundary its service accounts and keys live in), inside the customer.
// https://cloud.google.com/resource-manager/reference/rest/v3/projects/search
import type { cloudresourcemanager_v3 } from '@googleapis/cloudresourcemanager';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GoogleClient } from '../client.ts';
import { googlePages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, P } from '../map-helpers.ts';
import { IAM } from '../permission-hints.ts';
import { requireCloud } from '../workspace.ts';
import { AUDIT_ROLE, markFullCrawl, readAuditForProjects } from '../cloud-audit.ts';

type Project = cloudresourcemanager_v3.Schema$Project;
export type ProjectRef = ParentRef & { projectId: string; tenantNodeId: string };

export const projects = defineResource<GoogleClient, Project>({
  provider: P, type: 'google.projects', description: 'Cloud projects',
  docs: 'https://cloud.google.com/resource-manager/reference/rest/v3/projects/search',
  permission: { grant: { [IAM]: `roles/browser (resourcemanager.projects.get where projects are searched); ${AUDIT_ROLE}` } },
  emits: { nodes: ['resource', 'tenant'], edges: ['IN_TENANT'] },
  async *list(ctx) {
    requireCloud(ctx.client);
    const { crm, cfg } = ctx.client;
    markFullCrawl(ctx);
    // projects.search has no conditional form (no ETag): it is re-read, one call per page of projects
    for await (const page of googlePages(ctx.client, 'cloudresourcemanager.projects.search', (pageToken) => crm.projects.search({
      query: cfg.projectQuery || undefined, pageSize: cfg.pageSize.projects, pageToken,
    }), (d) => d.projects)) {
      // incremental: what changed in this page's projects, before their IAM and service-account listings are scheduled
      await readAuditForProjects(ctx, (page.items ?? []).map((p) => p?.projectId).filter((id): id is string => typeof id === 'string'));
      yield page;
    }
  },
  map(p, ctx) {
    const f = fields(p);
    const projectId = f.string('projectId');
    const resource = ids.project(projectId);
    const tenant = ids.projectTenant(projectId);
    const props = {
      project_id: projectId, project_number: f.optionalString('name')?.replace(/^projects\//, '') ?? null, display_name: f.label('displayName'),
      parent: f.optionalString('parent'), state: p.state ?? null, created_at: p.createTime ?? null, labels: p.labels ?? {},
    };
    return {
      nodes: [
        { id: resource, kind: 'resource', type: 'google.project', name: projectId, props },
        { id: tenant, kind: 'tenant', type: 'google.project_tenant', name: projectId, props: { project_id: projectId, parent: p.parent ?? null } },
      ],
      edges: [inTenant(tenant, ctx.tenant.id), { type: 'IN_TENANT', from: resource, to: tenant }],
    };
  },
  // Projects pending deletion (DELETE_REQUESTED) are crawled too: their service accounts and keys still work until purged.
  ref: (p): ProjectRef => {
    const projectId = fields(p).string('projectId');
    return { nodeId: ids.project(projectId), projectId, tenantNodeId: ids.projectTenant(projectId) };
  },
});

/** A project's fields as the mapper reads them (`projects[].<field>`; named by project id, or resource name). */
const fields = (p: Project) => fieldsOf(p, 'projects[]', ['projectId', 'name']);
