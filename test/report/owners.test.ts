// Owners in the report (issue 15 item 8): the connector list and connectors.csv show each connector's inventory and
// provider owners with their status; the per-owner view assigns work to active people only (departed ones are context).
// On both backends (test/helpers/backends.ts).
import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../reports/model.ts';
import { renderConnectorsCsv } from '../../reports/render-csv.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, crawlRun, edge, entry, inventory, memDb, NOW, principal } from '../reconcile/helpers.ts';
import { describeBackends } from '../helpers/backends.ts';

function graph() {
  const db = memDb();
  crawlRun(db, 'slack', {
    users: { nodes: [
      principal('slack', 'UOWN', { email: 'owner@example.com' }),
      principal('slack', 'UINST', { email: 'installer@example.com' }),
      principal('slack', 'UGONE', { email: 'tom.berge@example.com', status: 'deleted', display_name: 'Tom Berge' }),
      principal('slack', 'UTECH', { email: 'tech@example.com' }),
      principal('slack', 'UBOSS', { email: 'boss@example.com', status: 'deleted' }),
    ] },
    apps: { nodes: [connector('slack', 'inv', { app_id: 'A1' }, 'Approved App'), connector('slack', 'app', { app_id: 'A2' }, 'Shadow App')],
      edges: [edge('OWNS', 'slack:user:UOWN', 'slack:connector:inv'), edge('OWNS', 'slack:user:UGONE', 'slack:connector:inv'),
        edge('OWNS', 'slack:user:UGONE', 'slack:connector:app'), edge('INSTALLED_BY', 'slack:connector:app', 'slack:user:UINST')] },
  });
  reconcile(db, inventory([entry('inv', { match: { slack: { app_id: 'A1' } }, approval_expires: '2026-01-31', business_owner: 'Boss@example.com' })]),
    { now: NOW, rules: ['approval-expired', 'unapproved-connector'] });
  return db;
}
const month = () => new Date().toISOString().slice(0, 7);

describeBackends('report owners', () => {
describe('report owners', () => {
  it('connectors.csv and the connector list show inventory and provider owners with their status', () => {
    const m = buildReportModel(graph(), { month: month(), organisation: 'Acme' });
    const inv = m.connectors.find((c) => c.name === 'Approved App')!;
    expect(inv.owners).toEqual(['tech@example.com (inventory, active)', 'boss@example.com (inventory, departed)',
      'owner@example.com (provider, active)', 'tom.berge@example.com (provider, departed)']);
    const shadow = m.connectors.find((c) => c.name === 'Shadow App')!;
    expect(shadow.owners).toEqual(['tom.berge@example.com (provider, departed)', 'installer@example.com (installer, active)']);
    const csv = renderConnectorsCsv(m);
    expect(csv).toContain('tech@example.com (inventory, active); boss@example.com (inventory, departed); owner@example.com (provider, active); tom.berge@example.com (provider, departed)');
    expect(renderMarkdown(m)).toContain('tom.berge@example.com (provider, departed)');
  });

  it('the per-owner view lists active recipients only, once each; departed people appear only as context', () => {
    const db = graph();
    // a finding recorded before attribution named a departed owner (and an upper-case duplicate): still never assigned
    db.prepare(`UPDATE findings SET owners = '["boss@example.com","tech@example.com","TECH@example.com"]' WHERE rule = 'approval-expired'`).run();
    const m = buildReportModel(db, { month: month(), organisation: 'Acme' });
    expect(m.owners.map((o) => o.owner).sort()).toEqual(['installer@example.com', 'tech@example.com']);
    expect(m.owners.find((o) => o.owner === 'tech@example.com')!.findings).toHaveLength(1);
    const shadow = m.findings.find((f) => f.rule === 'unapproved-connector')!;
    expect(shadow.owners).toEqual(['installer@example.com']);
    expect(shadow.ownerContext).toEqual(['owned by Tom Berge <tom.berge@example.com>, departed']);
    expect(shadow.attribution!.recipients[0]!.role).toBe('installer');
  });
});
});
