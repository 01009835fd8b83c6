// Workspace users (principals): primary e-mail and aliases, suspended / archived / deleted state, admin
// flags, last login. users.list, then users.list?showDeleted=true (users deleted in the last ~20 days).
// https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/list
import type { admin_directory_v1 } from '@googleapis/admin';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GoogleClient } from '../client.ts';
import { googlePages } from '../paginate.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { googleTime, ids, inTenant, P } from '../map-helpers.ts';
import { DWD } from '../permission-hints.ts';
import { requireWorkspace } from '../workspace.ts';

type User = admin_directory_v1.Schema$User;
export type UserRef = ParentRef & { userId: string; email: string; deleted: boolean };

export const users = defineResource<GoogleClient, User>({
  provider: P, type: 'google.users', description: 'Workspace users',
  docs: 'https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/list',
  permission: { grant: { [DWD]: 'admin.directory.user.readonly, with an admin privilege that reads users (Users › Read)' } },
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
    const f = fields(u);
    const userId = f.string('id');
    const id = ids.user(userId);
    const email = f.string('primaryEmail').toLowerCase();
    const status = u.deletionTime ? 'deleted' : u.suspended || u.archived ? 'disabled' : 'active';
    const emails = [...new Set([email, ...f.strings('aliases'), ...f.strings('nonEditableAliases')].map((e) => e.toLowerCase()))];
    return {
      nodes: [{ id, kind: 'principal', type: 'google.user', name: email, props: {
        email, emails, status, is_admin: u.isAdmin === true, is_delegated_admin: u.isDelegatedAdmin === true,
        google_id: userId, full_name: f.label('name.fullName'), suspended: u.suspended === true, suspension_reason: u.suspensionReason ?? null,
        archived: u.archived === true, deleted_at: googleTime(u.deletionTime), created_at: googleTime(u.creationTime),
        last_login_at: googleTime(u.lastLoginTime), org_unit: u.orgUnitPath ?? null,
        two_step_enrolled: u.isEnrolledIn2Sv ?? null, two_step_enforced: u.isEnforcedIn2Sv ?? null,
      } }],
      edges: [inTenant(id, ctx.tenant.id)],
    };
  },
  ref: (u): UserRef => {
    const f = fields(u);
    return { nodeId: ids.user(f.string('id')), userId: f.string('id'), email: f.string('primaryEmail').toLowerCase(), deleted: !!u.deletionTime };
  },
});

/** A user's fields as the mapper reads them (`users[].<field>`; named by id, or primary e-mail). */
const fields = (u: User) => fieldsOf(u, 'users[]', ['id', 'primaryEmail']);
