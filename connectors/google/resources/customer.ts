// The Workspace customer (the tenant node every Workspace object links to). customers.get
// https://developers.google.com/workspace/admin/directory/reference/rest/v1/customers/get
import type { admin_directory_v1 } from '@googleapis/admin';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GoogleClient } from '../client.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, P } from '../map-helpers.ts';
import { DWD } from '../permission-hints.ts';
import { requireWorkspace } from '../workspace.ts';

type Customer = admin_directory_v1.Schema$Customer;

export const customer = defineResource<GoogleClient, Customer>({
  provider: P, type: 'google.customer', description: 'The Workspace customer (tenant)',
  docs: 'https://developers.google.com/workspace/admin/directory/reference/rest/v1/customers/get',
  permission: { grant: { [DWD]: 'admin.directory.customer.readonly' } },
  emits: { nodes: ['tenant'], edges: [] },
  async *list(ctx) {
    requireWorkspace(ctx.client);
    const res = await ctx.client.directory.customers.get({ customerKey: ctx.client.cfg.customer });
    yield { items: [res.data] };
  },
  map(c, ctx) {
    // every field is optional in the schema: the node is the configured domain's, with what the answer gives
    const f = fieldsOf(c, 'customer', ['id', 'customerDomain']);
    const domain = f.optionalString('customerDomain') ?? ctx.tenant.id;
    return {
      nodes: [{ id: ids.customer(ctx.tenant.id), kind: 'tenant', type: 'google.customer', name: domain, props: {
        customer_id: f.optionalString('id'), domain, created_at: f.optionalString('customerCreationTime'), language: f.label('language'),
      } }],
      edges: [],
    };
  },
});
