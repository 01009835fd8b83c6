// Shared mapping for organisation and repository webhooks: a connector that FORWARDS_TO its target host.
// The URL's user-info, query string and any secret are dropped here, before anything is stored.
import type { Emitted } from '../../src/graph/model.ts';
import { hostOf, safeUrl } from '../../src/util/redact.ts';
import { fieldsOf } from '../../src/crawl/malformed-item.ts';
import { ids, inTenant } from './map-helpers.ts';

export interface HookLike {
  id: number; name?: string; active?: boolean; events?: string[];
  config?: { url?: string; content_type?: string; insecure_ssl?: string | number; secret?: string } | null;
  created_at?: string; updated_at?: string;
  last_response?: { code: number | null; status: string | null; message: string | null } | null;
}

/** A hook's id: what its node id is made of (checked before the node id is built). */
export function hookId(hook: HookLike): string {
  return fieldsOf(hook, 'hooks[]').key('id');
}

export function mapWebhook(hook: HookLike, opts: { id: string; type: string; org: string; scopeName: string; repoNodeId?: string }): Emitted {
  const f = fieldsOf(hook, 'hooks[]');
  const url = f.optionalObject('config') ? f.optionalString('config.url') : null;
  const events = [...f.strings('events')].sort();
  const host = hostOf(url);
  const nodes: Emitted['nodes'] = [{ id: opts.id, kind: 'connector', type: opts.type, name: `${opts.scopeName} → ${host ?? 'unknown host'}`, props: {
    connector_type: 'webhook', hook_id: f.key('id'), active: hook.active ?? null, enabled: hook.active ?? null,
    events, url: safeUrl(url), host,
    content_type: hook.config?.content_type ?? null, insecure_ssl: hook.config?.insecure_ssl === '1' || hook.config?.insecure_ssl === 1,
    has_secret: hook.config?.secret !== undefined && hook.config?.secret !== null,
    created_at: hook.created_at ?? null, updated_at: hook.updated_at ?? null,
    last_response: hook.last_response ? { code: hook.last_response.code, status: hook.last_response.status } : null,
  } }];
  const edges: Emitted['edges'] = [inTenant(opts.id, opts.org)];
  if (host) {
    nodes.push({ id: ids.endpoint(host), kind: 'endpoint', type: 'github.webhook_target', name: host, props: { host } });
    edges.push({ type: 'FORWARDS_TO', from: opts.id, to: ids.endpoint(host), props: { events } });
  }
  if (opts.repoNodeId) edges.push({ type: 'CAN_ACCESS', from: opts.id, to: opts.repoNodeId, props: { via: 'repository webhook' } });
  return { nodes, edges };
}
