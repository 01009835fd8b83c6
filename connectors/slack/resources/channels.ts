// Names of the channels incoming webhooks post into (conversations.info; channels:read for public channels,
// groups:read for private ones — and a private channel only if the token's user is in it). The integration
// log names a channel by its id (C…/G…); this names it, once per webhook whose channel the log gives as an id.
// A channel the token cannot read is recorded as unsupported for that channel (the log stays complete and the
// channel keeps its id as its name). https://docs.slack.dev/reference/methods/conversations.info
import type { ConversationsInfoResponse } from '@slack/web-api';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { Emitted } from '../../../src/graph/model.ts';
import { teamArg, type SlackClient } from '../client.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { P } from '../map-helpers.ts';
import { WORKSPACE, GRID } from '../permission-hints.ts';
import { platformCode, unsupportedBecause } from '../slack-errors.ts';
import { channelEndpoint } from '../channel-endpoint.ts';
import { integrationLogs, type ChannelRef } from './integration-logs.ts';

type Channel = NonNullable<ConversationsInfoResponse['channel']>;

const viaInfo = unsupportedBecause('conversations.info');

export const channels = defineResource<SlackClient, Channel, ChannelRef>({
  provider: P, type: 'slack.channels', description: 'Names of the channels incoming webhooks post into',
  docs: 'https://docs.slack.dev/reference/methods/conversations.info',
  parent: integrationLogs,
  permission: { grant: { [WORKSPACE]: 'channels:read (groups:read for private channels)', [GRID]: 'channels:read (groups:read for private channels)' } },
  emits: { nodes: ['endpoint'], edges: [] },
  async *list(ctx) {
    const res = (await ctx.client.web.conversations.info({ channel: ctx.parent.channelId, ...teamArg(ctx.client, ctx.parent.teamId) })) as ConversationsInfoResponse;
    yield { items: res.channel ? [res.channel] : [] };
  },
  map(ch, ctx): Emitted {
    // The parent's id, not the answer's: the node is the one the webhook's FORWARDS_TO points at.
    const f = fieldsOf(ch, 'channel', ['id', 'name']);
    const name = f.optionalString('name');
    if (!name) return { nodes: [], edges: [] };
    const flag = (v: unknown) => (typeof v === 'boolean' ? v : null);
    return { nodes: [channelEndpoint(ctx.parent.teamId, ctx.parent.channelId, { name, isPrivate: flag(ch.is_private), isArchived: flag(ch.is_archived) }, 'shared')], edges: [] };
  },
  unsupported(err) {
    // A private channel the token's user is not in (or a deleted one) answers channel_not_found: not readable.
    if (platformCode(err) === 'channel_not_found') {
      return 'conversations.info: Slack answered channel_not_found (a private channel the token\'s user is not in, or a deleted channel; needs groups:read and membership): the channel is kept as its id';
    }
    return viaInfo(err);
  },
});
