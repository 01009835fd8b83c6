// `inventory draft`: a starting inventory from the last crawl — machine facts filled in, human fields
// empty and marked FILL IN (so validation lists exactly them); once filled in, it approves everything found.
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/graph/reconcile-snapshot.ts';
import { draftInventory } from '../../src/inventory/draft.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, crawlRun, edge, endpoint, findings, memDb, merge, NOW, withScopes } from '../reconcile/helpers.ts';

describe('inventory draft', () => {
  it('drafts one entry per connector identity with FILL IN human fields; filled in, it approves every connector', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: merge(withScopes(connector('github', 'i1', { app_slug: 'acme', app_id: '7', installation_id: '1' }, 'acme'), ['contents:read']),
      { nodes: [connector('github', 'h1', { connector_type: 'webhook' }, 'hook'), endpoint('github', 'hooks.example.io')],
        edges: [edge('FORWARDS_TO', 'github:connector:h1', 'github:endpoint:hooks.example.io')] }) });
    crawlRun(db, 'slack', { apps: withScopes(connector('slack', 's1', { app_id: 'A1' }, 'Acme for Slack'), ['chat:write']) });
    const text = draftInventory(loadSnapshot(db), { source: 'test.db', generatedAt: '2026-11-23' });
    expect(text).toMatch(/FILL IN/);
    let issues: string[] = [];
    try { parseInventory('draft.yaml', text); } catch (e) { issues = (e as InputError).issues; }
    const fields = new Set(issues.map((i) => i.split(': ')[1]!.replace(/^entries\.\d+\./, '')));
    expect(fields).toEqual(new Set(['business_owner', 'technical_owner', 'purpose', 'ticket', 'approved_on', 'vendor']));
    const filled = text.replaceAll('vendor: ""', 'vendor: Someone').replaceAll('business_owner: ""', 'business_owner: a@example.com')
      .replaceAll('technical_owner: ""', 'technical_owner: b@example.com').replaceAll('purpose: ""', 'purpose: x').replaceAll('ticket: ""', 'ticket: T-1')
      .replaceAll('approved_on: ""', 'approved_on: 2026-11-01');
    const inv = parseInventory('draft.yaml', filled);
    expect(inv.inventory.entries.map((e) => e.match)).toEqual(expect.arrayContaining([
      { github: { app_slug: ['acme'] } }, { webhook_host: ['hooks.example.io'] }, { slack: { app_id: ['A1'] } }]));
    expect(inv.inventory.entries).toHaveLength(3);
    reconcile(db, inv, { now: NOW });
    expect(findings(db, 'unapproved-connector')).toEqual([]);
    expect(findings(db, 'scope-drift')).toEqual([]);
  });

  it('proposes the category the catalogue gives a connector, with where it came from; none for one it does not know', async () => {
    await import('../../src/crawl/load-connectors.ts').then((m) => m.loadConnectors());
    const db = memDb();
    crawlRun(db, 'slack', { apps: { nodes: [connector('slack', 'z1', { app_id: 'A024R9PQM' }, 'Zapier'), connector('slack', 's1', { app_id: 'A1' }, 'Acme for Slack')] } });
    const text = draftInventory(loadSnapshot(db), { source: 'test.db', generatedAt: '2026-11-23' });
    const inv = parseInventory('draft.yaml', text.replaceAll('vendor: ""', 'vendor: Someone').replaceAll('business_owner: ""', 'business_owner: a@example.com')
      .replaceAll('technical_owner: ""', 'technical_owner: b@example.com').replaceAll('purpose: ""', 'purpose: x').replaceAll('ticket: ""', 'ticket: T-1')
      .replaceAll('approved_on: ""', 'approved_on: 2026-11-01'));
    const byName = new Map(inv.inventory.entries.map((e) => [e.name, e]));
    expect(byName.get('Zapier')!.category).toBe('automation-platform');
    expect(byName.get('Acme for Slack')!.category).toBeUndefined();
    expect(text).toMatch(/category: automation-platform # from the category catalogue \(Zapier, Zapier, by id\): confirm or change/);
  });
});
