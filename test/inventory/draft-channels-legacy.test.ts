// Issue 15 item 10: a chat channel is a valid `forwarding` destination (`#alerts-prod`, or the channel id
// `#C0HALERTS1`), a URL or a malformed channel is not; legacy Slack integrations (no app id) are drafted and
// matched by a stable id — the integration's service id, a legacy bot's bot id — so renaming them changes nothing.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/config/yaml-errors.ts';
import { loadSnapshot } from '../../src/graph/reconcile-snapshot.ts';
import { draftInventory } from '../../src/inventory/draft.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import type { GraphNode } from '../../src/graph/model.ts';
import { crawlRun, edge, entry, findings, inventory, memDb, merge, NOW, withScopes } from '../reconcile/helpers.ts';
import { fillIn } from '../helpers/draft-fill.ts';

function issues(entries: Record<string, unknown>[]): string[] {
  try { inventory(entries); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as InputError).issues; }
  return [];
}

describe('forwarding destinations: hosts and chat channels', () => {
  it('accepts #channel-name and #channel-id beside hosts', () => {
    const inv = inventory([entry('hooks', { forwarding: ['#alerts-prod', '#C0HALERTS1', 'API.Example.com', '#général'] })]);
    expect(inv.inventory.entries[0]!.forwarding).toEqual(['#alerts-prod', '#C0HALERTS1', 'api.example.com', '#général']);
  });

  it('refuses a URL, a channel with blanks or an empty channel, naming the field', () => {
    expect(issues([entry('a', { forwarding: ['https://hooks.example.com/x'] })]))
      .toEqual([expect.stringMatching(/entries\.0\.forwarding\.0: must be a host name \(example\.com or \*\.example\.com\) or a chat channel \(#alerts-prod\), not a URL$/)]);
    expect(issues([entry('a', { forwarding: ['#alerts prod', '#'] })])).toEqual([
      expect.stringMatching(/entries\.0\.forwarding\.0: must be a chat channel: # and the channel name or id/),
      expect.stringMatching(/entries\.0\.forwarding\.1: must be a chat channel/)]);
    // allowed_destinations stays hosts only: channels are not network destinations
    expect(() => inventory([], { allowed_destinations: ['#alerts-prod'] })).toThrow(/defaults\.allowed_destinations\.0: must be a host name/);
  });
});

describe('legacy Slack integrations: a stable match key', () => {
  const service = (name: string): GraphNode => ({ id: 'slack:service:T1:4000123', kind: 'connector', type: 'slack.custom_integration', name,
    props: { connector_type: 'legacy_bot', app_id: null, service_id: '4000123', service_type: name, enabled: true } });
  const bot = (name: string): GraphNode => ({ id: 'slack:bot:B0LEGACYB1', kind: 'connector', type: 'slack.bot', name,
    props: { connector_type: 'bot', app_id: null, bot_id: 'B0LEGACYB1', enabled: true } });
  const hook = (name: string): GraphNode => ({ id: 'slack:service:T1:5000777', kind: 'connector', type: 'slack.incoming_webhook', name,
    props: { connector_type: 'incoming_webhook', app_id: null, service_id: '5000777', enabled: true } });
  const channel: GraphNode = { id: 'slack:endpoint:T1:C0HALERTS1', kind: 'endpoint', type: 'slack.channel', name: '#alerts-prod',
    props: { endpoint_type: 'channel', channel_id: 'C0HALERTS1' } };
  const crawl = (db: ReturnType<typeof memDb>, names: [string, string, string]) => crawlRun(db, 'slack', {
    logs: merge(withScopes(service(names[0]), ['bot']), { nodes: [bot(names[1]), hook(names[2]), channel],
      edges: [edge('FORWARDS_TO', 'slack:service:T1:5000777', channel.id, { channel: 'C0HALERTS1' })] }) });

  it('drafts service_id / bot_id rules and the channel; renamed integrations stay approved by the same rule', () => {
    const db = memDb();
    crawl(db, ['Bots', 'deploy-notifier', 'Incoming WebHooks → C0HALERTS1']);
    const draft = draftInventory(loadSnapshot(db), { source: 'test.db', generatedAt: '2026-11-23' });
    expect(draft).not.toMatch(/carry no id a match rule can use/);
    const inv = parseInventory('draft.yaml', fillIn(draft));
    expect(inv.inventory.entries.map((e) => [e.match, e.forwarding])).toEqual(expect.arrayContaining([
      [{ slack: { service_id: ['4000123'] } }, undefined],
      [{ slack: { bot_id: ['B0LEGACYB1'] } }, undefined],
      [{ slack: { service_id: ['5000777'] } }, ['#alerts-prod']]]));
    const matches = () => db.prepare('SELECT connector_id, inventory_id, match_rule FROM inventory_matches WHERE recon_id = (SELECT max(id) FROM reconciliations) ORDER BY connector_id').all();
    reconcile(db, inv, { now: NOW });
    const before = matches();
    expect(before.map((m) => (m as { match_rule: string }).match_rule)).toEqual(['slack.bot_id', 'slack.service_id', 'slack.service_id']);
    expect(findings(db, 'unapproved-connector')).toEqual([]);
    // renamed in Slack (a new service name, a new bot name): the same entries match by the same ids
    crawl(db, ['Legacy deploy bots', 'release-notifier', 'Incoming WebHooks → #alerts-prod']);
    reconcile(db, inv, { now: NOW });
    expect(matches()).toEqual(before);
    expect(findings(db, 'unapproved-connector')).toEqual([]);
    expect(findings(db, 'scope-drift')).toEqual([]);
  });
});
