// Graph strings come from third parties (an app can name itself anything): they must come out inert
// in HTML (text and attributes), Markdown (no table breakage, no inline HTML or links) and CSV (no formulas).
import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../reports/model.ts';
import { renderHtml } from '../../reports/render-html.ts';
import { md, renderMarkdown } from '../../reports/render-markdown.ts';
import { csvCell, renderConnectorsCsv, renderFindingsCsv } from '../../reports/render-csv.ts';
import { connector, smallGraph } from './small-graph.ts';

const EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)> | **bold** [x](javascript:alert(3)) `code`';
const FORMULA = '=HYPERLINK("http://evil.example","click")';

function evilModel() {
  const db = smallGraph({
    connectors: [connector('github:app_installation:1', EVIL), connector('github:app_installation:2', FORMULA)],
    findings: [
      { id: 'f1', family: '<b>fam</b>', severity: 'high', subject: 'github:app_installation:1', title: EVIL, evidence: { note: EVIL, [EVIL]: 1 }, owners: [EVIL], remediation: EVIL },
      { id: 'f2', family: 'orphans', severity: 'critical', subject: 'github:app_installation:2', title: FORMULA, evidence: {}, owners: ['+cmd|calc'] },
    ],
  });
  return buildReportModel(db, { month: '2026-11', organisation: `${EVIL} Corp`, now: new Date('2026-11-12T00:00:00Z') });
}

describe('escaping third-party strings', () => {
  it('HTML: no markup from the graph survives, in text or attributes', () => {
    const html = renderHtml(evilModel());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b>fam/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    // the only <style> is ours, and the page forbids scripts outright
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).toContain("default-src 'none'");
  });

  it('Markdown: cells cannot break the table or inject HTML or links', () => {
    const text = renderMarkdown(evilModel());
    expect(text).not.toMatch(/<script|<img/i);
    expect(md('a|b')).toBe('a\\|b');
    expect(md('[x](javascript:y)')).toBe('\\[x\\](javascript:y)');
    expect(md('line1\nline2')).toBe('line1 line2');
    // every row of the findings table has the header's number of cells
    const table = text.split('\n').filter((l) => l.startsWith('| **critical**') || l.startsWith('| **high**'));
    expect(table.length).toBeGreaterThan(0);
    for (const row of table) expect(row.split(/(?<!\\)\|/).length).toBe('| Severity | Connector | Provider | Owner(s) | Finding and evidence | Remediation | Frameworks | Open since |'.split('|').length);
  });

  it('CSV: quoted, and a cell a spreadsheet would evaluate is neutralised', () => {
    const m = evilModel();
    expect(csvCell(FORMULA)).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csvCell('+cmd|calc')).toBe("'+cmd|calc");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('a,b')).toBe('"a,b"');
    const lines = renderFindingsCsv(m).split('\r\n');
    expect(lines.some((l) => /(^|,)=/.test(l))).toBe(false);
    expect(renderConnectorsCsv(m)).toContain(`"'=HYPERLINK`);
  });
});
