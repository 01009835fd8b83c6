// Keys of each service account (credentials): user-managed (exported, static, the custody risk) and
// system-managed (Google-held, rotated). Only metadata is read — keys.list never returns private key
// material, and the mapper copies named fields only, so nothing else could reach the graph.
// https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts.keys/list
import type { iam_v1 } from '@googleapis/iam';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GoogleClient } from '../client.ts';
import { MalformedResponse } from '../../../src/crawl/errors.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { googleTime, ids, keyIdOf, P } from '../map-helpers.ts';
import { IAM } from '../permission-hints.ts';
import { serviceAccounts, type ServiceAccountRef } from './service-accounts.ts';
import { readOrKeep } from '../cloud-audit.ts';

type Key = iam_v1.Schema$ServiceAccountKey;

export const serviceAccountKeys = defineResource<GoogleClient, Key, ServiceAccountRef>({
  provider: P, type: 'google.service_account_keys', description: 'Service-account keys (metadata only)',
  docs: 'https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts.keys/list',
  parent: serviceAccounts,
  permission: { grant: { [IAM]: 'roles/iam.serviceAccountViewer (iam.serviceAccountKeys.list; no key admin role is needed)' } },
  emits: { nodes: ['credential'], edges: ['HAS_CREDENTIAL', 'IN_TENANT'] },
  async *list(ctx) {
    if (readOrKeep(ctx, 'keys', ctx.parent.projectId, ctx.parent) === 'keep') return;
    const res = await ctx.client.iam.projects.serviceAccounts.keys.list({ name: ctx.parent.name });
    if (!res.data || typeof res.data !== 'object') throw new MalformedResponse('keys.list', 'expected a JSON object');
    yield { items: res.data.keys ?? [] };
  },
  map(k, ctx) {
    const f = fieldsOf(k, 'keys[]', 'name');
    const name = f.string('name');
    const id = ids.saKey(name);
    const userManaged = k.keyType === 'USER_MANAGED';
    const expires = googleTime(f.optionalString('validBeforeTime'));
    return {
      nodes: [{ id, kind: 'credential', type: 'google.service_account_key', name: `${keyIdOf(name).slice(0, 12)}… (${ctx.parent.email})`, props: {
        credential_type: userManaged ? 'gcp_sa_key_user_managed' : 'gcp_sa_key_system_managed', key_id: keyIdOf(name),
        key_type: k.keyType ?? null, key_origin: k.keyOrigin ?? null, key_algorithm: k.keyAlgorithm ?? null,
        service_account: ctx.parent.email, project_id: ctx.parent.projectId,
        created_at: googleTime(f.optionalString('validAfterTime')), expires_at: expires, never_expires: userManaged && expires === null,
        disabled: k.disabled === true, disable_reason: k.disableReason ?? null, enabled: k.disabled !== true,
        static: userManaged, last_used_at: null,
      } }],
      edges: [
        { type: 'HAS_CREDENTIAL', from: ctx.parent.nodeId, to: id, props: { key_type: k.keyType ?? null } },
        { type: 'IN_TENANT', from: id, to: ctx.parent.tenantNodeId },
      ],
    };
  },
});
