// One problem, one finding (issue 15 item 5; docs/reconcile.md "Subsumption"): each fold of src/reconcile/subsume.ts,
// the grouping of per-credential static secrets on their connector, ids kept across reconciliations, and a finding
// folded into another recorded as subsumed — never as resolved — and re-opened with its id when it is no longer folded.
import { describe, expect, it } from 'vitest';
import { findingId, openAtOrAbove, reconcile } from '../../src/reconcile/engine.ts';
import { RULES } from '../../src/reconcile/rules/index.ts';
import { FOLDS, GROUPS, subsumptionOrder } from '../../src/reconcile/subsume.ts';
import { shiftRecordedTimes } from '../../src/graph/report-queries.ts';
import { buildReportModel } from '../../reports/model.ts';
import { connector, crawlRun, credential, daysAgo, edge, entry, findings, inventory, memDb, merge, NOW, withScopes } from '../reconcile/helpers.ts';

type Row = { id: string; rule: string; status: string; subsumed_by: string | null; severity: string; evidence: string };
const all = (db: ReturnType<typeof memDb>): Row[] => db.prepare('SELECT id, rule, status, subsumed_by, severity, evidence FROM findings ORDER BY rule, id').all() as never;
const byId = (db: ReturnType<typeof memDb>, id: string): Row | undefined => db.prepare('SELECT id, rule, status, subsumed_by, severity, evidence FROM findings WHERE id = ?').get(id) as never;

const APP = connector('github', 'deployhub', { app_slug: 'deployhub' });
const approvedMetadataOnly = () => inventory([entry('deployhub', { scopes: { github: ['metadata:read'] } })]);

describe('the fold and group tables', () => {
  it('name known rules only; no chains across rules (a rule may fold into itself); every target is evaluated before its sources', () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const f of FOLDS) { expect(ids.has(f.from), f.from).toBe(true); expect(ids.has(f.into), f.into).toBe(true); }
    for (const g of GROUPS) expect(ids.has(g.rule), g.rule).toBe(true);
    const cross = FOLDS.filter((f) => f.from !== f.into);
    const receives = new Set(cross.map((f) => f.into));
    for (const f of cross) expect(receives.has(f.from), `${f.from} folds into ${f.into} and receives folds from another rule`).toBe(false);
    const order = subsumptionOrder(RULES).map((r) => r.id);
    for (const f of cross) expect(order.indexOf(f.from), `${f.from} after ${f.into}`).toBeGreaterThan(order.indexOf(f.into));
  });
});

