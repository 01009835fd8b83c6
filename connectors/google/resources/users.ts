// Workspace users (principals): primary e-mail and aliases, suspended / archived / deleted state, admin
// flags, last login. users.list, then users.list?showDeleted=true (users deleted in the last ~20 days).
// https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/list
import type { admin_directory_v1 } from '@googleapis/admin';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GoogleClient } from '../client.ts';
import { googlePages } from '../paginate.ts';
import { googleTime, ids, inTenant, need, P } from '../map-helpers.ts';
import { permissionDenied, requireWorkspace } from '../workspace.ts';

type User = admin_directory_v1.Schema$User;
export type UserRef = ParentRef & { userId: string; email: string; deleted: boolean };

export const users = defineResource<GoogleClient, User>({
  provider: P, type: 'google.users', description: 'Workspace users',
  docs: 'https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/list',
  emits: { nodes: ['principal'], edges: ['IN_TENANT'] },
  async *list(ctx) {
    requireWorkspace(ctx.client);
    const { directory, cfg } = ctx.client;
    for (const showDeleted of [undefined, 'true']) {
      yield* googlePages(ctx.client, 'directory.users.list', (pageToken) => directory.users.list({
        customer: cfg.customer, maxResults: cfg.pageSize.users, pageToken, showDeleted, projection: 'basic',
      }), (d) => d.users);
    }
  },
  map(u, ctx) {
    const id = ids.user(need(u.id, 'users[].id'));
    const email = need(u.primaryEmail, 'users[].primaryEmail').toLowerCase();
    const status = u.deletionTime ? 'deleted' : u.suspended || u.archived ? 'disabled' : 'active';
    const emails = [...new Set([email, ...(u.aliases ?? []), ...(u.nonEditableAliases ?? [])].map((e) => e.toLowerCase()))];
    return {
      nodes: [{ id, kind: 'principal', type: 'google.user', name: email, props: {
        email, emails, status, is_admin: u.isAdmin === true, is_delegated_admin: u.isDelegatedAdmin === true,
        google_id: u.id, full_name: u.name?.fullName ?? null, suspended: u.suspended === true, suspension_reason: u.suspensionReason ?? null,
        archived: u.archived === true, deleted_at: googleTime(u.deletionTime), created_at: googleTime(u.creationTime),
        last_login_at: googleTime(u.lastLoginTime), org_unit: u.orgUnitPath ?? null,
        two_step_enrolled: u.isEnrolledIn2Sv ?? null, two_step_enforced: u.isEnforcedIn2Sv ?? null,
      } }],
      edges: [inTenant(id, ctx.tenant.id)],
    };
  },
  ref: (u): UserRef => ({ nodeId: ids.user(u.id!), userId: u.id!, email: (u.primaryEmail ?? '').toLowerCase(), deleted: !!u.deletionTime }),
  unsupported: permissionDenied('scope admin.directory.user.readonly and an admin role that reads users'),
});
