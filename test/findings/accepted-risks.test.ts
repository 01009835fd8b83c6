// Risk acceptance in the inventory (issue 15 item 1; docs/reconcile.md "Accepted risks"): validated with file:line
// errors, an accepted finding recorded but not open and not counted by --fail-on, listed in the report under
// "Accepted risks" with its ticket and expiry, and an expired acceptance re-opening the finding (with its id).
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseInventory } from '../../src/inventory/load.ts';
import { findingId, openAtOrAbove, reconcile } from '../../src/reconcile/engine.ts';
import { buildReportModel } from '../../reports/model.ts';
import { renderFindingsCsv, renderJson } from '../../reports/render-csv.ts';
import { renderHtml } from '../../reports/render-html.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import { connector, crawlRun, credential, daysAgo, edge, entry, findings, inventory, memDb, NOW } from '../reconcile/helpers.ts';

const APP = connector('azure', 'billing', { app_id: 'B' });
const SECRET = credential('azure', 's1', { credential_type: 'client_secret', created_at: daysAgo(30), expires_at: daysAgo(-200) });
const SECRET_ID = findingId('static-secret', SECRET.id, '');

function graph() {
  const db = memDb();
  crawlRun(db, 'azure', { apps: { nodes: [APP, SECRET], edges: [edge('HAS_CREDENTIAL', APP.id, SECRET.id)] } });
  return db;
}
const accepting = (risk: Record<string, unknown>) => inventory([entry('billing', { match: { azure: { app_id: 'B' } },
  accepted_risks: [{ rule: 'static-secret', reason: 'vendor SDK takes secrets only', ticket: 'RISK-0101', expires: '2026-12-31', ...risk }] })]);
const state = (db: ReturnType<typeof memDb>, id: string) => db.prepare('SELECT status, acceptance FROM findings WHERE id = ?').get(id) as { status: string; acceptance: string | null };

