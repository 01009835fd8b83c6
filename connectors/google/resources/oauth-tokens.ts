// Third-party OAuth grants of each user (tokens.list, one call per user, no paging, no timestamps).
// Each client id becomes ONE connector (shared by every granting user's listing, removed when the last
// grant goes); each user's grant is a credential the user holds, with its scopes. 404 = no grants.
// Incremental crawls list only users with token audit events since the last run (token-activity.ts); grant
// dates and last use come from the same audit log (token-activity.ts, token-usage.ts).
// https://developers.google.com/workspace/admin/directory/reference/rest/v1/tokens/list
import type { admin_directory_v1 } from '@googleapis/admin';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { GraphEdge, GraphNode } from '../../../src/graph/model.ts';
import { statusOf, type GoogleClient } from '../client.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, inTenant, P, scopeNode } from '../map-helpers.ts';
import { DWD } from '../permission-hints.ts';
import { grantAuthorizedTimes, planGrantSync, recordGrantDates, recordGrantSync } from '../token-activity.ts';
import { grantUsage, recordGrantUsage } from '../token-usage.ts';
import { users, type UserRef } from './users.ts';

/** A listed grant with the dates the audit log gave it, or (`_patch`) only a newer last use of a grant kept unlisted. */
type Token = admin_directory_v1.Schema$Token & { _authorizedAt?: string | null; _lastUsedAt?: string | null; _patch?: true };

export const oauthTokens = defineResource<GoogleClient, Token, UserRef>({
  provider: P, type: 'google.oauth_tokens', description: 'OAuth grants of each user, grouped by client id',
  docs: 'https://developers.google.com/workspace/admin/directory/reference/rest/v1/tokens/list',
  parent: users,
  permission: { grant: { [DWD]: 'admin.directory.user.security (no read-only variant exists), with the User security management admin privilege; admin.reports.audit.readonly for grant dates and last use' } },
  emits: { nodes: ['connector', 'credential', 'scope'], edges: ['HAS_CREDENTIAL', 'INSTALLED_BY', 'HAS_SCOPE', 'IN_TENANT'] },
  matchKeys: ['oauth_client_id'],
  async *list(ctx) {
    const { userId, email, deleted } = ctx.parent;
    // Google revokes a deleted user's grants: nothing to ask, and its old grants go.
    if (deleted) { yield { items: [] }; return; }
    const plan = await planGrantSync(ctx, { userId, email });
    if (!plan.list) {
      ctx.keepAll(plan.reason);
      // no grant changed, but some may have been used since: only their last use is updated
      const usage = await grantUsage(ctx, { userId, email });
      if (usage.advanced.size) yield { items: [...usage.advanced].map((clientId) => ({ clientId, _lastUsedAt: usage.lastUsed.get(clientId)!, _patch: true })) };
      recordGrantUsage(ctx, userId, usage);
      recordGrantSync(ctx, userId, plan.mark);
      return;
    }
    let items: Token[];
    try {
      items = (await ctx.client.directory.tokens.list({ userKey: userId })).data.items ?? [];
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      items = []; // a user without grants may answer 404 rather than an empty list
    }
    const dates = items.length ? await grantAuthorizedTimes(ctx, { userId, email }) : new Map<string, string>();
    const usage = items.length ? await grantUsage(ctx, { userId, email }) : { lastUsed: new Map<string, string>(), advanced: new Set<string>() };
    yield { items: items.map((t) => ({ ...t, _authorizedAt: dates.get(t.clientId ?? '') ?? null, _lastUsedAt: usage.lastUsed.get(t.clientId ?? '') ?? null })) };
    const held = items.map((t) => t.clientId ?? '').filter(Boolean);
    recordGrantDates(ctx, userId, dates, held);
    recordGrantUsage(ctx, userId, usage, held);
    recordGrantSync(ctx, userId, plan.mark);
  },
  map(t, ctx) {
    const f = fieldsOf(t, 'items[]', ['clientId', 'displayText']);
    const clientId = f.string('clientId');
    const { userId, email } = ctx.parent;
    const app = ids.oauthClient(clientId);
    const grant = ids.grant(userId, clientId);
    if (t._patch) return { nodes: [{ id: grant, kind: 'credential', type: 'google.oauth_grant', name: '', patch: true, props: { last_used_at: t._lastUsedAt ?? null } }], edges: [] };
    const scopes = [...new Set(f.strings('scopes'))].sort();
    const displayText = f.label('displayText');
    const display = displayText ?? clientId;
    const nodes: GraphNode[] = [
      { id: app, kind: 'connector', type: 'google.oauth_client', name: display, shared: true, props: {
        connector_type: 'google_oauth_client', app_id: clientId, client_id: clientId, display_text: displayText,
        native_app: t.nativeApp ?? null, anonymous: t.anonymous ?? null, enabled: true, created_at: null, last_used_at: null,
      } },
      { id: grant, kind: 'credential', type: 'google.oauth_grant', name: `${display} — ${email}`, props: {
        credential_type: 'oauth_user_grant', client_id: clientId, app_name: display, user_id: userId, user_email: email,
        scopes, native_app: t.nativeApp ?? null, anonymous: t.anonymous ?? null,
        // tokens.list carries no dates: the grant time is the latest authorize event in the token audit log
        // (null when older than the log), last use the latest 'activity' event read (token-usage.ts)
        created_at: t._authorizedAt ?? null, authorized_at: t._authorizedAt ?? null, expires_at: null,
        last_used_at: t._lastUsedAt ?? null,
        static: false, enabled: true,
      } },
    ];
    const edges: GraphEdge[] = [
      inTenant(grant, ctx.tenant.id),
      { type: 'HAS_CREDENTIAL', from: ctx.parent.nodeId, to: grant, props: { via: 'user_consent' } },
      { type: 'HAS_CREDENTIAL', from: app, to: grant, props: { user_email: email } },
      { type: 'INSTALLED_BY', from: grant, to: ctx.parent.nodeId, props: { consent: 'user' } },
    ];
    for (const s of scopes) {
      nodes.push({ ...scopeNode(s), shared: true });
      edges.push({ type: 'HAS_SCOPE', from: grant, to: ids.scope(s), props: { grantor: email, consent: 'user' } });
    }
    return { nodes, edges };
  },
});
