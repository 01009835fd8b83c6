// Users of the tenant (principals): UPN, mail, enabled/disabled, soft-deleted, Global Administrator.
// GET /users/delta (full round, then changes only) and the Global Administrator role's members.
// https://learn.microsoft.com/graph/api/user-delta
import type { DirectoryObject, User } from '@microsoft/microsoft-graph-types';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { deltaPages } from '../delta.ts';
import { AzureHttpError } from '../rest.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, P } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';

type DeltaUser = User & { '@removed'?: { reason?: string }; _admin?: boolean; _deleted?: boolean };

const GLOBAL_ADMIN_TEMPLATE = '62e90394-69f5-4237-9190-012177145e10';
const SELECT = 'id,displayName,userPrincipalName,mail,otherMails,accountEnabled,userType,createdDateTime';

export const users = defineResource<AzureClient, DeltaUser>({
  provider: P, type: 'azure.users', description: 'Users (principals), with disabled and deleted state',
  docs: 'https://learn.microsoft.com/graph/api/user-delta',
  permission: { grant: { [GRAPH]: 'User.Read.All, and RoleManagement.Read.Directory for Global Administrator members' } },
  emits: { nodes: ['principal'], edges: ['IN_TENANT'] },
  async *list(ctx) {
    const admins = await globalAdmins(ctx.client);
    let delta = false;
    const dctx = { ...ctx, markDelta: (reason?: string) => { delta = true; ctx.markDelta(reason); } };
    // '@removed' reason 'changed' = moved to the recycle bin (restorable for 30 days): read it there and keep it,
    // shown as deleted. Reason 'deleted' (or no longer in the bin) = gone: the node is removed.
    for await (const page of deltaPages<DeltaUser>(dctx, { collection: 'users', select: SELECT, nodeId: ids.user,
      keepRemoved: (u) => u['@removed']?.reason === 'changed' })) {
      const removed = [...(page.removed ?? [])];
      const items: DeltaUser[] = [];
      for (const u of page.items) {
        if (!u['@removed']) { items.push({ ...u, _admin: admins.has(u.id ?? '') }); continue; }
        const binned = await ctx.client.batch.get<User>(`/directory/deletedItems/${u.id}?$select=${SELECT},deletedDateTime`).catch((err) => {
          if (err instanceof AzureHttpError && err.status === 404) return null;
          throw err;
        });
        if (binned) items.push({ ...binned, _deleted: true, _admin: false });
        else if (typeof u.id === 'string' && u.id) removed.push(ids.user(u.id));
      }
      yield { items, ...(removed.length ? { removed } : {}) };
    }
    if (!delta) {
      for await (const page of ctx.client.graph.pages<User>(`/directory/deletedItems/microsoft.graph.user?$select=${SELECT},deletedDateTime&$top=${ctx.client.cfg.pageSize}`)) {
        yield { items: page.items.map((u) => ({ ...u, _deleted: true, _admin: false })) };
      }
    }
  },
  map(u, ctx) {
    const f = fieldsOf(u, 'users[]', ['id', 'userPrincipalName']);
    const objectId = f.string('id');
    const id = ids.user(objectId);
    const upn = f.optionalString('userPrincipalName');
    const mail = f.optionalString('mail')?.toLowerCase() ?? null;
    const status = u._deleted ? 'deleted' : u.accountEnabled === false ? 'disabled' : u.accountEnabled === true ? 'active' : 'unknown';
    const emails = [...new Set([mail, ...f.strings('otherMails')].filter((e): e is string => !!e).map((e) => e.toLowerCase()))].sort();
    return {
      nodes: [{ id, kind: 'principal', type: 'azure.user', name: upn ?? f.label('displayName') ?? objectId, props: {
        object_id: objectId, upn, display_name: f.label('displayName'), email: mail, emails,
        status, account_enabled: u.accountEnabled ?? null, is_admin: u._admin === true, user_type: u.userType ?? null,
        created_at: u.createdDateTime ?? null, deleted_at: u.deletedDateTime ?? null,
      } }],
      edges: [inTenant(id, ctx.tenant.id)],
    };
  },
});

/** Object ids of Global Administrators. A role never activated in the tenant answers 404: nobody holds it. */
async function globalAdmins(client: AzureClient): Promise<Set<string>> {
  try {
    const members = await client.graph.all<DirectoryObject>(`/directoryRoles(roleTemplateId='${GLOBAL_ADMIN_TEMPLATE}')/members?$select=id`);
    return new Set(members.map((m) => m.id!).filter(Boolean));
  } catch (err) {
    if (err instanceof AzureHttpError && err.status === 404) return new Set();
    throw err;
  }
}
