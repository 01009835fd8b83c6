// Azure subscriptions the crawler can read (resources that service principals and managed identities can
// reach). ARM GET /subscriptions — needs the Reader role on each subscription (or a management group).
// https://learn.microsoft.com/rest/api/resources/subscriptions/list
import { UnsupportedResource } from '../../../src/crawl/errors.ts';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { ids, inTenant, need, P } from '../map-helpers.ts';
import type { ArmSubscription } from '../types.ts';

export type SubscriptionRef = ParentRef & { subscriptionId: string; name: string };

export const subscriptions = defineResource<AzureClient, ArmSubscription>({
  provider: P, type: 'azure.subscriptions', description: 'Azure subscriptions (ARM)',
  docs: 'https://learn.microsoft.com/rest/api/resources/subscriptions/list',
  emits: { nodes: ['resource'], edges: ['IN_TENANT'] },
  list(ctx) {
    if (!ctx.client.cfg.subscriptions) throw new UnsupportedResource('subscriptions are turned off in the config (subscriptions: false)');
    return ctx.client.arm.pages<ArmSubscription>('/subscriptions?api-version=2022-12-01');
  },
  map(s, ctx) {
    const id = ids.subscription(need(s.subscriptionId, 'subscriptions[].subscriptionId'));
    return {
      nodes: [{ id, kind: 'resource', type: 'azure.subscription', name: s.displayName ?? s.subscriptionId, props: {
        subscription_id: s.subscriptionId, state: s.state ?? null, tenant_id: s.tenantId ?? null,
      } }],
      edges: [inTenant(id, ctx.tenant.id)],
    };
  },
  ref: (s) => ({ nodeId: ids.subscription(s.subscriptionId), subscriptionId: s.subscriptionId, name: s.displayName }),
});
