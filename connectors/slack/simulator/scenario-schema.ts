// Validates the Slack block of a scenario file (zod): the block, its workspaces and token are strict, each
// vendor object requires the fields SlackScenario requires (typed as @slack/web-api's response types type them)
// and refuses near-miss keys; the schema's output is assignable to SlackScenario (compile-time check).
import { z } from 'zod';
import { keyed, mapping, vendorObject, type Assignable } from '../../../src/simulator/scenario-schema.ts';
import type {
  SimAppRequest, SimApproved, SimBot, SimChannel, SimLog, SimMember, SimRestricted, SimTeam, SimWorkflow, SlackScenario,
} from './scenario.ts';

type Of<T> = Partial<T>;
const text = z.string().min(1);
const tier = z.strictObject({ limit: z.number().int().positive(), windowMs: z.number().int().positive() }).optional();

const workspace = z.strictObject({
  team: vendorObject<Of<SimTeam>>()({ id: text, name: z.string(), domain: z.string() }, ['email_domain', 'enterprise_id', 'enterprise_name', 'icon']),
  users: z.array(vendorObject<Of<SimMember>>()({ id: text, name: z.string(), deleted: z.boolean().optional(), is_bot: z.boolean().optional() },
    ['real_name', 'team_id', 'is_admin', 'is_owner', 'is_primary_owner', 'is_restricted', 'is_ultra_restricted', 'updated', 'profile', 'is_workflow_bot', 'is_app_user'])),
  integrationLogs: z.array(vendorObject<Of<SimLog>>()({ date: z.string(), change_type: z.string() },
    ['app_id', 'app_type', 'user_id', 'user_name', 'scope', 'reason', 'channel', 'service_id', 'service_type'])),
  bots: z.array(vendorObject<Of<SimBot>>()({ id: text, name: z.string() }, ['deleted', 'updated', 'app_id', 'user_id', 'icons'])).optional(),
  appRequests: z.array(vendorObject<Of<SimAppRequest>>()({ id: text }, ['app', 'user', 'team', 'scopes', 'message', 'date_created'])).optional(),
  channels: z.array(vendorObject<Of<SimChannel>>()({ id: text, name: z.string(), is_private: z.boolean().optional(), is_member: z.boolean().optional() },
    ['is_channel', 'is_archived', 'is_group', 'is_im', 'is_mpim'])).optional(),
});

export const slackScenarioSchema = z.strictObject({
  plan: z.enum(['free', 'pro', 'business_plus', 'enterprise']),
  token: z.strictObject({ type: z.enum(['user', 'bot']), orgLevel: z.boolean().optional(), scopes: z.array(z.string()) }),
  workspaces: z.array(workspace).min(1, 'needs at least one workspace (the first is the token\'s own)'),
  enterprise: z.strictObject({ id: text, name: z.string() }).optional(),
  approvedApps: z.array(mapping<SimApproved>()).optional(),
  restrictedApps: z.array(mapping<SimRestricted>()).optional(),
  workflows: z.array(vendorObject<Of<SimWorkflow>>()({ id: text, title: z.string() })).optional(),
  tiers: z.strictObject({ 1: tier, 2: tier, 3: tier, 4: tier }).optional(),
  webhookUrls: keyed(z.string()).optional(),
});

const _typed: Assignable<z.output<typeof slackScenarioSchema>, SlackScenario> = true;
void _typed;
