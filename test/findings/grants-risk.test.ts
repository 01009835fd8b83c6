// Issue 15 item 9: after a crawl every grant carries the catalogue's grade (`grants.risk`, with its reason and
// source), so analysts can filter `where risk in ('high','critical')`; and `changes` names an edge by its two
// ends (`deployhub-pro HAS_SCOPE members:write`), not by the raw edge id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeScope } from '../../src/catalogue/index.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

const PROVIDERS = ['github', 'slack', 'google', 'azure'] as const;

describe('grants.risk holds the catalogue grade of every grant (demo crawl)', () => {
  const crawls = new Map<string, SimCrawl>();
  const scenario = buildDemoScenario() as unknown as Record<string, { installations?: Array<{ id: number; permissions: Record<string, string> }> }>;

  beforeAll(async () => {
    for (const p of PROVIDERS) {
      const c = await startSimCrawl(p, scenario[p]);
      crawls.set(p, c);
      await c.crawl();
    }
  });
  afterAll(async () => { for (const c of crawls.values()) await c.close(); });

  it('no grant is left without a grade, and each grade is the catalogue\'s', () => {
    for (const p of PROVIDERS) {
      const db = crawls.get(p)!.db;
      const grants = rows<{ provider: string; scope: string; risk: string | null; risk_reason: string | null; risk_source: string | null; risk_known: number }>(db,
        'SELECT provider, scope, risk, risk_reason, risk_source, risk_known FROM grants');
      expect(grants.length, p).toBeGreaterThan(0);
      expect(rows(db, 'SELECT holder_name, scope FROM grants WHERE risk IS NULL'), p).toEqual([]);
      for (const g of grants) {
        const want = gradeScope(g.provider, g.scope);
        expect({ p, scope: g.scope, risk: g.risk, known: !!g.risk_known }).toEqual({ p, scope: g.scope, risk: want.severity, known: want.known });
        expect(g.risk_reason).toBe(want.reason);
        expect(g.risk_source).toMatch(/docs\/risk-catalogue\.md/);
      }
    }
  });

  it('the admin app\'s organisation administration grant is critical, and analysts can filter on risk', () => {
    const db = crawls.get('github')!.db;
    expect(rows(db, "SELECT risk FROM grants WHERE holder_name = 'deployhub-pro' AND scope = 'organization_administration:write'"))
      .toEqual([{ risk: 'critical' }]);
    const risky = rows<{ scope: string }>(db, "SELECT DISTINCT scope FROM grants WHERE risk IN ('high','critical') ORDER BY 1").map((r) => r.scope);
    expect(risky).toEqual(expect.arrayContaining(['administration:write', 'organization_administration:write', 'contents:write']));
    expect(risky).not.toContain('metadata:read');
  });

  it('grades scopes of every provider (a Slack admin scope, a Google restricted scope, a Graph application permission)', () => {
    const risk = (p: string, scope: string) => rows<{ risk: string }>(crawls.get(p)!.db, 'SELECT DISTINCT risk FROM grants WHERE scope = ?', scope);
    expect(risk('slack', 'admin.users:write')).toEqual([{ risk: 'critical' }]);
    expect(risk('google', 'https://www.googleapis.com/auth/gmail.readonly')).toEqual([{ risk: 'high' }]);
    expect(risk('azure', 'Directory.ReadWrite.All')).toEqual([{ risk: 'critical' }]);
  });

  it('grades missing from the database (one upgraded from before grading) come back on the next crawl, even from 304 pages', async () => {
    const c = crawls.get('github')!;
    c.db.prepare('DELETE FROM scope_grades').run();
    expect(rows(c.db, 'SELECT count(*) AS n FROM grants WHERE risk IS NULL')[0]).not.toEqual({ n: 0 });
    const summary = await c.crawl();
    expect(summary.totals.notModified).toBeGreaterThan(0);
    expect(rows(c.db, 'SELECT count(*) AS n FROM grants WHERE risk IS NULL')).toEqual([{ n: 0 }]);
    expect(rows(c.db, 'SELECT count(*) AS n FROM scope_grades g JOIN nodes n ON n.id = g.scope_id')[0]).toEqual(
      rows(c.db, "SELECT count(*) AS n FROM nodes WHERE kind = 'scope'")[0]);
  });

  it('a scope gained between two crawls is graded, and `changes` names the edge by holder, type and scope', async () => {
    const c = crawls.get('github')!;
    const inst = scenario.github!.installations!.find((i) => i.id === 9000)!;
    inst.permissions = { ...inst.permissions, members: 'write' };
    await c.crawl();
    expect(rows(c.db, "SELECT risk FROM grants WHERE holder_name = 'deployhub-pro' AND scope = 'members:write'")).toEqual([{ risk: 'critical' }]);
    const added = rows<{ name: string; entity_id: string }>(c.db,
      "SELECT name, entity_id FROM changes WHERE entity = 'edge' AND change = 'added' AND run_id = (SELECT max(id) FROM runs)");
    expect(added.map((r) => r.name)).toContain('deployhub-pro HAS_SCOPE members:write');
    expect(added.find((r) => r.name === 'deployhub-pro HAS_SCOPE members:write')!.entity_id).toBe('github:app_installation:9000|HAS_SCOPE|github:scope:members:write');
    // a removed edge keeps its readable name too
    inst.permissions = Object.fromEntries(Object.entries(inst.permissions).filter(([k]) => k !== 'members'));
    await c.crawl();
    expect(rows(c.db, "SELECT name FROM changes WHERE entity = 'edge' AND change = 'removed' AND run_id = (SELECT max(id) FROM runs)"))
      .toContainEqual({ name: 'deployhub-pro HAS_SCOPE members:write' });
    // nodes keep their own name
    expect(rows(c.db, "SELECT DISTINCT name FROM changes WHERE entity = 'node' AND entity_id = 'github:app_installation:9000'")).toEqual([{ name: 'deployhub-pro' }]);
  });
});