describe('folds', () => {
  it('high-risk-permission beyond approval folds into scope-drift: one open finding, its evidence lists the folded one, severity the worst', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: withScopes(APP, ['metadata:read', 'administration:write']) });
    const s = reconcile(db, approvedMetadataOnly(), { now: NOW });
    const open = findings(db);
    expect(open.map((f) => f.rule)).toEqual(['scope-drift']);
    const drift = open[0]!;
    const hrp = byId(db, findingId('high-risk-permission', APP.id, 'administration:write'))!;
    expect(hrp).toMatchObject({ status: 'subsumed', subsumed_by: drift.id });
    const ev = JSON.parse(drift.evidence);
    expect(ev.folded.map((f: { rule: string; id: string }) => [f.rule, f.id])).toEqual([['high-risk-permission', hrp.id]]);
    expect(drift.severity).toBe('critical');
    expect(s.counts).toMatchObject({ new: 1, subsumed: 1, resolved: 0 });
    // only the one finding counts for --fail-on
    expect(openAtOrAbove(db, 'critical')).toBe(1);
  });

  it('a high-risk permission stays its own finding where drift is not evaluated (the entry lists no scopes for the provider)', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: withScopes(APP, ['administration:write']) });
    reconcile(db, inventory([entry('deployhub')]), { now: NOW });
    expect(findings(db).map((f) => f.rule)).toEqual(['high-risk-permission']);
  });

  it('high-risk-permission, scope-change and orphaned no-owner fold into unapproved-connector (its severity becomes the worst)', () => {
    const db = memDb();
    const app = connector('github', 'mystery', { app_slug: 'mystery' });
    crawlRun(db, 'github', { apps: withScopes(app, ['metadata:read']) });
    crawlRun(db, 'github', { apps: withScopes(app, ['metadata:read', 'administration:write']) });
    reconcile(db, inventory([]), { now: NOW });
    const open = findings(db);
    expect(open.map((f) => f.rule)).toEqual(['unapproved-connector']);
    const target = open[0]!.id;
    expect(open[0]!.severity).toBe('critical');
    const folded = all(db).filter((f) => f.status === 'subsumed');
    expect(folded.map((f) => [f.rule, f.subsumed_by]).sort()).toEqual([
      ['high-risk-permission', target], ['orphaned-connector', target], ['scope-change', target]]);
    expect(JSON.parse(open[0]!.evidence).folded).toHaveLength(3);
  });

  it('scope-change folds into scope-drift only when every added scope is beyond approval', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: withScopes(APP, ['metadata:read']) });
    crawlRun(db, 'github', { apps: withScopes(APP, ['metadata:read', 'issues:write', 'administration:write']) });
    reconcile(db, inventory([entry('deployhub', { scopes: { github: ['metadata:read', 'issues:write'] } })]), { now: NOW });
    // issues:write was approved: the change is not only the drift's, so it stays its own finding
    expect(findings(db).map((f) => f.rule)).toEqual(['scope-change', 'scope-drift']);
    const db2 = memDb();
    crawlRun(db2, 'github', { apps: withScopes(APP, ['metadata:read']) });
    crawlRun(db2, 'github', { apps: withScopes(APP, ['metadata:read', 'administration:write']) });
    reconcile(db2, approvedMetadataOnly(), { now: NOW });
    expect(findings(db2).map((f) => f.rule)).toEqual(['scope-drift']);
    expect(byId(db2, findingId('scope-change', APP.id, '+administration:write'))).toMatchObject({ status: 'subsumed', subsumed_by: findingId('scope-drift', APP.id, '') });
  });
});

describe('grouping per-credential static secrets on their connector', () => {
  const secret = (id: string) => credential('azure', id, { credential_type: 'client_secret', created_at: daysAgo(30), expires_at: daysAgo(-200) });
  const app = connector('azure', 'billing', { app_id: 'B' });
  const single = connector('azure', 'single', { app_id: 'S' });

  it('two or more secrets of one connector: one finding on the connector listing them; multiple-active-secrets folded into it; one secret keeps its own finding and id', () => {
    const db = memDb();
    crawlRun(db, 'azure', { apps: { nodes: [app, single, secret('s1'), secret('s2'), secret('s3'), secret('only')],
      edges: [edge('HAS_CREDENTIAL', app.id, 'azure:credential:s1'), edge('HAS_CREDENTIAL', app.id, 'azure:credential:s2'), edge('HAS_CREDENTIAL', app.id, 'azure:credential:s3'),
        edge('HAS_CREDENTIAL', single.id, 'azure:credential:only')] } });
    const inv = inventory([entry('billing', { match: { azure: { app_id: 'B' } } }), entry('single', { match: { azure: { app_id: 'S' } } })]);
    reconcile(db, inv, { now: NOW, rules: ['static-secret', 'multiple-active-secrets'] });
    const open = findings(db);
    const group = findingId('static-secret', app.id, '');
    expect(open.map((f) => f.id).sort()).toEqual([group, findingId('static-secret', 'azure:credential:only', '')].sort());
    const ev = JSON.parse(open.find((f) => f.id === group)!.evidence);
    expect(ev.credentials.map((c: { name: string }) => c.name).sort()).toEqual(['s1', 's2', 's3']);
    expect(open.find((f) => f.id === group)!.title).toContain('3 static client secrets');
    expect(ev.folded.map((f: { rule: string }) => f.rule)).toEqual(['multiple-active-secrets']);
    for (const c of ['s1', 's2', 's3']) expect(byId(db, findingId('static-secret', `azure:credential:${c}`, ''))).toMatchObject({ status: 'subsumed', subsumed_by: group });
    expect(byId(db, findingId('multiple-active-secrets', app.id, ''))).toMatchObject({ status: 'subsumed', subsumed_by: group });
  });
});

