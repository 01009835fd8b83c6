// The integration log (team.integrationLogs; admin scope, an admin's user token, paid plans): app,
// bot and incoming-webhook installs, scope changes and removals. Replayed into what is installed now,
// who installed it and when, and every scope granted since (integration-state.ts). Webhook URLs are
// not in the log and never stored: an incoming webhook is kept as its app and channel.
// https://docs.slack.dev/reference/methods/team.integrationLogs
import { defineResource } from '../../../src/crawl/resource.ts';
import type { Emitted, GraphEdge, GraphNode } from '../../../src/graph/model.ts';
import { teamArg, type SlackClient } from '../client.ts';
import { newerThan, replayIntegrationLog, type Integration, type LogEntry, type SavedLog } from '../integration-state.ts';
import { numberedPages } from '../paginate.ts';
import { ids, inTenant, P, scopeGrants, teamNode, userRef, WEBHOOK_HOST } from '../map-helpers.ts';
import { unsupportedBecause } from '../slack-errors.ts';
import { workspaces, type WorkspaceRef } from './workspaces.ts';

export const integrationLogs = defineResource<SlackClient, Integration, WorkspaceRef>({
  provider: P, type: 'slack.integration_logs', description: 'Apps, legacy integrations and incoming webhooks installed, with installer and scopes',
  docs: 'https://docs.slack.dev/reference/methods/team.integrationLogs',
  parent: workspaces,
  emits: { nodes: ['connector', 'scope', 'principal', 'endpoint'], edges: ['IN_TENANT', 'INSTALLED_BY', 'HAS_SCOPE', 'FORWARDS_TO'] },
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
    const { live, saved: next } = replayIntegrationLog(ctx.parent.teamId, newerThan(prior, entries), prior);
    ctx.state.set(stateKey, JSON.stringify(next));
    yield { items: live };
  },
  map: (it) => mapIntegration(it),
  unsupported: unsupportedBecause('team.integrationLogs'),
});

export function mapIntegration(it: Integration): Emitted {
  const team = it.teamId;
  const id = it.kind === 'app' ? ids.app(team, it.appId!)
    : it.kind === 'app_webhook' ? ids.appWebhook(team, it.appId!, it.channel!)
    : ids.service(team, it.serviceId!);
  const webhook = it.kind === 'app_webhook' || (it.kind === 'service' && (/incoming webhook/i.test(it.serviceType ?? '') || it.scopes.includes('incoming-webhook')));
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
    // secret). Not the host itself: every Slack incoming webhook shares it, and inventories allow it for
    // other providers' webhooks that post into Slack.
    const channel = it.channel ?? 'unknown-channel';
    const endpoint = ids.endpoint(`${team}:${channel}`);
    nodes.push({ id: endpoint, kind: 'endpoint', type: 'slack.channel', name: channelName(it.channel), props: { channel: it.channel, team_id: team, host: WEBHOOK_HOST } });
    edges.push({ type: 'FORWARDS_TO', from: id, to: endpoint, props: { channel: it.channel, team_id: team, app_id: it.appId, via: WEBHOOK_HOST } });
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

function channelName(channel: string | null): string {
  return channel ? (channel.startsWith('#') || /^[CGD][A-Z0-9]+$/.test(channel) ? channel : `#${channel}`) : 'unknown channel';
}
