// The report's "Blast radius" section and the connector list's reach column (docs/report.md), over the reach fixture
// (test/reach/fixture.ts: a third-party GitHub App with write on a repository whose workflows an Entra-like app with
// Owner on a subscription trusts), reconciled and its reach summaries stored as before a report (prepareReach), on both backends: the top paths in
// order with their chains, the reach text, the "Fix these first" weight, hostile names escaped in SVG, HTML and
// Markdown, and an empty section saying so in a sentence.
import { describe, expect, it } from 'vitest';
import { prepareReach } from '../../reports/blast-radius.ts';
import { buildReportModel } from '../../reports/model.ts';
import { renderBlastRadiusCsv, renderConnectorsCsv } from '../../reports/render-csv.ts';
import { renderHtml } from '../../reports/render-html.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import { chainText } from '../../reports/render-reach.ts';
import { priorityScore, reachText } from '../../reports/work-list.ts';
import type { Db } from '../../src/graph/db.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { describeBackends } from '../helpers/backends.ts';
import { ID, writeFixture } from '../reach/fixture.ts';
import { crawlRun, inventory, NOW } from '../reconcile/helpers.ts';
import { connector, smallGraph } from './small-graph.ts';

// the fixture's runs and reconciliation are stamped with the wall clock: the report is for this month
const MONTH = new Date().toISOString().slice(0, 7);
const EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>|**x**';
const report = (db: Db) => buildReportModel(db, { month: MONTH, organisation: 'Acme', now: new Date() });

