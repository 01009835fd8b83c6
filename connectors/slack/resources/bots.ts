// Bot details (bots.info, users:read) for bot users whose profile does not name their app — legacy
// custom bots and workflow bots: which app a bot belongs to, whether it is deleted. One tier-3 call per
// such bot, so only those are asked. https://docs.slack.dev/reference/methods/bots.info
import type { BotsInfoResponse } from '@slack/web-api';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { Emitted } from '../../../src/graph/model.ts';
import { teamArg, type SlackClient } from '../client.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { ids, P } from '../map-helpers.ts';
import { WORKSPACE, GRID } from '../permission-hints.ts';
import { unsupportedBecause } from '../slack-errors.ts';
import { users, type BotUserRef } from './users.ts';

type Bot = NonNullable<BotsInfoResponse['bot']>;

export const bots = defineResource<SlackClient, Bot, BotUserRef>({
  provider: P, type: 'slack.bots', description: 'The app behind bot users whose profile does not name it',
  docs: 'https://docs.slack.dev/reference/methods/bots.info',
  parent: users,
  permission: { grant: { [WORKSPACE]: 'users:read', [GRID]: 'users:read' } },
  emits: { nodes: ['connector'], edges: [] },
  matchKeys: ['app_id'],
  async *list(ctx) {
    const res = (await ctx.client.web.bots.info({ bot: ctx.parent.botId, ...teamArg(ctx.client, ctx.parent.teamId) })) as BotsInfoResponse;
    yield { items: res.bot ? [res.bot] : [] };
  },
  map(bot, ctx): Emitted {
    // the bot asked for, as bots.info answers it: its id, and the app and deleted flag read below
    const f = fieldsOf(bot, 'bot', ['id', 'app_id']);
    f.key('id');
    const appId = f.optionalString('app_id');
    const deleted = f.optionalBoolean('deleted');
    if (!appId) return { nodes: [], edges: [] };
    // A reference: the integration log owns app nodes; this only makes sure the app is known.
    return { nodes: [{ id: ids.app(ctx.parent.teamId, appId), kind: 'connector', type: 'slack.app', name: typeof bot.name === 'string' && bot.name ? bot.name : appId, ref: true,
      props: { connector_type: 'slack_app', app_id: appId, team_id: ctx.parent.teamId, enabled: !deleted, seen_via: 'bots.info' } }], edges: [] };
  },
  unsupported: unsupportedBecause('bots.info'),
});