describe('accepted_risks: validation', () => {
  it('a rule id, a reason, a ticket and a date are required; errors name file:line:field, an unknown rule gets "did you mean"', () => {
    const text = YAML.stringify({ version: 1, entries: [entry('a', { accepted_risks: [
      { rule: 'static-secrt', reason: 'r', ticket: 'T', expires: '2027-01-01' },
      { rule: 'static-secret', reason: '', ticket: 'T', expires: 'soon' },
      { rule: 'static-secret', reason: 'r', expires: '2027-01-01', subjct: 'x' },
    ] })] });
    let message = '';
    try { parseInventory('inv.yaml', text); } catch (e) { message = (e as Error).message; }
    const line = (s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;
    expect(message).toContain(`inv.yaml:${line('static-secrt')}: entries.0.accepted_risks.0.rule: unknown rule 'static-secrt' — did you mean 'static-secret'?`);
    expect(message).toContain(`inv.yaml:${line('reason: ""')}: entries.0.accepted_risks.1.reason: required: why the risk is accepted (empty)`);
    expect(message).toContain(`inv.yaml:${line('expires: soon')}: entries.0.accepted_risks.1.expires: must be a date (YYYY-MM-DD)`);
    expect(message).toMatch(/entries\.0\.accepted_risks\.2\.ticket: required/);
    expect(message).toContain("entries.0.accepted_risks.2.subjct: unknown key 'subjct' — did you mean 'subject'?");
  });
});

describe('accepted_risks: reconciliation', () => {
  it('an accepted finding is recorded as accepted, not open, and does not trip --fail-on', () => {
    const db = graph();
    const s = reconcile(db, accepting({}), { now: NOW, rules: ['static-secret'] });
    expect(findings(db)).toEqual([]);
    expect(state(db, SECRET_ID).status).toBe('accepted');
    expect(JSON.parse(state(db, SECRET_ID).acceptance!)).toMatchObject({ rule: 'static-secret', ticket: 'RISK-0101', expires: '2026-12-31', inventory_id: 'billing', expired: false });
    expect(s.counts).toMatchObject({ accepted: 1, new: 0, open: 0 });
    expect(openAtOrAbove(db, 'info')).toBe(0);
    // without the acceptance the same finding is open and trips --fail-on
    const other = graph();
    reconcile(other, inventory([entry('billing', { match: { azure: { app_id: 'B' } } })]), { now: NOW, rules: ['static-secret'] });
    expect(openAtOrAbove(other, 'medium')).toBe(1);
  });

  it('an expired acceptance re-opens the finding with its id and keeps the acceptance, marked expired', () => {
    const db = graph();
    reconcile(db, accepting({}), { now: NOW, rules: ['static-secret'] });
    expect(state(db, SECRET_ID).status).toBe('accepted');
    // the last day still counts; the day after, it is open again
    reconcile(db, accepting({}), { now: new Date('2026-12-31T23:00:00Z'), rules: ['static-secret'] });
    expect(state(db, SECRET_ID).status).toBe('accepted');
    const s = reconcile(db, accepting({}), { now: new Date('2027-01-01T00:00:01Z'), rules: ['static-secret'] });
    expect(findings(db).map((f) => f.id)).toEqual([SECRET_ID]);
    expect(state(db, SECRET_ID).status).toBe('new');
    expect(JSON.parse(state(db, SECRET_ID).acceptance!)).toMatchObject({ ticket: 'RISK-0101', expired: true });
    expect(s.counts).toMatchObject({ new: 1, accepted: 0, resolved: 0 });
    expect(openAtOrAbove(db, 'medium')).toBe(1);
  });

  it('subject and detail narrow an acceptance; another rule or subject is not covered', () => {
    const db = graph();
    reconcile(db, accepting({ subject: 'someone-else' }), { now: NOW, rules: ['static-secret'] });
    expect(state(db, SECRET_ID).status).toBe('new');
    reconcile(db, accepting({ subject: 's1' }), { now: NOW, rules: ['static-secret'] });
    expect(state(db, SECRET_ID).status).toBe('accepted');
    reconcile(db, accepting({ rule: 'credential-no-expiry' }), { now: NOW, rules: ['static-secret'] });
    expect(state(db, SECRET_ID).status).toBe('new');
    reconcile(db, accepting({ subject: SECRET.id, detail: 'Mail.Read' }), { now: NOW, rules: ['static-secret'] });
    expect(state(db, SECRET_ID).status).toBe('persisting');
  });
});

describe('accepted_risks: the report', () => {
  it('lists accepted findings under "Accepted risks" with ticket and expiry (md, html, csv, json); an expired one as expired and open', () => {
    const db = graph();
    const other = credential('azure', 's2', { credential_type: 'client_secret', created_at: daysAgo(30), expires_at: daysAgo(-200) });
    const app2 = connector('azure', 'route', { app_id: 'R' });
    crawlRun(db, 'azure', { apps: { nodes: [APP, SECRET, app2, other], edges: [edge('HAS_CREDENTIAL', APP.id, SECRET.id), edge('HAS_CREDENTIAL', app2.id, other.id)] } });
    reconcile(db, inventory([
      entry('billing', { match: { azure: { app_id: 'B' } }, accepted_risks: [{ rule: 'static-secret', reason: 'vendor SDK', ticket: 'RISK-0101', expires: '2027-05-31' }] }),
      entry('route', { match: { azure: { app_id: 'R' } }, accepted_risks: [{ rule: 'static-secret', reason: 'until the cert rollout', ticket: 'RISK-0087', expires: '2026-10-31' }] }),
    ]), { now: NOW, rules: ['static-secret'] });
    const m = buildReportModel(db, { month: new Date().toISOString().slice(0, 7), organisation: 'Acme' });
    expect(m.findings.map((f) => f.id)).toEqual([findingId('static-secret', other.id, '')]);
    expect(m.summary.findings.open).toBe(1);
    expect(m.acceptedRisks.map((f) => [f.subject, f.acceptance?.ticket, f.acceptance?.expired])).toEqual([['s1', 'RISK-0101', false], ['s2', 'RISK-0087', true]]);
    const md = renderMarkdown(m);
    expect(md).toContain('## Accepted risks');
    expect(md).toMatch(/\| static-secret \| s1 \| azure \| vendor SDK \| RISK-0101 \| 2027-05-31 \| accepted until 2027-05-31 \|/);
    expect(md).toContain('| RISK-0087 | 2026-10-31 | acceptance expired 2026-10-31 — open again |');
    const html = renderHtml(m);
    expect(html).toContain('<h2 id="accepted-risks">Accepted risks</h2>');
    expect(html).toContain('RISK-0101');
    const csv = renderFindingsCsv(m).trim().split('\r\n');
    expect(csv[0]!.split(',').at(-1)).toBe('acceptance');
    expect(csv).toHaveLength(3);
    expect(csv.find((l) => l.includes('RISK') || l.includes('accepted until'))).toContain('accepted until 2027-05-31');
    expect(csv.some((l) => l.endsWith('acceptance expired 2026-10-31 — open again'))).toBe(true);
    const json = JSON.parse(renderJson(m));
    expect(json.acceptedRisks.map((f: { accepted: boolean }) => f.accepted)).toEqual([true, false]);
  });
});