describeBackends('report: blast radius', ({ openTestDb }) => {
  const reconciled = (names: Parameters<typeof writeFixture>[1] = {}) => {
    const db = openTestDb();
    writeFixture(db, names);
    reconcile(db, inventory([]), { now: NOW });
    prepareReach(db);
    return db;
  };

  it('lists the paths that end on high or critical privilege, most privileged, through a trust, then shortest first, each with its chain', () => {
    const db = reconciled();
    const m = report(db);
    const rows = m.blastRadius.paths.map((p) => [p.connectorId, p.targetId, p.privilege, p.hops, p.viaTrust]);
    // Owner on Production is critical: the two GitHub apps that write to acme/payments reach it through the trust its
    // workflows are given (5 hops), the Entra-like app holds it directly (1 hop); Contributor on Staging is high
    expect(rows).toEqual([
      [ID.allrepos, ID.prod, 'critical', 5, true],
      [ID.deployhub, ID.prod, 'critical', 5, true],
      [ID.payments, ID.prod, 'critical', 1, false],
      [ID.allrepos, ID.staging, 'high', 5, true],
      [ID.site, ID.staging, 'high', 1, false],
    ]);
    expect(m.blastRadius.total).toBe(m.blastRadius.paths.length);
    // readbot only reads acme/payments: read access never crosses the trust
    expect(rows.some((r) => r[0] === ID.readbot)).toBe(false);
    const dh = m.blastRadius.paths.find((p) => p.connectorId === ID.deployhub)!;
    expect(dh.drawn).toBe(true);
    expect(dh.nodes.map((n) => n.id)).toEqual([ID.deployhub, ID.R, ID.endR, ID.ficA, ID.payments, ID.prod]);
    expect(dh.steps.map((s) => s.step)).toEqual(['CONTROLS', 'MINTS', 'TRUSTED_BY', 'CREDENTIAL_OF', 'CAN_ACCESS']);
    expect(dh).toMatchObject({ roles: ['Owner'], target: 'Production', targetType: 'subscription', targetProvider: 'azure' });
    expect(chainText(dh)).toMatch(/^deployhub \(connector, github\) —CONTROLS: write: contents:write→ acme\/payments \(resource, github\) —MINTS: /);
    // Markdown-escaped: CAN\_ACCESS, the endpoint's refs/heads/\*
    expect(chainText(dh)).toContain('(endpoint, trust) —TRUSTED\\_BY: federated\\_credential (any-ref)→ gha-payments (credential, azure)');
    expect(chainText(dh)).toMatch(/—CAN\\_ACCESS: Owner→ Production \(resource, azure\)$/);
  });

  it('draws each path as an inline SVG chain in HTML and a text chain in Markdown; blast-radius.csv lists them', () => {
    const db = reconciled();
    const m = report(db);
    const html = renderHtml(m);
    expect(html).toContain('<h2 id="blast-radius">Blast radius</h2>');
    expect(html.match(/<svg class="chain"/g)).toHaveLength(m.blastRadius.paths.length);
    const svg = html.slice(html.indexOf('<svg class="chain" role="img" aria-label="deployhub reaches Owner on Production in 5 hops"'));
    expect(svg.slice(0, svg.indexOf('</svg>'))).toContain('>CONTROLS</text>');
    const text = renderMarkdown(m);
    expect(text).toContain('## Blast radius');
    expect(text).toContain('**critical** · deployhub (github) → **Owner** on Production (subscription, azure) · 5 hops · through a trust');
    const csv = renderBlastRadiusCsv(m).split('\r\n');
    expect(csv[0]).toBe('rank,privilege,connector_id,connector,provider,target_id,target,target_type,target_provider,roles,hops,via_trust,path');
    expect(csv[2]).toContain(`${ID.deployhub},deployhub,github,${ID.prod},Production,subscription,azure,Owner,5,yes,deployhub (connector) -CONTROLS: write: contents:write-> acme/payments (resource)`);
  });

  it('the connector list says what each connector reaches, and a critical reach weighs on "Fix these first"', () => {
    const db = reconciled();
    const m = report(db);
    const c = (id: string) => m.connectors.find((x) => x.id === id)!;
    expect(c(ID.deployhub)).toMatchObject({ reach: '1 repository (1 with write), Owner on 1 subscription (through a trust), 1 high-risk permission', reachPrivilege: 'critical' });
    expect(c(ID.allrepos)).toMatchObject({ reach: '2 repositories (2 with write), Owner on 1 subscription (through a trust), Contributor on 1 subscription (through a trust), 1 high-risk permission' });
    expect(c(ID.payments)).toMatchObject({ reach: '1 repository (1 with write), Owner on 1 subscription', reachPrivilege: 'critical' });
    expect(c(ID.readbot)).toMatchObject({ reach: '1 repository', reachPrivilege: null });
    expect(renderConnectorsCsv(m)).toContain(',"1 repository (1 with write), Owner on 1 subscription (through a trust), 1 high-risk permission",critical,');
    expect(renderHtml(m)).toContain('<th>Reach</th>');
    // the weight: × 1.5 for a critical privilege at the end of its paths
    const base = { resources: 1, tenantWide: false, users: 0, thirdParty: false, vendor: null };
    expect(priorityScore('high', { ...base, privilege: 'critical' })).toBeCloseTo(priorityScore('high', base) * 1.5, 1);
    const dh = m.fixFirst.find((f) => f.connectorId === ID.deployhub)!;
    expect(dh.reach.privilege).toBe('critical');
    expect(reachText(dh.reach)).toContain('paths reach critical privilege');
    const rb = m.fixFirst.find((f) => f.connectorId === ID.readbot);
    if (rb) expect(rb.reach.privilege ?? null).toBeNull();
  });

  it('hostile node names come out inert in the SVG, the HTML and the Markdown', () => {
    const db = reconciled({ deployhub: EVIL, prod: `${EVIL} prod` });
    const m = report(db);
    expect(m.blastRadius.paths.some((p) => p.connector === EVIL && p.drawn)).toBe(true);
    const html = renderHtml(m);
    expect(html).not.toMatch(/<script|<img/i);
    const chains = html.match(/<svg class="chain"[\s\S]*?<\/svg>/g)!;
    expect(chains.join('')).toContain('&lt;script&gt;');
    // every element of a chain is one the drawing writes
    for (const s of chains) for (const tag of s.match(/<\/?([a-z]+)/g)!) expect(['<svg', '</svg', '<title', '</title', '<g', '</g', '<rect', '<text', '</text', '<line', '<polygon']).toContain(tag);
    const text = renderMarkdown(m);
    expect(text).not.toMatch(/<script|<img/i);
    expect(text).toContain('&lt;script&gt;');
    const line = text.split('\n').find((l) => l.includes('—CONTROLS'))!;
    expect(line).not.toMatch(/(?<!\\)\*\*x/);
  });

  it('reach summaries are computed before a report only for the latest reconciliation, and not when a newer crawl exists', () => {
    const db = openTestDb();
    writeFixture(db, {});
    reconcile(db, inventory([]), { now: NOW });
    crawlRun(db, 'azure', { 'azure.more': { nodes: [] } }, { tenant: 'other' }); // a crawl the reconciliation did not judge
    prepareReach(db);
    expect(report(db).blastRadius.computation).toBeNull();
    reconcile(db, inventory([]), { now: NOW });
    prepareReach(db);
    const m = report(db);
    expect(m.blastRadius.computation).not.toBeNull();
    expect(m.blastRadius.paths.length).toBeGreaterThan(0);
  });

  it('a path the graph no longer holds (a newer crawl) keeps its ends, drawn dashed, and the section says the graph moved on', () => {
    const db = reconciled();
    // a newer crawl: the federated credential's trust is gone from the live graph the chains are walked on
    crawlRun(db, 'azure', { 'azure.more': { nodes: [] } }, { tenant: 'other' });
    db.prepare(`UPDATE edges SET removed_run = (SELECT max(id) FROM runs) WHERE type = 'TRUSTS' AND src = ?`).run(ID.ficA);
    const m = report(db);
    const dh = m.blastRadius.paths.find((p) => p.connectorId === ID.deployhub)!;
    expect(dh).toMatchObject({ drawn: false, steps: [], hops: 5, privilege: 'critical' });
    expect(dh.nodes.map((n) => n.id)).toEqual([ID.deployhub, ID.prod]);
    expect(m.blastRadius.note).toMatch(/newer than this report's/);
    const html = renderHtml(m);
    expect(html).toContain('stroke-dasharray="4 3"');
    expect(html).toContain('only its ends are shown');
    expect(chainText(dh)).toBe('deployhub (connector, github) → … → Production (resource, azure)');
  });

  it('an empty graph says so in a sentence: no paths, or no reach computed', () => {
    const db = openTestDb();
    writeFixture(db, {});
    // nothing privileged: only the reads, no Owner or Contributor anywhere
    db.prepare(`UPDATE edges SET removed_run = 99, removed_at = '2026-01-01' WHERE type IN ('CAN_ACCESS', 'TRUSTS')`).run();
    db.prepare(`UPDATE edges SET removed_run = NULL, removed_at = NULL WHERE type = 'CAN_ACCESS' AND src = ?`).run(ID.readbot);
    reconcile(db, inventory([]), { now: NOW });
    prepareReach(db);
    const m = report(db);
    expect(m.blastRadius.paths).toEqual([]);
    expect(renderHtml(m)).toContain('<p class="lead">None: no connector reaches a role graded high or critical.</p>');
    expect(renderHtml(m)).not.toContain('<svg class="chain"');
    expect(renderMarkdown(m)).toContain('## Blast radius');
    expect(renderMarkdown(m)).toContain('None: no connector reaches a role graded high or critical.');

    // a reconciliation with no reach computed (written by an earlier version)
    const db2 = smallGraph({ connectors: [connector('github:app_installation:1', 'one')], findings: [] });
    const m2 = buildReportModel(db2, { month: '2026-11', organisation: 'Acme', now: new Date('2026-11-12T00:00:00Z') });
    expect(m2.blastRadius).toEqual({ computation: null, total: 0, paths: [], note: null });
    expect(renderHtml(m2)).toContain('No reach summaries were computed for this reconciliation');
  });
});

describe('report: blast radius without a reconciliation', () => {
  it('says it is not reconciled', () => {
    const db = smallGraph({ connectors: [connector('github:app_installation:1', 'one')] });
    const m = buildReportModel(db, { month: '2026-11', organisation: 'Acme', now: new Date('2026-11-12T00:00:00Z') });
    expect(renderMarkdown(m)).toContain('Not reconciled: reach summaries are computed for a reconciliation');
  });
});
