// The chat channel an incoming webhook posts into, as a graph node: kind endpoint with endpoint_type 'channel'
// (the forwards view lists it under `channel`, never `host`: a channel is inside the workspace, not a network
// destination). Named by the id the integration log gives (C…/G…) until conversations.info names it.
import type { GraphNode } from '../../src/graph/model.ts';
import { ids, WEBHOOK_HOST } from './map-helpers.ts';

/** How the log's channel reads in names: an id as it is, a legacy name with its '#'. */
export function channelName(channel: string | null): string {
  return channel ? (channel.startsWith('#') || isChannelId(channel) ? channel : `#${channel}`) : 'unknown channel';
}

/** A conversation id as Slack gives it (C… public, G… private or legacy group, D… direct message). */
export function isChannelId(channel: string): boolean {
  return /^[CGD][A-Z0-9]{2,}$/.test(channel);
}

export const channelEndpointId = (team: string, channel: string) => ids.endpoint(`${team}:${channel}`);

/**
 * The chat channel a webhook posts into (kind endpoint, endpoint_type 'channel': the forwards view puts it in its
 * `channel` column, never in `host`). `name`: the channel's name when known (conversations.info), else the log's
 * form — an id stays an id, a legacy name gets its '#'.
 */
export function channelEndpoint(team: string, channel: string, info: { name: string; isPrivate?: boolean | null; isArchived?: boolean | null } | null,
  mode: 'ref' | 'shared'): GraphNode {
  const id = isChannelId(channel) ? channel : null;
  return { id: channelEndpointId(team, channel), kind: 'endpoint', type: 'slack.channel', name: info ? `#${info.name}` : channelName(channel),
    ...(mode === 'ref' ? { ref: true } : { shared: true }),
    props: { endpoint_type: 'channel', channel, channel_id: id, channel_name: info?.name ?? (id ? null : channel.replace(/^#/, '')), team_id: team, via: WEBHOOK_HOST,
      ...(info ? { is_private: info.isPrivate ?? null, is_archived: info.isArchived ?? null } : {}) } };
}
