// The demo company's Slack workspace (Halcyon Logistics, team THALCYON01), built deterministically from
// `company.everyone`: people who left are deleted users. `scale` grows it for benchmarks; the planted
// problems stay the same:
//  - `OpsPilot Admin` holds the legacy `admin` scope and admin.* write scopes;
//  - `Standup Bot` (an app with a bot user) and a legacy custom bot were installed by people who have left;
//  - a legacy incoming webhook to #alerts-prod that nobody installed on record (its URL leaked into a
//    log reason; never stored). The log names channels by id, as Slack's does; conversations.info names them;
//  - `DataSync` was granted files:read and channels:history since last month's crawl, and `PollMaster`
//    was removed — `buildSlackScenario({ month: 'previous' })` is the workspace before both;
//  - two AI agents (issue 19): `Otter.ai`, a meeting recorder the category catalogue knows by name, reads every public
//    channel's history and every file and posts (ai-agent-excessive-agency, high); its clean twin `Halcyon Ask`, an
//    assistant the inventory names `category: ai-assistant`, holds only read-only narrow scopes (raises nothing).
import type { SimLog, SimMember, SlackScenario } from '../../connectors/slack/simulator/scenario.ts';
import { company, rng, demoClock } from './company.ts';

export interface SlackScale { users: number; apps: number }
export const demoSlackScale: SlackScale = { users: company.everyone.length, apps: 16 };

export const TEAM_ID = 'THALCYON01';
export const slackPlanted = {
  adminApp: { id: 'A0ADMINOPS', name: 'OpsPilot Admin', scopes: ['admin', 'admin.users:write', 'admin.conversations:write'] },
  departedBotApp: { id: 'A0STANDUP1', name: 'Standup Bot', botId: 'B0STANDUP1', installer: 'rkowalski' },
  departedLegacyBot: { serviceId: 4_000_123, name: 'Bots', installerIndex: 23 },
  // Channels as Slack's integration log gives them: by id (named through conversations.info).
  orphanWebhook: { serviceId: 5_000_777, channel: 'C0HALERTS1', channelName: 'alerts-prod' },
  webhookUrl: 'https://hooks.slack.com/services/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h',
  scopeAdded: { appId: 'A0DATASYNC', name: 'DataSync', added: ['channels:history', 'files:read'] },
  removedApp: { id: 'A0OLDPOLL1', name: 'PollMaster' },
  appWebhook: { appId: 'A0GRAFANA1', channel: 'C0HOPSALR1', channelName: 'ops-alerts' },
  broadAgent: { id: 'A0OTTERAI1', name: 'Otter.ai', scopes: ['channels:history', 'files:read', 'chat:write', 'users:read'] },
  narrowAgent: { id: 'A0HASKBOT1', name: 'Halcyon Ask', scopes: ['commands', 'users:read', 'channels:read'] },
};

/** The workspace's channels that webhooks post into (conversations.info answers with their names). */
const demoChannels = [
  { id: slackPlanted.orphanWebhook.channel, name: slackPlanted.orphanWebhook.channelName },
  { id: slackPlanted.appWebhook.channel, name: slackPlanted.appWebhook.channelName },
  { id: 'C0HMETRIC1', name: 'ops-metrics' },
];

const daysAgo = (d: number) => String(Math.round(demoClock() / 1000 - d * 86400));
export const userId = (i: number) => `U${String(100000 + i)}`;

interface AppDef { id: string; name: string; scopes: string; installer: number; bot?: string; days: number; channel?: string }

