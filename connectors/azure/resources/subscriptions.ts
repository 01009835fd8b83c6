// Azure subscriptions the crawler can read (resources that service principals and managed identities can
// reach). ARM GET /subscriptions — needs the Reader role on each subscription (or a management group).
// https://learn.microsoft.com/rest/api/resources/subscriptions/list
import { UnsupportedResource } from '../../../src/crawl/errors.ts';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, P } from '../map-helpers.ts';
import { ROLE } from '../permission-hints.ts';
import type { ArmSubscription } from '../types.ts';

export type SubscriptionRef = ParentRef & { subscriptionId: string; name: string };

export const subscriptions = defineResource<AzureClient, ArmSubscription>({
  provider: P, type: 'azure.subscriptions', description: 'Azure subscriptions (ARM)',
  docs: 'https://learn.microsoft.com/rest/api/resources/subscriptions/list',
  permission: { grant: { [ROLE]: 'Reader on each subscription (or on a management group above them)' } },
  emits: { nodes: ['resource'], edges: ['IN_TENANT'] },
  list(ctx) {
    if (!ctx.client.cfg.subscriptions) throw new UnsupportedResource('subscriptions are turned off in the config (subscriptions: false)');
    return ctx.client.arm.pages<ArmSubscription>('/subscriptions?api-version=2022-12-01');
  },
  map(s, ctx) {
    const f = fields(s);
    const subscriptionId = f.string('subscriptionId');
    const id = ids.subscription(subscriptionId);
    return {
      nodes: [{ id, kind: 'resource', type: 'azure.subscription', name: f.label('displayName') ?? subscriptionId, props: {
        subscription_id: subscriptionId, state: s.state ?? null, tenant_id: f.optionalString('tenantId'),
      } }],
      edges: [inTenant(id, ctx.tenant.id)],
    };
  },
  ref: (s) => {
    const f = fields(s);
    const subscriptionId = f.string('subscriptionId');
    return { nodeId: ids.subscription(subscriptionId), subscriptionId, name: f.label('displayName') ?? subscriptionId };
  },
});

const fields = (s: ArmSubscription) => fieldsOf(s, 'subscriptions[]', ['subscriptionId', 'id']);
