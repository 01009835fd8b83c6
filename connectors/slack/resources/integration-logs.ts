// The integration log (team.integrationLogs; admin scope, an admin's user token, paid plans): app,
// bot and incoming-webhook installs, scope changes and removals. Replayed into what is installed now,
// who installed it and when, and every scope granted since (integration-state.ts). Webhook URLs are
// not in the log and never stored: an incoming webhook is kept as its app and channel.
// https://docs.slack.dev/reference/methods/team.integrationLogs
import { defineResource } from '../../../src/crawl/resource.ts';
import type { Emitted, GraphEdge, GraphNode } from '../../../src/graph/model.ts';
import { teamArg, type SlackClient } from '../client.ts';
import { checkLogEntries, newerThan, replayIntegrationLog, type Integration, type LogEntry, type SavedLog } from '../integration-state.ts';
import { numberedPages } from '../paginate.ts';
import { ids, inTenant, P, scopeGrants, teamNode, userRef, WEBHOOK_HOST } from '../map-helpers.ts';
import { channelEndpoint, channelEndpointId, channelName, isChannelId } from '../channel-endpoint.ts';
import { WORKSPACE, GRID } from '../permission-hints.ts';
import { unsupportedBecause } from '../slack-errors.ts';
import { workspaces, type WorkspaceRef } from './workspaces.ts';

export const integrationLogs = defineResource<SlackClient, Integration, WorkspaceRef>({
  provider: P, type: 'slack.integration_logs', description: 'Apps, legacy integrations and incoming webhooks installed, with installer and scopes',
  docs: 'https://docs.slack.dev/reference/methods/team.integrationLogs',
  parent: workspaces,
  permission: { grant: { [WORKSPACE]: 'admin (a user token of a Workspace Admin or Owner)', [GRID]: 'admin (a user token of an Org Admin or Owner)' } },
  emits: { nodes: ['connector', 'scope', 'principal', 'endpoint'], edges: ['IN_TENANT', 'INSTALLED_BY', 'HAS_SCOPE', 'FORWARDS_TO'] },
  matchKeys: ['app_id', 'service_id'],
  async *list(ctx) {
    // The log is a history, not a list: it is read, then replayed (a few entries per integration). A full
    // crawl reads all of it; an incremental one replays only entries newer than the last run's watermark
    // on top of that run's saved replay — and stops paging once a newest-first page is older than it.
    const stateKey = `integration_log:${ctx.parent.teamId}`;
    const saved = ctx.state.get(stateKey);
    const prior = ctx.mode === 'incremental' && saved ? JSON.parse(saved) as SavedLog : undefined;
    const entries: LogEntry[] = [];
    const olderThanPrior = (items: LogEntry[]) => Boolean(prior && items.length && newestFirst(items) && Number(items[items.length - 1]!.date) < prior.watermark);
    for await (const page of numberedPages<LogEntry>(ctx.client, 'team.integrationLogs', teamArg(ctx.client, ctx.parent.teamId), 'logs', olderThanPrior)) entries.push(...page.items);
    // an entry not shaped as Slack documents it is left out of the replay and reported: the listing is partial
    // (nothing removed, and this replay is not saved as the next run's starting point)
    const { wellFormed, malformed } = checkLogEntries(entries);
    const { live, saved: next } = replayIntegrationLog(ctx.parent.teamId, newerThan(prior, wellFormed), prior);
    ctx.state.set(stateKey, JSON.stringify(next));
    yield { items: live, ...(malformed.length ? { malformed } : {}) };
  },
  map: (it) => mapIntegration(it),
  // slack.channels names the channel an incoming webhook posts into, when the log gives its id.
  ref: (it) => (webhookChannelId(it) ? { nodeId: integrationId(it), label: `${it.name} → ${it.channel}`, teamId: it.teamId, channelId: it.channel! } satisfies ChannelRef : null),
  unsupported: unsupportedBecause('team.integrationLogs'),
});

/** What slack.channels receives about a webhook whose channel the log names by id. */
export type ChannelRef = WorkspaceRef & { channelId: string };

function integrationId(it: Integration): string {
  return it.kind === 'app' ? ids.app(it.teamId, it.appId!)
    : it.kind === 'app_webhook' ? ids.appWebhook(it.teamId, it.appId!, it.channel!)
    : ids.service(it.teamId, it.serviceId!);
}

function isWebhook(it: Integration): boolean {
  return it.kind === 'app_webhook' || (it.kind === 'service' && (/incoming webhook/i.test(it.serviceType ?? '') || it.scopes.includes('incoming-webhook')));
}

function webhookChannelId(it: Integration): string | null {
  return isWebhook(it) && it.channel && isChannelId(it.channel) ? it.channel : null;
}

export function mapIntegration(it: Integration): Emitted {
  const team = it.teamId;
  const id = integrationId(it);
  const webhook = isWebhook(it);
  const connectorType = it.kind === 'app' ? 'slack_app' : webhook ? 'incoming_webhook' : serviceType(it.serviceType);
  const nodes: GraphNode[] = [{ id, kind: 'connector', type: it.kind === 'app' ? 'slack.app' : webhook ? 'slack.incoming_webhook' : 'slack.custom_integration',
    name: webhook && it.channel ? `${it.name} → ${channelName(it.channel)}` : it.name, props: {
      connector_type: connectorType, app_id: it.appId, service_id: it.serviceId, service_type: it.serviceType, team_id: team,
      channel: it.channel, enabled: it.enabled, created_at: it.installedAt, updated_at: it.updatedAt, last_used_at: null,
      installed_by: it.installedBy?.id ?? null, updated_by: it.updatedBy?.id ?? null, scopes: it.kind === 'app_webhook' ? [] : it.scopes,
      last_change: it.lastChange, reason: it.reason,
    } }];
  const edges: GraphEdge[] = [inTenant(id, teamNode(team))];
  if (it.installedBy) {
    nodes.push(userRef(it.installedBy.id, it.installedBy.name));
    edges.push({ type: 'INSTALLED_BY', from: id, to: ids.user(it.installedBy.id), props: { at: it.installedAt } });
  }
  if (it.kind !== 'app_webhook') {
    const g = scopeGrants(id, it.scopes);
    nodes.push(...g.nodes);
    edges.push(...g.edges);
  }
  if (webhook) {
    // The destination is the channel the webhook posts into (through hooks.slack.com, whose URL path is the
    // secret): a chat channel, not a network host — every Slack incoming webhook shares that host, and
    // inventories allow it for other providers' webhooks that post into Slack. The log names the channel by
    // its id (C…); the node is then a reference here, named by the id until slack.channels (conversations.info)
    // names it — so an unreadable channel never makes this listing incomplete. A legacy name is final: shared.
    const channel = it.channel ?? 'unknown-channel';
    nodes.push(channelEndpoint(team, channel, null, isChannelId(channel) ? 'ref' : 'shared'));
    edges.push({ type: 'FORWARDS_TO', from: id, to: channelEndpointId(team, channel), props: { channel: it.channel, team_id: team, app_id: it.appId, via: WEBHOOK_HOST } });
  }
  return { nodes, edges };
}

function newestFirst(items: LogEntry[]): boolean {
  return items.every((e, i) => i === 0 || Number(e.date) <= Number(items[i - 1]!.date));
}

function serviceType(t: string | null): string {
  if (!t) return 'custom_integration';
  if (/^bots?$/i.test(t)) return 'legacy_bot';
  if (/slash command/i.test(t)) return 'slash_command';
  return 'custom_integration';
}
