// Service accounts of each project (connectors). Their OAuth2 client id is what domain-wide delegation is
// keyed on, so it is the connector's app_id — the same value a Workspace OAuth client (and an inventory
// entry's client id) carries: the join between a Workspace grant and the Cloud identity behind it.
// Service accounts carry no creation time; none is invented.
// https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/list
import type { iam_v1 } from '@googleapis/iam';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GoogleClient } from '../client.ts';
import { googlePages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, P } from '../map-helpers.ts';
import { IAM } from '../permission-hints.ts';
import { projects, type ProjectRef } from './projects.ts';
import { readOrKeep, recordAccounts } from '../cloud-audit.ts';

type ServiceAccount = iam_v1.Schema$ServiceAccount;
export type ServiceAccountRef = ParentRef & { name: string; email: string; uniqueId?: string | null; projectId: string; tenantNodeId: string };

export const serviceAccounts = defineResource<GoogleClient, ServiceAccount, ProjectRef>({
  provider: P, type: 'google.service_accounts', description: 'Service accounts per project',
  docs: 'https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/list',
  parent: projects,
  permission: { grant: { [IAM]: 'roles/iam.serviceAccountViewer (or roles/iam.securityReviewer)' } },
  emits: { nodes: ['connector'], edges: ['IN_TENANT'] },
  matchKeys: ['service_account_email', 'oauth_client_id'],
  async *list(ctx) {
    // kept (with the keys under it) when the audit log names nothing in the project (cloud-audit.ts)
    if (readOrKeep(ctx, 'accounts', ctx.parent.projectId) === 'keep') return;
    const startedAt = new Date().toISOString();
    const listed: Array<{ email: string; uniqueId: string | null }> = [];
    for await (const page of googlePages(ctx.client, 'iam.projects.serviceAccounts.list', (pageToken) => ctx.client.iam.projects.serviceAccounts.list({
      name: `projects/${ctx.parent.projectId}`, pageSize: ctx.client.cfg.pageSize.serviceAccounts, pageToken,
    }), (d) => d.accounts)) {
      if (page.restart) listed.length = 0;
      for (const sa of page.items) if (typeof sa?.email === 'string') listed.push({ email: sa.email.toLowerCase(), uniqueId: sa.uniqueId ?? null });
      yield page;
    }
    recordAccounts(ctx, ctx.parent.projectId, startedAt, listed);
  },
  map(sa, ctx) {
    const f = fields(sa);
    const email = f.string('email').toLowerCase();
    const id = ids.serviceAccount(email);
    return {
      nodes: [{ id, kind: 'connector', type: 'google.service_account', name: email, props: {
        connector_type: 'gcp_service_account', app_id: sa.oauth2ClientId ?? sa.uniqueId ?? null, email,
        unique_id: sa.uniqueId ?? null, oauth2_client_id: sa.oauth2ClientId ?? null, display_name: sa.displayName ?? null,
        description: sa.description ?? null, project_id: sa.projectId ?? ctx.parent.projectId, disabled: sa.disabled === true,
        enabled: sa.disabled !== true, default_account: /-compute@developer\.gserviceaccount\.com$|@appspot\.gserviceaccount\.com$/.test(email),
        created_at: null, last_used_at: null,
      } }],
      edges: [{ type: 'IN_TENANT', from: id, to: ctx.parent.tenantNodeId }],
    };
  },
  ref: (sa, ctx): ServiceAccountRef => {
    const f = fields(sa);
    const email = f.string('email');
    return { nodeId: ids.serviceAccount(email), name: f.optionalString('name') ?? `projects/${ctx.parent.projectId}/serviceAccounts/${email}`,
      email: email.toLowerCase(), uniqueId: f.optionalString('uniqueId') ?? null, projectId: ctx.parent.projectId, tenantNodeId: ctx.parent.tenantNodeId };
  },
});

/** A service account's fields as the mapper reads them (`accounts[].<field>`; named by e-mail, or unique id). */
const fields = (sa: ServiceAccount) => fieldsOf(sa, 'accounts[]', ['email', 'uniqueId']);