export function buildSlackScenario(opts: { month?: 'current' | 'previous'; scale?: SlackScale } = {}): SlackScenario {
  const scale = opts.scale ?? demoSlackScale;
  const previous = opts.month === 'previous';
  const r = rng(11);
  const people = company.everyone;
  const users: SimMember[] = [{ id: 'USLACKBOT', name: 'slackbot', real_name: 'Slackbot', is_bot: false, deleted: false, team_id: TEAM_ID }];
  for (let i = 0; i < scale.users; i++) {
    const p = people[i % people.length]!;
    const suffix = i < people.length ? '' : String(i);
    const [local, domain] = p.email.split('@');
    users.push({
      id: userId(i), team_id: TEAM_ID, name: `${p.github}${suffix}`, real_name: p.name, deleted: p.departed === true && i < people.length,
      is_admin: p.admin === true && i < people.length, is_owner: i === 0, is_primary_owner: i === 0, is_bot: false,
      is_restricted: i % 97 === 50, updated: Number(daysAgo(30 + (i % 300))),
      profile: { email: `${local}${suffix}@${domain}`, real_name: p.name, title: p.dept },
    });
  }
  const idx = (login: string) => people.findIndex((p) => p.github === login);
  const apps: AppDef[] = [
    { id: slackPlanted.adminApp.id, name: slackPlanted.adminApp.name, scopes: ['admin', 'admin.users:write', 'admin.conversations:write', 'users:read'].join(','), installer: 0, days: 200 },
    { id: slackPlanted.departedBotApp.id, name: slackPlanted.departedBotApp.name, scopes: 'bot,chat:write,channels:history,users:read', installer: idx('rkowalski'), bot: slackPlanted.departedBotApp.botId, days: 400 },
    { id: slackPlanted.scopeAdded.appId, name: slackPlanted.scopeAdded.name, scopes: 'channels:read,chat:write,users:read', installer: 3, bot: 'B0DATASYNC', days: 150 },
    { id: slackPlanted.appWebhook.appId, name: 'Grafana', scopes: 'incoming-webhook', installer: 4, days: 300, channel: slackPlanted.appWebhook.channel },
    { id: 'A0GDRIVE01', name: 'Google Drive', scopes: 'files:read,links:read,links:write,chat:write', installer: 1, bot: 'B0GDRIVE01', days: 700 },
    { id: 'A0JIRACL01', name: 'Jira Cloud', scopes: 'chat:write,commands,links:read,users:read,users:read.email', installer: 2, bot: 'B0JIRACL01', days: 650 },
    { id: 'A0GITHUB01', name: 'GitHub', scopes: 'chat:write,commands,links:read,team:read', installer: 3, bot: 'B0GITHUB01', days: 600 },
    { id: 'A0PAGERD01', name: 'PagerDuty', scopes: 'chat:write,commands,channels:read,users:read,usergroups:write', installer: 5, bot: 'B0PAGERD01', days: 500 },
    { id: 'A0ZOOM0001', name: 'Zoom', scopes: 'chat:write,commands,users:read', installer: 9, bot: 'B0ZOOM0001', days: 420 },
    { id: 'A0DATADOG1', name: 'Datadog', scopes: 'chat:write,channels:read,incoming-webhook', installer: 4, bot: 'B0DATADOG1', days: 380, channel: 'C0HMETRIC1' },
    { id: 'A0DEPLOYB1', name: 'Halcyon Deploy Bot', scopes: 'chat:write,channels:read', installer: 2, bot: 'B0DEPLOYB1', days: 250 },
    { id: 'A0LINEAR01', name: 'Linear', scopes: 'chat:write,links:read,links:write,users:read', installer: 10, bot: 'B0LINEAR01', days: 90 },
    { id: 'A0SURVEY01', name: 'Polly Surveys', scopes: 'chat:write,commands,im:write', installer: 14, bot: 'B0SURVEY01', days: 60 },
    { id: slackPlanted.removedApp.id, name: slackPlanted.removedApp.name, scopes: 'chat:write,commands', installer: 12, bot: 'B0OLDPOLL1', days: 800 },
    { id: slackPlanted.broadAgent.id, name: slackPlanted.broadAgent.name, scopes: slackPlanted.broadAgent.scopes.join(','), installer: 6, bot: 'B0OTTERAI1', days: 45 },
    { id: slackPlanted.narrowAgent.id, name: slackPlanted.narrowAgent.name, scopes: slackPlanted.narrowAgent.scopes.join(','), installer: 2, bot: 'B0HASKBOT1', days: 30 },
  ];
  for (let i = apps.length; i < scale.apps; i++) {
    const id = `A1${String(i).padStart(8, '0')}`;
    apps.push({ id, name: `Vendor App ${i}`, scopes: ['chat:write', 'users:read', i % 3 ? 'channels:read' : 'files:read'].join(','),
      installer: Math.floor(r() * Math.min(scale.users, people.length)), bot: `B1${String(i).padStart(8, '0')}`, days: 30 + Math.floor(r() * 700) });
  }
  const who = (i: number) => ({ user_id: userId(i), user_name: people[i % people.length]!.github });
  const logs: SimLog[] = [];
  for (const a of apps) {
    logs.push({ app_id: a.id, app_type: a.name, ...who(a.installer), date: daysAgo(a.days), change_type: 'added', scope: a.scopes, ...(a.channel ? { channel: a.channel } : {}) });
    if (a.bot) {
      users.push({ id: `U${a.bot.slice(1)}`, team_id: TEAM_ID, name: a.name.toLowerCase().replace(/\W+/g, '-'), real_name: a.name, is_bot: true,
        deleted: !previous && a.id === slackPlanted.removedApp.id, updated: Number(daysAgo(a.days)), profile: { bot_id: a.bot, api_app_id: a.id, real_name: a.name } });
    }
  }
  // Legacy custom integrations: a bot set up by someone who has left, and an incoming webhook with no installer on record.
  logs.push({ service_id: slackPlanted.departedLegacyBot.serviceId, service_type: 'Bots', ...who(slackPlanted.departedLegacyBot.installerIndex),
    date: daysAgo(900), change_type: 'added', scope: 'bot' });
  logs.push({ service_id: slackPlanted.orphanWebhook.serviceId, service_type: 'Incoming WebHooks', channel: slackPlanted.orphanWebhook.channel,
    date: daysAgo(1000), change_type: 'added', scope: 'incoming-webhook', reason: `moved from old workspace, URL ${slackPlanted.webhookUrl}` });
  users.push({ id: 'U0LEGACYB1', team_id: TEAM_ID, name: 'deploy-notifier', real_name: 'deploy-notifier', is_bot: true, deleted: false,
    updated: Number(daysAgo(900)), profile: { bot_id: 'B0LEGACYB1', real_name: 'deploy-notifier' } });
  if (!previous) {
    logs.push({ app_id: slackPlanted.scopeAdded.appId, app_type: slackPlanted.scopeAdded.name, ...who(3), date: daysAgo(15), change_type: 'updated',
      scope: slackPlanted.scopeAdded.added.join(','), reason: 'needs message history for the weekly export' });
    logs.push({ app_id: slackPlanted.removedApp.id, app_type: slackPlanted.removedApp.name, ...who(1), date: daysAgo(10), change_type: 'removed', scope: '' });
  }
  logs.sort((a, b) => Number(b.date) - Number(a.date));
  return {
    plan: 'business_plus',
    token: { type: 'user', scopes: ['admin', 'team:read', 'users:read', 'users:read.email', 'channels:read'] },
    workspaces: [{
      team: { id: TEAM_ID, name: company.name, domain: 'halcyon-logistics', email_domain: company.domain },
      users, integrationLogs: logs,
      channels: demoChannels.map((c) => ({ ...c, is_channel: true, is_private: false, is_archived: false })),
      bots: [{ id: 'B0LEGACYB1', name: 'deploy-notifier', deleted: false, updated: Number(daysAgo(900)) }],
    }],
    webhookUrls: { [slackPlanted.orphanWebhook.channel]: slackPlanted.webhookUrl },
  };
}
