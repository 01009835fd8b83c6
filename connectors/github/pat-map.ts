// Shared mapping for fine-grained personal access token grants and requests: a credential held by its
// owner, with its permissions as scopes and its repository selection as reach.
import type { components } from '@octokit/openapi-types';
import type { Emitted } from '../../src/graph/model.ts';
import { nodeId } from '../../src/graph/model.ts';
import { fieldsOf } from '../../src/crawl/malformed-item.ts';
import { ids, inTenant, P, scopeGrants, userRef } from './map-helpers.ts';

type Grant = components['schemas']['organization-programmatic-access-grant'];
type Request = components['schemas']['organization-programmatic-access-grant-request'];

/** A grant's or request's fields as the mapper reads them (named by id, or by token id). */
export const patFields = (g: Grant | Request, state: 'granted' | 'requested') =>
  fieldsOf(g, state === 'granted' ? 'personal_access_tokens[]' : 'personal_access_token_requests[]', ['id', 'token_id']);

export function mapPat(g: Grant | Request, org: string, state: 'granted' | 'requested'): Emitted {
  const f = patFields(g, state);
  const id = nodeId(P, state === 'granted' ? 'pat_grant' : 'pat_request', f.key('id'));
  const owner = f.string('owner.login');
  f.optionalObject('permissions'); // checked: the three maps below are read through it
  const perms = { ...(f.optionalObject('permissions.organization') ?? {}), ...(f.optionalObject('permissions.repository') ?? {}),
    ...(f.optionalObject('permissions.other') ?? {}) } as Record<string, string | undefined>;
  const scopes = scopeGrants(id, perms, { state });
  const ownerRef = userRef(owner);
  const edges: Emitted['edges'] = [inTenant(id, org), { type: 'HAS_CREDENTIAL', from: ownerRef.id, to: id, props: { state } }, ...scopes.edges];
  if (g.repository_selection === 'all') edges.push({ type: 'CAN_ACCESS', from: id, to: ids.org(org), props: { repositories: 'all' } });
  return {
    nodes: [{ id, kind: 'credential', type: state === 'granted' ? 'github.fine_grained_pat' : 'github.fine_grained_pat_request', name: `${f.label('token_name') ?? 'token'} (${owner})`, props: {
      credential_type: 'github_fine_grained_pat', state, token_id: g.token_id, token_name: g.token_name, owner,
      repository_selection: g.repository_selection, permissions: g.permissions ?? {},
      created_at: 'access_granted_at' in g ? g.access_granted_at : g.created_at, expires_at: g.token_expires_at ?? null,
      expired: g.token_expired ?? null, last_used_at: g.token_last_used_at ?? null, static: true, enabled: state === 'granted',
      reason: 'reason' in g ? g.reason ?? null : null,
    } }, ownerRef, ...scopes.nodes],
    edges,
  };
}
