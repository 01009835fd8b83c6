// Every figure of the report checked against SQL over the same database (the demo company's GitHub
// organisation crawled last month and this month, two reconciliations), and those figures found in
// the rendered Markdown, HTML, CSV and JSON. On both backends (test/helpers/backends.ts).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport, type WrittenReport } from '../../reports/write-report.ts';
import { SEVERITIES } from '../../reports/reference.ts';
import { buildFixture, ORG, RECON_NOV, type Fixture } from './fixture.ts';
import { sqlFor } from '../../src/graph/dialect.ts';
import { describeBackends, jsonProp } from '../helpers/backends.ts';

describeBackends('report figures', () => {
let fx: Fixture;
let rep: WrittenReport;
const NOW = new Date('2026-11-21T08:00:00Z');

beforeAll(async () => {
  fx = await buildFixture();
  rep = writeReport(fx.db, fx.outDir, { month: '2026-11', organisation: ORG, now: NOW, toolVersion: 'test' });
});
afterAll(() => fx?.db.close());

const one = (sql: string, ...p: unknown[]) => fx.db.prepare(sql).pluck().get(...p) as number;
const all = <T>(sql: string, ...p: unknown[]) => fx.db.prepare(sql).all(...p) as T[];
const read = (name: string) => fs.readFileSync(rep.files.find((f) => f.name === name)!.path, 'utf8');

describe('report figures equal SQL over the graph', () => {
  it('header: organisation, period, reconciliation, inventory hash and the crawl run', () => {
    const m = rep.model;
    expect(m.organisation).toBe(ORG);
    expect(m.period).toEqual({ start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' });
    expect(m.reconciliation).toMatchObject({ id: 2, inventoryFile: 'inventory.yaml', inventoryHash: one('SELECT inventory_hash FROM reconciliations WHERE id = 2') });
    expect(m.asOf).toBe(RECON_NOV);
    const run = one("SELECT max(id) FROM runs");
    expect(m.crawls.map((c) => [c.provider, c.runId, c.completeness])).toEqual([['github', run, 'complete']]);
    expect(m.crawls[0]!.resources).toHaveLength(one('SELECT count(*) FROM run_resources WHERE run_id = ?', run));
  });

  it('connectors by provider and kind, approved and unapproved', () => {
    const s = rep.model.summary.connectors;
    expect(s.total).toBe(one('SELECT count(*) FROM connectors'));
    const byType = all<{ type: string; n: number }>('SELECT type, count(*) n FROM connectors GROUP BY type ORDER BY n DESC, type');
    expect(s.byProvider[0]!.byType.map((t) => ({ type: t.type, n: t.count }))).toEqual(byType);
    const approved = one('SELECT count(DISTINCT m.connector_id) FROM inventory_matches m JOIN connectors c ON c.id = m.connector_id WHERE m.recon_id = 2');
    expect(s.approved).toBe(approved);
    expect(s.unapproved).toBe(s.total - approved);
  });

  it('findings by severity and family, orphans, scope drift', () => {
    const s = rep.model.summary;
    expect(s.findings.open).toBe(one('SELECT count(*) FROM current_findings'));
    for (const sev of SEVERITIES) expect(s.findings.bySeverity[sev]).toBe(one('SELECT count(*) FROM current_findings WHERE severity = ?', sev));
    for (const f of s.findings.byFamily) expect(f.count).toBe(one('SELECT count(*) FROM current_findings WHERE family = ?', f.id));
    expect(s.orphans.connectors).toBe(one("SELECT count(DISTINCT connector_id) FROM current_findings WHERE family = 'orphans'"));
    expect(s.scopeDrift.connectors).toBe(one("SELECT count(DISTINCT connector_id) FROM current_findings WHERE family = 'scope-drift'"));
    expect(rep.model.families.map((f) => f.id).slice(0, 2)).toEqual(['orphans', 'scope-drift']);
    // sorted by severity inside each family, every open finding in exactly one family section
    for (const f of rep.model.families) {
      const ranks = f.findings.map((x) => SEVERITIES.indexOf(x.severity));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    expect(rep.model.families.flatMap((f) => f.findings.map((x) => x.id)).sort()).toEqual(all<{ id: string }>('SELECT id FROM current_findings ORDER BY id').map((r) => r.id));
  });

  it('credential hygiene figures', () => {
    const c = rep.model.summary.credentials;
    expect(c.total).toBe(one('SELECT count(*) FROM credentials'));
    expect(c.noExpiry).toBe(one('SELECT count(*) FROM credentials WHERE expires_at IS NULL AND static = 1'));
    expect(c.static).toBe(one('SELECT count(*) FROM credentials WHERE static = 1'));
    expect(c.expired).toBe(one('SELECT count(*) FROM credentials WHERE expires_at < ?', RECON_NOV));
    // as the credential-rotation-overdue rule judges it (issue 15 item 14): static, enabled, not expired, older than the policy
    // (90 days: this reconciliation's inventory policy is not recorded, so the defaults apply)
    expect(rep.model.policy).toMatchObject({ rotationDays: 90, source: 'defaults' });
    // (age from when the value was last set: a CI secret's updated_at)
    expect(c.olderThanMaxAge).toBe(one(`SELECT count(*) FROM credentials WHERE static = 1 AND coalesce(enabled, 1) = 1
      AND coalesce(CASE WHEN credential_type = 'ci_secret' THEN ${jsonProp(fx.db, 'props', 'updated_at')} END, created_at) < ?
      AND (expires_at IS NULL OR expires_at > ?)`, new Date(Date.parse(RECON_NOV) - 90 * 86400_000).toISOString(), RECON_NOV));
    expect(c.findings).toBe(one("SELECT count(*) FROM current_findings WHERE family = 'credential-hygiene'"));
  });

  it('what changed since the previous month: connectors, scopes, findings, age', () => {
    const ch = rep.model.changes;
    expect(ch.baseline).toMatchObject({ how: 'previous month reconciliation', reconId: 1, month: '2026-10' });
    const cur = one('SELECT max(id) FROM runs');
    expect(ch.newConnectors.map((c) => c.id).sort()).toEqual(all<{ id: string }>("SELECT id FROM nodes WHERE kind = 'connector' AND first_seen_run = ? ORDER BY id", cur).map((r) => r.id));
    expect(ch.removedConnectors.map((c) => c.id)).toEqual(all<{ id: string }>("SELECT id FROM nodes WHERE kind = 'connector' AND removed_run = ?", cur).map((r) => r.id));
    expect(ch.newConnectors.map((c) => c.name)).toContain('vercel');
    expect(ch.removedConnectors.map((c) => c.name)).toEqual(['old-ci-runner']);
    // the scope deployhub-pro gained this month; scopes of the new and removed apps are not scope changes
    expect(ch.scopeChanges.map((s) => [s.holder, s.scope, s.change])).toEqual([['deployhub-pro', 'organization_administration:write', 'added']]);
    const newF = one('SELECT count(*) FROM finding_observations o WHERE recon_id = 2 AND NOT EXISTS (SELECT 1 FROM finding_observations p WHERE p.recon_id = 1 AND p.finding_id = o.finding_id)');
    expect(ch.newFindings).toBe(newF);
    expect(ch.resolvedFindings.map((f) => f.id)).toEqual(all<{ id: string }>('SELECT id FROM findings WHERE resolved_recon = 2').map((r) => r.id));
    expect(ch.persistingFindings).toBe(rep.model.summary.findings.open - newF);
    const openedBefore = one('SELECT count(*) FROM current_findings WHERE first_seen_at < ?', new Date(Date.parse(RECON_NOV) - 30 * 86400_000).toISOString());
    expect(ch.ageBuckets[0]!.count).toBe(rep.model.summary.findings.open - openedBefore);
    expect(ch.oldestOpenDays).toBe(31);
  });

  it('a finding kept open without re-check is reported open, flagged, and called out', () => {
    const carried = rep.model.findings.filter((f) => f.carried).map((f) => f.id);
    expect(carried).toEqual(['f_pat_forever']);
    expect(rep.model.warnings.join(' ')).toMatch(/carried over without being re-checked/);
  });

  it('trend: open findings at the last reconciliation of each month', () => {
    expect(rep.model.trend.basis).toBe('month');
    expect(rep.model.trend.points.map((p) => [p.label, p.reconId])).toEqual([['2026-10', 1], ['2026-11', 2]]);
    expect(rep.model.trend.points[0]!.open).toBe(one('SELECT count(*) FROM finding_observations WHERE recon_id = 1'));
    expect(rep.model.trend.points[1]!.open).toBe(rep.model.summary.findings.open);
    expect(rep.model.trend.points[0]!.connectors).toBe(one("SELECT count(*) FROM nodes WHERE kind = 'connector' AND first_seen_run <= 1 AND (removed_run IS NULL OR removed_run > 1)"));
  });

  it('per-owner view routes every finding to each of its owners, unowned ones to “(no active owner known)”', () => {
    const owners = rep.model.owners;
    const maya = owners.find((o) => o.owner === 'maya.chen@halcyon-logistics.com')!;
    expect(maya.findings.length).toBe(one(sqlFor(fx.db, {
      sqlite: "SELECT count(*) FROM current_findings, json_each(current_findings.owners) j WHERE j.value = 'maya.chen@halcyon-logistics.com'",
      postgres: "SELECT count(*) FROM current_findings, jsonb_array_elements_text(current_findings.owners::jsonb) j WHERE j = 'maya.chen@halcyon-logistics.com'" })));
    expect(owners.find((o) => o.owner === '(no active owner known)')!.findings.length).toBe(one(sqlFor(fx.db, {
      sqlite: 'SELECT count(*) FROM current_findings WHERE json_array_length(owners) = 0',
      postgres: 'SELECT count(*) FROM current_findings WHERE jsonb_array_length(owners::jsonb) = 0' })));
    expect(owners[0]!.worst).toBe('critical');
  });

  it('appendix maps findings to OWASP NHI Top 10 2025 and NIST CSF 2.0', () => {
    const a = rep.model.appendix;
    expect(a.owasp.map((o) => o.id).slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `NHI${i + 1}:2025`));
    expect(a.owasp.find((o) => o.id === 'NHI5:2025')!.count).toBe(one("SELECT count(*) FROM current_findings WHERE owasp LIKE '%NHI5:2025%'"));
    expect(a.nist.find((o) => o.id === 'PR.AA-01')!.count).toBe(one("SELECT count(*) FROM current_findings WHERE nist LIKE '%PR.AA-01%'"));
  });

  it('the rendered files carry the same figures', () => {
    const s = rep.model.summary;
    const md = read('report.md');
    expect(md).toContain(`| Connectors found | ${s.connectors.total} |`);
    expect(md).toContain(`| Open findings | ${s.findings.open} |`);
    expect(md).toContain(`| — critical | ${s.findings.bySeverity.critical} |`);
    expect(md).toContain('## What changed since the previous report');
    expect(md.indexOf('### Orphaned connectors')).toBeLessThan(md.indexOf('### Scope drift'));
    const html = read('report.html');
    expect(html).toContain(`<div class="k">Connectors found</div><div class="v">${s.connectors.total}</div>`);
    expect(html).toContain(`<div class="k">Open findings</div><div class="v">${s.findings.open}</div>`);
    expect(html).toContain(`<span class="chip sev-critical">${s.findings.bySeverity.critical} critical</span>`);
    const findingsCsv = read('findings.csv').trim().split('\r\n');
    expect(findingsCsv).toHaveLength(1 + one('SELECT count(*) FROM current_findings'));
    const connectorsCsv = read('connectors.csv').trim().split('\r\n');
    expect(connectorsCsv).toHaveLength(1 + one('SELECT count(*) FROM connectors'));
    const json = JSON.parse(read('report.json'));
    expect(json.summary).toEqual(JSON.parse(JSON.stringify(s)));
    expect(json.owners[0].findings.every((x: unknown) => typeof x === 'string')).toBe(true);
  });

  it('records the report with its inputs and file hashes', () => {
    const row = fx.db.prepare('SELECT * FROM reports WHERE id = ?').get(rep.reportId) as Record<string, string>;
    expect(row).toMatchObject({ month: '2026-11', recon_id: 2, inventory_hash: 'b'.repeat(64), organisation: ORG });
    expect(JSON.parse(row.files!)).toEqual(Object.fromEntries(rep.files.map((f) => [f.name, f.sha256])));
    expect(JSON.parse(row.crawl_runs!)).toEqual({ github: one('SELECT max(id) FROM runs') });
  });
});
});