describe('lifecycle: ids kept, folded is not resolved, un-folded re-opens', () => {
  it('an open finding folded later is subsumed (not resolved); when the fold ends it re-opens with its id; ids are stable', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: withScopes(APP, ['metadata:read', 'administration:write']) });
    const hrpId = findingId('high-risk-permission', APP.id, 'administration:write');
    // 1: the entry lists no scopes: no drift, the high-risk permission is open
    reconcile(db, inventory([entry('deployhub')]), { now: NOW });
    expect(byId(db, hrpId)!.status).toBe('new');
    // 2: scopes approved (without it): drift raised, the permission folded into it — not resolved
    const s2 = reconcile(db, approvedMetadataOnly(), { now: NOW });
    expect(s2.counts.resolved).toBe(0);
    expect(byId(db, hrpId)).toMatchObject({ status: 'subsumed', subsumed_by: findingId('scope-drift', APP.id, '') });
    // 3: same again: ids unchanged, still one open finding
    const before = all(db).map((f) => f.id);
    reconcile(db, approvedMetadataOnly(), { now: NOW });
    expect(all(db).map((f) => f.id)).toEqual(before);
    expect(findings(db).map((f) => f.id)).toEqual([findingId('scope-drift', APP.id, '')]);
    // 4: the scope listing removed again: drift resolved, the permission re-opens with its id
    const s4 = reconcile(db, inventory([entry('deployhub')]), { now: NOW });
    expect(byId(db, hrpId)).toMatchObject({ status: 'new', subsumed_by: null });
    expect(byId(db, findingId('scope-drift', APP.id, ''))!.status).toBe('resolved');
    expect(s4.counts).toMatchObject({ new: 1, resolved: 1, subsumed: 0 });
  });

  it('the report does not call a finding folded since the previous month resolved', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: withScopes(APP, ['metadata:read', 'administration:write']) });
    const hrpId = findingId('high-risk-permission', APP.id, 'administration:write');
    reconcile(db, inventory([entry('deployhub')]), { now: NOW });
    shiftRecordedTimes(db, 40 * 86_400_000); // last month
    reconcile(db, approvedMetadataOnly(), { now: NOW });
    const m = buildReportModel(db, { month: new Date().toISOString().slice(0, 7), organisation: 'Acme' });
    expect(m.changes.baseline?.how).toBe('previous month reconciliation');
    expect(m.changes.resolvedFindings.map((f) => f.id)).not.toContain(hrpId);
    expect(m.changes.resolvedFindings).toEqual([]);
    expect(m.findings.map((f) => f.rule)).toEqual(['scope-drift']);
    expect(m.summary.findings.open).toBe(1);
  });

  it('an accepted finding receives no folds: what is folded into it elsewhere stays open beside it', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: merge(withScopes(APP, ['metadata:read', 'administration:write'])) });
    reconcile(db, inventory([entry('deployhub', { scopes: { github: ['metadata:read'] },
      accepted_risks: [{ rule: 'scope-drift', reason: 'migration window', ticket: 'RISK-9', expires: '2027-01-31' }] })]), { now: NOW });
    expect(findings(db).map((f) => f.rule)).toEqual(['high-risk-permission']);
    expect(byId(db, findingId('scope-drift', APP.id, ''))!.status).toBe('accepted');
  });
});
