// Month over month: the first report says there is nothing to compare with; the next month's report
// compares with the recorded one (its reconciliation and crawl runs); partial crawls and missing
// reconciliations are called out at the top rather than read as silence. On both backends (test/helpers/backends.ts).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportModel, ReportInputError } from '../../reports/model.ts';
import { renderHtml } from '../../reports/render-html.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import { writeReport } from '../../reports/write-report.ts';
import { buildFixture, ORG, type Fixture } from './fixture.ts';
import { connector, smallGraph } from './small-graph.ts';
import { describeBackends } from '../helpers/backends.ts';

describeBackends('report changes', () => {
let fx: Fixture;
beforeAll(async () => { fx = await buildFixture(); });
afterAll(() => fx?.db.close());

describe('month over month', () => {
  it('October (the first report) has no previous report; November compares with the recorded October report', () => {
    const oct = writeReport(fx.db, `${fx.outDir}-oct`, { month: '2026-10', organisation: ORG, now: new Date('2026-10-31T12:00:00Z') });
    expect(oct.model.reconciliation!.id).toBe(1);
    expect(oct.model.changes.baseline).toBeNull();
    expect(fs.readFileSync(`${fx.outDir}-oct/report.md`, 'utf8')).toContain('this is the first report');
    expect(oct.model.trend.basis).toBe('reconciliation');
    expect(oct.model.summary.connectors.total).toBe(fx.db.prepare("SELECT count(*) FROM nodes WHERE kind = 'connector' AND first_seen_run <= 1 AND (removed_run IS NULL OR removed_run > 1)").pluck().get());

    const nov = writeReport(fx.db, `${fx.outDir}-nov`, { month: '2026-11', organisation: ORG, now: new Date('2026-11-30T12:00:00Z') });
    const b = nov.model.changes.baseline!;
    expect(b).toMatchObject({ how: 'previous report', reportId: oct.reportId, month: '2026-10', reconId: 1, crawlRuns: { github: 1 } });
    expect(nov.model.changes.newConnectors.map((c) => c.name).sort()).toEqual(['halcyon-logistics/customer-portal → collector.data-sync.io', 'vercel']);
    expect(nov.model.changes.removedConnectors.map((c) => c.name)).toEqual(['old-ci-runner']);
    expect(nov.model.changes.resolvedFindings.map((f) => f.id)).toEqual(['f_unapproved_oldci']);
    const newIds = nov.model.findings.filter((f) => f.change === 'new').map((f) => f.id).sort();
    expect(newIds).toEqual(['f_change_deployhub', 'f_drift_deployhub', 'f_pat_expired', 'f_unapproved_hook', 'f_unapproved_vercel']);
    expect(nov.model.findings.filter((f) => f.change === 'persisting').map((f) => f.id).sort()).toEqual(['f_orphan_key', 'f_pat_forever', 'f_privilege_deployhub']);
    const html = fs.readFileSync(`${fx.outDir}-nov/report.html`, 'utf8');
    expect(html).toContain(`Compared with report #${oct.reportId} for 2026-10`);

    // regenerating November compares with October again, never with itself
    const again = writeReport(fx.db, `${fx.outDir}-nov2`, { month: '2026-11', organisation: ORG });
    expect(again.model.changes.baseline!.reportId).toBe(oct.reportId);
  });

  it('a month before any crawl is refused; a malformed month is refused', () => {
    expect(() => buildReportModel(fx.db, { month: '2026-09', organisation: ORG })).toThrow(ReportInputError);
    expect(() => buildReportModel(fx.db, { month: '2026-13', organisation: ORG })).toThrow(/YYYY-MM/);
  });
});

describe('coverage call-outs', () => {
  it('a partial crawl is named at the top of every format', () => {
    const db = smallGraph({
      connectors: [connector('github:app_installation:1', 'app-one')],
      listings: [{ type: 'github.things', status: 'complete' }, { type: 'github.deploy_keys', status: 'failed', error: 'HTTP 502 from GitHub' },
        { type: 'github.pat_grants', status: 'unsupported', error: 'needs a GitHub App' }],
      findings: [],
    });
    const m = buildReportModel(db, { month: '2026-11', organisation: 'Acme', expectedProviders: ['github', 'slack'] });
    expect(m.crawls[0]!.completeness).toBe('failed');
    expect(m.warnings[0]).toMatch(/^github: crawl run #1 was failed — 2 of 3 listings did not complete: github.deploy_keys \(failed: HTTP 502 from GitHub\); github.pat_grants \(unsupported/);
    expect(m.warnings.some((w) => w.startsWith('slack: configured but not crawled'))).toBe(true);
    const html = renderHtml(m);
    expect(html.indexOf('Read this first')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html).toContain('HTTP 502 from GitHub');
    const md = renderMarkdown(m);
    expect(md.indexOf('Read this first')).toBeLessThan(md.indexOf('## Summary'));
  });

  it('without a reconciliation the report still describes the crawl and says approval is unknown', () => {
    const db = smallGraph({ connectors: [connector('github:app_installation:1', 'app-one'), connector('github:app_installation:2', 'app-two')] });
    const m = buildReportModel(db, { month: '2026-11', organisation: 'Acme' });
    expect(m.reconciliation).toBeNull();
    expect(m.summary.connectors).toMatchObject({ total: 2, approved: null, unapproved: null });
    expect(m.warnings[0]).toMatch(/No reconciliation against the approved inventory/);
    expect(renderHtml(m)).toContain('Not reconciled: no findings available.');
  });
});
});
